"""A hostile Discourse-shaped server on 127.0.0.1: whatever one thread or list page does, the
forum's other threads are stored and the bad one is recorded (crawl_state, scrape_runs, summary).

Each case replaces one answer of a five-thread forum (topic 3 or a list page): redirects off the
site, `@host` next pages, huge and gzip-bomb bodies (with an RSS bound), slow-loris, endless
paging, broken Unicode, ids out of range, wrong types, another topic's id. Plus the terminal
(escape sequences in forum text), disk full, and bad command-line input.
"""

from __future__ import annotations

import errno
import gzip
import json
import re
import resource
import socket
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from forumgen import write_forum
from miner import store
from miner.cli import cli
from miner.discourse import DiscourseClient
from miner.errors import DiskFull
from miner.render import terminal_text
from miner.replay import ReplayServer
from miner.scrape import describe_summary, scrape_forum

BAD = 3
GOOD = {1, 2, 4, 5}


def make_topic(topic_id: int) -> dict:
    """A small but real-shaped /t/{id}.json: two posts, both in the stream."""
    posts = [{"id": topic_id * 10 + n, "post_number": n, "username": f"lehrer{topic_id}{n}", "name": None,
              "cooked": f"<p>Beitrag {n} in Thema {topic_id}: Darf ich Signal nutzen?</p>",
              "created_at": f"2024-03-0{topic_id}T10:0{n}:00.000Z", "post_type": 1, "version": 1}
             for n in (1, 2)]
    return {"id": topic_id, "title": f"Thema {topic_id}", "slug": f"thema-{topic_id}", "category_id": 1,
            "created_at": posts[0]["created_at"], "bumped_at": posts[1]["created_at"], "posts_count": 2,
            "highest_post_number": 2, "details": {"created_by": {"username": posts[0]["username"]}},
            "post_stream": {"posts": posts, "stream": [p["id"] for p in posts]}}


def list_item(topic: dict) -> dict:
    return {key: topic[key] for key in ("id", "title", "slug", "category_id", "bumped_at", "posts_count",
                                        "highest_post_number", "created_at")}


Answer = Callable[[BaseHTTPRequestHandler], None]


class HostileForum:
    """Threads 1-5 on 127.0.0.1; `routes` (path -> answer) replace any answer; `log` keeps every
    request's path and headers."""

    def __init__(self) -> None:
        self.topics: dict[int, Any] = {i: make_topic(i) for i in range(1, 6)}
        self.routes: dict[str, Answer] = {}
        self.more: Callable[[int], str | None] = lambda page: None  # more_topics_url of page N
        self.extra_items: list[Any] = []
        self.log: list[tuple[str, dict]] = []
        self._server: ThreadingHTTPServer | None = None

    def __enter__(self) -> "HostileForum":
        forum = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def setup(self) -> None:
                super().setup()
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no 40 ms per answer

            def handle(self) -> None:
                try:
                    super().handle()
                except (ConnectionResetError, BrokenPipeError):
                    pass  # the client gave up on a hostile answer: that is the point

            def do_GET(self) -> None:  # noqa: N802
                forum.log.append((self.path, dict(self.headers)))
                try:
                    forum.answer(self)
                except (BrokenPipeError, ConnectionResetError, OSError):
                    self.close_connection = True

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def forum(self) -> str:
        return f"127.0.0.1:{self.port}"

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        if parts.path in self.routes:
            return self.routes[parts.path](handler)
        if parts.path == "/robots.txt":
            return send(handler, 200, b"User-agent: *\nDisallow: /admin/\n", "text/plain")
        if parts.path == "/about.json":
            return send(handler, 200, {"about": {"title": "Feindliches Forum", "version": "3.2.0"}})
        if parts.path == "/categories.json":
            return send(handler, 200, {"category_list": {"categories": [
                {"id": 1, "slug": "allgemein", "name": "Allgemein", "topic_count": 5}]}})
        if parts.path in ("/latest.json", "/latest"):
            page = int(parse_qs(parts.query).get("page", ["0"])[0])
            items = [list_item(t) for t in self.topics.values() if isinstance(t, dict)] + self.extra_items
            topic_list: dict[str, Any] = {"topics": items}
            if self.more(page):
                topic_list["more_topics_url"] = self.more(page)
            return send(handler, 200, {"topic_list": topic_list})
        match = re.fullmatch(r"/t/(\d+)\.json", parts.path)
        if match and int(match.group(1)) in self.topics:
            return send(handler, 200, self.topics[int(match.group(1))])
        return send(handler, 404, {"errors": ["not found"], "error_type": "not_found"})


