"""The only module that talks to SQLite: schema, migrations, and small save_/load_ helpers.

Table names are a contract with researchers; add columns freely, never rename. The schema is
declarative (``TABLES``): ``ensure_schema`` creates missing tables and adds missing columns, so
an old database is upgraded in place and nothing stored is lost. Changes that are not additive go
into ``MIGRATIONS`` (run once each, tracked in ``PRAGMA user_version``).

Ids are forum-qualified text so that several forums can share one database:
forum ``ask.linuxmuster.net``, thread ``ask.linuxmuster.net:1234``, post ``ask.linuxmuster.net:98765``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import sqlite3
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import sqlite_utils

from miner.errors import DatabaseError, DiskFull
from miner.keys import ErasedPeople, erasure_key
from miner.urls import forum_id_for  # noqa: F401  (re-exported: store.forum_id_for is used by the scraper)

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
            "engine": str,  # forum software: discourse, phpbb, xenforo, ... or profile
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
        [("forum", "forums", "id"), ("parent", "categories", "id")],
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
            "post_type": int,  # 1 regular, 2 moderator action, 3 small action, 4 whisper
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
            "status": str,  # ok / error / gone / disallowed (robots.txt)
            "last_page_url": str,  # HTML engines: the thread page read last, where a re-run resumes
            "pages": int,  # HTML engines: how many pages the thread had
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
            "threads_gone": int,
            "posts_saved": int,
            "requests": int,
            "retries": int,
            "errors": str,  # JSON list
            "miner_version": str,
            "scope": str,  # "all" or the sorted category ids walked, e.g. "5,7"
            "walk_complete": int,  # 1 if every topic list page was walked to its end
            "high_water": str,  # newest bumped_at seen by a complete walk
            "full": int,
        },
        "id",
        [("forum", "forums", "id")],
    ),
    "faq_sections": (
        {
            "id": int,
            "title": str,  # named from its entries' keywords, or the editor's title
            "title_by": str,  # the editor who renamed it; NULL while the title is computed
            "position": int,  # order on /faq (largest section first)
            "updated_at": str,
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
            "section_id": int,  # faq_sections.id
            "section_by": str,  # the editor who moved the entry there; NULL while computed
        },
        "id",
        [("section_id", "faq_sections", "id")],
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
            "faq_loose": int,  # 1: joined its entry from outside the grouping (in its reach, far from its centre)
            "extracted_at": str,
        },
        "id",
        [("thread", "threads", "id"), ("post", "posts", "id"), ("faq_id", "faqs", "id")],
    ),
    "mining_state": (
        {
            "thread": str,  # forum:topic_id; what the questions step last saw of this thread
            "fingerprint": str,  # hash of title, starter and every post's text/deleted flag + extractor version
            "posts": int,
            "questions": int,
            "mined_at": str,
        },
        "thread",
        [("thread", "threads", "id")],
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
            "editor": str,  # who made the change (an editor's correction); null for mining runs
        },
        "id",
        [("faq_id", "faqs", "id")],
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
    "embeddings": (
        {
            "key": str,  # sha256 of model id + text: the text itself is not kept here
            "vector": bytes,  # float32
            "kind": str,  # question (FAQ step: questions and contexts) / thread (topic prior); null = question
        },
        "key",
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
        [("faq_id", "faqs", "id"), ("other_faq_id", "faqs", "id")],
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
        [("faq_id", "faqs", "id"), ("thread", "threads", "id")],
    ),
    "settings": (
        {
            "key": str,  # e.g. faq_base_url (miner.settings names the known keys)
            "value": str,
            "updated_at": str,
        },
        "key",
        [],
    ),
    "erasures": (
        {
            "id": int,
            "person": str,  # keys.erasure_key of the pseudonym: cannot be joined to posts without the key
            "author": str,  # only in databases from before `person`; moved to `person` on first use
            "forum": str,
            "erased_at": str,
            "posts": int,
            "questions": int,
            "allow_return": int,
            "threads": int,  # threads removed because only this person wrote in them
            "quotes": int,  # quotes of this person removed from other people's posts
            "mentions": int,  # other posts where a mention of the pseudonym was blanked
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
    ("questions", ["faq_id", "faq_similarity"], False),  # FAQ page: best example questions per entry
    ("questions", ["faq_id", "thread"], False),  # FAQ page: source threads per entry
    ("questions", ["faq_id", "asked_at"], False),  # FAQ pages: new questions since the answer ("Antwort prüfen")
    ("answers", ["faq_id", "created_at"], False),
    ("thread_links", ["thread_url", "faq_id"], True),
    ("faq_months", ["faq_id", "month"], True),
]

FTS: dict[str, list[str]] = {
    "posts": ["text"],
    "questions": ["text"],
    "faqs": ["title", "keywords"],
    "answers": ["body"],
}

VIEWS: dict[str, str] = {
    "current_answers": """
        select answers.* from answers
        join (select faq_id, max(id) as id from answers group by faq_id) latest
          on latest.id = answers.id
    """,
}

def _forums_are_discourse(db: sqlite_utils.Database) -> None:
    """Forums scraped before engines were recorded were all Discourse forums."""
    db.execute("update forums set engine = 'discourse' where engine is null")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_forums_are_discourse]


def now() -> str:
    """UTC timestamp in ISO 8601, the one format every table uses."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def open_db(path: str | Path, *, create: bool = True) -> sqlite_utils.Database:
    """Open a miner database with the current schema; ``create=False`` refuses a missing file
    (a typo in a command that reads must not leave an empty database behind)."""
    if not create and not Path(path).is_file():
        raise DatabaseError(f"No database at {path}: the file does not exist.",
                            hint="Give the file `miner scrape DB URL` wrote (e.g. forum.db), or run that first.")
    try:
        db = sqlite_utils.Database(path)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        ensure_schema(db)
    except sqlite3.OperationalError as error:
        raise DatabaseError(f"Cannot open {path} ({error}).",
                            hint="Check that its folder exists and that you may write there.") from None
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"{path} is not a miner database ({error}).",
                            hint="Check the file name: give the database `miner scrape` wrote.") from None
    return db


