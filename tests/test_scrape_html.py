"""The engine-neutral HTML crawler against a forum served as phpBB pages on 127.0.0.1."""

import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawling import scrape, stored_threads
from forumgen import grow_thread, write_forum
from miner import store
from miner.cli import cli
from miner.replay import Fault
from miner.replay_phpbb import POSTS_PER_PAGE, TOPICS_PER_PAGE, PhpbbReplayServer

TESTS = Path(__file__).parent




@pytest.fixture
def forum(tmp_path):
    directory = tmp_path / "snapshot"
    info = write_forum(directory, threads=70, seed=3, pinned=2, long_share=0.1, max_posts=120, long_max=60)
    return directory, info


def minimum_requests(server: PhpbbReplayServer) -> tuple[int, int]:
    """(thread pages, list pages) a perfect crawler needs: every page of every public list and thread."""
    thread_pages = sum(math.ceil(len(t["post_stream"]["posts"]) / POSTS_PER_PAGE) for t in server.snapshot.topics.values())
    list_pages = 1  # the board index
    for board_id, board in server.boards.items():
        if not board.get("read_restricted"):
            _, normal = server.board_topics(board_id)
            list_pages += max(1, math.ceil(len(normal) / TOPICS_PER_PAGE))
    return thread_pages, list_pages


def test_every_post_once_with_the_fewest_requests(tmp_path, forum):
    directory, info = forum
    db = store.open_db(tmp_path / "f.db")
    with PhpbbReplayServer(directory) as server:
        summary = scrape(db, server)
        log = list(server.request_log)
        thread_pages, list_pages = minimum_requests(server)
    assert summary["engine"] == "phpbb" and summary["errors"] == 0 and summary["threads_new"] == info["threads"]
    assert db.execute("select count(*), count(distinct post_id) from posts").fetchone() == (info["posts"], info["posts"])
    stored = dict(db.execute("select topic_id, posts_count from threads").fetchall())
    assert stored == info["sizes"]
    viewtopic = [p for p in log if p.startswith("/viewtopic.php")]
    assert len(viewtopic) == len(set(viewtopic)) == thread_pages  # stickies and the moved stub: once
    lists = [p for p in log if p.startswith(("/viewforum.php", "/index.php")) or p == "/"]
    assert len(lists) == list_pages + 1  # + the private board's login page, read once and refused
    assert [p for p in log if p not in viewtopic and p not in lists] == ["/robots.txt", "/about.json"]
    assert len(log) <= 1.05 * (thread_pages + list_pages) + 3
    forum_row = db.execute("select engine from forums").fetchone()
    assert forum_row == ("phpbb",)
    restricted = db.execute("select name, read_restricted from categories order by category_id").fetchall()
    assert restricted == [("Messenger & Kommunikation", 0), ("Technik", 0), ("Moderation", 1)]
    numbers = db.execute("select post_number from posts where thread = ? order by post_number",
                         [f"{summary['forum']}:{max(info['sizes'], key=info['sizes'].get)}"]).fetchall()
    assert [n for (n,) in numbers] == list(range(1, max(info["sizes"].values()) + 1))
    assert db.execute("select count(*) from threads where pinned = 1").fetchone() == (2,)


def test_an_unchanged_rerun_reads_no_thread_page_and_a_grown_thread_only_its_new_pages(tmp_path, forum):
    directory, info = forum
    db = store.open_db(tmp_path / "f.db")
    longest = max(info["sizes"], key=info["sizes"].get)
    with PhpbbReplayServer(directory) as server:
        scrape(db, server)
        before = len(server.request_log)
        again = scrape(db, server)
        assert again["thread_requests"] == 0 and again["threads_new"] == again["threads_updated"] == 0
        assert not [p for p in server.request_log[before:] if "viewtopic" in p]
        new_ids = grow_thread(directory, longest, 12)
        server.reload()
        before = len(server.request_log)
        grown = scrape(db, server)
        fetched = [p for p in server.request_log[before:] if "viewtopic" in p]
    size = info["sizes"][longest]
    last_page_start = (size - 1) // POSTS_PER_PAGE * POSTS_PER_PAGE
    expected = [f"/viewtopic.php?t={longest}&start={start}"
                for start in range(last_page_start, size + 12, POSTS_PER_PAGE)]
    assert fetched == expected  # from the page read last, not from page 1
    assert grown["threads_updated"] == 1 and grown["posts_saved"] == len(range(last_page_start, size + 12))
    rows = db.execute("select post_id, post_number from posts where thread like ? order by post_number",
                      [f"%:{longest}"]).fetchall()
    assert len(rows) == size + 12 and [n for _, n in rows] == list(range(1, size + 13))
    assert [pid for pid, _ in rows[-12:]] == new_ids
    assert db.execute("select posts_count from threads where topic_id = ?", [longest]).fetchone() == (size + 12,)


def test_failing_pages_are_retried_and_a_vanished_thread_is_settled(tmp_path, forum):
    directory, info = forum
    db = store.open_db(tmp_path / "f.db")
    faults = [Fault("503", path=r"^/viewtopic\.php\?t=110$", times=1), Fault("404", path=r"^/viewtopic\.php\?t=111", times=None)]
    with PhpbbReplayServer(directory, faults=faults) as server:
        client_retries = scrape(db, server)["retries"]
        state = dict(db.execute("select topic_id, status from crawl_state where topic_id in (110, 111)").fetchall())
    assert client_retries >= 1 and state == {110: "ok", 111: "gone"}


