"""Vectorise and reduce: normalised question text -> dense points where cosine means "same topic".

Two steps of the FAQ pipeline (``miner.cluster``): ``HybridVectorizer`` (word stems + character
n-grams, optional thread context) and ``LSA`` (TruncatedSVD + L2, seeded).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize as l2_normalize
from threadpoolctl import threadpool_limits

from miner import stem_weights
from miner.normalize import stem_tokens


class HybridVectorizer:
    """Word-stem TF-IDF beside character n-gram TF-IDF (for compounds), each L2-normalised then weighted.

    ``contexts`` (thread title, accepted answer, ...) are added with ``context_weight``: they say
    what a terse question is about, without outweighing the question itself. The terser the
    question, the more its thread decides: with fewer than ``terse_words`` content words the
    weight grows as ``terse_words / words`` ("Und bei Klassenfahrten?" is about its thread; a
    full question speaks for itself). On the bundled forum this took entry purity from 0.80 to
    0.91 and V-measure against the labelled topics from 0.70 to 0.82. Both feature sets are
    computed per distinct word and summed per text through a sparse text x word matrix (identical
    to sklearn's ``char_wb`` on the text, and fast at 100k questions); unseen words in new texts
    still get their character n-grams.

    ``coherence`` (off by default, see benchmarks/README.md): fitted with the questions' sentence-model
    rows, it lowers the IDF of stems (and with ``coherence_chars`` of n-grams) whose questions are spread.

    ``stem_weights`` multiply the stems' IDF (``miner.stem_weights``, learned once from labelled sets):
    True, the weights shipped with the package; a dict (stem -> weight), those; False: IDF alone. Stems
    without a weight (a new forum's own words) keep their IDF.
    """

    stem_weights_ = 0  # stems whose IDF a weight changed; a class default, so models saved before load

    def __init__(self, char_weight: float = 0.6, context_weight: float = 0.35, char_ngrams=(3, 5),
                 terse_words: int = 6, coherence: float = 0.0, coherence_floor: float = 0.25,
                 coherence_quantile: float = 0.5, coherence_chars: bool = False, stem_weights=False):
        self.char_weight = char_weight
        self.context_weight = context_weight
        self.terse_words = terse_words
        self.char_ngrams = char_ngrams
        self.coherence = coherence  # strength of ``coherence_factors`` on the stems' IDF; 0 = off
        self.coherence_floor = coherence_floor
        self.coherence_quantile = coherence_quantile
        self.coherence_chars = coherence_chars  # the character n-grams' IDF too
        self.stem_weights = stem_weights

    @staticmethod
    def _words(texts: list[str]) -> tuple[sp.csr_matrix, list[str]]:
        vocabulary: dict[str, int] = {}
        indptr, indices = [0], []
        for text in texts:
            for word in text.split():
                indices.append(vocabulary.setdefault(word, len(vocabulary)))
            indptr.append(len(indices))
        counts = sp.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr),
                               shape=(len(texts), len(vocabulary)))
        counts.sum_duplicates()
        return counts, list(vocabulary)

    def _stem_map(self, words: list[str]) -> sp.csr_matrix:
        cols = [self.stem_index_.get(stem_tokens(w)[0], -1) for w in words]
        rows = [i for i, c in enumerate(cols) if c >= 0]
        return sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, [cols[i] for i in rows])),
                             shape=(len(words), len(self.stem_index_)))

    def fit(self, texts: list[str], y=None, semantic: np.ndarray | None = None) -> "HybridVectorizer":
        """``semantic``: the texts' unit rows in a sentence model's (centred) space; with ``coherence``
        the stems whose questions are spread there weigh less (``coherence_factors``)."""
        counts, words = self._words(texts)
        self.stem_index_ = {}
        for word in sorted(words):  # columns by name, not by first use: the fit must not depend on the input order
            self.stem_index_.setdefault(stem_tokens(word)[0], len(self.stem_index_))
        self.char_counter_ = CountVectorizer(analyzer="char_wb", ngram_range=tuple(self.char_ngrams),
                                             lowercase=False, dtype=np.float32)
        char_words = self.char_counter_.fit_transform(words or [""]) if words else None
        word_counts = counts @ self._stem_map(words)
        char_counts = (counts @ char_words) if words else sp.csr_matrix((len(texts), 1), dtype=np.float32)
        min_df = 2 if len(texts) > 50 else 1
        self.char_keep_ = np.flatnonzero(np.asarray((char_counts > 0).sum(axis=0)).ravel() >= min_df)
        self.word_tfidf_ = TfidfTransformer(sublinear_tf=True).fit(word_counts)
        self.char_tfidf_ = TfidfTransformer(sublinear_tf=True).fit(char_counts[:, self.char_keep_])
        self._weigh_stems()
        if self.coherence and semantic is not None and len(texts) > 2:
            self._weigh_by_coherence(self.word_tfidf_, word_counts, semantic)
            if self.coherence_chars:
                self._weigh_by_coherence(self.char_tfidf_, char_counts[:, self.char_keep_], semantic)
        return self

    def _weigh_stems(self) -> None:
        """Multiply each stem's IDF by its learned weight (1 for stems the weights do not know)."""
        chosen = getattr(self, "stem_weights", False)
        weights = stem_weights.load() if chosen is True else (chosen or {})
        factors = np.ones(len(self.stem_index_))
        for stem, column in self.stem_index_.items():
            factors[column] = weights.get(stem, 1.0)
        self.stem_weights_ = int((factors != 1.0).sum())
        if self.stem_weights_:
            self.word_tfidf_.idf_ = (self.word_tfidf_.idf_ * factors).astype(self.word_tfidf_.idf_.dtype)

    def _weigh_by_coherence(self, tfidf: TfidfTransformer, counts: sp.csr_matrix, semantic: np.ndarray) -> None:
        factors = coherence_factors(*term_coherence(counts, semantic), self.coherence, self.coherence_floor,
                                    self.coherence_quantile)
        tfidf.idf_ = (tfidf.idf_ * factors).astype(tfidf.idf_.dtype)

    def _one(self, texts: list[str]) -> sp.csr_matrix:
        counts, words = self._words(texts)
        if words:
            word_counts = counts @ self._stem_map(words)
            char_counts = (counts @ self.char_counter_.transform(words))[:, self.char_keep_]
        else:
            word_counts = sp.csr_matrix((len(texts), len(self.stem_index_)), dtype=np.float32)
            char_counts = sp.csr_matrix((len(texts), len(self.char_keep_)), dtype=np.float32)
        word_part = l2_normalize(self.word_tfidf_.transform(word_counts))
        char_part = l2_normalize(self.char_tfidf_.transform(char_counts)) * self.char_weight
        return sp.hstack([word_part, char_part], format="csr", dtype=np.float32)

    def contexts(self, contexts: list[str]) -> tuple[sp.csr_matrix, np.ndarray]:
        """Features of each distinct context once (a thread's context is shared by its questions):
        the matrix of distinct contexts and, per input, its row."""
        distinct: dict[str, int] = {}
        rows = np.array([distinct.setdefault(c or "", len(distinct)) for c in contexts], dtype=np.int64)
        return self._one(list(distinct)), rows

    def context_weights(self, texts: list[str]) -> np.ndarray:
        """Weight of each (normalised) text's thread context: ``context_weight``, more for terse texts."""
        return np.array([self.context_weight * max(1.0, self.terse_words / max(len(t.split()), 1))
                         for t in texts], dtype=np.float32)

    def transform(self, texts: list[str], contexts: list[str] | None = None,
                  context_features: tuple[sp.csr_matrix, np.ndarray] | None = None) -> sp.csr_matrix:
        """``context_features``: ``contexts(contexts)`` computed already (saves vectorising them twice)."""
        matrix = self._one(texts)
        if contexts is not None and self.context_weight > 0 and any(contexts):
            weights = self.context_weights(texts)
            distinct, rows = context_features or self.contexts(contexts)
            matrix = matrix + sp.diags(weights) @ distinct[rows]
        return l2_normalize(matrix)


def term_coherence(counts: sp.csr_matrix, points: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Per term (column of ``counts``): the average pairwise cosine of the texts that contain it, in the
    space of ``points`` (unit rows), and how many texts that is; beside them the corpus's own average.

    For unit rows the squared length of their sum is ``n`` plus twice the sum of the pairwise cosines,
    so one sparse (terms x texts) @ (texts x dim) product gives every term's average at once.
    """
    presence = (sp.csc_matrix(counts) > 0).astype(np.float32)
    df = np.asarray(presence.sum(axis=0)).ravel().astype(np.float64)
    points = np.asarray(points, dtype=np.float32)
    squares = np.empty(len(df))
    for start in range(0, len(df), 20_000):  # a block of terms at a time: character n-grams run to 100,000s
        sums = np.asarray(presence[:, start:start + 20_000].T @ points, dtype=np.float64)
        squares[start:start + len(sums)] = (sums ** 2).sum(axis=1)
    pairs = df * (df - 1)
    average = np.divide(squares - df, pairs, out=np.zeros_like(df), where=pairs > 0)
    total = np.asarray(points, dtype=np.float64).sum(axis=0)
    n = len(points)
    return average, df, (float(total @ total) - n) / max(n * (n - 1), 1)


def coherence_factors(average: np.ndarray, df: np.ndarray, baseline: float, strength: float, floor: float,
                      quantile: float = 0.5) -> np.ndarray:
    """A factor per term for its IDF: 1 for a term whose texts are as alike as the texts sharing a term
    usually are (``quantile`` of the terms in three texts or more), lower the closer they are to two
    random texts of the corpus (``baseline``), as ``relative ** strength`` clipped at ``floor``.

    A word every topic uses is rare enough for a high IDF, yet the questions holding it are about
    different things: IDF measures how rare a word is, this how much its questions agree. The scale
    comes from the corpus itself, so no threshold is absolute. Terms in fewer than three texts keep
    their IDF: one pair says little.
    """
    shared = df >= 3
    factors = np.ones(len(df))
    if not shared.any():
        return factors
    typical = float(np.quantile(average[shared], quantile))
    if typical <= baseline:
        return factors
    relative = np.clip((average - baseline) / (typical - baseline), 0.0, 1.0)
    factors[shared] = np.maximum(relative[shared] ** strength, floor)
    return factors


def canonical_rows(matrix, seed: int = 0) -> np.ndarray:
    """An order of the rows that depends on their content only (equal rows are interchangeable).

    The randomized SVD draws its random matrix per row when there are fewer rows than columns, so
    the same texts in another order would give another reduction, and another grouping.
    """
    direction = np.random.default_rng(seed).standard_normal(matrix.shape[1])
    return np.argsort(np.asarray(matrix @ direction).ravel(), kind="stable")


class LSA:
    """TruncatedSVD to a dense, L2-normalised space where cosine = dot product (seeded).

    ``per_row`` caps the directions at that share of the rows (but not below ``floor``): a fixed width
    keeps almost every direction of a forum of a few hundred questions, which is raw TF-IDF again, and
    paraphrases no longer meet.
    """

    def __init__(self, n_components: int = 120, seed: int = 0, per_row: float | None = None, floor: int = 50):
        self.n_components = n_components
        self.seed = seed
        self.per_row = per_row
        self.floor = floor

    def available(self, rows: int, columns: int) -> int:
        """The width without the cap: every direction a matrix this small has, at most ``n_components``."""
        return min(self.n_components, columns - 1, rows - 1)

    def width(self, rows: int, columns: int) -> int:
        """How many directions a matrix of this shape is reduced to."""
        k = self.available(rows, columns)
        return min(k, max(self.floor, round(self.per_row * rows))) if self.per_row else k

    def fit(self, matrix, y=None) -> "LSA":
        k = self.width(*matrix.shape)
        self.svd_ = TruncatedSVD(n_components=k, random_state=self.seed, algorithm="randomized", n_iter=2) if k >= 2 else None
        if self.svd_ is not None:
            # small inputs: threaded BLAS only adds contention (seconds instead of milliseconds on a busy box)
            with threadpool_limits(limits=1 if matrix.shape[0] < 20_000 else None, user_api="blas"):
                rows = sp.csr_matrix(matrix)
                if not rows.has_sorted_indices:  # same sums in the same order, whatever the input order
                    rows = rows.sorted_indices()
                rows = rows[canonical_rows(rows, self.seed)]
                self.svd_.fit(rows)
                del rows
            self.svd_.components_ = self.svd_.components_.astype(np.float32)  # half the size of the saved model
        return self

    def transform(self, matrix) -> np.ndarray:
        dense = self.svd_.transform(matrix) if self.svd_ is not None else matrix.toarray()
        return l2_normalize(dense.astype(np.float32))
