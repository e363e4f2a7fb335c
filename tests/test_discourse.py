"""miner.discourse: politeness, retries on every fault shape, typed errors (against the replay server)."""

import pytest
import requests

from forumgen import write_forum
from miner import discourse
from miner.discourse import DiscourseClient, batch_ids, retry_after_seconds
from miner.errors import (DisallowedByRobots, FetchError, LoginRequired, NotDiscourse, NotFound, RateLimited,
                          UsageError)
from miner.replay import Fault, ReplayServer


@pytest.fixture(scope="module")
def forum(tmp_path_factory):
    directory = tmp_path_factory.mktemp("forum")
    write_forum(directory, threads=12, seed=3)
    return directory


class FakeTime:
    """Injected clock and sleep: backoff is asserted, never waited for."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(round(seconds, 3))
        self.now += seconds

    def clock(self):
        return self.now


def client_for(server, **options):
    fake = FakeTime()
    options = {"delay": 0, "sleep": fake.sleep, "clock": fake.clock, **options}
    return DiscourseClient(server.url, **options), fake


@pytest.mark.parametrize("kind, waits", [
    ("503", [1.0]), ("500", [1.0]), ("429_json", [1.0]), ("429_text", [1.0]), ("429_html", [1.0]),
    ("429_failed", [1.0]), ("truncated", [1.0]), ("not_json", [1.0]), ("reset", [1.0]),
])
def test_each_fault_is_retried_then_succeeds(forum, kind, waits):
    with ReplayServer(forum, faults=[Fault(kind, path=r"^/t/100\.json", times=1)]) as server:
        client, fake = client_for(server)
        topic = client.topic(100)
    assert topic["id"] == 100 and topic["post_stream"]["posts"]
    assert client.retries == 1 and client.requests == 2 + 1  # robots.txt, failed try, good try
    assert fake.sleeps == waits
    assert server.request_log.count("/t/100.json") == 2


def test_backoff_is_exponential_bounded_and_gives_up_with_a_typed_error(forum):
    with ReplayServer(forum, faults=[Fault("503", path=r"^/t/100\.json", times=None)]) as server:
        client, fake = client_for(server, max_retries=4, backoff_base=0.5, backoff_max=3)
        with pytest.raises(FetchError) as error:
            client.topic(100)
    assert fake.sleeps == [0.5, 1.0, 2.0, 3.0]
    assert error.value.status == 503 and "5 Versuchen" in str(error.value)
    assert client.retries == 4


def test_retry_after_beats_a_shorter_backoff():
    response = requests.Response()
    response.headers["Retry-After"] = "7"
    assert retry_after_seconds(response) == 7.0
    response = requests.Response()
    assert retry_after_seconds(response, {"extras": {"wait_seconds": 12}}) == 12.0
    assert retry_after_seconds(response, {"errors": []}) is None
    client = DiscourseClient("http://127.0.0.1:9", backoff_base=1)
    assert client._backoff(0, 7.0) == 7.0 and client._backoff(3, 2.0) == 3.0 and client._backoff(2, None) == 4.0


def test_delay_between_requests_and_robots_crawl_delay(tmp_path):
    write_forum(tmp_path, threads=3, robots_txt="User-agent: *\nCrawl-delay: 4\nDisallow: /u/\n")
    with ReplayServer(tmp_path) as server:
        client, fake = client_for(server, delay=1.5)
        client.detect()
        client.topic(100)
        client.topic(101)
    assert client.crawl_delay == 4.0
    assert fake.sleeps == [4.0, 4.0, 4.0]  # after robots.txt: about.json, two topics


def test_robots_disallow_refuses(tmp_path):
    write_forum(tmp_path, threads=3, robots_txt="User-agent: *\nDisallow: /t/\n")
    with ReplayServer(tmp_path) as server:
        client, _ = client_for(server)
        with pytest.raises(DisallowedByRobots):
            client.detect()
    assert not [p for p in server.request_log if p.startswith("/t/")]


def test_stock_robots_keeps_us_off_user_pages_and_search(forum):
    with ReplayServer(forum) as server:
        client, _ = client_for(server)
        with pytest.raises(DisallowedByRobots):
            client.get_json("/u/someone.json")
        with pytest.raises(DisallowedByRobots):
            client.get_json("/search.json?q=whatsapp")
        assert client.allowed("/t/100.json") and client.allowed("/latest.json")
    assert server.request_log == ["/robots.txt"]


def test_login_wall_noindex_and_not_found_are_typed(forum):
    with ReplayServer(forum, faults=[Fault("not_logged_in", path=r"^/about", times=None)]) as server:
        with pytest.raises(LoginRequired):
            client_for(server)[0].detect()
    with ReplayServer(forum, faults=[Fault("noindex", path=r"^/about", times=None)]) as server:
        with pytest.raises(DisallowedByRobots, match="noindex"):
            client_for(server)[0].detect()
    with ReplayServer(forum, faults=[Fault("404", path=r"^/about", times=None)]) as server:
        with pytest.raises(NotDiscourse):
            client_for(server)[0].detect()
    with ReplayServer(forum) as server:
        client = client_for(server)[0]
        with pytest.raises(NotFound):
            client.topic(99999)
        assert client.detect()["title"] == "Testforum Schule"


def test_user_agent_identifies_the_tool_and_a_contact():
    agent = discourse.default_user_agent("mailto:research@example.org")
    assert agent.startswith("miner/") and "(+mailto:research@example.org)" in agent
    assert DiscourseClient("https://forum.example/").session.headers["User-Agent"].startswith("miner/")


@pytest.mark.parametrize("url", ["https://user:secret@forum.example", "https://forum.example/?api_key=abc",
                                 "forum.example", "ftp://forum.example"])
def test_refuses_credentials_and_non_http_urls(url):
    with pytest.raises(UsageError):
        DiscourseClient(url)


def test_post_id_batches_keep_urls_short():
    prefix = "https://forum.example/t/123/posts.json?"
    ids = list(range(1_000_000, 1_000_400))
    batches = batch_ids(prefix, ids)
    assert [i for b in batches for i in b] == ids
    assert len(batches) == 3
    for batch in batches:
        url = prefix + "&".join(f"post_ids%5B%5D={i}" for i in batch)
        assert len(url) <= discourse.MAX_URL


def test_posts_chunk_fetches_only_the_asked_ids(forum):
    with ReplayServer(forum) as server:
        client, _ = client_for(server)
        topic = client.topic(100)
        wanted = topic["post_stream"]["stream"][:2]
        posts = client.posts(100, wanted)
    assert [p["id"] for p in posts] == wanted
    assert client.counts["topic"] == 1 and client.counts["posts"] == 1


def test_retry_after_is_honoured_and_an_excessive_wait_stops_politely(forum):
    with ReplayServer(forum, faults=[Fault("429_text", path=r"^/t/100\.json", times=1, retry_after=9)]) as server:
        client, fake = client_for(server)
        client.topic(100)
    assert fake.sleeps == [9.0]
    with ReplayServer(forum, faults=[Fault("429_json", path=r"^/t/", times=None, retry_after=3600)]) as server:
        client, fake = client_for(server, max_wait=600)
        with pytest.raises(RateLimited, match="3600 s zu warten"):
            client.topic(100)
    assert fake.sleeps == [] and server.request_log.count("/t/100.json") == 1


def test_unreachable_or_broken_robots_txt_stops_before_crawling(forum):
    with ReplayServer(forum, faults=[Fault("503", path=r"^/robots", times=None)]) as server:
        with pytest.raises(FetchError, match="robots.txt"):
            client_for(server)[0].detect()
    assert server.request_log == ["/robots.txt"]
    with pytest.raises(FetchError, match="nicht erreichbar"):
        DiscourseClient("http://127.0.0.1:9", delay=0).detect()


def test_a_read_timeout_is_retried(forum):
    with ReplayServer(forum, faults=[Fault("slow", path=r"^/t/100\.json", times=1)]) as server:
        client, fake = client_for(server, timeout=(2.0, 0.3))
        topic = client.topic(100)
    assert topic["id"] == 100 and client.retries == 1 and fake.sleeps == [1.0]