def is_disk_full(error: BaseException) -> bool:
    """SQLite's SQLITE_FULL ("database or disk is full") or the file system's ENOSPC."""
    if isinstance(error, sqlite3.Error):
        return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(error)
    return isinstance(error, OSError) and error.errno == errno.ENOSPC


@contextlib.contextmanager
def disk_full_as_error() -> Iterator[None]:
    """Turn a full disk, wherever it strikes, into DiskFull: one clear message instead of a traceback."""
    try:
        yield
    except (sqlite3.Error, OSError) as error:
        if not is_disk_full(error):
            raise
        raise DiskFull("The disk is full (the database cannot grow); the run was stopped and marked interrupted.",
                       hint="Free some space, then run the same command again: finished work is kept.") from error


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
    add_declared_foreign_keys(db)
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


def add_declared_foreign_keys(db: sqlite_utils.Database) -> None:
    """Declare on an older database the foreign keys ``TABLES`` names (SQLite only declares them when a
    table is built, so sqlite-utils rebuilds those tables once, rows kept). They tell Datasette and
    researchers which column points where; miner does not turn on their enforcement."""
    missing = []
    for name, (_columns, _pk, fks) in TABLES.items():
        if not fks or not db[name].exists():
            continue
        declared = {(fk.column, fk.other_table, fk.other_column) for fk in db[name].foreign_keys}
        missing += [(name, *fk) for fk in fks if tuple(fk) not in declared and db[fk[1]].exists()]
    if missing:
        rebuilt = sorted({fk[0] for fk in missing})
        marks = ",".join("?" * len(rebuilt))
        # sqlite-utils rebuilds each table (indexes kept) but drops its triggers, which keep the FTS
        # indexes in step: they are put back as they were.
        triggers = db.execute(f"select name, sql from sqlite_master where type = 'trigger' and tbl_name in ({marks})",
                              rebuilt).fetchall()
        with db.conn:
            db.add_foreign_keys(missing)
            present = {row[0] for row in db.execute("select name from sqlite_master where type = 'trigger'")}
            for name, sql in triggers:
                if name not in present:
                    db.execute(sql)


def qualify(forum: str, local_id: Any) -> str:
    """Forum-qualified id of a Discourse topic, post or category."""
    return f"{forum}:{local_id}"


def save_rows(db: sqlite_utils.Database, table: str, rows: Iterable[dict]) -> None:
    """Upsert whole rows by primary key (caller wraps in a transaction)."""
    rows = list(rows)
    if rows:
        db[table].upsert_all(rows, pk=TABLES[table][1], alter=False)


# ---------------------------------------------------------------------------- scraper (issue 2)


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


