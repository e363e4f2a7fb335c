"""miner.scrape end to end against a generated forum served by the replay server."""

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from forumgen import USERNAMES, grow_thread, write_forum
from miner import store
from miner.cli import cli
from miner.discourse import DiscourseClient
from miner.errors import FetchError
from miner.replay import Fault, ReplayServer
from miner.scrape import scrape_forum, scrape_thread

ROOT = Path(__file__).resolve().parent.parent


def quick_client(server, sleeps=None):
    """delay 0 and a recorded (not real) backoff sleep, so fault tests stay fast."""
    sleeps = [] if sleeps is None else sleeps
    return DiscourseClient(server.url, delay=0, sleep=sleeps.append)


def scrape(db, server, **options):
    return scrape_forum(db, server.url, delay=0, progress=False, client=quick_client(server), **options)


def thread_requests(log):
    return [p for p in log if p.startswith("/t/")]


def assert_complete(db, info):
    assert db["threads"].count == info["threads"]
    assert db["posts"].count == info["posts"]
    rows = db.execute("select thread, count(*), count(distinct post_number), max(post_number) from posts group by thread")
    for thread, count, distinct, highest in rows.fetchall():
        size = info["sizes"][int(thread.rsplit(":", 1)[1])]
        assert count == distinct == highest == size, thread


@pytest.fixture
def forum(tmp_path):
    directory = tmp_path / "forum"
    info = write_forum(directory, threads=60, pinned=2, seed=1)
    return directory, info


def test_complete_crawl_in_about_one_request_per_thread_then_zero_on_rerun(forum, tmp_path):
    directory, info = forum
    assert max(info["sizes"].values()) == 180 and min(info["sizes"].values()) == 1
    db = store.open_db(tmp_path / "f.db")
    with ReplayServer(directory) as server:
        summary = scrape(db, server)
        first_log = list(server.request_log)
        assert_complete(db, info)
        assert summary["threads_new"] == 60 and summary["posts_saved"] == info["posts"]
        requests_per_thread = len(thread_requests(first_log)) / info["threads"]
        assert requests_per_thread <= 1.15
        assert summary["thread_requests"] == len(thread_requests(first_log))
        assert not [p for p in first_log if p.startswith(("/u/", "/search")) or "print=true" in p]
        server.request_log.clear()
        again = scrape(db, server)
        assert thread_requests(server.request_log) == []
        assert again["threads_new"] == again["threads_updated"] == 0 and again["posts_saved"] == 0
    runs = list(db["scrape_runs"].rows)
    assert [r["status"] for r in runs] == ["finished", "finished"] and runs[0]["threads_new"] == 60
    assert runs[0]["requests"] == summary["requests"] and runs[0]["walk_complete"] == 1
    assert db["forums"].get(f"127.0.0.1:{server.port}")["title"] == "Testforum Schule"
    assert db["categories"].count == 2  # the private category is not stored


def test_grown_thread_fetches_only_the_missing_posts(forum, tmp_path):
    directory, info = forum
    db = store.open_db(tmp_path / "f.db")
    big = max(info["sizes"], key=info["sizes"].get)
    with ReplayServer(directory) as server:
        scrape(db, server)
        new_ids = grow_thread(directory, big, 25)
        server.reload()
        server.request_log.clear()
        summary = scrape(db, server)
        log = thread_requests(server.request_log)
    assert log[0] == f"/t/{big}.json" and len(log) == 2
    asked = [int(v) for v in parse_qs(urlsplit(log[1]).query)["post_ids[]"]]
    assert asked == new_ids
    assert summary["threads_updated"] == 1 and summary["posts_saved"] == 20 + 25
    assert db.execute("select count(*) from posts where thread = ?", [f"127.0.0.1:{server.port}:{big}"]).fetchone()[0] == 205


