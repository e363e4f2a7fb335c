from miner import store


def test_schema_is_idempotent_and_keeps_data(tmp_path):
    path = tmp_path / "m.db"
    db = store.open_db(path)
    db["forums"].insert({"id": "f", "base_url": "http://f"})
    db.conn.commit()
    db = store.open_db(path)
    assert db["forums"].count == 1
    for name in ["forums", "categories", "threads", "posts", "questions", "faqs", "faq_history",
                 "answers", "thread_links", "scrape_runs", "crawl_state"]:
        assert db[name].exists(), name


def test_old_database_gains_new_columns(tmp_path):
    path = tmp_path / "old.db"
    import sqlite_utils

    old = sqlite_utils.Database(path)
    old["forums"].insert({"id": "f", "base_url": "http://f"}, pk="id")
    db = store.open_db(path)
    assert "last_scraped" in db["forums"].columns_dict
    assert db["forums"].get("f")["base_url"] == "http://f"


def test_forum_id_for():
    assert store.forum_id_for("https://ask.linuxmuster.net/") == "ask.linuxmuster.net"
    assert store.forum_id_for("http://127.0.0.1:8080") == "127.0.0.1:8080"