def load_categories(db: sqlite_utils.Database, forum: str) -> list[dict]:
    return list(db["categories"].rows_where("forum = ?", [forum]))


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
        upsert_many(db, "threads", [thread])
        upsert_many(db, "posts", posts)
        for chunk_start in range(0, len(deleted), 500):
            chunk = deleted[chunk_start : chunk_start + 500]
            db.execute(
                f"update posts set deleted = 1 where id in ({', '.join('?' for _ in chunk)})", chunk
            )
        upsert_many(db, "crawl_state", [crawl])


def upsert_many(db: sqlite_utils.Database, table: str, rows: list[dict]) -> None:
    """Fast upsert of same-shaped rows by primary key: given columns are updated, others kept.

    One prepared INSERT ... ON CONFLICT DO UPDATE per batch; several times faster than
    sqlite-utils' upsert_all on the scraper's many small transactions.
    """
    if not rows:
        return
    pk = TABLES[table][1]
    columns = list(rows[0])
    names = ", ".join(f"[{c}]" for c in columns)
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c != pk)
    sql = (f"insert into [{table}] ({names}) values ({', '.join('?' for _ in columns)}) "
           f"on conflict([{pk}]) do update set {updates}")
    db.conn.executemany(sql, [[row.get(c) for c in columns] for row in rows])


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


def count_rows(db: sqlite_utils.Database, table: str, where: str = "", params: list | None = None) -> int:
    sql = f"select count(*) from [{table}]" + (f" where {where}" if where else "")
    return db.execute(sql, params or []).fetchone()[0]



def active_faq_count(db: sqlite_utils.Database) -> int:
    return count_rows(db, "faqs", "status = 'active'")

# ---------------------------------------------------------------- privacy: erasure (issue 8)

def erased_people(db: sqlite_utils.Database, key: bytes, forum: str | None = None) -> ErasedPeople:
    """People a scrape of ``forum`` (None: any) must leave out: the latest decision per person and
    scope, where an erasure without forum covers every forum. ``pseudonym in result`` checks one."""
    upgrade_erasures(db, key)
    rows = db.execute(
        """
        select person, forum, allow_return from erasures
        where id in (select max(id) from erasures group by person, coalesce(forum, ''))
        """
    ).fetchall()
    return ErasedPeople({
        person
        for person, erased_forum, allow_return in rows
        if not allow_return and (forum is None or erased_forum is None or erased_forum == forum)
    }, key)


def upgrade_erasures(db: sqlite_utils.Database, key: bytes) -> int:
    """Replace plain pseudonyms that older versions wrote into ``erasures.author`` by their erasure key."""
    legacy = db.execute("select id, author from erasures where author is not null and author != ''").fetchall()
    if legacy:
        with db.conn:
            for row_id, author in legacy:
                db.execute("update erasures set person = ?, author = null where id = ?",
                           [erasure_key(author, key), row_id])
    return len(legacy)


def forum_ids(db: sqlite_utils.Database) -> list[str]:
    """The ids of every forum in the database."""
    return [row[0] for row in db.execute("select id from forums order by id").fetchall()]


def was_erased(db: sqlite_utils.Database, pseudonym: str, key: bytes) -> bool:
    """Whether any erasure (returning allowed or not) names this pseudonym."""
    upgrade_erasures(db, key)
    return db.execute("select 1 from erasures where person = ? limit 1",
                      [erasure_key(pseudonym, key)]).fetchone() is not None


def load_by_author(
    db: sqlite_utils.Database, table: str, column: str, author: str, forum: str | None = None
) -> list[dict]:
    """Rows of one pseudonym: ``posts`` by ``author``, ``threads`` by ``starter`` (optionally one forum)."""
    sql = f"select * from [{table}] where [{column}] = ?" + (" and forum = ?" if forum else "")
    return list(db.query(sql, [author, forum] if forum else [author]))


def load_rows(db: sqlite_utils.Database, table: str, column: str, values: Iterable[Any]) -> list[dict]:
    """Rows of ``table`` whose ``column`` is one of ``values`` (chunked for SQLite's variable limit)."""
    values = list(values)
    rows: list[dict] = []
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows.extend(db.query(f"select * from [{table}] where [{column}] in ({marks})", chunk))
    return rows


def iter_posts_with_text(db: sqlite_utils.Database, forum: str | None = None) -> Iterable[dict]:
    """Posts that could quote or mention someone: id, text, quoted, html (one forum or all)."""
    sql = "select id, forum, thread, text, quoted, html from posts"
    yield from db.query(sql + (" where forum = ?" if forum else ""), [forum] if forum else [])


