"""Held-out ranking on the labeled dev set (tests/data/faq_dev.csv: id,topic,text), shared by
tests/test_suggest_quality.py (floors) and benchmarks/bench_suggest.py (prints the figures).

k folds stratified by topic; for each fold the FAQ entries are built from the other folds' questions
with the real FAQ step in a scratch database, then every held-out question is ranked with the matcher
`miner suggest` uses. Right = an entry whose majority topic equals the question's topic; lenient =
an entry that holds the topic as >= 1/3 of its questions.
"""

from __future__ import annotations

import csv
import random
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from miner import store
from miner.app import moderation
from miner.cluster import FaqPipeline
from miner.faqs import update_faqs
from question_threads import save_forum, save_question_thread

ROOT = Path(__file__).resolve().parent.parent

DEV_SET = ROOT / "tests" / "data" / "faq_dev.csv"
FORUM = "bench.example.org"


class Unavailable(Exception):
    """The dev set is missing or malformed."""


def read_dev_set(path: Path) -> list[dict]:
    if not path.is_file():
        raise Unavailable(f"Dev set {path} not found. Nothing measured.")
    with path.open(newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if (r.get("text") or "").strip()]
    if not rows or not {"id", "topic", "text"} <= set(rows[0]):
        raise Unavailable(f"{path} lacks the columns id,topic,text.")
    return rows


def stratified_folds(rows: list[dict], k: int, seed: int = 0) -> list[list[dict]]:
    """k folds with every topic spread evenly (shuffled per topic with a fixed seed)."""
    rng = random.Random(seed)
    by_topic: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_topic[row["topic"]].append(row)
    folds: list[list[dict]] = [[] for _ in range(k)]
    offset = 0
    for topic in sorted(by_topic):
        items = by_topic[topic]
        rng.shuffle(items)
        for i, row in enumerate(items):
            folds[(i + offset) % k].append(row)
        offset += len(items)
    return folds


def build_db(path: Path, train: list[dict]):
    """A scratch database holding the training questions as relevant questions, one per thread."""
    db = store.open_db(path)
    with db.conn:
        save_forum(db, FORUM, "bench")
        for n, row in enumerate(train):
            # no thread title: the dev set has no thread context, and a title copied from the
            # question would give training questions a context that held-out ones lack
            save_question_thread(db, FORUM, n + 1, row["text"], title="", post_id=10_000 + n + 1,
                                 created_at=f"2024-{n % 12 + 1:02d}-{n % 27 + 1:02d}T10:00:00Z",
                                 question_id=question_id(n, row))
    return db


def entry_votes(db, train: list[dict]) -> dict[int, Counter]:
    """Topics of the training questions the FAQ step put in each entry."""
    topic_of = {question_id(n, row): row["topic"] for n, row in enumerate(train)}
    votes: dict[int, Counter] = defaultdict(Counter)
    for q in db.query("select id, faq_id from questions where faq_id is not null"):
        if q["id"] in topic_of:
            votes[q["faq_id"]][topic_of[q["id"]]] += 1
    return votes


def entry_topics(votes: dict[int, Counter]) -> dict[int, str]:
    """Majority topic of each FAQ entry."""
    return {faq_id: c.most_common(1)[0][0] for faq_id, c in votes.items()}


def purity(votes: dict[int, Counter], n_train: int) -> tuple[float, float]:
    """(share of training questions in some entry, share of those in an entry of their majority topic)."""
    assigned = sum(sum(c.values()) for c in votes.values())
    majority = sum(c.most_common(1)[0][1] for c in votes.values())
    return assigned / max(n_train, 1), majority / max(assigned, 1)


def question_id(n: int, row: dict) -> str:
    """Id of the n-th training question (its post id + the dev set id)."""
    return f"{FORUM}:{10_000 + n + 1}:q{row['id']}"


