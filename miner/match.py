"""Rank active FAQ entries for a pasted text (moderators' lookup, Datasette search box).

Why the same representation as the FAQ step: an entry is a group of questions in the pipeline's
vector space, so a new text is compared with the entries' centroids in that very space
(``FaqPipeline.embed``), not with a separate keyword search that would disagree with the groups.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from miner import store
from miner.cluster import FaqPipeline
from miner.embed import semantic_backend
from miner.normalize import stem_tokens


class Matcher:
    """Fitted on the stored entries; ``rank`` answers many lookups without touching the database."""

    def __init__(self, seed: int = 0, semantic: bool = False, cache=None):
        self.seed = seed
        self.semantic = semantic
        self.cache = cache  # vectors stored by `miner mine --semantic` (``store.EmbeddingCache``)

    def fit(self, texts: list[str], contexts: list[str], faq_ids: list[int], titles: dict[int, str]) -> "Matcher":
        self.titles_ = dict(titles)
        self.pipeline_ = FaqPipeline(seed=self.seed, semantic=semantic_backend(self.semantic, cache=self.cache))
        points = self.pipeline_.fit_embed(texts, contexts) if texts else np.zeros((0, 1))
        self.pipeline_._context_features = None  # only the FAQ step's context check needs them
        self.ids_ = sorted(set(faq_ids))
        rows = defaultdict(list)
        for i, fid in enumerate(faq_ids):
            rows[fid].append(i)
        centroids = [points[rows[fid]].mean(axis=0) for fid in self.ids_]
        self.centroids_ = np.array([c / (np.linalg.norm(c) or 1.0) for c in centroids]) if centroids else np.zeros((0, 1))
        normalized = self.pipeline_.normalized_ if texts else []
        self.terms_ = {}
        for fid in self.ids_:
            counts = Counter(s for i in rows[fid] for s in set(stem_tokens(normalized[i])))
            self.terms_[fid] = {s for s, n in counts.items() if n >= 2 or n * 5 >= len(rows[fid])}
        return self

    def rank(self, text: str, top: int = 3, context: str | None = None) -> list[dict]:
        """Best entries first: ``faq_id, title, score`` (cosine, 0..1) and ``shared_terms`` (words in common).

        ``context``: the thread's title and answer when the text is a question of a stored thread,
        weighted as the FAQ step weights it for the entries' own questions (terse ones lean on it)."""
        if not self.ids_ or not (text or "").strip():
            return []
        point = self.pipeline_.embed([text], [context] if context else None)[0]
        scores = np.clip(self.centroids_ @ point, 0.0, 1.0)
        words = self.pipeline_.normalizer_.normalize(text).split()
        stems = {}
        for word in words:
            stems.setdefault(stem_tokens(word)[0] if stem_tokens(word) else word, word)
        result = []
        for i in np.argsort(-scores, kind="stable")[:top]:
            fid = self.ids_[i]
            shared = [stems[s] for s in stems if s in self.terms_[fid]]
            result.append({"faq_id": int(fid), "title": self.titles_.get(fid, ""), "score": round(float(scores[i]), 4),
                           "shared_terms": shared})
        return result


def load_matcher(db, *, seed: int | None = None, semantic: bool | None = None) -> Matcher:
    """Fit a matcher on the active entries stored in ``db`` (same pipeline and context as ``update_faqs``).

    ``seed`` and ``semantic`` default to what the last mining run used (``mining_runs.options``), so
    ``miner suggest`` compares a text with the entries in the space they were built in.
    """
    options = store.last_mining_options(db)
    seed = int(options.get("seed", 0)) if seed is None else seed
    semantic = bool(options.get("semantic", False)) if semantic is None else semantic
    members = store.load_live_faq_members(db)
    contexts = store.load_thread_contexts(db, (m["thread"] for m in members))
    titles = {row["id"]: row["title"] for row in store.load_faqs(db).values() if row["status"] == "active"}
    return Matcher(seed=seed, semantic=semantic, cache=store.EmbeddingCache(db)).fit([m["text"] for m in members], [contexts.get(m["thread"], "") for m in members],
                                  [m["faq_id"] for m in members], titles)
