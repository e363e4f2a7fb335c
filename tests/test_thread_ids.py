"""Thread URLs of every engine the forums table knows -> forum:topic (miner_thread_id and the lookup)."""

import sqlite3
import time

import pytest

from miner import thread_ids
from miner.plugins import workbench
from miner.urls import MAX_URL_LENGTH

FORUMS = [  # id, base URL, engine, a thread URL as a visitor copies it (topic 123)
    ("php.example/forum", "https://php.example/forum", "phpbb", "https://php.example/forum/viewtopic.php?f=2&t=123&start=20"),
    ("xf.example", "https://xf.example", "xenforo", "https://xf.example/threads/elternchat-ueber-whatsapp.123/page-2"),
    ("fl.example", "https://fl.example", "flarum", "https://fl.example/d/123-elternchat/4"),
    ("vb.example", "https://vb.example", "vbulletin", "https://vb.example/showthread.php?t=123&page=2"),
    ("smf.example", "https://smf.example", "smf", "https://smf.example/index.php?topic=123.msg456#msg456"),
    ("wl.example/forum", "https://wl.example/forum", "woltlab", "https://wl.example/forum/thread/123-elternchat/?pageNo=2"),
    ("my.example", "https://my.example", "mybb", "https://my.example/showthread.php?tid=123&page=2"),
    ("ds.example", "https://ds.example", "discourse", "https://ds.example/t/elternchat/123/4"),
]


@pytest.fixture
def conn():
    conn = sqlite3.connect(":memory:")
    conn.execute("create table forums (id text primary key, base_url text, engine text)")
    conn.executemany("insert into forums values (?, ?, ?)", [row[:3] for row in FORUMS])
    workbench.prepare_connection(conn)
    yield conn
    conn.close()


@pytest.mark.parametrize("forum, base, engine, url", FORUMS, ids=[row[2] for row in FORUMS])
def test_every_engine_s_thread_url_names_its_forum_and_topic(conn, forum, base, engine, url):
    assert thread_ids.thread_id_in(conn, url) == f"{forum}:123"
    assert conn.execute("select miner_thread_id(?)", [url]).fetchone() == (f"{forum}:123",)
    assert conn.execute("select miner_thread_id(?)", [url.upper().replace("HTTPS://", "https://")]).fetchone()[0] in \
        (None, f"{forum}:123")  # a shouting path may not parse; it never names another forum


def test_what_is_not_a_thread_of_a_known_forum_is_none(conn):
    for url in ("https://elsewhere.example/viewtopic.php?t=5",  # a phpBB address of a forum not in the table
                "https://xf.example/forums/schule.7/",  # a board of a known forum, not a thread
                "https://php.example/forum/viewforum.php?f=2",
                "https://php.example/viewtopic.php?t=5",  # outside the forum's folder
                "", "t=5", None, 3, b"https://xf.example/threads/a.1/"):
        assert thread_ids.thread_id_in(conn, url) is None, url
        assert conn.execute("select miner_thread_id(?)", [url]).fetchone() == (None,), url
    # a Discourse address names its forum by itself, stored or not (as before)
    assert conn.execute("select miner_thread_id('https://new.example/t/x/9')").fetchone() == ("new.example:9",)


def test_a_forum_scraped_while_the_server_runs_is_recognised(tmp_path):
    path = tmp_path / "f.db"
    writer = sqlite3.connect(path)
    writer.execute("create table forums (id text primary key, base_url text, engine text)")
    writer.commit()
    reader = sqlite3.connect(path)
    workbench.prepare_connection(reader)
    url = "https://xf.example/threads/a.77/"
    assert reader.execute("select miner_thread_id(?)", [url]).fetchone() == (None,)
    with writer:
        writer.execute("insert into forums values ('xf.example', 'https://xf.example', 'xenforo')")
    assert reader.execute("select miner_thread_id(?)", [url]).fetchone() == ("xf.example:77",)


def test_a_database_without_forums_table_still_answers_discourse_urls():
    conn = sqlite3.connect(":memory:")
    workbench.prepare_connection(conn)
    assert conn.execute("select miner_thread_id('https://a.example/t/x/5'), miner_thread_id('https://a.example/threads/x.5/')"
                        ).fetchone() == ("a.example:5", None)


@pytest.mark.parametrize("forum, base, engine, url", FORUMS, ids=[row[2] for row in FORUMS])
def test_hostile_input_is_answered_at_once_for_every_engine(conn, forum, base, engine, url):
    """Input at the length cap built to make each engine's patterns backtrack; longer input is not parsed."""
    fillers = ["a." * MAX_URL_LENGTH, "1." * MAX_URL_LENGTH, "-1" * MAX_URL_LENGTH, "/threads/" * 300,
               "showthread.php?" * 200 + "&" * 500, "topic=1." * 300, "?t=" * 600, "/d/" * 700, "/t/1" * 500]
    started = time.perf_counter()
    for filler in fillers:
        value = (base + "/" + filler)[:MAX_URL_LENGTH]
        conn.execute("select miner_thread_id(?)", [value]).fetchone()
        assert conn.execute("select miner_thread_id(?)", [url + "x" * MAX_URL_LENGTH]).fetchone() == (None,)
    assert time.perf_counter() - started < 0.5
