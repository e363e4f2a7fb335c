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


# ---------------------------------------------------------------- FAQ mining (issue 4)


def load_faq_questions(db: sqlite_utils.Database) -> list[dict]:
    """Questions the FAQ step clusters: relevant ones, oldest first, with their current entry."""
    return list(db.query(
        "select id, thread, text, asked_at, faq_id from questions where relevant = 1 "
        "and coalesce(text, '') != '' order by asked_at, id"
    ))


def load_linked_question_ids(db: sqlite_utils.Database) -> set[str]:
    """Questions that currently point at an entry (to unlink those no longer relevant)."""
    return {row["id"] for row in db.query("select id from questions where faq_id is not null")}


def load_thread_contexts(db: sqlite_utils.Database, thread_ids: Iterable[str], max_chars: int = 400) -> dict[str, str]:
    """Thread title plus the accepted answer (else the first reply): what a terse question is about."""
    wanted = sorted(set(t for t in thread_ids if t))
    result: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.query(
            f"""select t.id, t.title,
                 (select p.text from posts p where p.thread = t.id and p.is_accepted_answer = 1
                  and coalesce(p.deleted, 0) = 0 order by p.post_number limit 1) as accepted,
                 (select p.text from posts p where p.thread = t.id and p.post_number > 1
                  and coalesce(p.deleted, 0) = 0 order by p.post_number limit 1) as reply
               from threads t where t.id in ({marks})""",
            chunk,
        )
        for row in rows:
            answer = (row["accepted"] or row["reply"] or "")[:max_chars]
            result[row["id"]] = " ".join(part for part in (row["title"] or "", answer) if part)
    return result


def load_faqs(db: sqlite_utils.Database) -> dict[int, dict]:
    """All FAQ entries by id, including retired ones (they are never deleted)."""
    return {row["id"]: row for row in db.query("select * from faqs order by id")}


def load_corrections(db: sqlite_utils.Database) -> list[dict]:
    """Active editor corrections in the order they were made (later ones win)."""
    return list(db.query("select * from corrections where coalesce(active, 1) = 1 order by id"))


def load_answer_ids_by_faq(db: sqlite_utils.Database) -> dict[int, list[int]]:
    """Read-only view of which entries carry answers (the FAQ step never writes `answers`)."""
    result: dict[int, list[int]] = {}
    for row in db.query("select id, faq_id from answers where faq_id is not null order by id"):
        result.setdefault(row["faq_id"], []).append(row["id"])
    return result


def next_faq_run(db: sqlite_utils.Database) -> int:
    """Run number for faq_history / faqs.updated_run: one more than any recorded."""
    row = db.execute(
        "select max(coalesce(r, 0)) from (select max(run) as r from faq_history "
        "union all select max(updated_run) from faqs union all select max(born_run) from faqs)"
    ).fetchone()
    return int(row[0] or 0) + 1


def next_faq_id(db: sqlite_utils.Database) -> int:
    row = db.execute("select max(id) from faqs").fetchone()
    return int(row[0] or 0) + 1


def save_faq_run(db: sqlite_utils.Database, *, faqs: list[dict], assignments: list[tuple[int | None, float | None, str]],
                 months: list[dict], history: list[dict]) -> None:
    """Write one FAQ run in a single transaction: entries (upsert, never delete), question links,
    per-month counts (rebuilt) and history events."""
    with db.conn:
        save_rows(db, "faqs", faqs)
        db.conn.executemany("update questions set faq_id = ?, faq_similarity = ? where id = ?", assignments)
        db.execute("delete from faq_months")
        save_rows(db, "faq_months", months)
        if history:
            db["faq_history"].insert_all(history, pk="id", alter=False)


def save_correction(db: sqlite_utils.Database, correction: dict) -> int:
    """Record an editor correction; returns its id (applied by the caller in the same unit of work)."""
    row = {"at": now(), "active": 1, **correction}
    return db["corrections"].insert(row, pk="id", alter=False).last_pk


def load_faq_members(db: sqlite_utils.Database, faq_id: int) -> list[str]:
    return [r["id"] for r in db.query("select id from questions where faq_id = ? order by id", [faq_id])]


def load_question(db: sqlite_utils.Database, question_id: str) -> dict | None:
    rows = list(db.query("select * from questions where id = ?", [question_id]))
    return rows[0] if rows else None


def set_question_faq(db: sqlite_utils.Database, question_ids: Iterable[str], faq_id: int | None) -> None:
    db.conn.executemany("update questions set faq_id = ? where id = ?", [(faq_id, q) for q in question_ids])


def save_faq_history(db: sqlite_utils.Database, events: list[dict]) -> None:
    if events:
        db["faq_history"].insert_all(events, pk="id", alter=False)


def list_faqs(db: sqlite_utils.Database, include_retired: bool = False) -> list[dict]:
    where = "" if include_retired else "where status = 'active'"
    return list(db.query(f"select id, title, size, threads, last_asked, status, keywords, successors from faqs {where} order by size desc, id"))


def refresh_faq_stats(db: sqlite_utils.Database, faq_ids: Iterable[int], run: int | None = None) -> None:
    """Recount size, threads, first/last asked and months of entries after an editor's change."""
    for faq_id in sorted(set(i for i in faq_ids if i is not None)):
        row = db.execute(
            "select count(*), count(distinct thread), min(asked_at), max(asked_at) from questions where faq_id = ?",
            [faq_id],
        ).fetchone()
        update = {"id": faq_id, "size": row[0], "threads": row[1], "first_asked": row[2], "last_asked": row[3]}
        if run is not None:
            update["updated_run"] = run
        db["faqs"].upsert(update, pk="id", alter=False)
        db.execute("delete from faq_months where faq_id = ?", [faq_id])
        months = [
            {"id": f"{faq_id}:{r['month']}", "faq_id": faq_id, "month": r["month"], "questions": r["n"]}
            for r in db.query(
                "select substr(asked_at, 1, 7) as month, count(*) as n from questions "
                "where faq_id = ? and asked_at is not null group by month", [faq_id])
        ]
        save_rows(db, "faq_months", months)


def save_faq(db: sqlite_utils.Database, row: dict) -> int:
    """Upsert one FAQ entry (partial rows update only the given columns)."""
    db["faqs"].upsert(row, pk="id", alter=False)
    return row["id"]


def load_live_faq_members(db: sqlite_utils.Database) -> list[dict]:
    """Relevant questions of active entries, with their entry (what the matcher compares against)."""
    return list(db.query(
        "select q.id, q.thread, q.text, q.faq_id from questions q join faqs f on f.id = q.faq_id "
        "where q.relevant = 1 and f.status = 'active' order by q.id"
    ))
