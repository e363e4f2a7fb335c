"""Stability of entry ids: mine 80% of a set, add the other 20%, mine again.

    python benchmarks/bench_stability.py

Prints the share of questions that had an entry in run 1 and keep the same entry id in run 2
(target >= 95%), the share of all unchanged questions with an identical assignment (outliers that
join an entry count as changed here), what happened to entries (births / merges / splits /
retirements) and how many answers lost their entry without a recorded re-attachment (target 0).
Sets: the dev set (5 random splits) and, if present, banking77 train (10k English questions).
"""

from __future__ import annotations

import csv
import json
import random
import tempfile
import time
from pathlib import Path

from common import load_dev, shared_dir

from miner import store
from miner.faqs import update_faqs


def fill(db, rows: list[tuple[str, str]]) -> None:
    with db.conn:
        store.save_rows(db, "forums", [{"id": "f", "base_url": "http://f"}])
        store.save_rows(db, "threads", [{"id": f"f:{i}", "forum": "f", "title": t} for i, t in rows])
        store.save_rows(db, "questions", [{"id": f"q{i}", "forum": "f", "thread": f"f:{i}", "text": t, "relevant": 1,
                                           "asked_at": f"2025-{hash(i) % 12 + 1:02d}-01T00:00:00Z"} for i, t in rows])


def assignment(db) -> dict[str, int | None]:
    return {r["id"]: r["faq_id"] for r in db.query("select id, faq_id from questions")}


def one(texts: list[str], seed: int) -> dict:
    rows = list(enumerate(texts))
    random.Random(seed).shuffle(rows)
    cut = int(len(rows) * 0.8)
    with tempfile.TemporaryDirectory() as folder:
        db = store.open_db(Path(folder) / "s.db")
        fill(db, rows[:cut])
        update_faqs(db, seed=seed)
        before = assignment(db)
        with db.conn:  # an answer on every entry: none may be lost
            for fid in {f for f in before.values() if f is not None}:
                db["answers"].insert({"faq_id": fid, "body": "x", "status": "draft", "editor": "e", "created_at": store.now()}, pk="id")
        fill(db, rows[cut:])
        start = time.perf_counter()
        summary = update_faqs(db, seed=seed)
        seconds = time.perf_counter() - start
        after = assignment(db)
        reattached = {json.loads(r["other_faqs"])[0] for r in db.query("select other_faqs from faq_history where event = 'reattach'")}
        lost = sum(1 for a in db.query("select a.faq_id, f.status from answers a join faqs f on f.id = a.faq_id")
                   if a["status"] != "active" and a["faq_id"] not in reattached)
    assigned = [q for q, f in before.items() if f is not None]
    return {"kept": sum(after[q] == before[q] for q in assigned) / len(assigned),
            "identical": sum(after[q] == before[q] for q in before) / len(before),
            "lost": lost, "seconds": seconds, **{k: summary[k] for k in ("births", "merges", "splits", "retired", "active")}}


def report(name: str, texts: list[str], seeds: list[int]) -> None:
    results = [one(texts, s) for s in seeds]
    kept = [r["kept"] for r in results]
    print(f"{name}: {len(texts)} questions, 80% then +20%, seeds {seeds}")
    print(f"  keep their entry id: mean {sum(kept) / len(kept):.1%}, min {min(kept):.1%} (target >= 95%)")
    print(f"  identical assignment incl. outliers: mean {sum(r['identical'] for r in results) / len(results):.1%}")
    for r in results:
        print(f"  run 2: {r['active']} active, {r['births']} births, {r['merges']} merges, {r['splits']} splits, "
              f"{r['retired']} retired; answers lost without a recorded re-attachment: {r['lost']}; {r['seconds']:.1f} s")


def main() -> None:
    report("dev set", load_dev()[0], [1, 2, 3, 4, 5])
    root = shared_dir()
    if root is None:
        print("banking77 train: skipped (no shared benchmarks folder)")
        return
    texts = [r["text"] for r in csv.DictReader((root / "banking77" / "train.csv").open(encoding="utf-8"))]
    report("banking77 train (English)", texts, [1])


if __name__ == "__main__":
    main()