def delete_rows(db: sqlite_utils.Database, table: str, column: str, values: Iterable[Any]) -> int:
    """Delete rows by one column (caller wraps in a transaction); returns how many went."""
    values = list(values)
    deleted = 0
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        marks = ",".join("?" * len(chunk))
        deleted += db.execute(f"delete from [{table}] where [{column}] in ({marks})", chunk).rowcount
    return deleted


def update_row(db: sqlite_utils.Database, table: str, pk_value: Any, changes: dict) -> None:
    """Set some columns of one row by primary key (caller wraps in a transaction)."""
    if changes:
        db[table].update(pk_value, changes)


def insert_row(db: sqlite_utils.Database, table: str, row: dict) -> int:
    """Insert a row into a table with an integer id (history, erasures); returns the new id."""
    return db[table].insert(row).last_pk


def save_erasure(db: sqlite_utils.Database, row: dict) -> int:
    """Record an erasure (erasure key and counts, never the name or pseudonym); returns its id."""
    return insert_row(db, "erasures", row)


def faq_question_stats(db: sqlite_utils.Database, faq_ids: Iterable[int]) -> list[dict]:
    """The remaining questions of some FAQ entries, for re-counting them."""
    return load_rows(db, "questions", "faq_id", faq_ids)


def find_residue(db: sqlite_utils.Database, needles_for: Callable[[str], list[str]]) -> dict[str, int]:
    """Cells of any table (FTS shadow tables aside) that still contain one of its needles.

    A safety net after an erasure: tables added later (raw JSON caches, revisions, ...) that
    ``forget`` does not know about show up here instead of silently keeping someone's words.
    ``needles_for(table)`` says what to look for in each table (empty: skip it).
    Returns ``{"table.column": rows}`` for the non-empty ones.
    """
    found: dict[str, int] = {}
    for table in db.tables:
        needles = [n.lower() for n in needles_for(table.name) if n]
        if "_fts" in table.name or not needles:
            continue
        for column, kind in table.columns_dict.items():
            if kind is not str:
                continue
            test = " or ".join(f"instr(lower([{column}]), ?) > 0" for _ in needles)
            count = db.execute(f"select count(*) from [{table.name}] where {test}", needles).fetchone()[0]
            if count:
                found[f"{table.name}.{column}"] = count
    return found


def term_in_corpus(db: sqlite_utils.Database, term: str) -> bool:
    """Whether any stored post or question still contains a word starting with ``term`` (FTS)."""
    query = '"' + term.replace('"', '""') + '"*'
    for table in ("posts", "questions"):
        if db[f"{table}_fts"].exists() and db.execute(
            f"select 1 from [{table}_fts] where [{table}_fts] match ? limit 1", [query]
        ).fetchone():
            return True
    return False


def compact(db: sqlite_utils.Database) -> dict:
    """Rebuild full-text indexes, VACUUM and truncate the WAL, so deleted text leaves the file.

    FTS5 keeps deleted tokens in its segments until they are merged, and freed pages keep their
    bytes until VACUUM rewrites the file; the WAL keeps old page images until a checkpoint.
    Returns ``{"wal_busy": bool}``: True when another connection kept the WAL from being emptied.
    """
    db.execute("PRAGMA secure_delete = ON")
    with db.conn:
        for name in FTS:
            if db[f"{name}_fts"].exists():
                db.execute(f"insert into [{name}_fts]([{name}_fts]) values('rebuild')")
    db.execute("VACUUM")
    busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return {"wal_busy": bool(busy)}


# ---------------------------------------------------------------- moderators (issue 7)

QUERIES_DIR = Path(__file__).parent / "queries"
Database = sqlite_utils.Database  # for type hints elsewhere, so no other module imports sqlite_utils


def load_sql(name: str) -> str:
    """A named SQL file from miner/queries (shared with Datasette canned queries)."""
    return (QUERIES_DIR / f"{name}.sql").read_text()


def _first_row(db: sqlite_utils.Database, sql: str, params: Iterable[Any] | dict = ()) -> dict | None:
    rows = list(db.query(sql, params))
    return rows[0] if rows else None


def load_forum(db: sqlite_utils.Database, forum_id: str) -> dict | None:
    return _first_row(db, "select * from forums where id = ?", [forum_id])


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


# ---------------------------------------------------------------- questions step (issue 3)

MINING_POST_COLUMNS = ("id, forum, thread, post_number, post_type, author, created_at, updated_at, text, deleted, "
                       "version")


