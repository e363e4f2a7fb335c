"""What editors change: corrections (CLI and browser) and answers.

Corrections are recorded in ``corrections`` and applied at once.

Why a table and not just an UPDATE: the next ``miner mine`` re-clusters everything, so a
correction must be replayed as a constraint on every run (``miner.constraints``). These
functions validate the request, record it, and change the entries right away so editors see the
result without re-mining. Nothing here deletes an entry or writes ``answers``.
"""

from __future__ import annotations

import json

from miner import entries, store
from miner.constraints import resolve
from miner.entry_titles import title_text
from miner.errors import UsageError
from miner.i18n import both

ANSWER_STATUSES = ("draft", "published")
MAX_ANSWER_CHARS = 50_000


def _entry(db, faq_id: int, *, live: bool = True) -> dict:
    faqs = store.load_faqs(db)
    if faq_id not in faqs:
        raise UsageError(both(f"Es gibt keinen FAQ-Eintrag #{faq_id}.", f"There is no FAQ entry #{faq_id}."),
                         hint=both("Die Einträge zeigt `miner faq list DB`.", "List entries with `miner faq list DB`."))
    row = faqs[faq_id]
    if live and row["status"] == "retired":
        status = {k: v["status"] for k, v in faqs.items()}
        successors = {k: json.loads(v["successors"] or "[]") for k, v in faqs.items()}
        successor = resolve(faq_id, status, successors) if successors[faq_id] else None
        raise UsageError(both(f"Der FAQ-Eintrag #{faq_id} ist aufgelöst." + (f" Sein Nachfolger ist #{successor}." if successor else ""),
                              f"FAQ entry #{faq_id} is retired." + (f" Its successor is #{successor}." if successor else "")),
                         hint=both("Bitte stattdessen den aktuellen Eintrag korrigieren.", "Correct the live entry instead."))
    return row


def _question(db, question_id: str) -> dict:
    row = store.load_question(db, question_id)
    if row is None:
        raise UsageError(both(f"Es gibt keine Frage {question_id!r}.", f"There is no question {question_id!r}."),
                         hint=both("Die Nummern der Fragen stehen in der Tabelle `questions`.",
                                   "Question ids are in the `questions` table."))
    return row


def _history(db, run: int, faq_id: int, event: str, others: list[int], detail: str, editor: str | None = None) -> None:
    store.save_faq_history(db, [entries.event(faq_id, event, detail, run=run, others=others, editor=editor)])


def _reattach_answers(db, run: int, old: int, new: int, why: str, editor: str | None = None) -> int:
    answers = store.load_answer_ids_by_faq(db).get(old, [])
    if answers:
        store.save_faq_history(db, [entries.reattach_event(old, new, answers, why, run=run, editor=editor)])
    return len(answers)


def rename_faq(db, faq_id: int, title: str, *, editor: str | None = None) -> dict:
    """Give an entry the editor's title; re-mining keeps it."""
    title = " ".join((title or "").split())
    if not title:
        raise UsageError(both("Der neue Titel ist leer.", "The new title is empty."),
                         hint=both("Bitte den Titel in Anführungszeichen angeben.", "Pass the title in quotes."))
    old = _entry(db, faq_id, live=False)
    run = store.next_faq_run(db)
    with db.conn:
        store.save_correction(db, {"kind": "rename", "faq_id": faq_id, "value": title, "editor": editor})
        store.save_faq(db, {"id": faq_id, "title": title, "title_by_editor": 1})
        _history(db, run, faq_id, "rename", [], f"umbenannt von {old['title']!r} in {title!r}", editor)
    return {"faq_id": faq_id, "title": title}


def move_question(db, question_id: str, faq_id: int, *, editor: str | None = None) -> dict:
    """Put one question into another entry; re-mining keeps it there."""
    question = _question(db, question_id)
    _entry(db, faq_id)
    run = store.next_faq_run(db)
    with db.conn:
        store.save_correction(db, {"kind": "move", "faq_id": faq_id, "question": question_id,
                                   "other_faq_id": question["faq_id"], "editor": editor})
        store.set_question_faq(db, [question_id], faq_id)
        entries.recount(db, [faq_id, question["faq_id"]], run)
        _history(db, run, faq_id, "move", [question["faq_id"]] if question["faq_id"] else [],
                 f"Frage {question_id} von #{question['faq_id']} hierher verschoben", editor)
    return {"question": question_id, "from": question["faq_id"], "to": faq_id}


def merge_faqs(db, faq_id: int, other_id: int, *, editor: str | None = None) -> dict:
    """Merge entry ``other_id`` into ``faq_id``: the other is retired with a successor pointer."""
    if faq_id == other_id:
        raise UsageError(both("Ein Eintrag kann nicht mit sich selbst zusammengelegt werden.",
                              "An entry cannot be merged with itself."),
                         hint=both("Bitte die Nummer eines anderen Eintrags angeben.", "Give the id of another entry."))
    _entry(db, faq_id)
    other = _entry(db, other_id)
    members = store.load_faq_members(db, other_id)
    run = store.next_faq_run(db)
    with db.conn:
        store.save_correction(db, {"kind": "merge", "faq_id": faq_id, "other_faq_id": other_id,
                                   "value": json.dumps(members), "editor": editor})
        store.set_question_faq(db, members, faq_id)
        store.save_faq(db, {"id": other_id, "status": "retired", "successors": json.dumps([faq_id]), "size": 0, "updated_run": run})
        entries.recount(db, [faq_id], run)
        _history(db, run, other_id, "merge", [faq_id], f"von der Redaktion mit #{faq_id} zusammengelegt ({other['title']!r})", editor)
        reattached = _reattach_answers(db, run, other_id, faq_id, "Zusammenlegung durch die Redaktion", editor)
    return {"faq_id": faq_id, "merged": other_id, "questions": len(members), "answers_reattached": reattached}


