"""Shared helpers for the benchmarks: data loading, the baseline, and the metrics reported."""

from __future__ import annotations

import csv
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
    """/work/shared/benchmarks or ../shared/benchmarks relative to the repo root, if present."""
    for candidate in (Path("/work/shared/benchmarks"), ROOT.parent / "shared" / "benchmarks"):
        if candidate.is_dir():
            return candidate
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
