"""Thread titles that announce or instruct stay in ``questions`` but out of the FAQ entries."""

import csv
from pathlib import Path

from miner import store
from miner.app import editing
from miner.faqs import update_faqs
from miner.title_notices import is_notice_title

DEV = Path(__file__).parent / "data" / "titles_dev.csv"


def test_own_title_list_notices_caught_and_no_question_or_topic_lost():
    rows = list(csv.DictReader(DEV.open(encoding="utf-8")))
    notices = [r["title"] for r in rows if r["label"] == "notice"]
    others = [r["title"] for r in rows if r["label"] != "notice"]
    assert len(notices) >= 20 and len(others) >= 50
    assert [t for t in others if is_notice_title(t)] == []  # losing a real question is worse than keeping a notice
    assert sum(map(is_notice_title, notices)) >= 0.9 * len(notices)


def test_notice_cues_and_what_they_must_not_catch():
    assert is_notice_title("Neue Handreichung des Ministeriums zu Messengern erschienen")
    assert is_notice_title("Forenregeln – bitte vor dem ersten Beitrag lesen")
    assert is_notice_title("Online-Fortbildung zu Messengern – noch Plätze frei")
    assert is_notice_title("Wartungsarbeiten am Forum am Samstag")
    assert not is_notice_title("Schüler aus Klassenchat ausgeschlossen")  # a participle alone names a problem
    assert not is_notice_title("Landesmessenger seit Montag nicht verfügbar")
    assert not is_notice_title("Ist der Landesmessenger schon verfügbar")
    assert not is_notice_title("Neue Handreichung erschienen?")
    assert not is_notice_title("")


def _titles(db, faq_only=False):
    sql = "select text, faq_id from questions where kind = 'title'" + (" and faq_id is not null" if faq_only else "")
    return {r["text"]: r["faq_id"] for r in db.query(sql)}


def test_demo_notices_are_stored_but_in_no_entry_while_topics_and_bare_questions_are(mined_demo):
    db = store.open_db(mined_demo)
    titles = _titles(db)
    notices = [t for t in titles if is_notice_title(t)]
    assert "Neue Handreichung des Ministeriums zu Messengern erschienen" in notices
    assert "Messenger in Zeiten von Schulschließungen – bitte zuerst lesen" in notices
    assert all(titles[t] is None for t in notices)
    assert titles["Schulelternrat und WhatsApp"] is not None
    assert titles["Threema work auf dem diensttablet und dem privathandy gleichzeitig geht das"] is not None
    assert not any(is_notice_title(r["text"]) for r in db.query(
        "select text from questions where kind = 'title' and faq_id is not null"))


def test_editor_can_still_put_a_notice_title_into_an_entry(mined_demo_copy):
    db = store.open_db(mined_demo_copy)
    notice = next(db.query("select id from questions where kind = 'title' and relevant = 1 and text like "
                           "'Neue Handreichung%'"))["id"]
    target = next(db.query("select id from faqs where status = 'active' order by size desc limit 1"))["id"]
    editing.move_question(db, notice, target, editor="ed")
    update_faqs(db)
    assert store.load_question(db, notice)["faq_id"] == target
