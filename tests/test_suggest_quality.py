"""Ranking quality on the labeled dev set (held-out folds, entries built by the real FAQ step).

Needs the FAQ branch (miner.faqs, miner.match, tests/data/faq_dev.csv); skipped without it.
The full 5-fold figures come from `python benchmarks/bench_suggest.py`.
"""

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_suggest", ROOT / "benchmarks" / "bench_suggest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_folds_are_stratified_by_topic_and_cover_every_question():
    bench = load_bench()
    rows = [{"id": str(i), "topic": f"t{i % 3}", "text": f"q{i}"} for i in range(31)]
    folds = bench.stratified_folds(rows, 5, seed=0)
    assert sorted(r["id"] for fold in folds for r in fold) == sorted(r["id"] for r in rows)
    assert [len(f) for f in folds] == [7, 6, 6, 6, 6]
    for fold in folds:
        counts = Counter(r["topic"] for r in fold)
        assert max(counts.values()) - min(counts.values()) <= 1
    assert folds == bench.stratified_folds(rows, 5, seed=0)


def test_right_entry_first_and_in_top3_on_held_out_questions():
    pytest.importorskip("miner.faqs")
    pytest.importorskip("miner.match")
    bench = load_bench()
    if not bench.DEV_SET.is_file():
        pytest.skip("dev set tests/data/faq_dev.csv absent")
    rows = bench.read_dev_set(bench.DEV_SET)
    result = bench.measure(rows, folds=5, seed=0, only_folds=[0, 1])  # 2 of 5 folds keep the test fast
    assert result["questions"] >= 100
    # Regression floors, not the targets (top-1 >= 80 %, top-3 >= 95 %): measured on 27 Nov 2026
    # on these folds 76.9 % / 95.4 % (all 5 folds: 77.5 % / 95.1 %; the top-1 target is missed on
    # this set). The gap lies in the grouping (entry purity ~80 %); with entries = labeled topics the
    # same representation reaches 91 % / 99 % (`python benchmarks/bench_suggest.py --gold`).
    assert result["top1"] >= 0.74, result["top1"]
    assert result["top3"] >= 0.89, result["top3"]
    # lenient definition (entry holds the topic as >= 1/3 of its questions) is never below the strict one
    assert result["share1"] >= result["top1"] and result["share3"] >= result["top3"]


def load_forum_bench():
    spec = importlib.util.spec_from_file_location("bench_suggest_forum", ROOT / "benchmarks" / "bench_suggest_forum.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_unseen_forum_threads_find_their_entry(tmp_path):
    """Whole held-out threads of the bundled forum, matched as `miner suggest THREAD_URL` does.

    Floors, not the targets: on 27 Nov 2026 these two folds gave 89.1 % / 98.9 % (all 5 folds:
    89.0 % / 98.2 %, `python benchmarks/bench_suggest_forum.py`; 83.7 % / 94.6 % before the thread's
    context was used in matching)."""
    bench = load_forum_bench()
    threads = json.loads(bench.LABELS.read_text(encoding="utf-8"))["threads"]
    base = tmp_path / "extracted.db"
    bench.build_extracted_db(base).conn.close()
    results = [bench.evaluate_fold(base, held_out, threads, tmp_path, i)
               for i, held_out in enumerate(bench.folds_of(threads, 5, 0)[:2])]
    n = sum(r["n"] for r in results)
    assert n >= 80
    assert sum(r["top1"] for r in results) / n >= 0.82
    assert sum(r["top3"] for r in results) / n >= 0.92