def send(handler: BaseHTTPRequestHandler, status: int, body: Any, content_type: str = "application/json",
         headers: dict[str, str] | None = None) -> None:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()  # ASCII: lone surrogates as \ud800
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(data)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(data)


def redirect(location: str) -> Answer:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return answer


@pytest.fixture
def forum():
    with HostileForum() as hostile:
        yield hostile


@pytest.fixture
def elsewhere():
    """Another server (another port: another site); nothing may ever reach it."""
    with HostileForum() as other:
        yield other


def scrape(tmp_path, forum: HostileForum, **client_options) -> tuple[Any, dict]:
    db = store.open_db(tmp_path / "hostile.db")
    client = DiscourseClient(forum.url, delay=0, sleep=lambda seconds: None, **client_options)
    return db, scrape_forum(db, forum.url, delay=0, progress=False, client=client)


def stored_topics(db) -> set[int]:
    return {row["topic_id"] for row in db["threads"].rows}


def last_run(db) -> dict:
    return list(db.query("select * from scrape_runs order by id desc limit 1"))[0]


def assert_bad_thread_recorded(db, forum: HostileForum, summary: dict, reason: str) -> None:
    """The other four threads with both posts each, topic 3 failed with `reason` everywhere it shows."""
    assert stored_topics(db) == GOOD
    assert db["posts"].count == 8
    state = db["crawl_state"].get(f"{forum.forum}:{BAD}")
    assert state["status"] == "error" and reason in state["error"], state["error"]
    run = last_run(db)
    assert run["status"] == "finished" and run["threads_failed"] == 1 and run["threads_new"] == 4
    assert any(reason in error for error in json.loads(run["errors"]))
    assert summary["threads_failed"] == 1 and any(reason in failure for failure in summary["failures"])
    assert reason in describe_summary(summary)


def assert_no_credentials(*servers: HostileForum) -> None:
    for server in servers:
        assert not [path for path, headers in server.log
                    if "Authorization" in headers or "Proxy-Authorization" in headers]


# ---------------------------------------------------------------- 4. the server is not trusted


@pytest.mark.parametrize("location", [
    "http://127.0.0.1:{other}/t/3.json",         # another port is another site
    "http://localhost:{port}/t/3.json",           # another host name
    "https://127.0.0.1:{port}/t/3.json",          # another scheme
    "http://user:secret@127.0.0.1:{port}/t/3.json",  # same site, but with credentials
])
def test_a_redirect_off_the_site_is_refused_and_recorded(tmp_path, forum, elsewhere, location, monkeypatch):
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login someone password secret\nmachine localhost login a password b\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))  # requests would read it: miner must not
    forum.routes["/t/3.json"] = redirect(location.format(other=elsewhere.port, port=forum.port))
    forum.routes["/t/4.json"] = redirect("/t/4/moved.json")  # on the site: followed
    forum.routes["/t/4/moved.json"] = lambda handler: send(handler, 200, make_topic(4))
    db, summary = scrape(tmp_path, forum)
    assert_bad_thread_recorded(db, forum, summary, "nicht zum Forum gehört")
    assert elsewhere.log == []
    assert_no_credentials(forum, elsewhere)


