"""The schema in one place: tables, indexes, full-text search, views and migrations.

Table names are a contract with researchers; add columns freely, never rename. The schema is
declarative (``TABLES``): ``ensure_schema`` creates missing tables and adds missing columns, so an old
database is upgraded in place and nothing stored is lost. Changes that are not additive go into
``MIGRATIONS`` (run once each, tracked in ``PRAGMA user_version``); the one data migration that needs
the pseudonym key (``migrate_erasures``) cannot run when a file is opened and runs where the key is
at hand (the look-ups of erased people).
"""

from __future__ import annotations

from typing import Callable

import sqlite_utils

from miner.keys import erasure_key


FTS_TOKENIZE = "unicode61 remove_diacritics 2"


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
            "medoid_question": str,  # the title question: near the centre AND clear on its own words, not strictly the medoid
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


def migrate_erasures(db: sqlite_utils.Database, key: bytes) -> int:
    """Replace plain pseudonyms that older versions wrote into ``erasures.author`` by their erasure key.

    A data migration that needs the pseudonym key, which opening a file does not have: the look-ups of
    erased people run it first (a no-op once no old row is left). Returns how many rows it changed."""
    legacy = db.execute("select id, author from erasures where author is not null and author != ''").fetchall()
    if legacy:
        with db.conn:
            for row_id, author in legacy:
                db.execute("update erasures set person = ?, author = null where id = ?",
                           [erasure_key(author, key), row_id])
    return len(legacy)