def evaluate_fold(train: list[dict], test: list[dict], *, min_size: int, seed: int, top: int = 3,
                  semantic: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db = build_db(Path(tmp) / "bench.db", train)
        update_faqs(db, min_size=min_size, seed=seed, progress=False, semantic=semantic)
        votes = entry_votes(db, train)
        topics = entry_topics(votes)
        assigned, pure = purity(votes, len(train))
        ranker = moderation.load_ranker(db)  # reads the mining run's options, as `miner suggest` does
        top1 = top3 = covered = share1 = share3 = 0
        misses = []
        started = time.perf_counter()
        for row in test:
            covered += row["topic"] in topics.values()
            hits = ranker.rank(row["text"], top=top)
            got = [int(h["faq_id"]) for h in hits[:top]]
            right = [topics.get(fid) == row["topic"] for fid in got]
            holds = [holds_topic(votes.get(fid, Counter()), row["topic"]) for fid in got]
            top1 += bool(right[:1] and right[0])
            top3 += any(right)
            share1 += bool(holds[:1] and holds[0])
            share3 += any(holds)
            if not (right[:1] and right[0]):
                misses.append((row["topic"], row["text"], [topics.get(fid) for fid in got]))
        seconds = time.perf_counter() - started
        active = db.execute("select count(*) from faqs where coalesce(status, 'active') = 'active'").fetchone()[0]
        db.conn.close()
    return {"n": len(test), "top1": top1, "top3": top3, "share1": share1, "share3": share3, "covered": covered,
            "entries": active, "assigned": assigned, "purity": pure, "rank_seconds": seconds,
            "topics_with_entry": len(set(topics.values())), "misses": misses}


def holds_topic(votes: Counter, topic: str, share: float = 1 / 3) -> bool:
    """Lenient definition: ``topic`` is the entry's majority or at least ``share`` of its questions (a
    mixed entry, e.g. licences of Threema beside Signal vs Threema, counts for both of its topics)."""
    total = sum(votes.values())
    return total > 0 and (votes[topic] >= share * total or votes.most_common(1)[0][0] == topic)


def measure(rows: list[dict], *, folds: int = 5, seed: int = 0, min_size: int = 3,
            only_folds: list[int] | None = None, semantic: bool = False) -> dict:
    """Top-1 / top-3 accuracy over the held-out folds (all folds unless ``only_folds``)."""
    parts = stratified_folds(rows, folds, seed)
    results = []
    for i, test in enumerate(parts):
        if only_folds is not None and i not in only_folds:
            continue
        train = [row for j, part in enumerate(parts) if j != i for row in part]
        results.append(evaluate_fold(train, test, min_size=min_size, seed=seed, semantic=semantic))
    n = sum(r["n"] for r in results)
    return {
        "questions": n,
        "topics": len({r["topic"] for r in rows}),
        "top1": sum(r["top1"] for r in results) / n,
        "top3": sum(r["top3"] for r in results) / n,
        "covered": sum(r["covered"] for r in results) / n,
        "share1": sum(r["share1"] for r in results) / n,
        "share3": sum(r["share3"] for r in results) / n,
        "ms_per_question": 1000 * sum(r["rank_seconds"] for r in results) / n,
        "folds": results,
    }


def gold_entries_bound(rows: list[dict], *, folds: int = 5, seed: int = 0) -> tuple[float, float]:
    """Diagnostic: top-1/top-3 if the entries were exactly the labeled topics, ranked by centroid
    in the FAQ step's own space (``miner.cluster.FaqPipeline``). Separates clustering from ranking."""
    parts = stratified_folds(rows, folds, seed)
    top1 = top3 = 0
    for i, test in enumerate(parts):
        train = [row for j, part in enumerate(parts) if j != i for row in part]
        pipeline = FaqPipeline(seed=seed)
        points = pipeline.fit_embed([r["text"] for r in train])
        topics = sorted({r["topic"] for r in train})
        centroids = np.array([points[[k for k, r in enumerate(train) if r["topic"] == t]].mean(axis=0)
                              for t in topics])
        centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
        for point, row in zip(pipeline.embed([r["text"] for r in test]), test):
            best = [topics[k] for k in np.argsort(-(centroids @ point))[:3]]
            top1 += best[0] == row["topic"]
            top3 += row["topic"] in best
    return top1 / len(rows), top3 / len(rows)