def split_faq(db, faq_id: int, question_ids: list[str], *, editor: str | None = None) -> dict:
    """Move the given questions of an entry into a new entry; returns the new id."""
    if not question_ids:
        raise UsageError(both("Bitte mindestens eine Frage zum Abtrennen nennen.", "Name at least one question to split off."),
                         hint=both("miner faq split DB ID FRAGE_ID...", "miner faq split DB ID QUESTION_ID..."))
    parent = _entry(db, faq_id)
    members = set(store.load_faq_members(db, faq_id))
    outside = [q for q in question_ids if q not in members]
    if outside:
        raise UsageError(both(f"Nicht im Eintrag #{faq_id}: {', '.join(outside)}.", f"Not in entry #{faq_id}: {', '.join(outside)}."),
                         hint=both(f"Seine Fragen zeigt `miner faq list DB --id {faq_id}`.",
                                   f"See its questions with `miner faq list DB --id {faq_id}`."))
    if len(set(question_ids)) == len(members):
        raise UsageError(both("Damit würden alle Fragen verschoben; benennen Sie den Eintrag stattdessen um.",
                              "That would move every question; rename the entry instead."))
    new_id = store.next_faq_id(db)
    run = store.next_faq_run(db)
    first = _question(db, question_ids[0])
    with db.conn:
        store.save_correction(db, {"kind": "split", "faq_id": faq_id, "other_faq_id": new_id,
                                   "value": json.dumps(list(question_ids)), "editor": editor})
        store.save_faq(db, {"id": new_id, "title": title_text(first["text"]), "title_by_editor": 0, "keywords": "", "status": "active",
                            "successors": "[]", "medoid_question": first["id"], "born_run": run, "updated_run": run,
                            "section_id": parent.get("section_id")})  # next to its parent until re-mining
        store.set_question_faq(db, question_ids, new_id)
        entries.recount(db, [faq_id, new_id], run)
        _history(db, run, faq_id, "split", [new_id], f"die Redaktion hat {len(question_ids)} Fragen in #{new_id} abgetrennt", editor)
        _history(db, run, new_id, "birth", [faq_id], f"von der Redaktion aus #{faq_id} abgetrennt", editor)
    return {"faq_id": faq_id, "new_faq_id": new_id, "questions": len(question_ids)}


def mark_not_faq(db, faq_id: int | None = None, *, question: str | None = None, editor: str | None = None) -> dict:
    """Hide an entry (its group stays together but is no FAQ) or take one question out of the FAQ."""
    if (faq_id is None) == (question is None):
        raise UsageError(both("Bitte entweder eine Eintragsnummer oder --question FRAGE_ID angeben.",
                              "Give either an entry id or --question QUESTION_ID."))
    run = store.next_faq_run(db)
    if question is not None:
        row = _question(db, question)
        with db.conn:
            store.save_correction(db, {"kind": "not_faq_question", "question": question, "faq_id": row["faq_id"], "editor": editor})
            store.set_question_faq(db, [question], None)
            entries.recount(db, [row["faq_id"]], run)
            if row["faq_id"] is not None:
                _history(db, run, row["faq_id"], "not_faq_question", [], f"Frage {question} als kein FAQ-Eintrag markiert", editor)
        return {"question": question, "from": row["faq_id"]}
    _entry(db, faq_id, live=False)
    members = store.load_faq_members(db, faq_id)
    with db.conn:
        store.save_correction(db, {"kind": "not_faq", "faq_id": faq_id, "value": json.dumps(members), "editor": editor})
        store.save_faq(db, {"id": faq_id, "status": "not_faq", "updated_run": run})
        _history(db, run, faq_id, "not_faq", [], "von der Redaktion als kein FAQ-Eintrag markiert", editor)
    return {"faq_id": faq_id, "questions": len(members)}


def save_answer(db, faq_id: int, body: str, status: str, editor: str) -> int:
    """Append one answer revision (the latest is current; nothing is ever overwritten); returns its id."""
    if status not in ANSWER_STATUSES:
        raise UsageError(both(f"Der Status einer Antwort ist draft (Entwurf) oder published (veröffentlicht), nicht {status!r}.",
                              f"Answer status must be draft or published, not {status!r}."))
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise UsageError(both("Die Antwort ist leer.", "The answer is empty."),
                         hint=both("Bitte die Antwort vor dem Speichern in Markdown schreiben.",
                                   "Write the answer in Markdown before saving."))
    if len(body) > MAX_ANSWER_CHARS:
        raise UsageError(both(f"Die Antwort hat {len(body)} Zeichen; gespeichert werden höchstens {MAX_ANSWER_CHARS}.",
                              f"The answer has {len(body)} characters; at most {MAX_ANSWER_CHARS} are kept."),
                         hint=both("Bitte kürzen.", "Please shorten it."))
    _entry(db, faq_id, live=False)
    with db.conn:
        return store.save_answer(db, {"faq_id": faq_id, "body": body, "status": status, "editor": editor,
                                      "created_at": store.now()})
