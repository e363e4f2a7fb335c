"""A fixed map of sentence vectors towards what makes two school-messenger questions the same FAQ entry.

A general-purpose sentence model places questions by everything they say: the platform named, the
speaker (parent, teacher, school leader), the tone. Whether two questions share an FAQ answer turns
on fewer directions (the intent: allowed or not, which device, who must consent, ...). This project's
own labelled sets (same-answer entries written for development, and the bundled forum's gold
entries) show which directions vary *inside* an entry; whitening their shrunk within-entry
covariance shrinks those and keeps every other direction. Unlike the projection fitted on a forum's
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
# chosen on the own sets, each measured with a map fitted without it (benchmarks/README.md)
SHRINKAGE = 0.5
MIX = 0.3  # the map's share: cosine in the map's space moves part of the way from the model's own


def path_for(model_id: str) -> Path:
    """Where the shipped map of this sentence model's vectors lies."""
    return DATA / f"domain-{model_id}.npz"


def centred(vectors: np.ndarray) -> np.ndarray:
    """Rows with their set's mean removed, unit length: how the FAQ step sees a forum's vectors."""
    rows = vectors - vectors.mean(axis=0)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)


def fit_map(sets: list[tuple[np.ndarray, list]], shrinkage: float = SHRINKAGE, mix: float = MIX) -> np.ndarray:
    """The map from labelled sets: (raw vectors, entry label per row) each; labels are per set, so two
    sets' entries never pool. Each set is centred on its own, as the FAQ step centres each forum.

    ``mix`` blends the whitening with the identity (the whitening scaled to the identity's mean
    eigenvalue first): the whitening alone also splits entries whose wording varies much, so the
    model's own similarity keeps a share."""
    points = np.vstack([centred(np.asarray(vectors, dtype=np.float64)) for vectors, _ in sets])
    labels = np.concatenate([[f"{n}\0{label}" for label in labels] for n, (_, labels) in enumerate(sets)])
    whitening = within_whitening(points, labels, shrinkage).astype(np.float64)
    whitening /= np.trace(whitening) / len(whitening)
    return ((1 - mix) * np.eye(len(whitening)) + mix * whitening).astype(np.float32)


def save(path: Path, matrix: np.ndarray, model_id: str, about: dict) -> None:
    np.savez_compressed(path, matrix=matrix.astype(np.float32), model=np.array(model_id),
                        about=np.array(json.dumps(about, ensure_ascii=False)))


def load(model_id: str, path: Path | None = None) -> np.ndarray | None:
    """The shipped map for this model, or None (another model, or no file): vectors then stay as they are."""
    path = path or path_for(model_id)
    if not path.is_file():
        return None
    with np.load(path) as data:
        if str(data["model"]) != model_id:
            return None
        return data["matrix"].astype(np.float32)


def apply(rows: np.ndarray, matrix: np.ndarray | None) -> np.ndarray:
    """Centred unit rows through the map, unit length again (cosine in the mapped space)."""
    if matrix is None:
        return rows
    mapped = rows @ matrix
    norms = np.linalg.norm(mapped, axis=1, keepdims=True)
    return (mapped / np.where(norms == 0, 1, norms)).astype(np.float32)
