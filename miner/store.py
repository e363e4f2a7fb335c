"""The only module that talks to SQLite: schema, migrations, and small save_/load_ helpers.

Table names are a contract with researchers; add columns freely, never rename. The schema is
declarative (``TABLES``): ``ensure_schema`` creates missing tables and adds missing columns, so
an old database is upgraded in place and nothing stored is lost. Changes that are not additive go
into ``MIGRATIONS`` (run once each, tracked in ``PRAGMA user_version``).

Ids are forum-qualified text so that several forums can share one database:
forum ``ask.linuxmuster.net``, thread ``ask.linuxmuster.net:1234``, post ``ask.linuxmuster.net:98765``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable, Iterable

import sqlite_utils

FTS_TOKENIZE = "unicode61 remove_diacritics 2"

# table -> (columns in order, pk, foreign keys [(column, other_table, other_column)])
TABLES: dict[str, tuple[dict[str, type], str, list[tuple[str, str, str]]]] = {
    "forums": (
        {
            "id": str,  # host[:port][/path], e.g. ask.linuxmuster.net
            "base_url": str,
            "title": str,
            "description": str,
            "discourse_version": str,
            "first_scraped": str,
            "last_scraped": str,
        },
        "id",
        [],
    ),
    "categories": (
        {
            "id": str,  # forum:category_id
            "forum": str,
            "category_id": int,
            "name": str,
            "slug": str,
            "parent": str,
            "description": str,
            "topic_count": int,
            "read_restricted": int,
        },
        "id",
        [("forum", "forums", "id")],
    ),
    "threads": (
        {
            "id": str,  # forum:topic_id
            "forum": str,
            "topic_id": int,
            "title": str,
            "slug": str,
            "url": str,
            "category": str,
            "tags": str,  # JSON array
            "starter": str,  # pseudonym
            "created_at": str,
            "last_posted_at": str,
            "bumped_at": str,
            "posts_count": int,
            "highest_post_number": int,
            "views": int,
            "like_count": int,
            "has_accepted_answer": int,
            "pinned": int,
            "closed": int,
            "archived": int,
            "year": int,
            "relevant": int,  # about messengers / school communication (questions step)
            "relevance": float,
            "relevance_reason": str,
            "messengers": str,  # JSON array of messengers mentioned, for facets
            "fetched_at": str,
        },
        "id",
        [("forum", "forums", "id"), ("category", "categories", "id")],
    ),
    "posts": (
        {
            "id": str,  # forum:post_id
            "forum": str,
            "post_id": int,
            "thread": str,
            "post_number": int,
            "author": str,  # pseudonym, never the username
            "created_at": str,
            "updated_at": str,
            "reply_to_post_number": int,
            "text": str,  # the author's own words, plain text, identifiers masked
            "quoted": str,  # text quoted from others, kept apart
            "html": str,  # cooked HTML, pseudonymized
            "is_accepted_answer": int,
            "like_count": int,
            "deleted": int,
            "masked": int,  # how many e-mails/phones/... were masked in text
            "version": int,
            "fetched_at": str,
        },
        "id",
        [("forum", "forums", "id"), ("thread", "threads", "id")],
    ),
    "crawl_state": (
        {
            "thread": str,  # forum:topic_id; no FK: a failed thread may have no threads row yet
            "forum": str,
            "topic_id": int,
            "bumped_at": str,
            "posts_count": int,
            "highest_post_number": int,
            "status": str,  # ok / error / gone
            "error": str,
            "attempts": int,
            "last_attempt": str,
        },
        "thread",
        [],
    ),
    "scrape_runs": (
        {
            "id": int,
            "forum": str,
            "started_at": str,
            "finished_at": str,
            "options": str,  # JSON
            "status": str,  # running / finished / failed / interrupted
            "threads_new": int,
            "threads_updated": int,
            "threads_unchanged": int,
            "threads_failed": int,
            "posts_saved": int,
            "requests": int,
            "retries": int,
            "errors": str,  # JSON list
            "miner_version": str,
        },
        "id",
        [],
    ),
    "faqs": (
        {
            "id": int,
            "title": str,  # medoid question, or the editor's title
            "title_by_editor": int,
            "keywords": str,
            "size": int,
            "threads": int,
            "first_asked": str,
            "last_asked": str,
            "status": str,  # active / retired / not_faq
            "successors": str,  # JSON list of faq ids
            "medoid_question": str,
            "born_run": int,
            "updated_run": int,
        },
        "id",
        [],
    ),
    "questions": (
        {
            "id": str,  # post id + ':' + short hash of the normalised text (stable across edits elsewhere)
            "forum": str,
            "thread": str,
            "post": str,
            "position": int,  # sentence index inside the post (-1 for the title)
            "text": str,
            "kind": str,  # title / explicit / implicit
            "asked_by_starter": int,
            "in_first_post": int,
            "in_reply": int,
            "asked_at": str,
            "relevant": int,
            "relevance": float,
            "relevance_reason": str,
            "faq_id": int,
            "faq_similarity": float,
            "extracted_at": str,
        },
        "id",
        [("thread", "threads", "id"), ("post", "posts", "id"), ("faq_id", "faqs", "id")],
    ),
    "faq_months": (
        {"id": str, "faq_id": int, "month": str, "questions": int},
        "id",
        [("faq_id", "faqs", "id")],
    ),
    "faq_history": (
        {
            "id": int,
            "run": int,
            "faq_id": int,
            "event": str,  # birth / merge / split / retire / reattach / rename / ...
            "other_faqs": str,  # JSON list
            "detail": str,
            "at": str,
        },
        "id",
        [],
    ),
    "mining_runs": (
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "posts_processed": int,
            "questions": int,
            "relevant_questions": int,
            "faqs_active": int,
            "options": str,
            "status": str,
        },
        "id",
        [],
    ),
    "corrections": (
        {
            "id": int,
            "kind": str,  # rename / move / merge / split / not_faq / not_faq_question
            "faq_id": int,
            "other_faq_id": int,
            "question": str,
            "value": str,
            "editor": str,
            "at": str,
            "active": int,
        },
        "id",
        [],
    ),
    "answers": (
        {
            "id": int,
            "faq_id": int,
            "body": str,  # Markdown
            "status": str,  # draft / published
            "editor": str,
            "created_at": str,  # UTC; the latest row per faq_id is current
        },
        "id",
        [("faq_id", "faqs", "id")],
    ),
    "thread_links": (
        {
            "id": int,
            "thread_url": str,
            "thread": str,
            "faq_id": int,
            "linked_by": str,
            "linked_at": str,
            "reply_url": str,
            "reply_status": str,  # posting (attempt under way or interrupted) / posted
        },
        "id",
        [("faq_id", "faqs", "id")],
    ),
    "erasures": (
        {
            "id": int,
            "author": str,  # the pseudonym, never the name
            "forum": str,
            "erased_at": str,
            "posts": int,
            "questions": int,
            "allow_return": int,
        },
        "id",
        [],
    ),
}

INDEXES: list[tuple[str, list[str], bool]] = [
    ("threads", ["forum", "topic_id"], True),
    ("posts", ["thread", "post_number"], False),
    ("posts", ["author"], False),
    ("questions", ["faq_id"], False),
    ("questions", ["thread"], False),
    ("answers", ["faq_id", "created_at"], False),
    ("thread_links", ["thread_url", "faq_id"], True),
    ("faq_months", ["faq_id", "month"], True),
]

FTS: dict[str, list[str]] = {
    "posts": ["text"],
    "questions": ["text"],
    "faqs": ["title", "keywords"],
}

VIEWS: dict[str, str] = {
    "current_answers": """
        select answers.* from answers
        join (select faq_id, max(id) as id from answers group by faq_id) latest
          on latest.id = answers.id
    """,
}

MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = []


def now() -> str:
    """UTC timestamp in ISO 8601, the one format every table uses."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) a miner database with the current schema."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Idempotent: create missing tables, columns, indexes, FTS and views; run pending migrations."""
    with db.conn:
        for name, (columns, pk, fks) in TABLES.items():
            table = db[name]
            if not table.exists():
                table.create(columns, pk=pk, foreign_keys=[fk for fk in fks], if_not_exists=True)
            else:
                existing = set(table.columns_dict)
                for column, kind in columns.items():
                    if column not in existing:
                        table.add_column(column, kind)
        for name, columns, unique in INDEXES:
            db[name].create_index(columns, unique=unique, if_not_exists=True)
    for name, columns in FTS.items():
        if not db[f"{name}_fts"].exists():
            db[name].enable_fts(columns, create_triggers=True, tokenize=FTS_TOKENIZE)
    for name, sql in VIEWS.items():
        db.create_view(name, sql, replace=True)
    version = db.execute("PRAGMA user_version").fetchone()[0]
    for number, migration in enumerate(MIGRATIONS, start=1):
        if number > version:
            with db.conn:
                migration(db)
                db.execute(f"PRAGMA user_version = {number}")


def forum_id_for(base_url: str) -> str:
    """A readable forum key from its base URL: host, port and path without scheme."""
    from urllib.parse import urlsplit

    parts = urlsplit(base_url.rstrip("/"))
    return (parts.netloc + parts.path).lower()


def qualify(forum: str, local_id: Any) -> str:
    """Forum-qualified id of a Discourse topic, post or category."""
    return f"{forum}:{local_id}"


def save_rows(db: sqlite_utils.Database, table: str, rows: Iterable[dict]) -> None:
    """Upsert whole rows by primary key (caller wraps in a transaction)."""
    rows = list(rows)
    if rows:
        db[table].upsert_all(rows, pk=TABLES[table][1], alter=False)


# ---------------------------------------------------------------- moderators (issue 7)

QUERIES_DIR = Path(__file__).parent / "queries"
Database = sqlite_utils.Database  # for type hints elsewhere, so no other module imports sqlite_utils


def load_sql(name: str) -> str:
    """A named SQL file from miner/queries (shared with Datasette canned queries)."""
    return (QUERIES_DIR / f"{name}.sql").read_text()


def _first_row(db: sqlite_utils.Database, sql: str, params: Iterable[Any] | dict = ()) -> dict | None:
    rows = list(db.query(sql, params))
    return rows[0] if rows else None


def load_forum_for_url(db: sqlite_utils.Database, url: str) -> dict | None:
    """The stored forum whose base URL the given thread URL lives under (longest match wins)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    key = (parts.netloc + parts.path).lower()
    best = None
    for forum in db.query("select * from forums"):
        prefix = forum_id_for(forum["base_url"] or "") or forum["id"]
        if key.startswith(prefix.rstrip("/") + "/t/") and (best is None or len(prefix) > len(best[0])):
            best = (prefix, forum)
    return best[1] if best else None


