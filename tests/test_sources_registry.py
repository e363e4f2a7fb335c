"""Engines by name, detection from a start page, and forums.engine in old and new databases."""

import sqlite3

import pytest

from miner import store
from miner.errors import UsageError
from miner.sources import registry


def test_meta_generator_reads_either_attribute_order():
    assert registry.meta_generator('<head><meta name="generator" content="Discourse 3.2.0 - https://x">') == \
        "Discourse 3.2.0 - https://x"
    assert registry.meta_generator("<meta content='WoltLab Suite Core 5.4' name=generator>") == "WoltLab Suite Core 5.4"
    assert registry.meta_generator("<html><body>nothing</body></html>") == ""


def test_discourse_is_recognised_from_its_start_page_and_names_its_threads():
    engine = registry.load_engine("Discourse")
    page = '<html><head><meta name="generator" content="Discourse 3.2.1 - https://github.com/discourse/discourse">'
    assert registry.detect("https://forum.example.org/", page, {}) is engine
    assert registry.detect("https://forum.example.org/", "<html>plain</html>", {"X-Discourse-Route": "list/latest"}) is engine
    assert registry.detect("https://example.org/", "<html><body>Schulhomepage</body></html>", {}) is None
    assert engine.thread_id("https://forum.example.org/t/whatsapp-im-unterricht/1234/5") == 1234
    assert engine.thread_id("https://forum.example.org/latest") is None
    assert engine.thread_url("https://forum.example.org", 1234) == "https://forum.example.org/t/1234"


def test_an_unknown_engine_is_a_clear_usage_error():
    with pytest.raises(UsageError, match="Unbekannte Engine 'joomla'") as error:
        registry.load_engine("joomla")
    assert "--profile" in error.value.hint and "discourse" in error.value.hint


def test_a_registered_engine_is_offered_and_detected_first():
    class Fake:
        name = "fakeboard"

        def detect(self, url, body, headers):
            return "fakeboard" in body

    registry.register(Fake())
    try:
        assert registry.load_engine("fakeboard").name == "fakeboard"
        assert registry.detect("http://x/", "<p>fakeboard</p>", {}).name == "fakeboard"
    finally:
        registry.unregister("fakeboard")
    assert "fakeboard" not in registry.available()


def test_old_databases_record_their_forums_as_discourse(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)  # the forums table as databases had it before engines were recorded
    conn.execute("create table forums (id text primary key, base_url text, title text, description text, "
                 "discourse_version text, first_scraped text, last_scraped text)")
    conn.execute("insert into forums (id, base_url, title) values ('ask.example.org', 'https://ask.example.org', 'Ask')")
    conn.commit()
    conn.close()
    db = store.open_db(path)
    assert [dict(r) for r in db.query("select id, engine from forums")] == [{"id": "ask.example.org", "engine": "discourse"}]
    store.save_forum(db, {"id": "board.example.org", "base_url": "https://board.example.org", "engine": "phpbb"})
    db.conn.close()
    db = store.open_db(path)  # the migration ran once: a later forum keeps its own engine
    assert dict(db.execute("select id, engine from forums").fetchall()) == {
        "ask.example.org": "discourse", "board.example.org": "phpbb"}
