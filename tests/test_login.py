"""The editors' login: same-site redirects, sessions that end, equal timing for
unknown names, a throttle with back-off, failed logins logged, CSRF even without cookies."""

from __future__ import annotations

import asyncio
import logging
import statistics
import time
from http.cookies import SimpleCookie

import pytest

from miner import login as rules
from miner import publish
from miner.accounts import hash_password
from miner.plugins import signin, workbench
from publish_db import build_db

HASH = {"iterations": 20_000}  # slow enough that timing differences would show


def run(coro):
    return asyncio.run(coro)


@pytest.fixture
def ds(tmp_path, monkeypatch):
    monkeypatch.setenv("MINER_ACCOUNTS", f"erika editor {hash_password('erika-pw', **HASH)};"
                                         f"moritz moderator {hash_password('moritz-pw', **HASH)}")
    return publish.make_datasette(build_db(tmp_path / "forum.db"))


async def token(ds) -> str:
    return SimpleCookie((await ds.client.get("/-/login")).headers["set-cookie"])["ds_csrftoken"].value


async def attempt(ds, username, password, next_path=None):
    csrf = await token(ds)
    data = {"username": username, "password": password, "csrftoken": csrf}
    if next_path is not None:
        data["next"] = next_path
    return await ds.client.post("/-/login", data=data, cookies={"ds_csrftoken": csrf})


@pytest.mark.parametrize("target", ["/\\evil.example/x", "//evil.example/x", "https://evil.example/",
                                    "javascript:alert(1)", "/\\/evil.example", "evil.example", "/ok\r\nSet-Cookie: x=1",
                                    "\\\\evil.example", "http:/evil.example"])
def test_next_never_leaves_the_site(target):
    assert rules.safe_next(target) == "/faq"


def test_next_keeps_paths_of_this_site():
    assert rules.safe_next("/-/answer/3?x=1#a") == "/-/answer/3?x=1#a"
    assert rules.safe_next("/faq") == "/faq"


def test_login_redirects_only_within_the_site(ds):
    evil = run(attempt(ds, "erika", "erika-pw", "/\\evil.example/steal"))
    assert evil.status_code == 302 and evil.headers["location"] == "/faq"
    good = run(attempt(ds, "erika", "erika-pw", "/-/answer/1"))
    assert good.headers["location"] == "/-/answer/1"


def test_a_session_expires_and_ends_with_its_account(ds, monkeypatch):
    response = run(attempt(ds, "moritz", "moritz-pw"))
    cookie = SimpleCookie(response.headers["set-cookie"])["ds_actor"]
    assert int(cookie["max-age"]) == 12 * 3600

    def actor():
        return run(ds.client.get("/-/actor.json", cookies={"ds_actor": cookie.value})).json()["actor"]

    assert actor() == {"id": "moritz", "roles": ["moderator"]}
    real_time = time.time
    monkeypatch.setattr(signin.time, "time", lambda: real_time() + 12 * 3600 + 1)
    assert actor() is None  # expired
    monkeypatch.setattr(signin.time, "time", real_time)
    assert actor() == {"id": "moritz", "roles": ["moderator"]}
    # the account is removed while the server runs: the cookie stops working on the next request
    monkeypatch.setenv("MINER_ACCOUNTS", f"erika editor {hash_password('erika-pw', **HASH)}")
    assert actor() is None
    assert run(ds.client.get("/-/lookup", cookies={"ds_actor": cookie.value})).status_code == 403


def test_an_old_style_cookie_without_expiry_is_not_accepted(ds):
    old = ds.sign({"a": {"id": "erika", "roles": ["editor"]}}, "actor")
    assert run(ds.client.get("/-/actor.json", cookies={"ds_actor": old})).json()["actor"] is None
    assert run(ds.client.get("/-/answer/1", cookies={"ds_actor": old})).status_code == 403


def test_a_changed_password_ends_old_sessions(ds, monkeypatch):
    cookie = SimpleCookie(run(attempt(ds, "erika", "erika-pw")).headers["set-cookie"])["ds_actor"].value
    monkeypatch.setenv("MINER_ACCOUNTS", f"erika editor {hash_password('new-pw', **HASH)}")
    assert run(ds.client.get("/-/actor.json", cookies={"ds_actor": cookie})).json()["actor"] is None


