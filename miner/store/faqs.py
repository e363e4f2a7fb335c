"""FAQ entries: what the FAQ step, editors and the matcher read and write (entries, members, runs,
history, corrections, answers, the fitted matcher beside the database)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable

import sqlite_utils

from miner.store.connection import database_path, now
from miner.store.rows import count_rows, first_row, load_rows, save_rows


def active_faq_count(db: sqlite_utils.Database) -> int:
    return count_rows(db, "faqs", "status = 'active'")


def has_active_faqs(db: sqlite_utils.Database) -> bool:
    """Whether any entry is active (an entry without status counts as active)."""
    return first_row(db, "select 1 as x from faqs where coalesce(status, 'active') = 'active' limit 1") is not None


def load_faq(db: sqlite_utils.Database, faq_id: int) -> dict | None:
    return first_row(db, "select * from faqs where id = ?", [faq_id])


def load_faqs_by_id(db: sqlite_utils.Database, faq_ids: Iterable[int]) -> dict[int, dict]:
    return {row["id"]: row for row in load_rows(db, "faqs", "id", dict.fromkeys(faq_ids))}


def load_faqs(db: sqlite_utils.Database) -> dict[int, dict]:
    """All FAQ entries by id, including retired ones (they are never deleted)."""
    return {row["id"]: row for row in db.query("select * from faqs order by id")}


def list_faqs(db: sqlite_utils.Database, include_retired: bool = False) -> list[dict]:
    where = "" if include_retired else "where status = 'active'"
    return list(db.query(f"select id, title, size, threads, last_asked, status, keywords, successors from faqs {where} order by size desc, id"))


def save_faq(db: sqlite_utils.Database, row: dict) -> int:
    """Upsert one FAQ entry (partial rows update only the given columns)."""
    db["faqs"].upsert(row, pk="id", alter=False)
    return row["id"]


def next_faq_id(db: sqlite_utils.Database) -> int:
    row = db.execute("select max(id) from faqs").fetchone()
    return int(row[0] or 0) + 1


def next_faq_run(db: sqlite_utils.Database) -> int:
    """Run number for faq_history / faqs.updated_run: one more than any recorded."""
    row = db.execute(
        "select max(coalesce(r, 0)) from (select max(run) as r from faq_history "
        "union all select max(updated_run) from faqs union all select max(born_run) from faqs)"
    ).fetchone()
    return int(row[0] or 0) + 1


def load_faq_questions(db: sqlite_utils.Database) -> list[dict]:
    """Questions the FAQ step clusters: relevant ones, oldest first, with their current entry and kind."""
    return list(db.query(
        "select id, thread, text, kind, asked_at, faq_id, faq_loose from questions where relevant = 1 "
        "and coalesce(text, '') != '' order by asked_at, id"
    ))


def load_linked_question_ids(db: sqlite_utils.Database) -> set[str]:
    """Questions that currently point at an entry (to unlink those no longer relevant)."""
    return {row["id"] for row in db.query("select id from questions where faq_id is not null")}


def load_live_faq_members(db: sqlite_utils.Database) -> list[dict]:
    """Relevant questions of active entries, with their entry (what the matcher compares against)."""
    return list(db.query(
        "select q.id, q.thread, q.text, q.faq_id from questions q join faqs f on f.id = q.faq_id "
        "where q.relevant = 1 and f.status = 'active' order by q.id"
    ))


def load_faq_members(db: sqlite_utils.Database, faq_id: int) -> list[str]:
    return [r["id"] for r in db.query("select id from questions where faq_id = ? order by id", [faq_id])]


def faq_question_stats(db: sqlite_utils.Database, faq_ids: Iterable[int]) -> list[dict]:
    """The remaining questions of some FAQ entries, for re-counting them."""
    return load_rows(db, "questions", "faq_id", faq_ids)


def load_faq_question_texts(db: sqlite_utils.Database, faq_id: int) -> list[dict]:
    """``id`` and ``text`` of an entry's questions, by id (what `miner faq show` lists)."""
    return list(db.query("select id, text from questions where faq_id = ? order by id", [faq_id]))


def load_active_members_with_topic(db: sqlite_utils.Database) -> list[dict]:
    """``faq_id`` and the thread's ``topic_id`` of every question in an active entry."""
    return list(db.query("select questions.faq_id, threads.topic_id from questions join threads on threads.id = questions.thread"
                         " join faqs on faqs.id = questions.faq_id where faqs.status = 'active'"))


def load_question(db: sqlite_utils.Database, question_id: str) -> dict | None:
    rows = list(db.query("select * from questions where id = ?", [question_id]))
    return rows[0] if rows else None


def set_question_faq(db: sqlite_utils.Database, question_ids: Iterable[str], faq_id: int | None) -> None:
    db.conn.executemany("update questions set faq_id = ? where id = ?", [(faq_id, q) for q in question_ids])


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


def save_faq_history(db: sqlite_utils.Database, events: list[dict]) -> None:
    if events:
        db["faq_history"].insert_all(events, pk="id", alter=False)


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


def load_corrections(db: sqlite_utils.Database) -> list[dict]:
    """Active editor corrections in the order they were made (later ones win)."""
    return list(db.query("select * from corrections where coalesce(active, 1) = 1 order by id"))


def last_correction_id(db: sqlite_utils.Database) -> int:
    return int(db.execute("select coalesce(max(id), 0) from corrections").fetchone()[0])


def load_corrections_after(db: sqlite_utils.Database, correction_id: int) -> list[dict]:
    return list(db.query("select * from corrections where id > ? order by id", [correction_id]))


def save_correction(db: sqlite_utils.Database, correction: dict) -> int:
    """Record an editor correction; returns its id (applied by the caller in the same unit of work)."""
    row = {"at": now(), "active": 1, **correction}
    return db["corrections"].insert(row, pk="id", alter=False).last_pk


def load_answer_ids_by_faq(db: sqlite_utils.Database) -> dict[int, list[int]]:
    """Read-only view of which entries carry answers (the FAQ step never writes `answers`)."""
    result: dict[int, list[int]] = {}
    for row in db.query("select id, faq_id from answers where faq_id is not null order by id"):
        result.setdefault(row["faq_id"], []).append(row["id"])
    return result


def load_published_faq_ids(db: sqlite_utils.Database) -> set[int]:
    """Entries with a published answer (readers see it; re-mining must not take the entry away)."""
    return {row["faq_id"] for row in db.query(
        "select distinct faq_id from answers where faq_id is not null and status = 'published'")}


def load_current_answer(db: sqlite_utils.Database, faq_id: int) -> dict | None:
    """The latest revision of an entry's answer, draft or published (the ``current_answers`` view)."""
    return first_row(db, "select * from current_answers where faq_id = ?", [faq_id])


def load_latest_published_answer(db: sqlite_utils.Database, faq_id: int) -> dict | None:
    return first_row(
        db, "select * from answers where faq_id = ? and status = 'published' order by id desc limit 1", [faq_id])


def save_answer(db: sqlite_utils.Database, row: dict) -> int:
    """Append one answer revision; answers are never updated or deleted."""
    cursor = db.execute(
        "insert into answers (faq_id, body, status, editor, created_at) values (:faq_id, :body, :status, :editor, :created_at)",
        row,
    )
    return cursor.lastrowid


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
