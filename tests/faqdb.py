"""Helpers for FAQ tests: a database filled with the dev set's questions (one thread each)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from miner import store

DEV = Path(__file__).parent / "data" / "faq_dev.csv"


def dev_rows() -> list[dict]:
    return list(csv.DictReader(DEV.open(encoding="utf-8")))


def add_questions(db, rows: list[dict], *, answers: dict[str, str] | None = None) -> None:
    """Insert threads, a first post, an optional reply, and one relevant question per row."""
    with db.conn:
        store.save_rows(db, "forums", [{"id": "f", "base_url": "http://f"}])
        store.save_rows(db, "threads", [{"id": f"f:{r['id']}", "forum": "f", "title": r.get("title", r["text"])} for r in rows])
        store.save_rows(db, "posts", [{"id": f"f:p{r['id']}", "forum": "f", "thread": f"f:{r['id']}", "post_number": 1,
                                       "text": r["text"]} for r in rows])
        if answers:
            store.save_rows(db, "posts", [{"id": f"f:a{r['id']}", "forum": "f", "thread": f"f:{r['id']}", "post_number": 2,
                                           "text": answers[r["id"]], "is_accepted_answer": 1} for r in rows if r["id"] in answers])
        store.save_rows(db, "questions", [{
            "id": f"q{r['id']}", "forum": "f", "thread": f"f:{r['id']}", "post": f"f:p{r['id']}", "position": 0,
            "text": r["text"], "kind": "explicit", "relevant": 1,
            "asked_at": f"2025-{int(''.join(c for c in r['id'] if c.isdigit()) or 0) % 12 + 1:02d}-15T10:00:00Z",
        } for r in rows])


def mined_dev_db(path: Path, questions: int = 160) -> Path:
    """A database mined (the FAQ step, defaults) from the first dev-set questions: entries to correct and list."""
    from miner.faqs import update_faqs

    db = store.open_db(path)
    add_questions(db, dev_rows()[:questions])
    update_faqs(db)
    db.conn.close()
    return path


def split_dev(share_new: float = 0.2, seed: int = 1) -> tuple[list[dict], list[dict]]:
    rows = dev_rows()
    random.Random(seed).shuffle(rows)
    cut = int(len(rows) * (1 - share_new))
    return rows[:cut], rows[cut:]


def assignment(db) -> dict[str, int | None]:
    return {r["id"]: r["faq_id"] for r in db.query("select id, faq_id from questions order by id")}