def test_pinned_topics_do_not_end_an_incremental_walk(forum, tmp_path):
    directory, info = forum
    db = store.open_db(tmp_path / "f.db")
    with ReplayServer(directory) as server:
        scrape(db, server)
        # 35 new topics (newer than everything): they list right below the two old, unchanged pinned
        # topics and spill onto page 1; a walk that stopped at the first unchanged topic would miss them
        template = json.loads((directory / "topics" / "104.json").read_text())
        for offset in range(35):
            topic = json.loads(json.dumps(template))
            topic.update(id=2000 + offset, slug=f"neu-{offset}", pinned=False,
                         bumped_at=f"2031-01-01T00:{offset:02d}:00.000Z")
            for number, post in enumerate(topic["post_stream"]["posts"]):
                post["id"] = 60_000 + offset * 100 + number
                post["topic_id"] = topic["id"]
            topic["post_stream"]["stream"] = [p["id"] for p in topic["post_stream"]["posts"]]
            (directory / "topics" / f"{topic['id']}.json").write_text(json.dumps(topic))
        server.reload()
        server.request_log.clear()
        summary = scrape(db, server)
        lists = [p for p in server.request_log if "latest" in p]
    first_page = server.snapshot.pinned[:2]
    assert all(t["bumped_at"] < "2022" for t in first_page)  # old pinned topics on top of page 0
    assert summary["threads_new"] == 35 and db["threads"].count == 95
    assert lists == ["/latest.json", "/latest.json?no_definitions=true&page=1"]
    assert summary["threads_unchanged"] >= 2


def test_each_injected_fault_is_survived(forum, tmp_path):
    directory, info = forum
    db = store.open_db(tmp_path / "f.db")
    kinds = ["503", "429_json", "429_text", "429_html", "429_failed", "truncated", "reset", "not_json", "500"]
    faults = [Fault(kind, path=r"^/t/", nth=3 * i + 1, times=1) for i, kind in enumerate(kinds)]
    faults.append(Fault("503", path=r"^/latest", nth=2, times=1))
    faults.append(Fault("truncated", path=r"/posts\.json", nth=1, times=1))
    sleeps = []
    with ReplayServer(directory, faults=faults) as server:
        summary = scrape_forum(db, server.url, progress=False, client=quick_client(server, sleeps))
    assert_complete(db, info)
    assert summary["retries"] == len(faults) and summary["threads_failed"] == 0
    assert len(sleeps) == len(faults) and all(0 < s <= 2 for s in sleeps)


def test_failed_and_missing_threads_are_recorded_and_retried(forum, tmp_path):
    directory, info = forum
    db = store.open_db(tmp_path / "f.db")
    forever = [Fault("503", path=r"^/t/105\.json", times=None), Fault("404", path=r"^/t/106\.json", times=None)]
    with ReplayServer(directory, faults=forever) as server:
        summary = scrape(db, server)
        forum_id = f"127.0.0.1:{server.port}"
        assert summary["threads_failed"] == 1 and summary["threads_gone"] == 1
        assert db["threads"].count == 58
        failed = db["crawl_state"].get(f"{forum_id}:105")
        assert failed["status"] == "error" and "HTTP 503" in failed["error"] and failed["attempts"] == 1
        assert db["crawl_state"].get(f"{forum_id}:106")["status"] == "gone"
        assert "HTTP 503" in json.loads(list(db["scrape_runs"].rows)[0]["errors"])[0]
        server.set_faults(None)
        server.request_log.clear()
        again = scrape(db, server)
    assert thread_requests(server.request_log)[0] == "/t/105.json"
    assert again["threads_new"] == 1 and db["crawl_state"].get(f"{forum_id}:105")["status"] == "ok"
    assert "/t/106.json" not in server.request_log  # gone and unchanged: not asked again


