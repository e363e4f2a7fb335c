"""Reads and writes of FAQ sections (``faq_sections``, ``faqs.section_id`` / ``section_by``)."""

from __future__ import annotations

from miner import store


def load_sections(db) -> dict[int, dict]:
    return {r["id"]: r for r in db.query("select * from faq_sections")}


def load_entry_sections(db) -> dict[int, dict]:
    return {r["id"]: r for r in db.query("select id, status, section_id, section_by from faqs")}


def load_section_members(db, section_id: int) -> list[int]:
    return [r[0] for r in db.execute("select id from faqs where section_id = ? and status = 'active' order by id",
                                      [section_id]).fetchall()]


def save_section(db, row: dict) -> None:
    db["faq_sections"].upsert(row, pk="id", alter=False)


def set_entry_section(db, faq_id: int, section_id: int | None, editor: str | None) -> None:
    db.execute("update faqs set section_id = ?, section_by = ? where id = ?", [section_id, editor, faq_id])


def save_section_run(db, sections: list[dict], moves: dict[int, int], history: list[dict]) -> None:
    """One transaction: changed sections, computed moves of entries, their history events."""
    with db.conn:
        store.save_rows(db, "faq_sections", sections)
        db.conn.executemany("update faqs set section_id = ? where id = ?", [(s, f) for f, s in moves.items()])
        store.save_faq_history(db, history)
