"""The Datasette plugin's read queries: plain SQL on the one sqlite3 connection a page is built on.

Why a module of its own: the pages run on Datasette's connections (``execute_fn``), not through
``miner.store``'s sqlite-utils wrapper, and reading pages must stay fast on a large corpus. The page
modules (``miner.pages``, ``miner.faq_search``, ``miner.answer_sources``, ``miner.plugins.thread_view``,
``miner.plugins.workbench``) only turn these rows into what a template shows. Everything here
returns plain rows (tuples) or dicts of plain values: no markup, no links.
"""

from __future__ import annotations

import sqlite3

ENTRY_COLUMNS = "id, title, keywords, size, threads, first_asked, last_asked, section_id"


def _marks(values: list) -> str:
    return ",".join("?" * len(values))


# ---------------------------------------------------------------- FAQ entries (/faq, /faq/ID, the editor)


def latest_answer_rows(conn: sqlite3.Connection, faq_ids: list[int], include_drafts: bool) -> list[tuple]:
    """(faq_id, body, status, editor, created_at) of each entry's newest (published) answer."""
    if not faq_ids:
        return []
    status = "" if include_drafts else "and status = 'published'"
    return conn.execute(
        f"select a.faq_id, a.body, a.status, a.editor, a.created_at from answers a join "
        f"(select faq_id, max(id) as id from answers where faq_id in ({_marks(faq_ids)}) {status} group by faq_id) l "
        f"on l.id = a.id",
        faq_ids,
    ).fetchall()


def answer_revision_rows(conn: sqlite3.Connection, faq_id: int) -> list[tuple]:
    """(id, body, status, editor, created_at) of every answer revision of one entry, newest first."""
    return conn.execute(
        "select id, body, status, editor, created_at from answers where faq_id = ? order by id desc", [faq_id]).fetchall()


def entry_months(conn: sqlite3.Connection, faq_id: int) -> dict[str, int]:
    """Questions per month (``faq_months``; counted from the questions for entries without rows there)."""
    rows = conn.execute("select month, questions from faq_months where faq_id = ?", [faq_id]).fetchall()
    if not rows:
        rows = conn.execute(
            "select substr(asked_at, 1, 7), count(*) from questions where faq_id = ? and asked_at is not null group by 1",
            [faq_id],
        ).fetchall()
    return {m: n for m, n in rows if m}


def review_flags(conn: sqlite3.Connection, faq_ids: list[int]) -> dict[int, dict]:
    """Entries whose questions kept coming after their published answer ("Antwort prüfen"):
    id -> {count, answered_at}; the same rule as the canned query answer_may_need_update."""
    if not faq_ids:
        return {}
    rows = conn.execute(
        f"with published as (select faq_id, max(created_at) as answered_at from answers"
        f" where status = 'published' and faq_id in ({_marks(faq_ids)}) group by faq_id)"
        " select published.faq_id, published.answered_at, count(questions.id) from published"
        " join questions on questions.faq_id = published.faq_id and questions.asked_at > published.answered_at"
        " group by published.faq_id", faq_ids).fetchall()
    return {r[0]: {"count": r[2], "answered_at": r[1]} for r in rows}


def sections_of(conn: sqlite3.Connection) -> list[dict]:
    """Sections with their active entries' count, in page order; entries without a section last."""
    rows = conn.execute(
        "select faq_sections.id, faq_sections.title, count(faqs.id), coalesce(sum(faqs.size), 0) from faq_sections"
        " join faqs on faqs.section_id = faq_sections.id and faqs.status = 'active'"
        " group by faq_sections.id order by faq_sections.position, faq_sections.id").fetchall()
    sections = [{"id": r[0], "title": r[1], "count": r[2], "questions": r[3]} for r in rows]
    loose = conn.execute("select count(*), coalesce(sum(size), 0) from faqs where status = 'active' and"
                         " (section_id is null or section_id not in (select id from faq_sections))").fetchone()
    if loose[0]:
        sections.append({"id": None, "title": None, "count": loose[0], "questions": loose[1]})
    return sections


def entry_rows(conn: sqlite3.Connection, faq_ids: list[int]) -> list[tuple]:
    """``ENTRY_COLUMNS`` of these entries (any order)."""
    return conn.execute(f"select {ENTRY_COLUMNS} from faqs where id in ({_marks(faq_ids)})", faq_ids).fetchall()