def test_full_rescrape_catches_edits_and_deletions(forum, tmp_path):
    directory, info = forum
    db = store.open_db(tmp_path / "f.db")
    topic_path = directory / "topics" / "103.json"
    with ReplayServer(directory) as server:
        scrape(db, server)
        topic = json.loads(topic_path.read_text())
        posts = topic["post_stream"]["posts"]
        assert len(posts) >= 2
        removed = posts.pop()
        posts[0]["cooked"] = "<p>Bearbeitet: gilt die DSGVO auch für Messenger?</p>"
        topic["post_stream"]["stream"] = [p["id"] for p in posts]
        topic_path.write_text(json.dumps(topic))
        server.reload()
        scrape(db, server)
        forum_id = f"127.0.0.1:{server.port}"
        assert db["posts"].get(f"{forum_id}:{removed['id']}")["deleted"] == 0  # not bumped: invisible
        scrape(db, server, full=True)
    assert db["posts"].get(f"{forum_id}:{removed['id']}")["deleted"] == 1
    assert db["posts"].get(f"{forum_id}:{posts[0]['id']}")["text"] == "Bearbeitet: gilt die DSGVO auch für Messenger?"


def test_authors_and_identifiers_never_stored_raw(forum, tmp_path):
    directory, info = forum
    db = store.open_db(tmp_path / "f.db")
    with ReplayServer(directory) as server:
        scrape(db, server)
    dump = "\n".join(db.iterdump()).lower()
    for name in USERNAMES:
        assert name.lower() not in dump, name
    assert "@schule-beispiel.de" not in dump and "030 1234567" not in dump
    assert db.execute("select sum(masked) from posts").fetchone()[0] > 0
    assert db.execute("select count(*) from posts where text like '%[email]%'").fetchone()[0] > 0


def test_erased_authors_do_not_come_back(forum, tmp_path):
    directory, info = forum
    db = store.open_db(tmp_path / "f.db")
    from miner.keys import Pseudonymizer, pseudonym_key

    erased = Pseudonymizer(pseudonym_key())(USERNAMES[0])
    db["erasures"].insert({"author": erased, "forum": None, "allow_return": 0}, pk="id")
    db.conn.commit()
    with ReplayServer(directory) as server:
        scrape(db, server)
    assert db.execute("select count(*) from posts where author = ?", [erased]).fetchone()[0] == 0
    placeholders = db.execute("select text, html from posts where author is null").fetchall()
    assert placeholders and all(text == "[gelöscht]" and html == "" for text, html in placeholders)
    assert erased not in " ".join(html or "" for (html,) in db.execute("select html from posts").fetchall())


def test_category_option_and_private_category_refused(forum, tmp_path):
    directory, info = forum
    db = store.open_db(tmp_path / "f.db")
    with ReplayServer(directory) as server:
        summary = scrape(db, server, categories=["technik"])
        assert summary["threads_new"] == db["threads"].count == 20
        assert all(t["category"].endswith(":7") for t in db["threads"].rows)
        result = CliRunner().invoke(cli, ["scrape", str(tmp_path / "g.db"), server.url, "--delay", "0",
                                          "--category", "moderation", "--quiet"])
    assert result.exit_code == 2 and "privat" in result.output


def test_scrape_thread_by_url(forum, tmp_path):
    directory, info = forum
    db = store.open_db(tmp_path / "f.db")
    big = max(info["sizes"], key=info["sizes"].get)
    with ReplayServer(directory) as server:
        thread = scrape_thread(db, f"{server.url}/t/some-slug/{big}/7", delay=0)
    assert thread == f"127.0.0.1:{server.port}:{big}"
    assert db.execute("select count(*) from posts where thread = ?", [thread]).fetchone()[0] == 180
    assert db["threads"].count == 1


def test_login_required_exits_2_and_stores_nothing(forum, tmp_path):
    directory, _ = forum
    wall = [Fault("not_logged_in", path=r"^/(?!robots)", times=None)]
    with ReplayServer(directory, faults=wall) as server:
        result = CliRunner().invoke(cli, ["scrape", str(tmp_path / "f.db"), server.url, "--delay", "0"])
    assert result.exit_code == 2
    assert "verlangt eine Anmeldung" in result.output and "Traceback" not in result.output
    db = store.open_db(tmp_path / "f.db")
    assert db["forums"].count == db["threads"].count == db["posts"].count == db["scrape_runs"].count == 0


