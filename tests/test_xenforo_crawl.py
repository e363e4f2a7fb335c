"""The crawler on a forum served as XenForo 2 pages on 127.0.0.1 by the XenForo replay."""

import math
import re

import pytest

from crawling import scrape
from forumgen import grow_thread, write_forum
from miner import store
from miner.replay_xenforo import POSTS_PER_PAGE, THREADS_PER_PAGE, XenforoReplayServer


@pytest.fixture
def forum(tmp_path):
    directory = tmp_path / "snapshot"
    info = write_forum(directory, threads=50, seed=7, pinned=2, long_share=0.1, max_posts=80, long_max=40)
    return directory, info


def test_every_post_once_stickies_and_the_moved_stub_once_private_board_refused(tmp_path, forum):
    directory, info = forum
    db = store.open_db(tmp_path / "f.db")
    with XenforoReplayServer(directory) as server:
        summary = scrape(db, server)
        log = list(server.request_log)
        thread_pages = sum(math.ceil(len(t["post_stream"]["posts"]) / POSTS_PER_PAGE)
                           for t in server.snapshot.topics.values())
        list_pages = 1 + sum(max(1, math.ceil(len(server.board_topics(b)[1]) / THREADS_PER_PAGE))
                             for b, board in server.boards.items() if not board.get("read_restricted"))
        assert server.moved, "the replay shows one moved-thread stub"
    assert summary["engine"] == "xenforo" and summary["errors"] == 0 and summary["threads_new"] == info["threads"]
    assert db.execute("select count(*), count(distinct post_id) from posts").fetchone() == (info["posts"], info["posts"])
    assert dict(db.execute("select topic_id, posts_count from threads").fetchall()) == info["sizes"]
    threads = [p for p in log if p.startswith("/threads/")]
    lists = [p for p in log if p == "/" or p.startswith("/forums/")]
    assert len(threads) == len(set(threads)) == thread_pages
    assert all(re.match(r"/threads/[a-z0-9-]+\.\d+/", p) for p in threads)  # the listed addresses, not /threads/ID/
    assert len(lists) == list_pages + 1  # + the private forum's login answer (403), read once
    assert len(log) <= 1.05 * (thread_pages + list_pages) + 3
    assert db.execute("select name, read_restricted from categories order by category_id").fetchall() == \
        [("Messenger & Kommunikation", 0), ("Technik", 0), ("Moderation", 1)]
    assert db.execute("select count(*) from scrape_runs where walk_complete = 1").fetchone() == (1,)
    assert db.execute("select count(*) from threads where pinned = 1").fetchone() == (2,)
    signed = db.execute("select count(*) from posts where text like '%Viele Grüße aus dem Lehrerzimmer%'").fetchone()
    assert signed == (0,)


def test_an_unchanged_rerun_reads_no_thread_page_and_a_grown_thread_only_its_new_pages(tmp_path, forum):
    directory, info = forum
    db = store.open_db(tmp_path / "f.db")
    longest = max(info["sizes"], key=info["sizes"].get)
    with XenforoReplayServer(directory) as server:
        scrape(db, server, engine="xenforo")
        again = scrape(db, server, engine="xenforo")
        assert again["thread_requests"] == 0 and again["threads_new"] == again["threads_updated"] == 0
        grow_thread(directory, longest, 12)
        server.reload()
        before = len(server.request_log)
        grown = scrape(db, server, engine="xenforo")
        fetched = [p for p in server.request_log[before:] if p.startswith("/threads/")]
    size = info["sizes"][longest]
    last_page = (size - 1) // POSTS_PER_PAGE + 1
    assert [int(p.rsplit("page-", 1)[1]) for p in fetched] == list(range(last_page, (size + 11) // POSTS_PER_PAGE + 2))
    assert grown["threads_updated"] == 1
    numbers = [n for (n,) in db.execute("select post_number from posts where thread like ? order by post_number",
                                        [f"%:{longest}"])]
    assert numbers == list(range(1, size + 13))


@pytest.mark.parametrize("engine, marker", [("xenforo", 'id="XF"'), ("flarum", 'id="flarum-loading"')])
def test_miner_replay_serves_the_snapshot_as_the_engine(tmp_path, forum, engine, marker):
    import subprocess
    import sys
    import urllib.request

    directory, _ = forum
    process = subprocess.Popen([sys.executable, "-m", "miner", "replay", str(directory), "--engine", engine, "--port", "0"],
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        url = re.search(r"(http://127\.0\.0\.1:\d+)", line).group(1)
        with urllib.request.urlopen(url + "/", timeout=10) as response:
            page = response.read().decode("utf-8")
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert marker in page and "Testforum Schule" in page
    from miner import demo
    from miner.errors import UsageError

    with pytest.raises(UsageError, match="discourse, phpbb, xenforo, flarum"):
        demo.replay_server("joomla")