@pytest.mark.parametrize("more", [
    "@127.0.0.1:{other}/latest?page=1",
    "http://127.0.0.1:{other}/latest?page=1",
    "http://user:secret@127.0.0.1:{port}/latest?page=1",
])
def test_a_next_page_off_the_site_is_refused_and_recorded(tmp_path, forum, elsewhere, more):
    forum.more = lambda page: more.format(other=elsewhere.port, port=forum.port) if page == 0 else None
    db, summary = scrape(tmp_path, forum)
    assert stored_topics(db) == GOOD | {BAD}
    assert elsewhere.log == [] and [path for path, _ in forum.log if "page=1" in path] == []
    assert_no_credentials(forum, elsewhere)
    run = last_run(db)
    assert run["status"] == "finished" and run["walk_complete"] == 0
    assert "nicht zum Forum gehört" in " ".join(json.loads(run["errors"])) and summary["errors"] == 1


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def current_rss() -> int:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) * 1024


def stream_bytes(total: int, declare: bool) -> Answer:
    """`total` bytes of JSON-looking junk, generated on the fly (the test process holds none of it)."""
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if declare:
            handler.send_header("Content-Length", str(total))
        else:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        handler.end_headers()
        chunk = b" " * 65536
        for _ in range(total // len(chunk)):
            handler.wfile.write(chunk)
    return answer


def gzip_bomb(expanded: int) -> bytes:
    """Valid gzip of `expanded` spaces, about 1 KB per MB: 8 MB members, concatenated (RFC 1952 allows it)."""
    member = gzip.compress(b" " * (8 << 20), 9)
    return member * (expanded // (8 << 20))


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = gzip_bomb(1200 << 20)  # 1.2 GB of spaces in about 1.2 MB
    assert len(data) < 3 << 20
    return data


@pytest.mark.parametrize("case", ["declared 30 MB", "streamed 30 MB", "gzip bomb"])
def test_huge_bodies_are_cut_at_the_cap_with_bounded_memory(tmp_path, forum, case, bomb):
    if case == "gzip bomb":
        forum.routes["/t/3.json"] = lambda handler: send(handler, 200, bomb,
                                                         headers={"Content-Encoding": "gzip"})
    else:
        forum.routes["/t/3.json"] = stream_bytes(30 << 20, declare=case.startswith("declared"))
    before_peak, before = peak_rss(), current_rss()
    started = time.monotonic()
    db, summary = scrape(tmp_path, forum)
    elapsed = time.monotonic() - started
    assert_bad_thread_recorded(db, forum, summary, "schickte mehr als 20.9715 MB")
    # The peak may already be high from earlier tests; it must not grow past current + 120 MB.
    assert peak_rss() <= max(before_peak, before + (120 << 20))  # a 20 MB cap, not 1.2 GB
    assert elapsed < 10


def test_the_cap_counts_decompressed_bytes(tmp_path, forum):
    small = gzip.compress(json.dumps(make_topic(4)).encode())
    forum.routes["/t/4.json"] = lambda handler: send(handler, 200, small, headers={"Content-Encoding": "gzip"})
    post_of(forum.topics[BAD])["cooked"] = "<p>" + "Platz " * 20_000 + "</p>"  # 120 KB, about 1 KB gzipped
    big = gzip.compress(json.dumps(forum.topics[BAD]).encode())
    assert len(big) < 2048
    forum.routes["/t/3.json"] = lambda handler: send(handler, 200, big, headers={"Content-Encoding": "gzip"})
    db, summary = scrape(tmp_path, forum, max_body=64 * 1024)
    assert_bad_thread_recorded(db, forum, summary, "schickte mehr als 0.065536 MB")


def dribble(header_phase: bool) -> Answer:
    """Slow-loris: one byte every 0.3 s, each read well inside any per-read timeout."""
    def answer(handler: BaseHTTPRequestHandler) -> None:
        body = json.dumps(make_topic(3)).encode()
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        if not header_phase:
            handler.wfile.write(head)
            head = b""
        for byte in head + body:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.3)
    return answer


@pytest.mark.parametrize("phase", ["body", "headers"])
def test_slow_loris_ends_at_the_total_deadline(tmp_path, forum, phase):
    forum.routes["/t/3.json"] = dribble(header_phase=phase == "headers")
    started = time.monotonic()
    db, summary = scrape(tmp_path, forum, deadline=2.0)
    elapsed = time.monotonic() - started
    assert_bad_thread_recorded(db, forum, summary, "brauchte länger als 2 s")
    assert 2.0 <= elapsed < 4.0


@pytest.mark.parametrize("more, reason", [
    (lambda page: f"/latest?page={page + 1}", "3 pages in a row brought no new topic"),  # same topics, new links
    (lambda page: "/latest?page=1", "a page link came again"),
])
def test_a_topic_list_that_never_ends_is_stopped_and_recorded(tmp_path, forum, more, reason):
    forum.more = more
    db, summary = scrape(tmp_path, forum)
    assert stored_topics(db) == GOOD | {BAD} and db["posts"].count == 10
    assert len([path for path, _ in forum.log if path.startswith("/latest")]) <= 4
    run = last_run(db)
    assert run["status"] == "finished" and run["walk_complete"] == 0 and reason in run["errors"]
    assert any(reason in failure for failure in summary["failures"])


# ---------------------------------------------------------------- 5. one bad record, not the forum


def post_of(topic: dict, number: int = 2) -> dict:
    return topic["post_stream"]["posts"][number - 1]


def broken(change: Callable[[dict], Any]) -> dict:
    topic = make_topic(BAD)
    result = change(topic)
    return topic if result is None else result


BAD_RECORDS = {
    "post id >= 2**63": (lambda t: (post_of(t).update(id=2**63), t["post_stream"].update(stream=[31, 2**63]))[-1],
                         "ist keine gültige ID"),
    "views >= 2**63": (lambda t: t.update(views=2**70), "views 1180591620717411303424 ist zu groß zum Speichern"),
    "username as a list": (lambda t: post_of(t).update(username=["anna", "bert"]),
                           "Beitrag 32: username ist ['anna', 'bert'], kein Text"),
    'post_number "x"': (lambda t: post_of(t).update(post_number="x"), "post_number ist 'x', keine ganze Zahl"),
    "cooked as a number": (lambda t: post_of(t).update(cooked=42), "cooked ist 42, kein Text"),
    "another topic's id": (lambda t: make_topic(4), "das Forum antwortete mit Thread-ID 4"),
    "a list, not a topic": (lambda t: [1, 2, 3], "body is not JSON"),  # retried like an error page
    "junk in the stream": (lambda t: t["post_stream"].update(stream=[31, "32"]), "etwas anderes als gültige Beitrags-IDs"),
    "accepted answer number": (lambda t: t.update(accepted_answer={"post_number": "zwei"}),
                               "nicht lesbar (ValueError"),
}


@pytest.mark.parametrize("case", list(BAD_RECORDS))
def test_a_thread_with_bad_data_is_recorded_as_failed_and_the_crawl_goes_on(tmp_path, forum, case):
    change, reason = BAD_RECORDS[case]
    forum.topics[BAD] = broken(change)
    if case == "another topic's id" or case == "a list, not a topic":
        forum.extra_items = [list_item(make_topic(BAD))]  # still listed as topic 3
    db, summary = scrape(tmp_path, forum)
    assert_bad_thread_recorded(db, forum, summary, reason)
    assert db["threads"].get(f"{forum.forum}:4")["title"] == "Thema 4"  # not overwritten by topic 3's answer


def test_reasons_for_bad_data_are_english_with_lang_en(tmp_path, forum):
    from miner import i18n

    forum.topics[BAD] = broken(lambda t: post_of(t).update(username=["anna", "bert"]))
    i18n.use_language("en")
    db, summary = scrape(tmp_path, forum)
    assert_bad_thread_recorded(db, forum, summary, "topic 3, post 32: username is ['anna', 'bert'], not text")
    assert "Beitrag" not in db["crawl_state"].get(f"{forum.forum}:{BAD}")["error"]


def test_broken_unicode_is_cleaned_and_the_thread_stored(tmp_path, forum):
    topic = make_topic(BAD)
    topic["title"] = "Titel \ud800 kaputt"
    post_of(topic)["cooked"] = "<p>Lone \udfff surrogate</p>"
    post_of(topic, 1)["username"] = "anna\ud83d"
    forum.topics[BAD] = topic
    raw = json.dumps(make_topic(5)).encode().replace(b"Beitrag 1", b"Beitrag \xff\xfe 1")  # invalid UTF-8
    forum.routes["/t/5.json"] = lambda handler: send(handler, 200, raw)
    db, summary = scrape(tmp_path, forum)
    assert stored_topics(db) == GOOD | {BAD} and summary["threads_failed"] == 0
    assert db["threads"].get(f"{forum.forum}:3")["title"] == "Titel \ufffd kaputt"
    texts = {row["post_id"]: row["text"] for row in db["posts"].rows}
    assert texts[32] == "Lone \ufffd surrogate" and "Beitrag \ufffd\ufffd 1" in texts[51]


def test_a_list_entry_with_an_id_out_of_range_is_skipped_and_recorded(tmp_path, forum):
    forum.extra_items = [{**list_item(make_topic(6)), "id": 2**63}, {"id": "7"}, "junk",
                         {**list_item(make_topic(8)), "posts_count": [1], "title": {"x": 1}}]
    db, summary = scrape(tmp_path, forum)  # topic 8 is listed with junk fields, then 404
    assert stored_topics(db) == GOOD | {BAD}
    run = last_run(db)
    assert run["status"] == "finished" and run["errors"].count("without a valid topic id") == 3
    assert db["crawl_state"].get(f"{forum.forum}:8")["status"] == "gone"


def test_a_broken_about_and_category_list_do_not_stop_the_scrape(tmp_path, forum):
    forum.routes["/about.json"] = lambda handler: send(handler, 200, {"about": {
        "title": ["Forum"], "description": {"x": 1}, "version": 3.2}})
    forum.routes["/categories.json"] = lambda handler: send(handler, 200, {"category_list": {"categories": [
        "junk", {"id": "1"}, {"id": 2**64}, {"id": 1, "slug": "allgemein", "topic_count": "viele",
                                             "subcategory_list": {"not": "a list"}, "description": "<!-- -->"},
        {"id": 2, "name": ["x"], "slug": "zwei", "subcategory_list": [{"id": 3, "slug": "drei"}, None]}]}})
    db, summary = scrape(tmp_path, forum)
    assert stored_topics(db) == GOOD | {BAD} and summary["threads_failed"] == 0
    assert db["forums"].get(forum.forum)["title"] is None
    assert [(c["category_id"], c["name"], c["topic_count"]) for c in db["categories"].rows] == [
        (1, None, None), (2, None, None), (3, None, None)]


def test_replay_serves_a_snapshot_with_bad_records_and_the_scrape_goes_on(tmp_path):
    directory = tmp_path / "snapshot"
    info = write_forum(directory, threads=8, pinned=0, seed=2, sizes=[3] * 8)

    def rewrite(topic_id: int, change: Callable[[dict], None]) -> None:
        path = directory / "topics" / f"{topic_id}.json"
        topic = json.loads(path.read_text())
        change(topic)
        path.write_text(json.dumps(topic))  # ASCII JSON: a lone surrogate stays a \ud800 escape

    rewrite(101, lambda t: t["post_stream"]["posts"][1].update(cooked="<p>kaputt \ud800</p>"))
    rewrite(102, lambda t: t["post_stream"]["posts"][1].update(username=["a", "b"]))
    rewrite(103, lambda t: t["post_stream"]["posts"][1].update(post_number="x"))
    rewrite(104, lambda t: t.update(bumped_at=12345, details=["not", "an", "object"]))
    (directory / "topics" / "999.json").write_text("{not json")
    db = store.open_db(tmp_path / "replay.db")
    with ReplayServer(directory) as server:
        assert server.snapshot.topics.keys() == set(info["sizes"])
        client = DiscourseClient(server.url, delay=0, sleep=lambda s: None)
        summary = scrape_forum(db, server.url, delay=0, progress=False, client=client)
        assert server.route("/t/103/posts.json?post_number=3")[0] == 200  # "x" does not break chunking
    assert stored_topics(db) == set(info["sizes"]) - {102, 103, 104}
    assert summary["threads_failed"] == 3
    assert "\ufffd" in db["posts"].get("127.0.0.1:%d:%d" % (server.port, 1004))["text"]


# ---------------------------------------------------------------- 9. disk full, bad input


class FillingClient(DiscourseClient):
    """Lets the database reach its size limit just before topic 3 is stored (SQLITE_FULL, as on a full disk)."""

    def __init__(self, db, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.db = db

    def topic(self, topic_id: int) -> dict:
        if topic_id == BAD:
            pages = self.db.execute("PRAGMA page_count").fetchone()[0]
            self.db.execute(f"PRAGMA max_page_count = {pages}")
        return super().topic(topic_id)


def test_disk_full_during_scrape_stops_with_one_message_and_marks_the_run_interrupted(tmp_path, forum):
    post_of(forum.topics[BAD])["cooked"] = "<p>" + "Sehr langer Beitrag. " * 5000 + "</p>"
    db = store.open_db(tmp_path / "full.db")
    client = FillingClient(db, forum.url, delay=0, sleep=lambda s: None)
    with pytest.raises(DiskFull):
        scrape_forum(db, forum.url, delay=0, progress=False, client=client)
    run = last_run(db)
    assert run["status"] == "interrupted" and "Datenträger ist voll" in " ".join(json.loads(run["errors"]))
    assert stored_topics(db) == {1, 2}


@pytest.mark.parametrize("failure", [sqlite3.OperationalError("database or disk is full"),
                                     OSError(errno.ENOSPC, "No space left on device")])
def test_disk_full_in_the_cli_is_one_line_for_scrape_and_mine(tmp_path, forum, monkeypatch, failure):
    def full(*args, **kwargs):
        raise failure

    path = tmp_path / "cli.db"
    save = store.save_thread_crawl
    calls = []

    def fills_up(*args, **kwargs):  # two threads fit, the third does not
        calls.append(1)
        return save(*args, **kwargs) if len(calls) <= 2 else full()

    with monkeypatch.context() as patch:
        patch.setattr(store, "save_thread_crawl", fills_up)
        result = CliRunner().invoke(cli, ["scrape", str(path), forum.url, "--delay", "0", "--quiet"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("Fehler: Der Datenträger ist voll") and len(result.output.splitlines()) == 2
    scraped = store.open_db(path)
    assert [r["status"] for r in scraped.query("select status from scrape_runs")] == ["interrupted"]
    assert scraped["threads"].count == 2

    from faqdb import add_questions, dev_rows
    from miner import faqs

    mined = store.open_db(tmp_path / "mine.db")
    add_questions(mined, dev_rows()[:12])
    monkeypatch.setattr(faqs, "update_faqs", full)
    result = CliRunner().invoke(cli, ["mine", str(tmp_path / "mine.db"), "--quiet"])
    assert result.exit_code == 1 and result.output.startswith("Fehler: Der Datenträger ist voll")
    assert "Traceback" not in result.output
    assert [r["status"] for r in mined.query("select status from mining_runs")] == ["interrupted"]


@pytest.mark.parametrize("args, message", [
    (["http://[::1"], "ist keine gültige Adresse"),
    (["http://127.0.0.1:99999"], "ist keine gültige Adresse"),
    (["http://127.0.0.1:8080", "--delay", "inf"], "ist keine endliche Zahl von Sekunden"),
    (["http://127.0.0.1:8080", "--delay", "nan"], "ist keine endliche Zahl von Sekunden"),
    (["http://127.0.0.1:8080", "--delay", "-1"], "is not in the range x>=0"),
    (["http://127.0.0.1:8080", "--max-body-mb", "0"], "is not in the range"),
])
def test_bad_scrape_input_is_one_clear_line(tmp_path, args, message):
    path = tmp_path / "new.db"
    result = CliRunner().invoke(cli, ["scrape", str(path), *args])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    assert not path.exists()


# ---------------------------------------------------------------- 6. terminal injection

EVIL = "Messenger?\x1b]0;pwned\x07\x1b[2J\x1b[31m rot\x9b1m\r\x1b[0m Ende\u202e"
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")


def test_terminal_text_keeps_words_and_newlines_but_no_controls():
    assert terminal_text(EVIL) == "Messenger? rot Ende"
    assert terminal_text("Zeile 1\nZeile\t2: Grüße 😀") == "Zeile 1\nZeile\t2: Grüße 😀"
    assert terminal_text("\x1b]8;;http://evil.example\x1b\\Link\x1b]8;;\x1b\\") == "Link"


def test_forum_text_reaches_the_terminal_without_escape_sequences(tmp_path):
    from faqdb import add_questions, dev_rows
    from miner.faqs import update_faqs

    path = tmp_path / "evil.db"
    db = store.open_db(path)
    rows = dev_rows()[:60]
    add_questions(db, [{**row, "text": row["text"] + EVIL, "title": EVIL} for row in rows])
    update_faqs(db)
    faq_id = db.execute("select id from faqs where status = 'active' limit 1").fetchone()[0]
    db.execute("update faqs set title = ?, keywords = ? where id = ?", [EVIL, EVIL, faq_id])
    db.conn.commit()
    outputs = [CliRunner().invoke(cli, args) for args in (
        ["faq", "list", str(path)], ["faq", "list", str(path), "--id", str(faq_id)],
        ["suggest", str(path), "--text", rows[0]["text"]], ["suggest", str(path), "--text", rows[0]["text"], "--json"],
    )]
    for result in outputs:
        assert result.exit_code == 0, result.output
        assert not CONTROLS.search(result.output), repr(result.output[:300])
    assert "Messenger? rot Ende" in outputs[0].output and "\n" in outputs[0].output
    summary = {"forum": "f", "threads_new": 0, "threads_updated": 0, "threads_unchanged": 0, "threads_gone": 0,
               "threads_failed": 1, "posts_saved": 0, "requests": 1, "thread_requests": 1, "retries": 0,
               "errors": 1, "elapsed": 0.1, "failures": [f"topic 3: {EVIL}"]}
    assert not CONTROLS.search(terminal_text(describe_summary(summary)))


def test_a_forum_that_moved_to_https_is_not_followed_but_named(tmp_path, forum):
    forum.routes["/robots.txt"] = redirect(f"https://127.0.0.1:{forum.port}/robots.txt")
    result = CliRunner().invoke(cli, ["scrape", str(tmp_path / "moved.db"), forum.url, "--delay", "0"])
    assert result.exit_code == 1 and "nicht zum Forum gehört" in result.output
    assert f"Das Forum ist auf https umgezogen: geben Sie https://127.0.0.1:{forum.port} als Adresse an." in result.output
    assert not (tmp_path / "moved.db").exists()


def test_log_lines_quoting_a_server_are_stripped_too():
    import logging

    from miner.cli import TerminalFormatter

    record = logging.LogRecord("miner.scrape", logging.WARNING, __file__, 1, "topic list %s failed", (EVIL,), None)
    assert TerminalFormatter("%(message)s").format(record) == "topic list Messenger? rot Ende failed"
