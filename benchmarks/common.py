"""Shared helpers for the benchmarks: data loading, the baseline, and the metrics reported."""

from __future__ import annotations

import csv
import os
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, v_measure_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def shared_dir() -> Path | None:
    """The shared benchmark sets: $MINER_SHARED_BENCHMARKS, else ../shared/benchmarks beside the clone."""
    for candidate in (os.environ.get("MINER_SHARED_BENCHMARKS"), ROOT.parent / "shared" / "benchmarks"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def with_singletons(labels: np.ndarray) -> np.ndarray:
    """Outliers (-1) count as singleton clusters, so leaving things out is not free in V-measure/ARI."""
    labels = np.asarray(labels).copy()
    out = np.flatnonzero(labels < 0)
    labels[out] = labels.max(initial=-1) + 1 + np.arange(len(out))
    return labels


def topic_recall(truth: list, labels: np.ndarray) -> float:
    """Share of true topics that are the majority of some entry holding at least half their questions."""
    topic_sizes = Counter(truth)
    found = set()
    for group in set(labels.tolist()) - {-1}:
        members = [truth[i] for i in np.flatnonzero(labels == group)]
        topic, count = Counter(members).most_common(1)[0]
        if count * 2 > len(members) and count * 2 >= topic_sizes[topic]:
            found.add(topic)
    return len(found) / len(topic_sizes)


def scores(truth: list, labels: np.ndarray) -> dict:
    flat = with_singletons(labels)
    return {
        "k": int(labels.max(initial=-1) + 1),
        "outliers": float((np.asarray(labels) < 0).mean()),
        "V": v_measure_score(truth, flat),
        "ARI": adjusted_rand_score(truth, flat),
        "recall": topic_recall(truth, np.asarray(labels)),
    }


def baseline(texts: list[str], k: int, seed: int = 0) -> np.ndarray:
    """TF-IDF + KMeans given the true number of groups (the issue's reference point)."""
    matrix = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    return KMeans(n_clusters=k, random_state=seed, n_init=10).fit_predict(matrix)


def load_dev() -> tuple[list[str], list[str]]:
    rows = list(csv.DictReader((ROOT / "tests" / "data" / "faq_dev.csv").open(encoding="utf-8")))
    return [r["text"] for r in rows], [r["topic"] for r in rows]


# --- strict metrics for bench_generalization.py -------------------------------------------


def one_bucket(labels) -> np.ndarray:
    """All unassigned questions (-1) form ONE extra group: leaving questions out is not rewarded
    (with singletons, every left-out question would look like a perfectly pure entry of its own)."""
    labels = np.asarray(labels).copy()
    labels[labels < 0] = labels.max(initial=-1) + 1
    return labels


def v_one_bucket(truth: list, labels) -> float:
    """V-measure in the strict form: unassigned questions are one extra bucket."""
    return float(v_measure_score(truth, one_bucket(labels)))


def purity_assigned(truth: list, labels) -> float:
    """Share of the assigned questions that carry their entry's majority label (nan when none is assigned)."""
    labels = np.asarray(labels)
    groups: dict[int, Counter] = {}
    for label, gold in zip(labels.tolist(), truth):
        if label >= 0:
            groups.setdefault(label, Counter())[gold] += 1
    assigned = sum(sum(c.values()) for c in groups.values())
    if not assigned:
        return float("nan")
    return sum(c.most_common(1)[0][1] for c in groups.values()) / assigned


def stratified_split(truth: list, share: float = 0.3, seed: int = 0) -> tuple[list[int], list[int]]:
    """(train, test) indices: per label, share * n (rounded half up) items held out (at least one stays in
    training), shuffled per label with ``seed``; both lists sorted."""
    import random

    rng = random.Random(seed)
    by_label: dict = {}
    for i, gold in enumerate(truth):
        by_label.setdefault(gold, []).append(i)
    train: list[int] = []
    test: list[int] = []
    for gold in sorted(by_label, key=str):
        items = by_label[gold]
        rng.shuffle(items)
        n_test = min(int(share * len(items) + 0.5), len(items) - 1)
        test += items[:n_test]
        train += items[n_test:]
    return sorted(train), sorted(test)


def chosen_rows(spec: str, loaders, validation_present: bool) -> list[str] | None:
    """The rows of a ``--rows a,b`` argument; None (and a one-line error) for an unknown row. ``val`` is
    left out with a note where the validation set is not on this machine."""
    rows = [r for r in spec.split(",") if r]
    if bad := [r for r in rows if r not in loaders]:
        print(f"unknown row(s) {bad}: choose from {sorted(loaders)}", file=sys.stderr)
        return None
    if "val" in rows and not validation_present:
        print("note: the validation set is not on this machine; row val skipped", file=sys.stderr)
        rows.remove("val")
    return rows