def load_threads_for_mining(db: sqlite_utils.Database, thread_ids: Iterable[str] | None = None) -> list[dict]:
    """Threads with what the questions step needs (title, starter, current relevance)."""
    sql = ("select id, forum, title, starter, created_at, relevant, relevance, relevance_reason, messengers "
           "from threads")
    if thread_ids is None:
        return list(db.query(sql + " order by id"))
    ids = list(thread_ids)
    rows: list[dict] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows += db.query(sql + f" where id in ({','.join('?' * len(chunk))}) order by id", chunk)
    return rows


def iter_posts_for_mining(db: sqlite_utils.Database) -> Iterable[dict]:
    """Every stored post, ordered by thread then post number (one pass groups them by thread)."""
    return db.query(f"select {MINING_POST_COLUMNS} from posts order by thread, post_number")


def load_mining_state(db: sqlite_utils.Database) -> dict[str, str]:
    """thread id -> fingerprint of what was last extracted."""
    return {row["thread"]: row["fingerprint"] for row in db.query("select thread, fingerprint from mining_state")}


def load_questions_by_thread(db: sqlite_utils.Database) -> dict[str, dict[str, dict]]:
    """thread id -> {question id -> row} for every stored question."""
    found: dict[str, dict[str, dict]] = {}
    for row in db.query("select * from questions"):
        found.setdefault(row["thread"], {})[row["id"]] = row
    return found


def save_thread_questions(db: sqlite_utils.Database, thread: str, upsert: list[dict], delete: list[str],
                          state: dict) -> None:
    """Write one thread's question changes and its mining state (caller wraps in a transaction).

    Upserts only the given columns, so ``faq_id`` set by the FAQ step survives on unchanged questions."""
    if delete:
        for start in range(0, len(delete), 500):
            chunk = delete[start:start + 500]
            db.execute(f"delete from questions where id in ({','.join('?' * len(chunk))})", chunk)
    upsert_columns(db, "questions", upsert)
    upsert_columns(db, "mining_state", [state])


def save_relevance(db: sqlite_utils.Database, table: str, rows: list[dict]) -> None:
    """Update relevance columns of threads or questions by id (caller wraps in a transaction)."""
    upsert_columns(db, table, rows)


def upsert_columns(db: sqlite_utils.Database, table: str, rows: list[dict]) -> None:
    """Explicit upsert by primary key that writes only the columns each row carries (fast path for
    many rows; other columns such as questions.faq_id keep their values). Caller wraps in a transaction."""
    pk = TABLES[table][1]
    groups: dict[tuple, list[tuple]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(tuple(row.values()))
    for columns, values in groups.items():
        unknown = set(columns) - set(TABLES[table][0])
        if unknown:
            raise ValueError(f"{table} has no column(s) {sorted(unknown)}")
        names = ", ".join(f"[{c}]" for c in columns)
        updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c != pk) or f"[{pk}] = excluded.[{pk}]"
        db.conn.executemany(
            f"insert into [{table}] ({names}) values ({', '.join('?' * len(columns))}) "
            f"on conflict([{pk}]) do update set {updates}", values)



# ---------------------------------------------------------------- FAQ mining (issue 4)


