"""The questions step (I/O edge): stored posts -> ``questions`` rows and thread relevance.

Incremental and idempotent. Each thread's fingerprint (title, starter, every post's text and
deleted flag, extractor version) is kept in ``mining_state``; only threads whose fingerprint changed
are re-extracted, and then only questions whose text changed are written: a question keeps its id
(post id + hash of its normalised text) and its ``faq_id`` as long as its words stay the same.
Relevance is re-scored for all threads every run (the expansion model learns from the whole corpus)
but written only where it changed, so a second run over the same data writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
from itertools import groupby
from typing import Iterable

from miner import questions as qx
from miner import relevance as rel
from miner import store

log = logging.getLogger(__name__)

EXTRACTOR_VERSION = "3"  # bump when the rules change: every thread is re-extracted once
QUESTION_FIELDS = ("forum", "thread", "post", "position", "text", "kind", "asked_by_starter", "in_first_post",
                   "in_reply", "asked_at")


def thread_fingerprint(thread: dict, posts: list[dict]) -> str:
    """What extraction depends on, hashed: any edit, new post or deletion changes it."""
    digest = hashlib.sha1(f"{EXTRACTOR_VERSION}\x1f{thread.get('title')}\x1f{thread.get('starter')}".encode())
    for post in posts:
        digest.update(f"\x1e{post['id']}\x1f{post.get('post_number')}\x1f{post.get('author')}\x1f"
                      f"{post.get('deleted')}\x1f{post.get('text')}".encode())
    return digest.hexdigest()


def _posts_by_thread(rows: Iterable[dict]) -> dict[str, list[dict]]:
    return {thread: list(posts) for thread, posts in groupby(rows, key=lambda r: r["thread"])}


def _progress(iterable, enabled: bool, **kwargs):
    if not enabled:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, **kwargs)


def extract_questions_into(db, *, thread_ids: Iterable[str] | None = None, progress: bool = False,
                           vocabulary: rel.Vocabulary | None = None) -> dict:
    """Extract questions of new or edited threads and re-score relevance; returns counts of what changed."""
    vocabulary = vocabulary or rel.load_vocabulary()
    selected = None if thread_ids is None else set(thread_ids)
    threads = store.load_threads_for_mining(db)
    posts_by_thread = _posts_by_thread(store.iter_posts_for_mining(db))
    state = store.load_mining_state(db)
    stored = store.load_questions_by_thread(db)
    summary = {"threads": len(threads), "threads_extracted": 0, "posts_processed": 0, "questions_added": 0,
               "questions_removed": 0, "questions_unchanged": 0, "threads_relevance_changed": 0,
               "questions_relevance_changed": 0}

    for thread in _progress(threads, progress, desc="questions", unit="thread"):
        if selected is not None and thread["id"] not in selected:
            continue
        posts = posts_by_thread.get(thread["id"], [])
        fingerprint = thread_fingerprint(thread, posts)
        if state.get(thread["id"]) == fingerprint:
            continue
        rows = qx.extract_thread_questions(thread, posts)
        old = stored.get(thread["id"], {})
        new = {row["id"]: row for row in rows}
        upsert = []
        for qid, row in new.items():
            previous = old.get(qid)
            if previous and all(previous.get(f) == row.get(f) for f in QUESTION_FIELDS):
                summary["questions_unchanged"] += 1
                continue
            if previous is None:
                row["extracted_at"] = store.now()
                summary["questions_added"] += 1
            upsert.append(row)
        delete = [qid for qid in old if qid not in new]
        summary["questions_removed"] += len(delete)
        summary["threads_extracted"] += 1
        summary["posts_processed"] += len(posts)
        with db.conn:
            store.save_thread_questions(db, thread["id"], upsert, delete, {
                "thread": thread["id"], "fingerprint": fingerprint, "posts": len(posts),
                "questions": len(new), "mined_at": store.now()})
        stored[thread["id"]] = {**{k: v for k, v in old.items() if k in new}, **new}

    _update_relevance(db, threads, posts_by_thread, stored, vocabulary, summary)
    log.info("questions step: %s", summary)
    return summary


def _update_relevance(db, threads: list[dict], posts_by_thread: dict[str, list[dict]],
                      stored: dict[str, dict[str, dict]], vocabulary: rel.Vocabulary, summary: dict) -> None:
    """Re-score every thread and question; write only the values that changed."""
    inputs = []
    for thread in threads:
        posts = [p for p in posts_by_thread.get(thread["id"], []) if not p.get("deleted")]
        first = next((p.get("text") or "" for p in posts if p.get("post_number") == 1), "")
        inputs.append({"id": thread["id"], "title": thread.get("title") or "", "first_post": first,
                       "replies": [p.get("text") or "" for p in posts if p.get("post_number") != 1]})
    scores = rel.score_threads(inputs, vocabulary)
    thread_updates, question_updates = [], []
    for thread in threads:
        result = scores[thread["id"]]
        row = {"id": thread["id"], "relevant": result["relevant"], "relevance": result["relevance"],
               "relevance_reason": result["relevance_reason"],
               "messengers": json.dumps(result["messengers"], ensure_ascii=False)}
        if any(thread.get(k) != v for k, v in row.items()):
            thread_updates.append(row)
        for qid, question in stored.get(thread["id"], {}).items():
            qrel = rel.question_relevance(question["text"], result, vocabulary)
            if any(question.get(k) != v for k, v in qrel.items()):
                question_updates.append({"id": qid, **qrel})
    with db.conn:
        store.save_relevance(db, "threads", thread_updates)
        store.save_relevance(db, "questions", question_updates)
    summary["threads_relevance_changed"] = len(thread_updates)
    summary["questions_relevance_changed"] = len(question_updates)
