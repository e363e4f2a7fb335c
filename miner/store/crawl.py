"""What the scraper reads and writes: forums, categories, threads, posts, crawl state and runs."""

from __future__ import annotations

import sqlite3
from typing import Iterable

import sqlite_utils

from miner.store.rows import chunks, first_row, marks, save_rows, upsert


def save_forum(db: sqlite_utils.Database, row: dict) -> str:
    """Upsert a forum row, keeping first_scraped from the first time; returns its id."""
    existing = db["forums"].get(row["id"]) if db["forums"].count_where("id = ?", [row["id"]]) else None
    if existing and existing.get("first_scraped"):
        row = {**row, "first_scraped": existing["first_scraped"]}
    with db.conn:
        db["forums"].upsert(row, pk="id", alter=False)
    return row["id"]


def save_categories(db: sqlite_utils.Database, rows: list[dict]) -> None:
    with db.conn:
        save_rows(db, "categories", rows)


def load_crawl_states(db: sqlite_utils.Database, forum: str) -> dict[int, dict]:
    """topic_id -> crawl_state row, for deciding what changed since the last run."""
    return {row["topic_id"]: row for row in db["crawl_state"].rows_where("forum = ?", [forum])}


def load_post_ids(db: sqlite_utils.Database, thread: str) -> set[int]:
    """Post ids already stored for a thread (deleted ones included)."""
    return {row[0] for row in db.execute("select post_id from posts where thread = ?", [thread]).fetchall()}


def save_thread_crawl(
    db: sqlite_utils.Database,
    thread: dict,
    posts: list[dict],
    crawl: dict,
    deleted_post_ids: Iterable[int] = (),
) -> None:
    """One thread's rows and its crawl state in ONE transaction: a kill leaves all or nothing."""
    deleted = [f"{thread['forum']}:{pid}" for pid in deleted_post_ids]
    with db.conn:
        upsert(db, "threads", [thread])
        upsert(db, "posts", posts)
        for chunk in chunks(deleted):
            db.execute(f"update posts set deleted = 1 where id in ({marks(chunk)})", chunk)
        upsert(db, "crawl_state", [crawl])


def save_crawl_state(db: sqlite_utils.Database, crawl: dict) -> None:
    """Record a failed or gone thread (its error and attempts) without touching its data."""
    with db.conn:
        previous = db.execute("select attempts from crawl_state where thread = ?", [crawl["thread"]]).fetchone()
        if crawl.get("status") == "error":
            crawl = {**crawl, "attempts": (previous[0] or 0) + 1 if previous else 1}
        db["crawl_state"].upsert(crawl, pk="thread", alter=False)


def mark_thread_deleted(db: sqlite_utils.Database, thread: str) -> None:
    """A thread that is gone from the forum: flag its posts deleted (a later fetch clears the flag)."""
    with db.conn:
        db.execute("update posts set deleted = 1 where thread = ?", [thread])


def load_failed_topics(db: sqlite_utils.Database, forum: str) -> list[int]:
    """Topics whose last attempt failed: retried on the next run."""
    rows = db.execute(
        "select topic_id from crawl_state where forum = ? and status = 'error' order by topic_id", [forum]
    ).fetchall()
    return [row[0] for row in rows]


def start_scrape_run(db: sqlite_utils.Database, row: dict) -> int:
    with db.conn:
        return db["scrape_runs"].insert(row, alter=False).last_pk


def close_stale_runs(db: sqlite_utils.Database, forum: str) -> int:
    """Runs still marked running were killed (kill -9, power loss): mark them interrupted."""
    with db.conn:
        cursor = db.execute(
            "update scrape_runs set status = 'interrupted' where forum = ? and status = 'running'", [forum]
        )
    return cursor.rowcount


def finish_scrape_run(db: sqlite_utils.Database, run_id: int, row: dict) -> None:
    with db.conn:
        db["scrape_runs"].update(run_id, row, alter=False)


def load_high_water(db: sqlite_utils.Database, forum: str, scope: str) -> str | None:
    """Newest bumped_at covered by an earlier complete walk of this scope (or of the whole forum).

    Below this mark every listed topic was seen, so a later walk may stop at the first unchanged one.
    """
    row = db.execute(
        "select max(high_water) from scrape_runs where forum = ? and walk_complete = 1 and (scope = ? or scope = 'all')",
        [forum, scope],
    ).fetchone()
    return row[0] if row else None


def forum_ids(db: sqlite_utils.Database) -> list[str]:
    """The ids of every forum in the database."""
    return [row[0] for row in db.execute("select id from forums order by id").fetchall()]


def load_forum(db: sqlite_utils.Database, forum_id: str) -> dict | None:
    return first_row(db, "select * from forums where id = ?", [forum_id])


def load_forums(db: sqlite_utils.Database) -> list[dict]:
    """Every forum row, by id."""
    return list(db.query("select * from forums order by id"))


def page_engine_forums(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(id, base_url, engine) of every forum read through an engine other than Discourse; none
    in a database without a forums table (or without its engine column)."""
    try:
        return conn.execute("select id, base_url, engine from forums where coalesce(engine, 'discourse') != 'discourse'"
                            " and base_url is not null").fetchall()
    except sqlite3.OperationalError:
        return []


def data_version(conn: sqlite3.Connection) -> int:
    """SQLite's counter of commits made by other connections (a cheap "has anything changed?")."""
    return conn.execute("pragma data_version").fetchone()[0]


def load_thread(db: sqlite_utils.Database, thread_id: str) -> dict | None:
    return first_row(db, "select * from threads where id = ?", [thread_id])


def load_first_post_text(db: sqlite_utils.Database, thread_id: str) -> str:
    row = first_row(db, "select text from posts where thread = ? order by post_number limit 1", [thread_id])
    return (row or {}).get("text") or ""
