"""Scratch forums of one question per thread, the form a new user's forum gives and the dev-set
measurements (tests/suggest_devset.py and the benchmarks) build their databases from."""

from __future__ import annotations

from miner import store


def save_forum(db, forum: str, title: str) -> None:
    store.save_rows(db, "forums", [{"id": forum, "base_url": f"https://{forum}", "title": title}])


def save_question_thread(db, forum: str, topic_id: int, text: str, *, title: str, created_at: str, post_id: int,
                         answer: str = "", answer_post_id: int | None = None, question_id: str | None = None) -> None:
    """Thread ``topic_id``: ``text`` as its first post by a user of its own, ``answer`` (if any) as the
    second post. With ``question_id`` the text is also stored as the thread's question, judged relevant,
    for measurements of the FAQ step alone; without, question extraction decides."""
    thread, post = store.qualify(forum, topic_id), store.qualify(forum, post_id)
    store.save_rows(db, "threads", [{"id": thread, "forum": forum, "topic_id": topic_id, "title": title,
                                     "url": f"https://{forum}/t/{topic_id}", "created_at": created_at,
                                     "posts_count": 1 + bool(answer),
                                     **({"relevant": 1, "relevance": 1.0} if question_id else {})}])
    store.save_rows(db, "posts", [{"id": post, "forum": forum, "post_id": post_id, "thread": thread, "post_number": 1,
                                   "author": f"user-{topic_id - 1:010d}", "created_at": created_at, "text": text}])
    if answer:
        store.save_rows(db, "posts", [{"id": store.qualify(forum, answer_post_id), "forum": forum,
                                       "post_id": answer_post_id, "thread": thread, "post_number": 2,
                                       "author": "user-answer000", "created_at": created_at, "text": answer}])
    if question_id:
        store.save_rows(db, "questions", [{
            "id": question_id, "forum": forum, "thread": thread, "post": post, "position": 0, "text": text,
            "kind": "explicit", "asked_by_starter": 1, "in_first_post": 1, "in_reply": 0, "asked_at": created_at,
            "relevant": 1, "relevance": 1.0}])
