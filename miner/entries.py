"""The one owner of an FAQ entry's derived facts: its statistics, its month counts, the events of its
history (with the texts that tell editors an answer moved) and the answer a reader or moderator sees.

The FAQ step, editors' corrections and `miner forget` all change which questions an entry holds;
they call these functions so an entry's size, threads, first/last asked and months mean the same
thing whoever changed it last. The pure functions take question rows (``thread``, ``asked_at``);
``recount`` and ``answer_to_show`` read and write through ``miner.store``.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Iterable

from miner import store


def statistics(questions: list[dict]) -> dict:
    """``size``, ``threads``, ``first_asked``, ``last_asked`` of an entry holding ``questions``."""
    asked = sorted(q["asked_at"] for q in questions if q.get("asked_at"))
    return {
        "size": len(questions),
        "threads": len({q["thread"] for q in questions}),
        "first_asked": asked[0] if asked else None,
        "last_asked": asked[-1] if asked else None,
    }


def month_counts(questions: Iterable[dict]) -> dict[str, int]:
    """Questions per month (``YYYY-MM``) by when they were asked."""
    return dict(sorted(Counter(q["asked_at"][:7] for q in questions if q.get("asked_at")).items()))


def month_rows(faq_id: int, questions: Iterable[dict]) -> list[dict]:
    """The ``faq_months`` rows of one entry."""
    return [{"id": f"{faq_id}:{month}", "faq_id": faq_id, "month": month, "questions": count}
            for month, count in month_counts(questions).items()]


def event(faq_id: int | None, kind: str, detail: str, *, run: int | None = None, others: Iterable[int] = (),
          at: str | None = None, editor: str | None = None) -> dict:
    """One ``faq_history`` row: birth, split, merge, retire, revive, reattach, move, erasure, ...
    (``editor``: who made the change, for an editor's correction)."""
    return {"run": run, "faq_id": faq_id, "event": kind, "other_faqs": json.dumps(list(others)),
            "detail": detail, "at": at or store.now(), "editor": editor}


def reattach_event(old: int, new: int | None, answer_ids: list[int], note: str, *, run: int | None = None,
                   others: Iterable[int] | None = None, at: str | None = None, editor: str | None = None) -> dict:
    """The history row that tells editors an entry's answers are now shown under ``new``, or stay on
    the retired entry when it has no successor (``new`` None); ``note`` says which entry or why."""
    listed = ", ".join(f"#{a}" for a in answer_ids)
    where = f"steht jetzt bei Eintrag #{new}" if new is not None else "bleibt beim aufgelösten Eintrag (kein Nachfolger)"
    return event(new if new is not None else old, "reattach",
                 f"Antwort {listed} von Eintrag #{old} ({note}) {where}; bitte prüfen, ob sie noch passt",
                 run=run, others=[old] if others is None else others, at=at, editor=editor)


def recount(db: store.Database, faq_ids: Iterable[int], run: int | None = None) -> None:
    """Recompute statistics and months of entries after their questions changed (caller's transaction)."""
    for faq_id in sorted({i for i in faq_ids if i is not None}):
        questions = store.load_rows(db, "questions", "faq_id", [faq_id])
        update = {"id": faq_id, **statistics(questions)}
        if run is not None:
            update["updated_run"] = run
        store.save_faq(db, update)
        store.delete_rows(db, "faq_months", "faq_id", [faq_id])
        store.save_rows(db, "faq_months", month_rows(faq_id, questions))


def answer_to_show(db: store.Database, faq_id: int) -> dict | None:
    """The answer a moderator should quote: the current one if published, else the latest published
    one (a draft being reworked does not hide what readers already see), else the draft."""
    current = store.load_current_answer(db, faq_id)
    if current is None or current["status"] == "published":
        return current
    return store.load_latest_published_answer(db, faq_id) or current