def contents_rows(conn: sqlite3.Connection, limit: int, offset: int) -> list[tuple]:
    """``ENTRY_COLUMNS`` of active entries in page order: by section, then the largest first."""
    return conn.execute(
        f"select {ENTRY_COLUMNS} from faqs left join (select id as sid, position from faq_sections) s"
        " on s.sid = faqs.section_id where status = 'active'"
        " order by s.position is null, s.position, size desc, id limit ? offset ?",
        [limit, offset]).fetchall()


def entry_row(conn: sqlite3.Connection, faq_id: int) -> tuple | None:
    """``ENTRY_COLUMNS`` of one entry, then its status and successors (JSON)."""
    return conn.execute(f"select {ENTRY_COLUMNS}, status, successors from faqs where id = ?", [faq_id]).fetchone()


def editor_entry_row(conn: sqlite3.Connection, faq_id: int) -> tuple | None:
    """(id, title, keywords, size, status, section_id) of one entry, for the answer editor."""
    return conn.execute("select id, title, keywords, size, status, section_id from faqs where id = ?",
                        [faq_id]).fetchone()


def section_row(conn: sqlite3.Connection, section_id: int | None) -> tuple | None:
    """(id, title) of one section."""
    return conn.execute("select id, title from faq_sections where id = ?", [section_id]).fetchone()


def question_count(conn: sqlite3.Connection, faq_id: int) -> int:
    return conn.execute("select count(*) from questions where faq_id = ?", [faq_id]).fetchone()[0]


def entry_question_rows(conn: sqlite3.Connection, faq_id: int, limit: int, offset: int) -> list[tuple]:
    """(id, text, asked_at, thread title, thread url, thread id) of an entry's questions, newest first."""
    return conn.execute(
        "select questions.id, questions.text, questions.asked_at, threads.title, threads.url, threads.id from questions"
        " join threads on threads.id = questions.thread where questions.faq_id = ?"
        " order by questions.asked_at desc, questions.id limit ? offset ?",
        [faq_id, limit, offset]).fetchall()


def editor_question_rows(conn: sqlite3.Connection, faq_id: int, limit: int, offset: int) -> list[tuple]:
    """(id, text, asked_at) of an entry's questions, the most typical first (what an answer must cover)."""
    return conn.execute(
        "select id, text, asked_at from questions where faq_id = ? order by faq_similarity desc, asked_at desc"
        " limit ? offset ?", [faq_id, limit, offset]).fetchall()


def source_thread_rows(conn: sqlite3.Connection, faq_id: int) -> list[tuple]:
    """(title, url, questions, created_at, id) of the 20 threads most of an entry's questions come from."""
    return conn.execute(
        "select threads.title, threads.url, n, threads.created_at, threads.id from (select thread, count(*) as n from questions"
        " where faq_id = ? group by thread order by n desc limit 20) s join threads on threads.id = s.thread"
        " order by n desc, threads.created_at desc", [faq_id]).fetchall()


def history_rows(conn: sqlite3.Connection, faq_id: int, limit: int) -> list[tuple]:
    """(event, detail, at) of an entry's history, newest first."""
    return conn.execute(
        "select event, detail, at from faq_history where faq_id = ? order by id desc limit ?",
        [faq_id, limit]).fetchall()


def forum_exists(conn: sqlite3.Connection, forum: str) -> bool:
    return conn.execute("select 1 from forums where id = ?", [forum]).fetchone() is not None


# ---------------------------------------------------------------- search on /faq (FTS5, prefix queries)


def title_hits(conn: sqlite3.Connection, query: str) -> list[tuple]:
    """(faq_id, bm25) of active entries whose title or keywords match."""
    return conn.execute(
        "with hits as materialized (select rowid, bm25(faqs_fts) as score from faqs_fts where faqs_fts match ?)"
        " select faqs.id, hits.score from hits join faqs on faqs.rowid = hits.rowid where faqs.status = 'active'",
        [query]).fetchall()


def answer_hits(conn: sqlite3.Connection, query: str, include_drafts: bool) -> list[tuple]:
    """(faq_id, bm25) of active entries whose current answer matches."""
    drafts = "" if include_drafts else "where status = 'published'"
    return conn.execute(  # the full-text match runs first (materialized), then the few joins
        "with hits as materialized (select rowid, bm25(answers_fts) as score from answers_fts where answers_fts match ?),"
        f" current as (select max(id) as id from answers {drafts} group by faq_id)"
        " select answers.faq_id, hits.score from hits join answers on answers.rowid = hits.rowid"
        " join current on current.id = answers.id join faqs on faqs.id = answers.faq_id"
        " where faqs.status = 'active'", [query]).fetchall()


