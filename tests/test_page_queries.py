import pytest

from miner import page_queries as reads
from miner import store


@pytest.fixture
def conn(tmp_path):
    db = store.open_db(tmp_path / "pages.db")
    with db.conn:
        store.save_rows(db, "forums", [{"id": "f", "base_url": "http://f", "title": "Forum"}])
        store.save_rows(db, "threads", [{"id": "f:1", "forum": "f", "title": "Signal?", "url": "http://f/t/signal/1"}])
        store.save_rows(db, "posts", [
            {"id": "f:p1", "forum": "f", "thread": "f:1", "post_number": 1, "text": "Darf ich Signal nutzen?", "deleted": 0},
            {"id": "f:p2", "forum": "f", "thread": "f:1", "post_number": 2, "text": "weg", "deleted": 1},
            {"id": "f:p3", "forum": "f", "thread": "f:1", "post_number": 3, "text": "Ja.", "deleted": 0},
        ])
        store.save_rows(db, "faqs", [{"id": 1, "title": "Signal", "keywords": "signal, dienstlich", "size": 2,
                                      "status": "active"}])
        store.save_rows(db, "questions", [
            {"id": "q1", "forum": "f", "thread": "f:1", "post": "f:p1", "position": 0, "text": "Darf ich Signal nutzen?",
             "asked_at": "2024-03-02T10:00:00Z", "faq_id": 1},
            {"id": "q2", "forum": "f", "thread": "f:1", "post": "f:p3", "position": 0, "text": "Signal im Dienst?",
             "asked_at": "2024-05-01T10:00:00Z", "faq_id": 1},
        ])
        store.save_rows(db, "answers", [
            {"id": 1, "faq_id": 1, "body": "alt", "status": "published", "editor": "anna", "created_at": "2024-01-01T00:00:00Z"},
            {"id": 2, "faq_id": 1, "body": "neu", "status": "published", "editor": "anna", "created_at": "2024-04-01T00:00:00Z"},
            {"id": 3, "faq_id": 1, "body": "Entwurf", "status": "draft", "editor": "ben", "created_at": "2024-06-01T00:00:00Z"},
        ])
    return db.conn


def test_latest_answer_is_the_newest_published_unless_drafts_are_shown(conn):
    assert [r[1] for r in reads.latest_answer_rows(conn, [1], include_drafts=False)] == ["neu"]
    assert [r[1] for r in reads.latest_answer_rows(conn, [1], include_drafts=True)] == ["Entwurf"]
    assert reads.latest_answer_rows(conn, [], include_drafts=True) == []


def test_review_flag_counts_questions_asked_after_the_published_answer(conn):
    assert reads.review_flags(conn, [1]) == {1: {"count": 1, "answered_at": "2024-04-01T00:00:00Z"}}


def test_months_come_from_the_questions_while_faq_months_has_no_rows(conn):
    assert reads.entry_months(conn, 1) == {"2024-03": 1, "2024-05": 1}


def test_thread_posts_leave_deleted_ones_out_and_texts_only_from_text_tables(conn):
    assert [p[0] for p in reads.thread_post_rows(conn, "f:1", 10)] == [1, 3]
    assert reads.thread_row(conn, "f:1")[5] == "Forum"
    rowid = conn.execute("select rowid from questions where id = 'q2'").fetchone()[0]
    assert reads.texts_by_rowid(conn, "questions", [rowid]) == {rowid: "Signal im Dienst?"}
    with pytest.raises(ValueError):
        reads.texts_by_rowid(conn, "faqs", [1])
    assert reads.forum_exists(conn, "f") and not reads.forum_exists(conn, "g")