def load_faq_questions(db: sqlite_utils.Database) -> list[dict]:
    """Questions the FAQ step clusters: relevant ones, oldest first, with their current entry."""
    return list(db.query(
        "select id, thread, text, asked_at, faq_id, faq_loose from questions where relevant = 1 "
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


def record_mining_run(db: sqlite_utils.Database, row: dict) -> int:
    """Append one row to ``mining_runs`` (a log: one row per FAQ run; ``options`` is JSON)."""
    next_id = int(db.execute("select coalesce(max(id), 0) + 1 from mining_runs").fetchone()[0])
    with db.conn:
        save_rows(db, "mining_runs", [{**row, "id": next_id}])
    return next_id


def last_mining_options(db: sqlite_utils.Database) -> dict:
    """``options`` of the latest finished mining run ({} if none): how its FAQ entries were built."""
    row = db.execute("select options from mining_runs where status = 'done' and options is not null "
                     "order by id desc limit 1").fetchone()
    try:
        return json.loads(row[0]) if row else {}
    except ValueError:
        return {}


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


def save_faq_loose(db: sqlite_utils.Database, loose: Iterable[tuple[int, str]]) -> None:
    """``questions.faq_loose`` per question id (0/1), in the caller's transaction."""
    db.conn.executemany("update questions set faq_loose = ? where id = ?", list(loose))


def database_path(db: sqlite_utils.Database) -> Path | None:
    """The file behind a connection (None for an in-memory database)."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file)
    return None


def faq_model_path(db: sqlite_utils.Database) -> Path | None:
    """Where the FAQ step keeps its fitted matcher: beside the database (``forum.db.model``), not in it.

    Why not a table: the model's vocabulary holds corpus words, names included, and everything in
    the database is served by Datasette; the file is not. Erasure deletes it."""
    path = database_path(db)
    return path.with_name(path.name + ".model") if path else None


def save_faq_model(db: sqlite_utils.Database, run: int, embedder: str, blob: bytes) -> None:
    """Keep the matcher fitted by this FAQ run (only the latest), written atomically, mode 0600."""
    path = faq_model_path(db)
    if path is None:
        return
    header = json.dumps({"run": run, "embedder": embedder}).encode() + b"\n"
    temporary = path.with_name(path.name + ".tmp")
    with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
        handle.write(header + blob)
    os.replace(temporary, path)


def load_faq_model(db: sqlite_utils.Database) -> dict | None:
    """The latest fitted matcher (``run``, ``embedder``, ``model`` bytes), or None."""
    path = faq_model_path(db)
    if path is None or not path.is_file():
        return None
    data = path.read_bytes()
    header, _, blob = data.partition(b"\n")
    try:
        meta = json.loads(header)
    except ValueError:
        return None
    return {**meta, "model": blob}


def clear_faq_model(db: sqlite_utils.Database) -> None:
    path = faq_model_path(db)
    if path is not None:
        path.unlink(missing_ok=True)


def last_correction_id(db: sqlite_utils.Database) -> int:
    return int(db.execute("select coalesce(max(id), 0) from corrections").fetchone()[0])


def load_corrections_after(db: sqlite_utils.Database, correction_id: int) -> list[dict]:
    return list(db.query("select * from corrections where id > ? order by id", [correction_id]))


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


def database(conn) -> sqlite_utils.Database:
    """A Database around an open sqlite3 connection (Datasette's write thread hands one over)."""
    return sqlite_utils.Database(conn)


def save_answer(db: sqlite_utils.Database, row: dict) -> int:
    """Append one answer revision; answers are never updated or deleted."""
    cursor = db.execute(
        "insert into answers (faq_id, body, status, editor, created_at) values (:faq_id, :body, :status, :editor, :created_at)",
        row,
    )
    return cursor.lastrowid


class EmbeddingCache:
    """Sentence vectors of the embedder, kept so re-runs and `miner suggest` do not re-embed every
    text. Two kinds, pruned apart: ``question`` (the FAQ step's questions and thread contexts) and
    ``thread`` (the topic prior's thread openings). Lookups only read, so a read-only connection
    (Datasette) works."""

    def __init__(self, db: sqlite_utils.Database, kind: str = "question"):
        self.db = db
        self.kind = kind

    def get_many(self, keys: list[str]) -> dict[str, bytes]:
        if not self.db["embeddings"].exists():
            return {}
        found: dict[str, bytes] = {}
        wanted = sorted(set(keys))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(f"select key, vector from embeddings where key in ({marks})", chunk):
                found[row[0]] = row[1]
        return found

    def put_many(self, vectors: dict[str, bytes]) -> None:
        self.db.conn.executemany("insert or replace into embeddings (key, vector, kind) values (?, ?, ?)",
                                 [(k, v, self.kind) for k, v in vectors.items()])

    def keep_only(self, keys) -> int:
        """Drop this kind's vectors of texts no longer mined (edited, deleted, forgotten); returns how many."""
        keep = set(keys)
        stale = [k for (k,) in self.db.execute("select key from embeddings where coalesce(kind, 'question') = ?",
                                               [self.kind]) if k not in keep]
        delete_rows(self.db, "embeddings", "key", stale)
        return len(stale)


def save_embeddings(db: sqlite_utils.Database, vectors: dict[str, bytes], *, keep: set[str], kind: str = "question") -> None:
    """Store a run's new vectors of one kind and drop the others of that kind it did not use."""
    cache = EmbeddingCache(db, kind)
    with db.conn:
        cache.put_many(vectors)
        cache.keep_only(keep)


def clear_embeddings(db: sqlite_utils.Database) -> None:
    """Forget every cached vector and the fitted matcher (after an erasure: both derive from the
    erased texts; the next `miner mine` recomputes them, lookups re-fit until then)."""
    if db["embeddings"].exists():
        db.execute("delete from embeddings")
    clear_faq_model(db)
