"""What moderators' commands read and write: links between threads and FAQ entries, the queue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlite_utils

from miner.store.connection import now
from miner.store.rows import first_row


QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"


def load_sql(name: str) -> str:
    """A named SQL file from miner/queries (shared with Datasette canned queries)."""
    return (QUERIES_DIR / f"{name}.sql").read_text()


def find_thread_link(
    db: sqlite_utils.Database, thread_url: str, faq_id: int, thread: str | None = None
) -> dict | None:
    """The link between a thread and an FAQ entry, found by URL or by thread id."""
    return first_row(
        db,
        """select * from thread_links where faq_id = :faq_id
           and (thread_url = :url or (:thread is not null and thread = :thread))
           order by id limit 1""",
        {"faq_id": faq_id, "url": thread_url, "thread": thread},
    )


def load_thread_link(db: sqlite_utils.Database, link_id: int) -> dict:
    return db["thread_links"].get(link_id)


def save_thread_link(
    db: sqlite_utils.Database,
    thread_url: str,
    faq_id: int,
    linked_by: str,
    reply_url: str | None = None,
    *,
    thread: str | None = None,
    reply_status: str | None = None,
) -> int:
    """Record that a thread was answered by an FAQ entry; repeats are harmless (unique
    (thread_url, faq_id)): the first who/when stays, a reply URL or status given later is added."""
    if thread is None:
        row = first_row(db, "select id from threads where url = ?", [thread_url])
        thread = row["id"] if row else None
    with db.conn:
        existing = find_thread_link(db, thread_url, faq_id, thread)
        if existing is None:
            db.execute(
                """insert into thread_links (thread_url, thread, faq_id, linked_by, linked_at, reply_url, reply_status)
                   values (?, ?, ?, ?, ?, ?, ?) on conflict (thread_url, faq_id) do nothing""",
                [thread_url, thread, faq_id, linked_by, now(), reply_url,
                 reply_status or ("posted" if reply_url else None)],
            )
            existing = find_thread_link(db, thread_url, faq_id, thread)
        else:
            changes: dict[str, Any] = {}
            if reply_url:
                changes["reply_url"] = reply_url
            if reply_status is not None or reply_url:
                changes["reply_status"] = reply_status or "posted"
            if thread and not existing["thread"]:
                changes["thread"] = thread
            if changes:
                db["thread_links"].update(existing["id"], changes)
    return existing["id"]


def clear_reply_attempt(db: sqlite_utils.Database, link_id: int) -> None:
    """Forget a reply attempt that certainly created nothing, so it may be tried again."""
    with db.conn:
        db.execute(
            "update thread_links set reply_status = null where id = ? and reply_url is null", [link_id]
        )


def moderator_queue(db: sqlite_utils.Database, since: str | None = None, limit: int = 100) -> list[dict]:
    """Recent threads whose questions match an entry with a published answer but no link yet,
    best matches first (the same SQL as the Datasette canned query)."""
    return list(db.query(load_sql("moderator_queue"), {"since": since or ""}))[:limit]