def test_login_wall_on_lists_only_also_stores_nothing(forum, tmp_path):
    directory, _ = forum
    with ReplayServer(directory, faults=[Fault("not_logged_in", path=r"^/latest", times=None)]) as server:
        result = CliRunner().invoke(cli, ["scrape", str(tmp_path / "f.db"), server.url, "--delay", "0"])
    assert result.exit_code == 2
    db = store.open_db(tmp_path / "f.db")
    assert db["forums"].count == db["threads"].count == 0


def test_not_discourse_exits_2(tmp_path):
    (tmp_path / "index.html").write_text("<html><body>Just a homepage</body></html>")

    class Quiet(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        result = CliRunner().invoke(cli, ["scrape", str(tmp_path / "f.db"), f"http://127.0.0.1:{server.server_address[1]}",
                                          "--delay", "0"])
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 2 and "antwortet nicht wie ein Discourse-Forum" in result.output


def test_robots_disallow_makes_the_cli_refuse(tmp_path):
    directory = tmp_path / "forum"
    write_forum(directory, threads=5, robots_txt="User-agent: miner\nDisallow: /\n")
    with ReplayServer(directory) as server:
        result = CliRunner().invoke(cli, ["scrape", str(tmp_path / "f.db"), server.url, "--delay", "0"])
    assert result.exit_code == 2 and "robots.txt" in result.output
    assert server.request_log == ["/robots.txt"]


def test_cli_summary_and_quiet(forum, tmp_path):
    directory, info = forum
    with ReplayServer(directory) as server:
        loud = CliRunner().invoke(cli, ["scrape", str(tmp_path / "f.db"), server.url, "--delay", "0",
                                        "--max-threads", "7"])
        quiet = CliRunner().invoke(cli, ["scrape", str(tmp_path / "f.db"), server.url, "--delay", "0", "--quiet"])
    assert loud.exit_code == 0 and re.search(r"7 neue, 0 aktualisierte, \d+ unveränderte", loud.output)
    assert quiet.exit_code == 0 and quiet.output == ""
    db = store.open_db(tmp_path / "f.db")
    assert_complete(db, info)


def test_kill_minus_9_and_resume_keeps_every_post_exactly_once(tmp_path):
    directory = tmp_path / "forum"
    info = write_forum(directory, threads=120, pinned=2, seed=7)
    path = tmp_path / "kill.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "miner", "scrape", str(path), None, "--delay", "0.02", "--quiet"]
    with ReplayServer(directory) as server:
        command[5] = server.url
        store.open_db(path)  # schema first, so polling below can read
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with closing(sqlite3.connect(path, timeout=10)) as conn:  # read only: no schema writes
                done = conn.execute("select count(*) from crawl_state").fetchone()[0]
            if done >= 10:
                break
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        db = store.open_db(path)
        killed_at = db["threads"].count
        assert 10 <= killed_at < info["threads"], killed_at
        assert [r["status"] for r in db["scrape_runs"].rows] == ["running"]
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
    db = store.open_db(path)
    assert_complete(db, info)
    assert [r["status"] for r in db["scrape_runs"].rows] == ["interrupted", "finished"]
    assert db.execute("select count(*) from crawl_state where status = 'ok'").fetchone()[0] == info["threads"]
    fts = db.execute("select count(*) from posts_fts").fetchone()[0]
    assert fts == info["posts"]


def test_robots_disallowed_thread_is_skipped_and_rate_limit_stops_the_run(forum, tmp_path):
    directory, info = forum
    write_forum(directory, threads=60, pinned=2, seed=1, robots_txt="User-agent: *\nDisallow: /t/107.json\n")
    db = store.open_db(tmp_path / "f.db")
    with ReplayServer(directory) as server:
        summary = scrape(db, server)
        assert "/t/107.json" not in server.request_log
        assert db["crawl_state"].get(f"127.0.0.1:{server.port}:107")["status"] == "disallowed"
        assert summary["threads_new"] == 59
        server.set_faults([Fault("429_json", path=r"^/t/", times=None, retry_after=3600)])
        grow_thread(directory, 110, 3)
        grow_thread(directory, 111, 3)
        server.reload()
        server.request_log.clear()
        result = CliRunner().invoke(cli, ["scrape", str(tmp_path / "f.db"), server.url, "--delay", "0", "--quiet"])
    assert result.exit_code == 1 and "vor der nächsten Anfrage 3600 s zu warten" in result.output
    assert len(thread_requests(server.request_log)) == 1  # no hammering of the next threads
    assert list(db["scrape_runs"].rows)[-1]["status"] == "failed"


def test_full_rescrape_flags_posts_of_deleted_threads(forum, tmp_path):
    directory, info = forum
    db = store.open_db(tmp_path / "f.db")
    with ReplayServer(directory) as server:
        scrape(db, server)
        (directory / "topics" / "108.json").unlink()
        server.reload()
        quiet = scrape(db, server)
        thread = f"127.0.0.1:{server.port}:108"
        assert quiet["threads_gone"] == 0  # an incremental run cannot see a deletion
        server.request_log.clear()
        full = scrape(db, server, full=True)
    assert full["threads_gone"] == 1 and "/t/108.json" in server.request_log
    assert db["crawl_state"].get(thread)["status"] == "gone"
    assert db.execute("select min(deleted) from posts where thread = ?", [thread]).fetchone()[0] == 1


def test_a_forum_in_trouble_stops_the_run_after_ten_failed_threads(forum, tmp_path):
    directory, info = forum
    db = store.open_db(tmp_path / "f.db")
    with ReplayServer(directory, faults=[Fault("503", path=r"^/t/", times=None)]) as server:
        with pytest.raises(FetchError, match="10 Threads hintereinander sind gescheitert"):
            scrape(db, server)
        assert len(thread_requests(server.request_log)) == 10 * 6  # 10 threads x (1 try + 5 retries)
    assert db.execute("select count(*) from crawl_state where status = 'error'").fetchone()[0] == 10
    assert list(db["scrape_runs"].rows)[0]["status"] == "failed"


def test_polite_one_request_at_a_time_with_the_delay_and_an_identifying_agent(tmp_path):
    directory = tmp_path / "forum"
    write_forum(directory, threads=6, seed=2)
    db = store.open_db(tmp_path / "f.db")
    with ReplayServer(directory) as server:
        scrape_forum(db, server.url, delay=0.1, progress=False, contact="mailto:research@example.org")
    gaps = [b - a for a, b in zip(server.request_times, server.request_times[1:])]
    # The client spaces request starts by the delay; the server sees them with scheduling jitter.
    # Jitter under load reaches a few tens of ms either way; without the delay gaps are about 1 ms.
    assert len(gaps) >= 9 and min(gaps) >= 0.05 and sum(gaps) / len(gaps) >= 0.095
    assert server.max_in_flight == 1
    (agent,) = server.user_agents
    assert re.fullmatch(r"miner/\S+ \(\+mailto:research@example\.org\)", agent)


def test_a_server_that_caps_post_ids_still_yields_every_post(forum, tmp_path):
    directory, info = forum
    db = store.open_db(tmp_path / "f.db")
    with ReplayServer(directory, max_post_ids=50) as server:
        scrape(db, server)
        chunks = [p for p in server.request_log if "/posts.json" in p]
    assert_complete(db, info)
    assert len(chunks) == sum((n - 20 + 49) // 50 for n in info["sizes"].values() if n > 20)


@pytest.mark.parametrize("url", ["https://forum.example/latest", "https://forum.example/t/slug", "not a url"])
def test_scrape_thread_refuses_urls_that_are_not_threads(url, tmp_path):
    from miner.errors import UsageError

    with pytest.raises(UsageError, match="keine Adresse eines Discourse-Threads"):
        scrape_thread(store.open_db(tmp_path / "f.db"), url, delay=0)
