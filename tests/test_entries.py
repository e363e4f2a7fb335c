"""An FAQ entry's statistics, months and history rows: one owner, whoever changed the entry."""

import json

from miner import entries, store

QUESTIONS = [{"id": "q1", "thread": "t1", "asked_at": "2024-05-02T10:00:00Z"},
             {"id": "q2", "thread": "t1", "asked_at": "2024-03-01T09:00:00Z"},
             {"id": "q3", "thread": "t2", "asked_at": None}]


def test_statistics_and_months_of_an_entry():
    assert entries.statistics(QUESTIONS) == {"size": 3, "threads": 2, "first_asked": "2024-03-01T09:00:00Z",
                                             "last_asked": "2024-05-02T10:00:00Z"}
    assert entries.statistics([]) == {"size": 0, "threads": 0, "first_asked": None, "last_asked": None}
    assert entries.month_rows(7, QUESTIONS) == [
        {"id": "7:2024-03", "faq_id": 7, "month": "2024-03", "questions": 1},
        {"id": "7:2024-05", "faq_id": 7, "month": "2024-05", "questions": 1}]


def test_reattach_event_names_the_answers_and_where_they_went():
    moved = entries.reattach_event(3, 5, [11, 12], "von der Redaktion zusammengelegt", run=4, at="2024-01-01T00:00:00Z", editor="e")
    assert moved == {"run": 4, "faq_id": 5, "event": "reattach", "other_faqs": "[3]", "at": "2024-01-01T00:00:00Z", "editor": "e",
                     "detail": "Antwort #11, #12 von Eintrag #3 (von der Redaktion zusammengelegt) steht jetzt bei "
                               "Eintrag #5; bitte prüfen, ob sie noch passt"}
    kept = entries.reattach_event(3, None, [11], "'Titel'", others=[3, 8])
    assert kept["faq_id"] == 3 and json.loads(kept["other_faqs"]) == [3, 8]
    assert "bleibt beim aufgelösten Eintrag (kein Nachfolger)" in kept["detail"]


def test_recount_writes_the_same_statistics_the_pure_function_gives(tmp_path):
    db = store.open_db(tmp_path / "e.db")
    with db.conn:
        store.save_rows(db, "faqs", [{"id": 1, "title": "T", "status": "active", "size": 99, "threads": 99}])
        store.save_rows(db, "faq_months", [{"id": "1:2020-01", "faq_id": 1, "month": "2020-01", "questions": 5}])
        store.save_rows(db, "questions", [{**q, "faq_id": 1, "text": q["id"]} for q in QUESTIONS])
        entries.recount(db, [1, None], run=9)
    row = store.load_faq(db, 1)
    assert {k: row[k] for k in ("size", "threads", "first_asked", "last_asked", "updated_run")} == {
        **entries.statistics(QUESTIONS), "updated_run": 9}
    assert [dict(r) for r in db.query("select * from faq_months order by month")] == entries.month_rows(1, QUESTIONS)


def test_the_answer_to_show_is_the_published_one_while_a_draft_is_reworked(tmp_path):
    db = store.open_db(tmp_path / "a.db")
    with db.conn:
        store.save_rows(db, "faqs", [{"id": 1, "title": "T", "status": "active"}])
    assert entries.answer_to_show(db, 1) is None
    revision = {"faq_id": 1, "editor": "e", "created_at": "2024-01-01T00:00:00Z"}
    store.save_answer(db, {**revision, "body": "Entwurf", "status": "draft"})
    assert entries.answer_to_show(db, 1)["body"] == "Entwurf"
    store.save_answer(db, {**revision, "body": "Veröffentlicht", "status": "published"})
    store.save_answer(db, {**revision, "body": "Neuer Entwurf", "status": "draft"})
    assert entries.answer_to_show(db, 1)["body"] == "Veröffentlicht"
