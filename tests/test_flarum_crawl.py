"""The crawler on a Flarum forum read through its JSON:API, served on 127.0.0.1 by the Flarum replay."""

import math

import pytest
from click.testing import CliRunner

from crawling import scrape
from forumgen import grow_thread, write_forum
from miner import store
from miner.cli import cli
from miner.replay import Fault
from miner.replay_flarum import PER_PAGE, FlarumReplayServer


@pytest.fixture
def forum(tmp_path):
    directory = tmp_path / "snapshot"
    info = write_forum(directory, threads=45, seed=5, pinned=2, long_share=0.1, max_posts=90, long_max=50)
    return directory, info


def api_requests(log: list[str], prefix: str) -> list[str]:
    return [p for p in log if p.startswith(prefix)]


def test_scrape_detects_flarum_from_its_start_page_and_reads_every_post_once(tmp_path, forum):
    directory, info = forum
    with FlarumReplayServer(directory) as server:
        result = CliRunner().invoke(cli, ["scrape", str(tmp_path / "f.db"), server.url, "--delay", "0", "--quiet"])
        log = list(server.request_log)
        thread_pages = sum(max(1, math.ceil(n / PER_PAGE)) for n in info["sizes"].values())
        list_pages = math.ceil(info["threads"] / PER_PAGE)
    assert result.exit_code == 0, result.output
    db = store.open_db(tmp_path / "f.db")
    assert db.execute("select engine, title from forums").fetchall() == [("flarum", "Testforum Schule")]
    assert db.execute("select count(*), count(distinct post_id) from posts").fetchone() == (info["posts"], info["posts"])
    assert dict(db.execute("select topic_id, posts_count from threads").fetchall()) == info["sizes"]
    assert log[:3] == ["/robots.txt", "/about.json", "/"]  # Discourse asked first, then the start page shown to engines
    threads = api_requests(log, "/api/discussions/") + api_requests(log, "/api/posts")
    lists = api_requests(log, "/api/discussions?")
    assert len(threads) == len(set(threads)) == thread_pages and len(lists) == list_pages
    assert len(log) <= 1.05 * (thread_pages + list_pages) + 3
    longest = max(info["sizes"], key=info["sizes"].get)
    numbers = [n for (n,) in db.execute("select post_number from posts where thread like ? order by post_number",
                                        [f"%:{longest}"])]
    assert numbers == list(range(1, info["sizes"][longest] + 1))
    assert all("/d/" in url for (url,) in db.execute("select url from threads"))
    assert db.execute("select count(*) from threads where pinned = 1").fetchone() == (2,)


def test_an_unchanged_rerun_reads_no_thread_and_a_grown_one_only_its_new_posts(tmp_path, forum):
    directory, info = forum
    db = store.open_db(tmp_path / "f.db")
    longest = max(info["sizes"], key=info["sizes"].get)
    with FlarumReplayServer(directory) as server:
        scrape(db, server, engine="flarum")
        before = len(server.request_log)
        again = scrape(db, server, engine="flarum")
        assert again["thread_requests"] == 0 and again["threads_new"] == again["threads_updated"] == 0
        assert not api_requests(server.request_log[before:], "/api/posts")
        new_ids = grow_thread(directory, longest, 25)
        server.reload()
        before = len(server.request_log)
        grown = scrape(db, server, engine="flarum")
        fetched = [p for p in server.request_log[before:] if p.startswith(("/api/posts", "/api/discussions/"))]
    size = info["sizes"][longest]
    last_offset = (size - 1) // PER_PAGE * PER_PAGE
    assert fetched and all(f"%5D={longest}&" in p for p in fetched)  # only the posts pages, from the last one read
    assert f"page%5Boffset%5D={last_offset}" in fetched[0] and len(fetched) == len(range(last_offset, size + 25, PER_PAGE))
    assert grown["threads_updated"] == 1
    rows = db.execute("select post_id, post_number from posts where thread like ? order by post_number",
                      [f"%:{longest}"]).fetchall()
    assert [n for _, n in rows] == list(range(1, size + 26)) and [pid for pid, _ in rows[-25:]] == new_ids


def test_a_failing_discussion_is_retried_and_a_vanished_one_settled(tmp_path, forum):
    directory, info = forum
    first, second = sorted(info["sizes"])[:2]
    faults = [Fault("503", path=rf"^/api/discussions/{first}$", times=1),
              Fault("404", path=rf"^/api/discussions/{second}$", times=None)]
    db = store.open_db(tmp_path / "f.db")
    with FlarumReplayServer(directory, faults=faults) as server:
        summary = scrape(db, server, engine="flarum")
    state = dict(db.execute("select topic_id, status from crawl_state where topic_id in (?, ?)", [first, second]))
    assert summary["retries"] >= 1 and state == {first: "ok", second: "gone"}


def test_private_categories_stay_invisible(tmp_path, forum):
    directory, info = forum
    import json

    categories = json.loads((directory / "categories.json").read_text(encoding="utf-8"))
    private = next(c["id"] for c in categories["category_list"]["categories"] if c.get("read_restricted"))
    topic_path = sorted((directory / "topics").glob("*.json"))[0]
    topic = json.loads(topic_path.read_text(encoding="utf-8"))
    topic["category_id"] = private
    topic_path.write_text(json.dumps(topic), encoding="utf-8")
    db = store.open_db(tmp_path / "f.db")
    with FlarumReplayServer(directory) as server:
        scrape(db, server, engine="flarum")
        assert f"/api/discussions/{topic['id']}" not in server.request_log
    assert db.execute("select count(*) from threads where topic_id = ?", [topic["id"]]).fetchone() == (0,)
    assert db["threads"].count == info["threads"] - 1