def test_unknown_names_cost_as_much_as_known_ones(ds):
    def timed(name):
        # CPU time of this process: the hash work shows, other processes' load on the machine does not
        started = time.process_time()
        run(attempt(ds, name, "wrong"))
        return time.process_time() - started

    known, unknown = [], []
    for i in range(4):  # below the throttle: 4 failures per name, 8 for the address
        known.append(timed("erika"))
        unknown.append(timed(f"nobody{i}"))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.5 < ratio < 2.0, (known, unknown)  # a skipped hash answers about 20x faster


def test_guessing_is_throttled_with_a_german_429_and_logged(ds, caplog):
    caplog.set_level(logging.WARNING)
    statuses = [run(attempt(ds, "erika", f"guess{i}")).status_code for i in range(5)]
    assert statuses == [400] * 5
    locked = run(attempt(ds, "erika", "erika-pw"))  # even the right password waits now
    assert locked.status_code == 429 and "Zu viele fehlgeschlagene Anmeldungen" in locked.text
    assert int(locked.headers["retry-after"]) >= 30
    assert run(attempt(ds, "moritz", "moritz-pw")).status_code == 302  # other accounts are not locked
    failed = [r for r in caplog.records if "failed login" in r.getMessage()]
    assert len(failed) == 5 and all(r.levelno == logging.WARNING for r in failed)
    assert "account erika from" in failed[0].getMessage()
    assert not [r for r in caplog.records if "guess" in r.getMessage() or "erika-pw" in r.getMessage()]


def test_the_throttle_doubles_and_forgives_after_success():
    now = [0.0]
    throttle = rules.Throttle(3, first=10, cap=35, clock=lambda: now[0])
    for _ in range(2):
        throttle.failed("a")
    assert throttle.retry_after("a") == 0
    throttle.failed("a")
    assert throttle.retry_after("a") == 10
    throttle.failed("a")
    assert throttle.retry_after("a") == 20
    throttle.failed("a")
    throttle.failed("a")
    assert throttle.retry_after("a") == 35  # capped
    now[0] = 100
    assert throttle.retry_after("a") == 0
    throttle.succeeded("a")
    throttle.failed("a")
    assert throttle.retry_after("a") == 0


def test_the_address_throttle_covers_many_names(ds):
    statuses = [run(attempt(ds, f"name{i}", "x")).status_code for i in range(rules.IP_FAILURES + 1)]
    assert statuses[:rules.IP_FAILURES] == [400] * rules.IP_FAILURES and statuses[-1] == 429


def test_every_form_needs_the_csrf_token_even_without_cookies(ds):
    editor = signin.session_cookie(ds, workbench._config(ds)["book"].current()["erika"])

    async def posts():
        csrf = await token(ds)
        results = {"login no cookies": await ds.client.post(
            "/-/login", data={"username": "erika", "password": "erika-pw"})}
        for path, data in {"/-/answer/1": {"body": "x", "status": "draft"},
                           "/-/correct": {"action": "rename", "faq_id": "1", "title": "x"},
                           "/-/lookup": {"text": "Darf ich Signal nutzen?"},
                           "/-/link": {"thread_url": "https://x.example/t/a/1", "faq_id": "1"}}.items():
            # signed in, but the token cookie is missing: Datasette's layer lets that through
            results[path] = await ds.client.post(path, data=data, cookies={"ds_actor": editor})
            results[path + " wrong token"] = await ds.client.post(
                path, data={**data, "csrftoken": "forged"}, cookies={"ds_actor": editor, "ds_csrftoken": csrf})
        return results

    results = run(posts())
    assert {k: r.status_code for k, r in results.items()} == {k: 403 for k in results}
    assert "ds_actor" not in results["login no cookies"].headers.get("set-cookie", "")


def test_removing_an_account_from_the_file_ends_its_session_without_a_restart(tmp_path, monkeypatch, miner_home):
    monkeypatch.delenv("MINER_ACCOUNTS", raising=False)
    accounts = miner_home / "accounts"
    accounts.write_text(f"erika editor {hash_password('erika-pw', **HASH)}\nmoritz moderator {hash_password('m-pw', **HASH)}\n")
    accounts.chmod(0o600)
    ds = publish.make_datasette(build_db(tmp_path / "forum.db"))
    cookie = SimpleCookie(run(attempt(ds, "moritz", "m-pw")).headers["set-cookie"])["ds_actor"].value
    assert run(ds.client.get("/-/actor.json", cookies={"ds_actor": cookie})).json()["actor"]["id"] == "moritz"
    accounts.write_text(f"erika editor {hash_password('erika-pw', **HASH)}\n")
    assert run(ds.client.get("/-/actor.json", cookies={"ds_actor": cookie})).json()["actor"] is None
