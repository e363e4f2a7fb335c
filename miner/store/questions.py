"""What the questions step reads and writes: threads and posts in, questions, relevance and mining state out."""

from __future__ import annotations

from typing import Iterable

import sqlite_utils

from miner.store.rows import chunks, delete_rows, marks, upsert


MINING_POST_COLUMNS = ("id, forum, thread, post_number, post_type, author, created_at, updated_at, text, deleted, "
                       "version")


def load_threads_for_mining(db: sqlite_utils.Database, thread_ids: Iterable[str] | None = None) -> list[dict]:
    """Threads with what the questions step needs (title, starter, current relevance)."""
    sql = ("select id, forum, title, starter, created_at, relevant, relevance, relevance_reason, messengers "
           "from threads")
    if thread_ids is None:
        return list(db.query(sql + " order by id"))
    rows: list[dict] = []
    for chunk in chunks(thread_ids):
        rows += db.query(sql + f" where id in ({marks(chunk)}) order by id", chunk)
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


def save_thread_questions(db: sqlite_utils.Database, thread: str, changed: list[dict], delete: list[str],
                          state: dict) -> None:
    """Write one thread's question changes and its mining state (caller wraps in a transaction).

    Upserts only the given columns, so ``faq_id`` set by the FAQ step survives on unchanged questions."""
    delete_rows(db, "questions", "id", delete)
    upsert(db, "questions", changed)
    upsert(db, "mining_state", [state])


def save_relevance(db: sqlite_utils.Database, table: str, rows: list[dict]) -> None:
    """Update relevance columns of threads or questions by id (caller wraps in a transaction)."""
    upsert(db, table, rows)


def load_thread_questions(db: sqlite_utils.Database, thread_id: str) -> list[dict]:
    """Questions of one thread, the starter's first-post questions first."""
    return list(db.query(
        """select * from questions where thread = ?
           order by coalesce(in_first_post, 0) desc, coalesce(asked_by_starter, 0) desc, position""",
        [thread_id],
    ))


def load_thread_contexts(db: sqlite_utils.Database, thread_ids: Iterable[str], max_chars: int = 400) -> dict[str, str]:
    """Thread title plus the accepted answer (else the first reply): what a terse question is about."""
    wanted = sorted(set(t for t in thread_ids if t))
    result: dict[str, str] = {}
    for chunk in chunks(wanted):
        rows = db.query(
            f"""select t.id, t.title,
                 (select p.text from posts p where p.thread = t.id and p.is_accepted_answer = 1
                  and coalesce(p.deleted, 0) = 0 order by p.post_number limit 1) as accepted,
                 (select p.text from posts p where p.thread = t.id and p.post_number > 1
                  and coalesce(p.deleted, 0) = 0 order by p.post_number limit 1) as reply
               from threads t where t.id in ({marks(chunk)})""",
            chunk,
        )
        for row in rows:
            answer = (row["accepted"] or row["reply"] or "")[:max_chars]
            result[row["id"]] = " ".join(part for part in (row["title"] or "", answer) if part)
    return result
