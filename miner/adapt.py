"""A projection of the FAQ step's space fitted on the forum's own first grouping (self-training).

A general-purpose sentence model and a forum-wide LSA do not know which differences matter on this
forum: two questions about one platform but different intents can look closer than two wordings of
one intent. The first grouping is a noisy label of what this forum's entries are; its confidently
placed members (nearer their own centre than any other by ``margin``) show which directions vary
inside an entry. Whitening the shrunk within-entry covariance (the default) shrinks those directions
and keeps every other one, so topics the first grouping missed keep their similarity; the
alternative keeps only the discriminant directions (shrunk linear discriminant analysis), mixed
with the original space (``mix``) so that a grouping cannot only confirm itself. Global transforms
(centring, whitening of the whole space) know nothing of entries and do not help.
"""

from __future__ import annotations

import logging

import numpy as np
import scipy.sparse as sp
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.preprocessing import normalize as l2_normalize

log = logging.getLogger(__name__)

__all__ = ["GroupProjection", "confident_members"]

MAX_CORE = 20000  # members the projection is fitted on at most (seeded sample): covariance cost grows with them


def group_sums(values: np.ndarray, column: np.ndarray, count: int) -> np.ndarray:
    """Per group (``column``: each row's group number 0..count-1) the sum of its rows: one sparse product
    instead of a pass over all rows per group (thousands of entries on a large forum)."""
    indicator = sp.csr_matrix((np.ones(len(column), dtype=values.dtype), (column, np.arange(len(column)))), shape=(count, len(column)))
    return np.asarray(indicator @ values)


def confident_members(points: np.ndarray, labels: np.ndarray, margin: float) -> np.ndarray:
    """Indices of grouped points whose own centre is at least ``margin`` more similar than any other."""
    members = np.flatnonzero(labels >= 0)
    groups = np.unique(labels[members])
    if len(groups) < 2:
        return np.zeros(0, dtype=int)
    column = np.searchsorted(groups, labels[members])
    centres = l2_normalize(group_sums(points[members], column, len(groups)))
    similarity = points[members] @ centres.T
    own = similarity[np.arange(len(members)), column]
    similarity[np.arange(len(members)), column] = -np.inf
    return members[own - similarity.max(axis=1) >= margin]


def within_whitening(points: np.ndarray, labels: np.ndarray, shrinkage: float, shared: float | None = None) -> np.ndarray:
    """Sw^(-1/2) of the shrunk within-group covariance: every direction kept, those that vary inside
    groups shrunk (the projection's alternative to keeping only the discriminant directions).

    ``shared`` (0..1): a direction is stretched (variance below the average) only when its within-group
    variance is spread over at least this share of the groups (effective number of groups carrying
    it). A word only a few entries use barely varies inside all the others, so the pooled estimate
    calls it quiet and whitening would blow it up: a product name two entries share would then
    outweigh the intent words that tell them apart. Such directions keep the average variance."""
    groups, column = np.unique(labels, return_inverse=True)
    means = group_sums(points, column, len(groups)) / np.bincount(column)[:, None]
    inside = points - means[column]
    covariance = inside.T @ inside / len(points)
    scale = np.trace(covariance) / len(covariance)
    covariance = (1 - shrinkage) * covariance + shrinkage * scale * np.eye(len(covariance))
    values, vectors = np.linalg.eigh(covariance)
    if shared is not None:
        along = (inside @ vectors) ** 2
        per_group = group_sums(along, column, len(groups))
        spread = per_group.sum(axis=0) ** 2 / np.maximum((per_group ** 2).sum(axis=0), 1e-24) / len(groups)
        values = np.where(spread >= shared, values, np.maximum(values, scale))
    return ((vectors / np.sqrt(np.maximum(values, 1e-12))) @ vectors.T).astype(np.float32)


class GroupProjection:
    """Points -> [sqrt(1 - mix) * points, sqrt(mix) * projection], unit length (``mix`` 1: the projection alone).

    The projection: the within-group whitening (``whiten``) or the discriminant directions.

    ``fit(points, labels)`` learns the projection from the confident members of ``labels``' groups
    (-1 = none); with fewer than two such groups of two it learns nothing and ``transform`` is the
    identity. ``shrinkage`` (0..1) pulls the within-group covariance towards a multiple of the
    identity: with a few hundred questions in a few hundred dimensions the unshrunk estimate is
    singular and would stretch noise. ``shared``: see ``within_whitening``; None stretches every quiet direction.
    """

    def __init__(self, shrinkage: float = 0.2, margin: float = 0.05, mix: float = 1.0, seed: int = 0,
                 whiten: bool = True, shared: float | None = 0.25):
        self.shrinkage = shrinkage
        self.shared = shared  # stretch only directions whose within-group variance this share of groups carries
        self.whiten = whiten
        self.margin = margin
        self.mix = mix
        self.seed = seed

    def fit(self, points: np.ndarray, labels: np.ndarray) -> "GroupProjection":
        labels = np.asarray(labels)
        core = confident_members(points, labels, self.margin)
        groups, counts = np.unique(labels[core], return_counts=True)
        core = core[np.isin(labels[core], groups[counts >= 2])]
        self.scalings_ = None
        if len(np.unique(labels[core])) < 2:
            log.debug("projection not fitted: fewer than two confident groups")
            return self
        if len(core) > MAX_CORE:
            core = np.sort(np.random.default_rng(self.seed).choice(core, size=MAX_CORE, replace=False))
        self.mean_ = points[core].mean(axis=0).astype(np.float32)  # centred, so cosine compares directions from the forum's middle
        self.core_ = len(core)
        if self.whiten:
            self.scalings_ = within_whitening(points[core].astype(np.float64), labels[core], self.shrinkage, self.shared)
            return self
        lda = LinearDiscriminantAnalysis(solver="eigen", shrinkage=self.shrinkage)
        lda.fit(points[core].astype(np.float64), labels[core])
        width = min(len(lda.classes_) - 1, points.shape[1])
        self.scalings_ = lda.scalings_[:, :width].astype(np.float32)
        log.debug("projection fitted on %d confident members of %d groups", len(core), len(lda.classes_))
        return self

    def transform(self, points: np.ndarray) -> np.ndarray:
        if getattr(self, "scalings_", None) is None:
            return points
        projected = l2_normalize((points - self.mean_) @ self.scalings_)
        if self.mix >= 1:
            return projected.astype(np.float32)
        return np.hstack([np.sqrt(1 - self.mix) * points, np.sqrt(self.mix) * projected]).astype(np.float32)

    def detail(self, blocks: list | None, points: np.ndarray) -> list | None:
        """``AutoCluster``'s full-resolution blocks for the transformed points: the original blocks,
        scaled as the original part is, beside the projected part."""
        if blocks is None or getattr(self, "scalings_", None) is None:
            return blocks
        projected = self.transform(points)[:, points.shape[1]:] if self.mix < 1 else self.transform(points)
        if self.mix >= 1:
            return [projected]
        return [np.sqrt(1 - self.mix) * b for b in blocks] + [projected]
