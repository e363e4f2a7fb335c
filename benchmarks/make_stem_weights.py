"""Fit the stem weights that the lexical view ships in miner/data/stem_weights.json (``miner.stem_weights``).

Why: IDF weighs a stem by rarity; this project's own labelled sets show which stems keep to one
same-answer entry and which run through many. Trained on this project's own writing only, the same
sets as the sentence-vector map (``make_domain_projection.py``):

- tests/data/faq_dev.csv, faq_dev2.csv, faq_dev3.csv (entries as labels);
- the bundled forum's gold questions (datasets/lehrerforum labels.json, question text without context).

The knobs are chosen on these sets, each measured with weights fitted WITHOUT it (``weights_without``,
which the benchmarks use for the own rows). Neither the outside validation set nor any public set is
read; tests/data/faq_dev4.csv is kept out: it stays a check.

    python benchmarks/make_stem_weights.py [--prior 10 --strength 0.5 --floor 0.5 --cap 2]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_generalization as bg  # noqa: E402

from miner import stem_weights  # noqa: E402

OWN = ("dev", "dev2", "dev3", "forum")
BASE = {"dev2-section": "dev2", "dev2-tune": "dev2", "dev2-test": "dev2"}  # rows that are views of an own set
KNOBS = ("prior", "strength", "floor", "cap")


def own_sets(names) -> list[tuple[list[str], list]]:
    """(question texts, entry labels) per own set."""
    out = []
    for name in names:
        items = bg.LOADERS[name]()["items"]
        out.append(([it["text"] for it in items], [it["label"] for it in items]))
    return out


def weights_without(row: str, **knobs) -> dict[str, float]:
    """The weights fitted on every own set except the one ``row`` measures (all of them for other rows)."""
    left_out = BASE.get(row, row)
    return stem_weights.fit_weights(own_sets([n for n in OWN if n != left_out]), **knobs)


def hold_out(row: str, **knobs) -> None:
    """Make the lexical view in this process use ``weights_without(row)`` instead of the shipped weights."""
    weights = weights_without(row, **knobs)
    stem_weights.load = lambda path=None: weights


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prior", type=float, default=stem_weights.PRIOR)
    parser.add_argument("--strength", type=float, default=stem_weights.STRENGTH)
    parser.add_argument("--floor", type=float, default=stem_weights.FLOOR)
    parser.add_argument("--cap", type=float, default=stem_weights.CAP)
    args = parser.parse_args(argv)
    knobs = {k: getattr(args, k) for k in KNOBS}
    sets = own_sets(OWN)
    weights = stem_weights.fit_weights(sets, **knobs)
    about = {"sets": list(OWN), "questions": sum(len(labels) for _, labels in sets),
             "entries": sum(len(set(labels)) for _, labels in sets), **knobs}
    stem_weights.save(stem_weights.PATH, weights, about)
    print(f"{stem_weights.PATH}: {len(weights)} stems weighted, fitted on {', '.join(OWN)} "
          f"({about['questions']} questions), {knobs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
