"""Reads and writes of FAQ sections (``faq_sections``, ``faqs.section_id`` / ``section_by``)."""

from __future__ import annotations

import sqlite_utils

from miner.store.faqs import save_faq_history
from miner.store.rows import save_rows


def load_sections(db: sqlite_utils.Database) -> dict[int, dict]:
    return {r["id"]: r for r in db.query("select * from faq_sections")}


def load_entry_sections(db: sqlite_utils.Database) -> dict[int, dict]:
    return {r["id"]: r for r in db.query("select id, status, section_id, section_by from faqs")}


def load_section_members(db: sqlite_utils.Database, section_id: int) -> list[int]:
    return [r[0] for r in db.execute("select id from faqs where section_id = ? and status = 'active' order by id",
                                      [section_id]).fetchall()]


def save_section(db: sqlite_utils.Database, row: dict) -> None:
    save_rows(db, "faq_sections", [row])


def set_entry_section(db: sqlite_utils.Database, faq_id: int, section_id: int | None, editor: str | None) -> None:
    db.execute("update faqs set section_id = ?, section_by = ? where id = ?", [section_id, editor, faq_id])


def save_section_run(db: sqlite_utils.Database, sections: list[dict], moves: dict[int, int], history: list[dict]) -> None:
    """One transaction: changed sections, computed moves of entries, their history events."""
    with db.conn:
        save_rows(db, "faq_sections", sections)
        db.conn.executemany("update faqs set section_id = ? where id = ?", [(s, f) for f, s in moves.items()])
        save_faq_history(db, history)