def test_the_cli_detects_phpbb_and_refuses_what_it_cannot_read(tmp_path, forum):
    directory, _ = forum
    with PhpbbReplayServer(directory) as server:
        result = CliRunner().invoke(cli, ["scrape", str(tmp_path / "f.db"), server.url, "--delay", "0", "--quiet"])
        assert result.exit_code == 0, result.output
        forced = CliRunner().invoke(cli, ["scrape", str(tmp_path / "g.db"), server.url, "--delay", "0", "--quiet",
                                          "--engine", "phpbb", "--max-threads", "3"])
        assert forced.exit_code == 0, forced.output
        assert "/about.json" not in server.request_log[-12:]  # a named engine is not detected again
        unknown = CliRunner().invoke(cli, ["scrape", str(tmp_path / "h.db"), server.url, "--engine", "joomla"])
        assert unknown.exit_code == 2 and "Unbekannte Engine 'joomla'" in unknown.output
        category = CliRunner().invoke(cli, ["scrape", str(tmp_path / "h.db"), server.url, "--delay", "0",
                                            "--category", "5"])
        assert category.exit_code == 2 and "--category geht nur bei Discourse-Foren" in category.output
    assert store.open_db(tmp_path / "f.db").execute("select count(*) from threads").fetchone()[0] > 0
    assert not (tmp_path / "h.db").exists()


def test_a_site_of_unknown_software_is_told_to_use_engine_or_profile(tmp_path, httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/about.json").respond_with_data("Not Found", status=404)
    httpserver.expect_request("/").respond_with_data("<html><body><h1>Schulhomepage</h1></body></html>",
                                                     content_type="text/html")
    result = CliRunner().invoke(cli, ["scrape", str(tmp_path / "x.db"), httpserver.url_for("/").rstrip("/"),
                                      "--delay", "0", "--quiet"])
    assert result.exit_code == 2
    assert "antwortet nicht wie ein Discourse-Forum" in result.output and "--engine NAME" in result.output
    assert "--profile forum.yml" in result.output and not (tmp_path / "x.db").exists()


def test_a_login_wall_on_the_start_page_is_refused_before_anything_is_written(tmp_path, forum):
    directory, _ = forum
    with PhpbbReplayServer(directory) as server:
        server.route = lambda target, original=server.route: original("/viewforum.php?f=9") \
            if target.split("?")[0] in ("/", "/index.php") else original(target)
        result = CliRunner().invoke(cli, ["scrape", str(tmp_path / "x.db"), server.url, "--delay", "0",
                                          "--engine", "phpbb"])
    assert result.exit_code == 2 and "verlangt zum Lesen eine Anmeldung" in result.output
    assert not (tmp_path / "x.db").exists()


KILLABLE = """
import sys
sys.path.insert(0, {tests!r})
from miner import crawl, store
crawl.scrape(store.open_db(sys.argv[1]), sys.argv[2], delay=float(sys.argv[3]), progress=False)
"""


def test_kill_9_and_resume_lose_and_duplicate_nothing(tmp_path, forum):
    directory, info = forum
    path = tmp_path / "f.db"
    script = tmp_path / "run.py"
    script.write_text(KILLABLE.format(tests=str(TESTS)))
    with PhpbbReplayServer(directory) as server:
        process = subprocess.Popen([sys.executable, str(script), str(path), server.url, "0.01"])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and stored_threads(path) < 15:
            time.sleep(0.2)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        partial = stored_threads(path)
        assert 0 < partial < info["threads"]
        done = subprocess.run([sys.executable, str(script), str(path), server.url, "0"], timeout=120)
        assert done.returncode == 0
    db = store.open_db(path)
    assert db.execute("select count(*), count(distinct post_id) from posts").fetchone() == (info["posts"], info["posts"])
    runs = db.execute("select status from scrape_runs order by id").fetchall()
    assert runs == [("interrupted",), ("finished",)]


def test_a_next_page_link_off_the_forum_is_not_followed_but_recorded(tmp_path, forum):
    directory, info = forum
    db = store.open_db(tmp_path / "f.db")
    with PhpbbReplayServer(directory) as server:
        original = server.route

        def hostile(target):
            status, body, kind, route = original(target)
            if target.startswith("/viewforum.php?f=5") and "start=" not in target:
                body = body.replace('href="./viewforum.php?f=5&amp;start=25" rel="next"',
                                    'href="http://evil.example/viewforum.php?f=5&amp;start=25" rel="next"')
            return status, body, kind, route

        server.route = hostile
        summary = scrape(db, server)
        log = list(server.request_log)
    assert not any("evil" in p for p in log) and not any("start=25" in p and "f=5" in p for p in log)
    assert any("evil.example" in failure for failure in summary["failures"])
    run = db.execute("select walk_complete from scrape_runs").fetchone()
    assert run == (0,)  # the list could not be walked to its end: no early stop next time
    assert db.execute("select count(*) from crawl_state where status = 'ok'").fetchone()[0] > 0
