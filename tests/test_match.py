import pytest

from faqdb import add_questions, dev_rows
from miner import editing, store
from miner.faqs import update_faqs
from miner.match import load_matcher


@pytest.fixture(scope="module")
def mined(tmp_path_factory):
    db = store.open_db(tmp_path_factory.mktemp("match") / "m.db")
    add_questions(db, dev_rows())
    update_faqs(db)
    return db


def topic_of_entry(db, faq_id: int) -> str:
    topics = {f"q{r['id']}": r["topic"] for r in dev_rows()}
    members = [r["id"] for r in db.query("select id from questions where faq_id = ?", [faq_id])]
    return max(set(topics[m] for m in members), key=lambda t: sum(topics[m] == t for m in members))


@pytest.mark.parametrize("text, topic", [
    ("Unser Kind wird in der WhatsApp-Klassengruppe fertiggemacht, was kann die Schule tun?", "klassenchat_mobbing"),
    ("Wie viel kosten die Lizenzen für Threema Work, wenn wir 60 Lehrkräfte sind?", "threema_lizenzen"),
    ("Wir wollen einen eigenen Matrix Server mit Element aufsetzen, wer hat das schon gemacht", "matrix_selfhosting"),
    ("Ist es ok wenn Eltern ihr Kind per Threema krankmelden statt anzurufen?", "krankmeldung"),
])
def test_rank_puts_the_right_entry_first(mined, text, topic):
    ranked = load_matcher(mined).rank(text, top=3)
    assert len(ranked) == 3
    assert topic_of_entry(mined, ranked[0]["faq_id"]) == topic
    assert 0 <= ranked[2]["score"] <= ranked[1]["score"] <= ranked[0]["score"] <= 1
    assert ranked[0]["shared_terms"]
    assert set(ranked[0]) == {"faq_id", "title", "score", "shared_terms"}


def test_only_active_entries_and_empty_text(mined, tmp_path):
    matcher = load_matcher(mined)
    assert matcher.rank("   ") == []
    first = matcher.rank("Mobbing im Klassenchat", top=1)[0]["faq_id"]
    editing.mark_not_faq(mined, first)
    try:
        ranked = load_matcher(mined).rank("Mobbing im Klassenchat", top=50)
        assert first not in {r["faq_id"] for r in ranked}
    finally:
        with mined.conn:
            mined.execute("update faqs set status = 'active' where id = ?", [first])
            mined.execute("delete from corrections")


def test_empty_database_ranks_nothing(tmp_path):
    assert load_matcher(store.open_db(tmp_path / "e.db")).rank("WhatsApp erlaubt?") == []