def question_hits(conn: sqlite3.Connection, query: str, limit: int) -> list[tuple]:
    """(faq_id, bm25, rowid, text) of the newest ``limit`` matching questions of active entries."""
    return conn.execute(
        "with hits as materialized (select rowid, bm25(questions_fts) as score"
        " from questions_fts where questions_fts match ? order by rowid desc limit ?)"
        " select questions.faq_id, hits.score, hits.rowid, questions.text from hits"
        " join questions on questions.rowid = hits.rowid"
        " join faqs on faqs.id = questions.faq_id where faqs.status = 'active'", [query, limit]).fetchall()


def post_hits(conn: sqlite3.Connection, query: str, limit: int) -> list[tuple]:
    """(faq_id, bm25, post rowid) of the newest ``limit`` matching posts a question of an active entry was asked in."""
    return conn.execute(
        "with hits as materialized (select rowid, bm25(posts_fts) as score"
        " from posts_fts where posts_fts match ? order by rowid desc limit ?)"
        " select distinct questions.faq_id, hits.score, hits.rowid from hits join posts on posts.rowid = hits.rowid"
        " join questions on questions.thread = posts.thread and questions.post = posts.id"  # the thread index
        " join faqs on faqs.id = questions.faq_id"
        " where faqs.status = 'active'", [query, limit]).fetchall()


def texts_by_rowid(conn: sqlite3.Connection, table: str, rowids: list[int]) -> dict[int, str]:
    """rowid -> text of these rows of ``questions`` or ``posts``."""
    if table not in ("questions", "posts"):
        raise ValueError(f"no text column to read in {table!r}")
    if not rowids:
        return {}
    return dict(conn.execute(f"select rowid, text from {table} where rowid in ({_marks(rowids)})", rowids).fetchall())


# ---------------------------------------------------------------- the answer editor's forum sources


def entry_keywords(conn: sqlite3.Connection, faq_id: int) -> str:
    """An entry's keywords as stored (comma-separated; '' for none or an unknown entry)."""
    row = conn.execute("select coalesce(keywords, '') from faqs where id = ?", [faq_id]).fetchone()
    return row[0] if row else ""


def source_reply_rows(conn: sqlite3.Connection, faq_id: int, threads: int) -> list[tuple]:
    """Replies (not opening posts, not deleted, not tiny) in the ``threads`` threads most of an entry's
    questions come from: (post id, thread, post_number, author, created_at, text, html, accepted,
    likes, thread title, thread url, thread starter, the entry's questions in that thread)."""
    return conn.execute(
        "with sources as (select thread, count(*) as n from questions where faq_id = ? group by thread"
        " order by n desc limit ?)"
        " select posts.id, posts.thread, posts.post_number, posts.author, posts.created_at, posts.text, posts.html,"
        " coalesce(posts.is_accepted_answer, 0), coalesce(posts.like_count, 0), threads.title, threads.url,"
        " threads.starter, sources.n"
        " from sources join posts on posts.thread = sources.thread join threads on threads.id = posts.thread"
        " where posts.post_number > 1 and coalesce(posts.deleted, 0) = 0 and coalesce(posts.post_type, 1) = 1"
        " and length(coalesce(posts.text, '')) > 40",
        [faq_id, threads]).fetchall()


# ---------------------------------------------------------------- /-/thread/<id>


def thread_row(conn: sqlite3.Connection, thread_id: str) -> tuple | None:
    """(id, title, url, created_at, posts_count, forum title) of one stored thread."""
    return conn.execute(
        "select threads.id, threads.title, threads.url, threads.created_at, threads.posts_count, forums.title"
        " from threads left join forums on forums.id = threads.forum where threads.id = ?",
        [thread_id]).fetchone()


def thread_post_rows(conn: sqlite3.Connection, thread_id: str, limit: int) -> list[tuple]:
    """(post_number, author, created_at, html, accepted) of a thread's posts in order, deleted ones left out."""
    return conn.execute(
        "select post_number, author, created_at, html, is_accepted_answer from posts"
        " where thread = ? and coalesce(deleted, 0) = 0 order by post_number limit ?", [thread_id, limit]).fetchall()


# ---------------------------------------------------------------- the moderators' lookup


def matcher_stamp(db_path: str) -> tuple[int, int]:
    """(last mining run, corrections so far): the cached matcher is stale when this changes."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute(
            "select (select coalesce(max(id), 0) from mining_runs), (select count(*) from corrections)"
        ).fetchone()
    finally:
        conn.close()
