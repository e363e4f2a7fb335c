"""Load the questions dev set (tests/data/questions_dev) and measure extraction and relevance on it.

Shared by benchmarks/bench_questions.py (prints the figures) and tests/test_questions_devset.py
(asserts them with a margin). Labels are never used to train or tune anything at run time.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from miner import questions as qx
from miner import relevance as rel

DEV = Path(__file__).resolve().parent / "data" / "questions_dev"


def load_sentences(path: Path = DEV / "sentences.tsv") -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    for row in rows:
        row["text"] = row["text"].replace("\\n", "\n")
    return rows


def load_threads(path: Path = DEV / "threads.txt") -> list[dict]:
    """Threads with posts (text, quoted) and gold question openings (from the "[Q]" marks)."""
    threads: list[dict] = []
    post = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") and not threads:
            continue
        if line.startswith("=== "):
            tid, label, title = [part.strip() for part in line[4:].split("|", 2)]
            threads.append({"id": f"dev:{tid}", "forum": "dev", "title": title, "label": label, "posts": [], "gold": []})
            post = None
        elif line.startswith("--- "):
            number, author = [part.strip() for part in line[4:].split("|")]
            thread = threads[-1]
            post = {"id": f"{thread['id']}-{number}", "forum": "dev", "thread": thread["id"],
                    "post_number": int(number), "author": author, "lines": [], "quoted": []}
            thread["posts"].append(post)
            if number == "1":
                thread["starter"] = author
        elif post is not None:
            if line.startswith("QUOTE: "):
                post["quoted"].append(line[7:])
                continue
            for gold in re.findall(r"\[Q\]([^\[]*)", line):
                threads[-1]["gold"].append({"post": post["id"], "start": gold.strip()})
            post["lines"].append(line.replace("[Q]", ""))
    for thread in threads:
        for post in thread["posts"]:
            post["text"] = "\n".join(post.pop("lines")).strip()
            post["quoted"] = "\n".join(post["quoted"])
    return threads


def gold_questions(threads: list[dict]) -> list[str]:
    """The whole sentence each "[Q]" mark starts (up to its end mark), for sets of questions."""
    found = []
    for thread in threads:
        for gold in thread["gold"]:
            post = next(p for p in thread["posts"] if p["id"] == gold["post"])
            start = post["text"].find(gold["start"][:30])
            found.append((gold["start"] if start < 0 else re.split(r"(?<=[?.!])\s|\n", post["text"][start:])[0]).strip())
    return found


def _opening(text: str, words: int = 4) -> str:
    return " ".join(qx.normalise(text).split()[:words])


def sentence_predictions(sentences: list[dict]) -> list[tuple[dict, bool]]:
    thread = {"id": "dev:s", "forum": "dev", "starter": "starter"}
    out = []
    for row in sentences:
        post = {"id": "dev:s-1", "post_number": 1 if row["context"] == "first" else 2,
                "author": "someone" if row["context"] == "reply" else "starter", "text": row["text"]}
        out.append((row, bool(qx.extract_questions(post, thread))))
    return out


def thread_matches(threads: list[dict]) -> tuple[int, int, int, list[str], list[str]]:
    """(true positives, predicted, gold, false positives, misses) over the threads' body questions."""
    tp = predicted = gold_total = 0
    false_positives, misses = [], []
    for thread in threads:
        rows = [r for r in qx.extract_thread_questions(thread, thread["posts"]) if r["kind"] != "title"]
        gold = [(g["post"], _opening(g["start"])) for g in thread["gold"]]
        gold_total += len(gold)
        predicted += len(rows)
        unmatched = list(gold)
        for row in rows:
            # a question that cannot stand alone carries the sentence before it: its words come last
            key = next((g for g in unmatched if g[0] == row["post"] and (qx.normalise(row["text"]).startswith(g[1])
                                                                          or f" {g[1]}" in qx.normalise(row["text"]))), None)
            if key:
                unmatched.remove(key)
                tp += 1
            else:
                false_positives.append(f"{thread['id']}: {row['text']}")
        misses += [f"{thread['id']}: {g[1]}" for g in unmatched]
    return tp, predicted, gold_total, false_positives, misses


def relevance_figures(threads: list[dict], context: list[dict] = ()) -> dict:
    """Thread accuracy and the share of off-topic threads' question rows that would reach the FAQ.

    ``context``: more threads scored together with these (the corpus the expansion model learns from),
    not counted in the figures."""
    vocabulary = rel.load_vocabulary()
    inputs = [{"id": t["id"], "title": t["title"],
               "first_post": next((p["text"] for p in t["posts"] if p["post_number"] == 1), ""),
               "replies": [p["text"] for p in t["posts"] if p["post_number"] != 1]} for t in [*threads, *context]]
    scores = rel.score_threads(inputs, vocabulary)
    off_rows = off_relevant = on_rows = on_relevant = correct = 0
    wrong = []
    for thread in threads:
        result = scores[thread["id"]]
        on = thread["label"] == "on"
        if bool(result["relevant"]) == on:
            correct += 1
        else:
            wrong.append(f"{thread['id']} ({thread['label']}, {result['relevance']:.2f}): {thread['title']}")
        for row in qx.extract_thread_questions(thread, thread["posts"]):
            relevant = rel.question_relevance(row["text"], result, vocabulary)["relevant"]
            if on:
                on_rows += 1
                on_relevant += relevant
            else:
                off_rows += 1
                off_relevant += relevant
    return {"thread_accuracy": correct / len(threads), "wrong_threads": wrong,
            "off_topic_to_faq": off_relevant / max(off_rows, 1), "on_topic_kept": on_relevant / max(on_rows, 1),
            "off_rows": off_rows, "on_rows": on_rows}


def evaluate(holdout: bool = False) -> dict:
    """All dev-set figures: sentence, thread and combined precision/recall, relevance.

    ``holdout``: the smaller set written after the rules were frozen (never used to change them);
    its threads are scored together with the dev threads, as they would be inside one corpus."""
    if holdout:
        sentences = load_sentences(DEV / "holdout_sentences.tsv")
        threads = load_threads(DEV / "holdout_threads.txt")
        context = load_threads()
    else:
        sentences, threads, context = load_sentences(), load_threads(), []
    predictions = sentence_predictions(sentences)
    s_tp = sum(1 for row, p in predictions if p and row["label"] == "Q")
    s_pred = sum(1 for _, p in predictions if p)
    s_gold = sum(1 for row, _ in predictions if row["label"] == "Q")
    t_tp, t_pred, t_gold, t_fp, t_miss = thread_matches(threads)
    tp, pred, gold = s_tp + t_tp, s_pred + t_pred, s_gold + t_gold
    return {
        "sentences": len(sentences), "threads": len(threads),
        "sentence_precision": s_tp / max(s_pred, 1), "sentence_recall": s_tp / max(s_gold, 1),
        "thread_precision": t_tp / max(t_pred, 1), "thread_recall": t_tp / max(t_gold, 1),
        "precision": tp / max(pred, 1), "recall": tp / max(gold, 1),
        "sentence_errors": [(row["label"], row["context"], row["category"], row["text"])
                            for row, p in predictions if p != (row["label"] == "Q")],
        "thread_false_positives": t_fp, "thread_misses": t_miss,
        **relevance_figures(threads, context),
    }