def load_faq(db: sqlite_utils.Database, faq_id: int) -> dict | None:
    return _first_row(db, "select * from faqs where id = ?", [faq_id])


def load_faqs_by_id(db: sqlite_utils.Database, faq_ids: Iterable[int]) -> dict[int, dict]:
    ids = list(dict.fromkeys(faq_ids))
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {row["id"]: row for row in db.query(f"select * from faqs where id in ({marks})", ids)}


def load_answer_for(db: sqlite_utils.Database, faq_id: int) -> dict | None:
    """The answer a moderator should quote: the current one if published, else the latest
    published one (a draft being reworked does not hide what readers already see), else the draft."""
    current = _first_row(db, "select * from current_answers where faq_id = ?", [faq_id])
    if current is None or current["status"] == "published":
        return current
    published = _first_row(
        db, "select * from answers where faq_id = ? and status = 'published' order by id desc limit 1", [faq_id]
    )
    return published or current


def load_thread(db: sqlite_utils.Database, thread_id: str) -> dict | None:
    return _first_row(db, "select * from threads where id = ?", [thread_id])


def load_thread_questions(db: sqlite_utils.Database, thread_id: str) -> list[dict]:
    """Questions of one thread, the starter's first-post questions first."""
    return list(db.query(
        """select * from questions where thread = ?
           order by coalesce(in_first_post, 0) desc, coalesce(asked_by_starter, 0) desc, position""",
        [thread_id],
    ))


def load_first_post_text(db: sqlite_utils.Database, thread_id: str) -> str:
    row = _first_row(db, "select text from posts where thread = ? order by post_number limit 1", [thread_id])
    return (row or {}).get("text") or ""


def find_thread_link(
    db: sqlite_utils.Database, thread_url: str, faq_id: int, thread: str | None = None
) -> dict | None:
    """The link between a thread and an FAQ entry, found by URL or by thread id."""
    return _first_row(
        db,
        """select * from thread_links where faq_id = :faq_id
           and (thread_url = :url or (:thread is not null and thread = :thread))
           order by id limit 1""",
        {"faq_id": faq_id, "url": thread_url, "thread": thread},
    )


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
        row = _first_row(db, "select id from threads where url = ?", [thread_url])
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
