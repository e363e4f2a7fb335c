"""Questions step: precision/recall on the dev set, off-topic-to-FAQ rate, extraction speed.

    python benchmarks/bench_questions.py            # dev-set figures + 100,000-post speed run
    python benchmarks/bench_questions.py --holdout --errors --posts 20000
    python benchmarks/bench_questions.py --dense    # worst case: two questions in every post

Speed: a synthetic forum of N posts (assembled from the dev set's lines plus greetings and
signatures, 10 posts per thread) is stored in a temporary database, then ``extract_questions_into``
runs over it end to end (read, split, detect, relevance with the learned expansion, write with FTS
triggers) and again to show the no-change pass. Storing the synthetic posts is not timed. Wall time
depends on what else runs on the machine, so CPU seconds are printed too.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # dev-set loaders shared with the tests

import questions_devset  # noqa: E402

from miner import store  # noqa: E402
from miner.mining import extract_questions_into  # noqa: E402


def synthetic_forum(db, posts: int, seed: int = 0, dense: bool = False) -> None:
    """Threads of 10 posts built from dev-set lines. Realistic mix by default: a first post of 3-8
    sentences with 1-3 questions, replies of 2-7 sentences where one sentence in ten asks.
    ``dense``: every sentence drawn from the whole set (about two questions per post, a worst case)."""
    rng = random.Random(seed)
    rows = [row for row in questions_devset.load_sentences() if row["category"] not in ("greeting", "signature")]
    sentences = [row["text"] for row in rows]
    asking = [row["text"] for row in rows if row["label"] == "Q"]
    telling = [row["text"] for row in rows if row["label"] == "N"]

    def body(first: bool) -> str:
        if dense:
            return " ".join(rng.sample(sentences, rng.randint(2, 7)))
        if first:
            parts = rng.sample(telling, rng.randint(2, 5)) + rng.sample(asking, rng.randint(1, 3))
        else:
            parts = [rng.choice(asking) if rng.random() < 0.1 else rng.choice(telling)
                     for _ in range(rng.randint(2, 7))]
        return " ".join(parts)

    greetings = ["Hallo zusammen,", "Hi,", "Liebe Kolleginnen und Kollegen,", "Moin,", ""]
    closings = ["Viele Grüße\nAnna", "LG Tom", "Danke im Voraus!\nJana", "", "Gruß\nPeter\nSchulleiter"]
    titles = [row["text"] for row in questions_devset.load_sentences() if row["label"] == "Q"]
    forum = "bench.example"
    per_thread = 10
    with db.conn:
        store.save_rows(db, "forums", [{"id": forum, "base_url": "https://bench.example"}])
        thread_rows, post_rows = [], []
        for number in range(posts):
            topic, post_number = divmod(number, per_thread)
            thread_id = store.qualify(forum, topic)
            if post_number == 0:
                thread_rows.append({"id": thread_id, "forum": forum, "topic_id": topic,
                                    "title": rng.choice(titles)[:80], "starter": f"user-{topic % 997}"})
            text = "\n\n".join(part for part in (rng.choice(greetings), body(post_number == 0), rng.choice(closings))
                                if part)
            post_rows.append({"id": store.qualify(forum, number), "forum": forum, "post_id": number,
                              "thread": thread_id, "post_number": post_number + 1,
                              "author": f"user-{(topic if post_number == 0 else rng.randint(0, 5000)) % 997}",
                              "text": text, "quoted": "", "deleted": 0})
            if len(post_rows) >= 5000:
                store.save_rows(db, "threads", thread_rows)
                store.save_rows(db, "posts", post_rows)
                thread_rows, post_rows = [], []
        store.save_rows(db, "threads", thread_rows)
        store.save_rows(db, "posts", post_rows)


def _cpu() -> float:
    """CPU seconds of this process and its finished workers (wall time is noisy on a shared machine)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def report(figures: dict, name: str, errors: bool) -> None:
    print(f"{name}: {figures['sentences']} sentences, {figures['threads']} threads")
    print(f"  sentences  precision {figures['sentence_precision']:.3f}  recall {figures['sentence_recall']:.3f}")
    print(f"  in threads precision {figures['thread_precision']:.3f}  recall {figures['thread_recall']:.3f}")
    print(f"  combined   precision {figures['precision']:.3f}  recall {figures['recall']:.3f}  (targets 0.95 / 0.90)")
    print(f"  thread relevance accuracy {figures['thread_accuracy']:.3f}")
    print(f"  off-topic threads' question rows reaching the FAQ: {figures['off_topic_to_faq']:.1%} "
          f"of {figures['off_rows']} (target <= 5%); on-topic rows kept {figures['on_topic_kept']:.1%}")
    if errors:
        for error in figures["sentence_errors"]:
            print("  sentence error:", error)
        for error in figures["thread_false_positives"]:
            print("  thread false positive:", error)
        for error in figures["thread_misses"]:
            print("  thread miss:", error)
        for error in figures["wrong_threads"]:
            print("  relevance error:", error)


