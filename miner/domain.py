"""A fixed map of sentence vectors towards what makes two school-messenger questions the same FAQ entry.

A general-purpose sentence model places questions by everything they say: the platform named, the
speaker (parent, teacher, school leader), the tone. Whether two questions share an FAQ answer turns
on fewer directions (the intent: allowed or not, which device, who must consent, ...). This project's
own labelled sets (same-answer entries written for development, and the bundled forum's gold
entries) show which directions tell entries apart: the shipped map (``Discriminants``) puts those
directions (shrunk linear discriminant analysis) beside each vector, with a share of the cosine; the
alternative (``fit_map``) whitens what varies inside entries. Unlike the projection fitted on a forum's
own first grouping (``miner.adapt``), this one is learned from real labels, once, and shipped
(``miner/data/domain-<model>.npz``, made by ``benchmarks/make_domain_projection.py``); it is tied to
the sentence model whose vectors it was fitted on and is not used with any other.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from miner.adapt import within_whitening

DATA = Path(__file__).resolve().parent / "data"
# chosen on the own sets dev, dev2 and the forum, each measured with a map fitted without it
# (benchmarks/README.md): the shipped map is ``Discriminants``; the whitening (``fit_map``) is the alternative
SHRINKAGE = 0.3  # of the within-entry covariance, for the discriminants
MIX = 0.4  # the discriminant part's share of the cosine
COMPONENTS = 60  # discriminant directions kept at most
WHITENING_SHRINKAGE = 0.5
WHITENING_MIX = 0.3


def path_for(model_id: str) -> Path:
    """Where the shipped map of this sentence model's vectors lies."""
    return DATA / f"domain-{model_id}.npz"


def centred(vectors: np.ndarray) -> np.ndarray:
    """Rows with their set's mean removed, unit length: how the FAQ step sees a forum's vectors."""
    return _unit(vectors - vectors.mean(axis=0))


def pooled(sets: list[tuple[np.ndarray, list]]) -> tuple[np.ndarray, np.ndarray]:
    """Labelled sets as one: each set centred on its own (as the FAQ step centres each forum), labels made
    per set, so two sets' entries never pool."""
    points = np.vstack([centred(np.asarray(vectors, dtype=np.float64)) for vectors, _ in sets])
    labels = np.concatenate([[f"{n}\0{label}" for label in labels] for n, (_, labels) in enumerate(sets)])
    return points, labels


def fit_map(sets: list[tuple[np.ndarray, list]], shrinkage: float = WHITENING_SHRINKAGE, mix: float = WHITENING_MIX) -> np.ndarray:
    """The map from labelled sets: (raw vectors, entry label per row) each; labels are per set, so two
    sets' entries never pool. Each set is centred on its own, as the FAQ step centres each forum.

    ``mix`` blends the whitening with the identity (the whitening scaled to the identity's mean
    eigenvalue first): the whitening alone also splits entries whose wording varies much, so the
    model's own similarity keeps a share."""
    points, labels = pooled(sets)
    whitening = within_whitening(points, labels, shrinkage).astype(np.float64)
    whitening /= np.trace(whitening) / len(whitening)
    return ((1 - mix) * np.eye(len(whitening)) + mix * whitening).astype(np.float32)


class Discriminants:
    """Rows -> [sqrt(1 - mix) * rows, sqrt(mix) * their discriminant part], unit length.

    The discriminant part: the directions that best tell the own sets' entries apart (shrunk linear
    discriminant analysis), as unit rows. The rows themselves keep ``1 - mix`` of the cosine, so a topic the
    own sets never had is still compared by the model's own similarity."""

    def __init__(self, scalings: np.ndarray, mix: float):
        self.scalings = np.asarray(scalings, dtype=np.float32)
        self.mix = float(mix)

    def transform(self, rows: np.ndarray, mix=None) -> np.ndarray:
        """``mix``: the discriminant part's share, one for all rows or one per row; None: the map's own."""
        part = _unit(rows @ self.scalings)
        mix = np.asarray(self.mix if mix is None else mix, dtype=np.float32).reshape(-1, 1)
        return _unit(np.hstack([np.sqrt(1 - mix) * rows, np.sqrt(mix) * part])).astype(np.float32)


def fit_discriminants(sets: list[tuple[np.ndarray, list]], shrinkage: float = SHRINKAGE, components: int = COMPONENTS,
                      mix: float = MIX) -> Discriminants:
    """``Discriminants`` from labelled sets (as ``fit_map``: each set centred on its own, entries never pooled
    across sets), at most ``components`` directions (fewer when there are fewer entries)."""
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

    points, labels = pooled(sets)
    count = min(components, len(set(labels.tolist())) - 1, points.shape[1])
    model = LinearDiscriminantAnalysis(solver="eigen", shrinkage=shrinkage, n_components=count).fit(points, labels)
    return Discriminants(model.scalings_[:, :count], mix)


def save(path: Path, chosen, model_id: str, about: dict) -> None:
    """A whitening matrix (``fit_map``) or ``Discriminants``, for the sentence model ``model_id``."""
    if isinstance(chosen, Discriminants):
        arrays = {"kind": np.array("discriminants"), "scalings": chosen.scalings, "mix": np.array(chosen.mix)}
    else:
        arrays = {"kind": np.array("whitening"), "matrix": np.asarray(chosen, dtype=np.float32)}
    np.savez_compressed(path, model=np.array(model_id), about=np.array(json.dumps(about, ensure_ascii=False)), **arrays)


def load(model_id: str, path: Path | None = None):
    """The shipped map for this model, or None (another model, or no file): vectors then stay as they are."""
    path = path or path_for(model_id)
    if not path.is_file():
        return None
    with np.load(path) as data:
        if str(data["model"]) != model_id:
            return None
        if "kind" in data and str(data["kind"]) == "discriminants":
            return Discriminants(data["scalings"], float(data["mix"]))
        return data["matrix"].astype(np.float32)


def _unit(rows: np.ndarray) -> np.ndarray:
    """Rows at unit length (zero rows stay zero), in their own precision."""
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)


def apply(rows: np.ndarray, chosen, mix=None) -> np.ndarray:
    """Centred unit rows through the map (a whitening matrix or ``Discriminants``), unit length again.
    ``mix``: the discriminant part's share for these rows (``Discriminants.transform``)."""
    if chosen is None:
        return rows
    if isinstance(chosen, Discriminants):
        return chosen.transform(rows, mix)
    return _unit(rows @ chosen).astype(np.float32)
