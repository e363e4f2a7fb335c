"""Whole held-out threads of the bundled forum matched as `miner suggest THREAD_URL` does, shared by
tests/test_suggest_quality.py (floors) and benchmarks/bench_suggest_forum.py (prints the figures).

The forum is replayed, scraped and its questions extracted once; per fold the topical threads of that
fold are held out (their questions are not mined), entries are built from the rest by the real FAQ
step, and each held-out thread is ranked. Right = an entry whose majority topic (the labelled
`faq_topic` of its questions' threads) is the thread's.
"""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from pathlib import Path

from miner import mining, moderator_actions, scrape, store
from miner.demo import bundled_snapshot
from miner.faqs import update_faqs
from miner.replay import ReplayServer
from suggest_devset import stratified_folds

ROOT = Path(__file__).resolve().parent.parent

LABELS = ROOT / "datasets" / "lehrerforum" / "labels.json"


def build_extracted_db(path: Path):
    """Replay -> scrape -> extract questions, as `miner demo` does, but no FAQ step yet."""
    db = store.open_db(path)
    with ReplayServer(bundled_snapshot()) as server:
        scrape.scrape_forum(db, server.url, delay=0, progress=False, contact="miner benchmark")
    mining.extract_questions_into(db, progress=False)
    return db


def topic_id(thread: str) -> str:
    return thread.rsplit(":", 1)[1]


def folds_of(threads: dict, k: int, seed: int) -> list[list[str]]:
    """Topical threads (labelled with an FAQ topic) in k folds, each topic spread evenly."""
    rows = [{"topic": label["faq_topic"], "thread": tid} for tid, label in sorted(threads.items())
            if label["relevant"] and label["faq_topic"]]
    return [[row["thread"] for row in part] for part in stratified_folds(rows, k, seed)]


def evaluate_fold(base: Path, held_out: list[str], threads: dict, workdir: Path, fold: int,
                  semantic: bool = False) -> dict:
    path = workdir / f"fold{fold}.db"
    shutil.copy(base, path)
    db = store.open_db(path)
    forum_threads = {topic_id(r["id"]): r["id"] for r in db.query("select id from threads")}
    hidden = [forum_threads[tid] for tid in held_out if tid in forum_threads]
    with db.conn:
        db.conn.executemany("update questions set relevant = 0 where thread = ?", [(t,) for t in hidden])
    update_faqs(db, progress=False, semantic=semantic)
    votes: dict[int, Counter] = defaultdict(Counter)
    for q in db.query("select thread, faq_id from questions where faq_id is not null"):
        votes[q["faq_id"]][threads[topic_id(q["thread"])]["faq_topic"] or "(none)"] += 1
    majority = {fid: c.most_common(1)[0][0] for fid, c in votes.items()}
    top1 = top3 = covered = 0
    misses = []
    ranker = moderator_actions.load_ranker(db)  # fitted once per fold: the entries do not change
    for thread in hidden:
        truth = threads[topic_id(thread)]["faq_topic"]
        covered += truth in majority.values()
        texts = moderator_actions.asked_questions(store.load_thread_questions(db, thread))
        if not texts:
            row = store.load_thread(db, thread)
            texts = [f"{row.get('title') or ''}\n{store.load_first_post_text(db, thread)}".strip()]
        hits = moderator_actions.rank_texts(db, texts, 3, ranker, context=moderator_actions.thread_context(db, thread))
        got = [majority.get(int(h["faq_id"])) for h in hits]
        top1 += bool(got[:1] and got[0] == truth)
        top3 += truth in got
        if not (got[:1] and got[0] == truth):
            misses.append((truth, texts[0], got))
    entries = db.execute("select count(*) from faqs where status = 'active'").fetchone()[0]
    db.conn.close()
    return {"n": len(hidden), "top1": top1, "top3": top3, "covered": covered, "entries": entries, "misses": misses}