NEWS = [Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "tenkgnad_test_de" / "test.csv",
        Path("/work/shared/benchmarks/tenkgnad_test_de/test.csv")]


def news_check(show: bool = False) -> None:
    """Unseen German prose with almost no questions (10kGNAD news, if the shared folder is there):
    how many sentences without "?" are taken for implicit questions, and how many articles for
    messenger threads. Read only for measuring; nothing is copied."""
    from miner import questions as qx
    from miner import relevance as rel

    path = next((p for p in NEWS if p.exists()), None)
    if path is None:
        print("news check: skipped (../shared/benchmarks/tenkgnad_test_de not found)")
        return
    articles = []
    for line in path.read_text(encoding="utf-8").splitlines():
        label, _, text = line.partition(";")
        articles.append((label, text.strip("'")))
    sentences = implicit = 0
    for number, (_, text) in enumerate(articles):
        sentences += sum(1 for s in qx.split_sentences(text) if not s.skip)
        found = [q["text"] for q in qx.extract_questions({"id": f"n:{number}", "post_number": 1, "text": text},
                                                         {"id": "n", "starter": None}) if q["kind"] == "implicit"]
        implicit += len(found)
        for line in found if show else ():
            print("  news implicit:", line[:160])
    scores = rel.score_threads([{"id": str(i), "title": "", "first_post": t, "replies": []}
                                for i, (_, t) in enumerate(articles)])
    relevant = [articles[int(i)][0] for i, r in scores.items() if r["relevant"]]
    print(f"news check ({len(articles)} 10kGNAD articles, {sentences} sentences): {implicit} taken as implicit "
          f"questions ({implicit / max(sentences, 1):.2%}); {len(relevant)} articles scored as messenger threads "
          f"({', '.join(f'{c} {relevant.count(c)}' for c in sorted(set(relevant)))})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--errors", action="store_true", help="list every misclassified line")
    parser.add_argument("--dense", action="store_true", help="worst case: about two questions in every post")
    parser.add_argument("--holdout", action="store_true", help="also print the held-out set's figures")
    args = parser.parse_args()

    for holdout in (False, True) if args.holdout else (False,):
        report(questions_devset.evaluate(holdout=holdout), "held-out set" if holdout else "dev set", args.errors)
    news_check(args.errors)

    if args.posts:
        with tempfile.TemporaryDirectory() as tmp:
            db = store.open_db(Path(tmp) / "bench.db")
            synthetic_forum(db, args.posts, dense=args.dense)
            start, cpu = time.perf_counter(), _cpu()
            summary = extract_questions_into(db)
            first, first_cpu = time.perf_counter() - start, _cpu() - cpu
            start = time.perf_counter()
            again = extract_questions_into(db)
            second = time.perf_counter() - start
            print(f"speed: {args.posts} posts in {summary['threads']} threads -> {db['questions'].count} questions "
                  f"in {first:.1f} s wall, {first_cpu:.1f} s CPU summed over processes "
                  f"(target < 30 s on 2 cores; {os.cpu_count()} CPUs visible, load average "
                  f"{os.getloadavg()[0]:.1f}); "
                  f"unchanged re-run {second:.1f} s, {again['threads_extracted']} threads re-read")


if __name__ == "__main__":
    main()
