"""The keyed write client against a local Discourse stand-in (pytest-httpserver on 127.0.0.1)."""

import json
import logging

import pytest
from werkzeug import Response

from miner import discourse_write
from miner.discourse_write import DiscourseWriter, KeyedBudget
from miner.errors import DiscourseWriteError, MissingCredentials

KEY = "s3cr3t-api-key-0123456789abcdef"


class FakeClock:
    def __init__(self, now=1_000_000.0):
        self.now = now
        self.slept: list[float] = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def writer(httpserver, tmp_path, clock):
    budget = KeyedBudget(tmp_path / "budget.json", clock=clock, sleep=clock.sleep)
    return DiscourseWriter(httpserver.url_for("/").rstrip("/"), KEY, "moderatorin", budget=budget)


def created_post(topic_id=101):
    return {"id": 999, "post_number": 4, "topic_id": topic_id, "topic_slug": "signal-an-der-schule",
            "raw": "x", "username": "moderatorin"}


def test_post_sends_key_headers_and_json_body(httpserver, writer, caplog):
    caplog.set_level(logging.DEBUG)
    httpserver.expect_oneshot_request(
        "/posts.json", method="POST",
        headers={"Api-Key": KEY, "Api-Username": "moderatorin"},
        json={"topic_id": 101, "raw": "Hallo,\n\nsiehe FAQ."},
    ).respond_with_json(created_post(), status=200)
    post = writer.create_post(101, "Hallo,\n\nsiehe FAQ.")
    httpserver.check_assertions()
    assert post["url"] == httpserver.url_for("/t/signal-an-der-schule/101/4")
    request, _ = httpserver.log[0]
    assert request.headers["Content-Type"].startswith("application/json")
    assert "miner/" in request.headers["User-Agent"]
    assert KEY not in caplog.text and KEY not in repr(writer)


@pytest.mark.parametrize("status, body, headers, message", [
    (403, {"errors": ["You are not permitted to view the requested resource. The API username or key is invalid."],
           "error_type": "invalid_access"}, {},
     "Discourse refused the API key (403): You are not permitted to view the requested resource. "
     "The API username or key is invalid."),
    (422, {"action": "create_post", "errors": ["Body is too short (minimum is 20 characters)",
                                                 "Topic is closed"]}, {},
     "Discourse did not accept the reply (422): Body is too short (minimum is 20 characters); Topic is closed."),
    (429, {"errors": ["You’ve performed this action too many times. Please wait 37 seconds before trying again."],
           "error_type": "rate_limit", "extras": {"wait_seconds": 37, "time_left": "37 seconds"}},
     {"Retry-After": "37"}, "Discourse asks to slow down (429): wait 37 seconds before posting again."),
    (500, None, {}, "Discourse failed with HTTP 500."),
])
def test_each_error_shape_is_reported_plainly(httpserver, writer, caplog, status, body, headers, message):
    caplog.set_level(logging.DEBUG)
    text = json.dumps(body) if body is not None else "<html>Internal Server Error</html>"
    httpserver.expect_oneshot_request("/posts.json", method="POST").respond_with_response(
        Response(text, status=status, headers=headers,
                 content_type="application/json" if body is not None else "text/html"))
    with pytest.raises(DiscourseWriteError) as info:
        writer.create_post(101, "Hallo, eine ausreichend lange Antwort.")
    error = info.value
    assert error.text("en") == message and str(error) != message  # German by default, English on request
    assert error.status == status
    assert error.hint
    assert error.created is (None if status == 500 else False)
    assert KEY not in str(error) + error.hint + caplog.text


def test_429_wait_from_retry_after_only_and_next_request_waits(httpserver, writer, clock):
    httpserver.expect_oneshot_request("/posts.json", method="POST").respond_with_response(
        Response("{}", status=429, headers={"Retry-After": "12"}, content_type="application/json"))
    with pytest.raises(DiscourseWriteError) as info:
        writer.create_post(101, "x" * 30)
    assert info.value.wait_seconds == 12
    # the wait Discourse asked for is kept in the shared budget: the next post waits it out first
    httpserver.expect_oneshot_request("/posts.json", method="POST").respond_with_json(created_post())
    writer.create_post(101, "x" * 30)
    assert clock.slept == [12]


def test_budget_allows_60_per_minute_shared_between_commands(tmp_path, clock):
    path = tmp_path / "budget.json"
    first = KeyedBudget(path, clock=clock, sleep=clock.sleep)
    for _ in range(40):
        assert first.acquire("forum.example.org") == 0
        clock.now += 0.5  # 40 requests within 20 s
    second = KeyedBudget(path, clock=clock, sleep=clock.sleep)  # a later command, same file
    for _ in range(20):
        assert second.acquire("forum.example.org") == 0
    assert second.acquire("other.example.org") == 0  # another forum has its own budget
    # the 61st request within the minute waits until the oldest one is 60 s old
    waited = second.acquire("forum.example.org")
    assert waited == pytest.approx(60 - 20.0)
    assert KEY not in path.read_text() and "forum.example.org" in path.read_text()


def test_missing_environment_names_both_variables(monkeypatch):
    monkeypatch.delenv(discourse_write.KEY_ENV, raising=False)
    monkeypatch.setenv(discourse_write.USERNAME_ENV, "moderatorin")
    with pytest.raises(MissingCredentials, match="MINER_DISCOURSE_API_KEY nicht gesetzt"):
        DiscourseWriter.from_env("https://forum.example.org")
    monkeypatch.delenv(discourse_write.USERNAME_ENV)
    with pytest.raises(MissingCredentials,
                       match="MINER_DISCOURSE_API_KEY und MINER_DISCOURSE_API_USERNAME nicht gesetzt"):
        discourse_write.credentials_from_env()


def test_unreachable_forum_created_nothing(tmp_path, clock):
    budget = KeyedBudget(tmp_path / "b.json", clock=clock, sleep=clock.sleep)
    writer = DiscourseWriter("http://127.0.0.1:9", KEY, "m", budget=budget, timeout=2)
    with pytest.raises(DiscourseWriteError, match="nicht erreichbar") as info:
        writer.create_post(1, "x" * 30)
    assert info.value.created is False and KEY not in str(info.value)
