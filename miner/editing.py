"""What editors and moderators change from the browser: answers, corrections, thread links.

Functions take a plain ``sqlite3.Connection`` (Datasette's write thread hands one over) and do one
unit of work in one transaction. Answers are only ever appended; corrections are stored as rows in
``corrections`` (which every later ``miner mine`` honours) and applied to faqs/questions at once.
"""

from __future__ import annotations

import json
import re
import sqlite3
from urllib.parse import urlsplit

from miner.errors import UsageError
from miner.store import now

ANSWER_STATUSES = ("draft", "published")
MAX_ANSWER_CHARS = 50_000
THREAD_PATH = re.compile(r"^(?P<prefix>.*?)/t/(?:[^/]+/)?(?P<topic>\d+)(?:/\d+)?/?$")


def _faq_exists(conn: sqlite3.Connection, faq_id: int) -> None:
    if conn.execute("select 1 from faqs where id = ?", [faq_id]).fetchone() is None:
        raise UsageError(f"There is no FAQ entry {faq_id}.", hint="Pick an entry from the FAQ page.")


def save_answer(conn: sqlite3.Connection, faq_id: int, body: str, status: str, editor: str) -> int:
    """Append one answer revision (the latest is current); returns its id."""
    if status not in ANSWER_STATUSES:
        raise UsageError(f"Answer status must be draft or published, not {status!r}.")
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise UsageError("The answer is empty.", hint="Write the answer in Markdown before saving.")
    if len(body) > MAX_ANSWER_CHARS:
        raise UsageError(f"The answer has {len(body)} characters; at most {MAX_ANSWER_CHARS} are kept.")
    with conn:
        _faq_exists(conn, faq_id)
        cursor = conn.execute(
            "insert into answers (faq_id, body, status, editor, created_at) values (?, ?, ?, ?, ?)",
            [faq_id, body, status, editor, now()],
        )
    return cursor.lastrowid


def _record(conn: sqlite3.Connection, kind: str, editor: str, faq_id=None, other_faq_id=None, question=None, value=None) -> None:
    conn.execute(
        "insert into corrections (kind, faq_id, other_faq_id, question, value, editor, at, active)"
        " values (?, ?, ?, ?, ?, ?, ?, 1)",
        [kind, faq_id, other_faq_id, question, value, editor, now()],
    )


def _history(conn: sqlite3.Connection, faq_id: int, event: str, others: list[int], detail: str) -> None:
    conn.execute(
        "insert into faq_history (run, faq_id, event, other_faqs, detail, at) values (null, ?, ?, ?, ?, ?)",
        [faq_id, event, json.dumps(others), detail, now()],
    )


def recount(conn: sqlite3.Connection, faq_id: int) -> None:
    """Size, threads, first/last asked and questions per month of one entry, from its questions."""
    size, threads, first, last = conn.execute(
        "select count(*), count(distinct thread), min(asked_at), max(asked_at) from questions where faq_id = ?",
        [faq_id],
    ).fetchone()
    conn.execute(
        "update faqs set size = ?, threads = ?, first_asked = ?, last_asked = ? where id = ?",
        [size, threads, first, last, faq_id],
    )
    conn.execute("delete from faq_months where faq_id = ?", [faq_id])
    conn.execute(
        "insert into faq_months (id, faq_id, month, questions)"
        " select ? || ':' || substr(asked_at, 1, 7), faq_id, substr(asked_at, 1, 7), count(*)"
        " from questions where faq_id = ? and asked_at is not null group by substr(asked_at, 1, 7)",
        [str(faq_id), faq_id],
    )


def rename_entry(conn: sqlite3.Connection, faq_id: int, title: str, editor: str) -> None:
    title = " ".join((title or "").split())
    if not title:
        raise UsageError("The new title is empty.")
    with conn:
        _faq_exists(conn, faq_id)
        _record(conn, "rename", editor, faq_id=faq_id, value=title)
        conn.execute("update faqs set title = ?, title_by_editor = 1 where id = ?", [title, faq_id])
        _history(conn, faq_id, "rename", [], title)


def merge_entries(conn: sqlite3.Connection, faq_id: int, into_faq_id: int, editor: str) -> None:
    """Merge entry ``faq_id`` into ``into_faq_id``: its questions move, it retires with a successor."""
    if faq_id == into_faq_id:
        raise UsageError("An entry cannot be merged into itself.")
    with conn:
        _faq_exists(conn, faq_id)
        _faq_exists(conn, into_faq_id)
        _record(conn, "merge", editor, faq_id=faq_id, other_faq_id=into_faq_id)
        conn.execute("update questions set faq_id = ? where faq_id = ?", [into_faq_id, faq_id])
        conn.execute(
            "update faqs set status = 'retired', successors = ? where id = ?", [json.dumps([into_faq_id]), faq_id]
        )
        recount(conn, faq_id)
        recount(conn, into_faq_id)
        _history(conn, faq_id, "merge", [into_faq_id], f"merged into {into_faq_id} by an editor")


def move_question(conn: sqlite3.Connection, question_id: str, to_faq_id: int, editor: str) -> None:
    """Move one question to another entry (a correction the clustering will keep)."""
    with conn:
        row = conn.execute("select faq_id from questions where id = ?", [question_id]).fetchone()
        if row is None:
            raise UsageError(f"There is no question {question_id!r}.")
        _faq_exists(conn, to_faq_id)
        _record(conn, "move", editor, faq_id=row[0], other_faq_id=to_faq_id, question=question_id)
        conn.execute("update questions set faq_id = ? where id = ?", [to_faq_id, question_id])
        if row[0] is not None:
            recount(conn, row[0])
        recount(conn, to_faq_id)


def mark_not_faq(conn: sqlite3.Connection, faq_id: int, editor: str) -> None:
    """The entry is not a real FAQ (chatter, off topic): it leaves the FAQ page for good."""
    with conn:
        _faq_exists(conn, faq_id)
        _record(conn, "not_faq", editor, faq_id=faq_id)
        conn.execute("update faqs set status = 'not_faq' where id = ?", [faq_id])
        _history(conn, faq_id, "not_faq", [], "marked not-FAQ by an editor")


def thread_id_for_url(url: str) -> str | None:
    """forum:topic_id for a Discourse thread URL (https://host/t/slug/123[/4] or /t/123)."""
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    match = THREAD_PATH.match(parts.path)
    if not match:
        return None
    forum = (parts.netloc + match.group("prefix")).lower()
    return f"{forum}:{match.group('topic')}"


def link_thread(conn: sqlite3.Connection, thread_url: str, faq_id: int, linked_by: str, reply_url: str | None = None) -> bool:
    """Record that a thread was answered with an entry; True if new, False if it was already linked."""
    thread = thread_id_for_url(thread_url)
    if thread is None:
        raise UsageError(f"{thread_url!r} is not a forum thread URL.", hint="Paste a URL like https://forum/t/slug/123.")
    with conn:
        _faq_exists(conn, faq_id)
        known = conn.execute("select id from threads where id = ?", [thread]).fetchone()
        cursor = conn.execute(
            "insert or ignore into thread_links (thread_url, thread, faq_id, linked_by, linked_at, reply_url)"
            " values (?, ?, ?, ?, ?, ?)",
            [thread_url.strip(), known[0] if known else thread, faq_id, linked_by, now(), reply_url],
        )
    return cursor.rowcount == 1
