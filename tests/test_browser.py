"""A real browser (Debian chromium via Playwright): an editor writes an answer, hostile payloads stay inert.

Skipped only when /usr/bin/chromium or playwright is missing (CI installs both).
"""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
from pathlib import Path

import pytest

from local_server import free_port
from miner import publish
from miner.accounts import hash_password
from publish_db import HOSTILE, build_db

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not shutil.which("chromium"),
    reason="Debian chromium is not installed (apt-get install chromium); CI installs it",
)


@contextlib.contextmanager
def serving(path: Path):
    """The database's Datasette app on a free 127.0.0.1 port in a background thread; yields its URL."""
    import uvicorn

    port = free_port()
    uvi = uvicorn.Server(uvicorn.Config(publish.make_datasette(path).app(), host="127.0.0.1", port=port,
                                        log_level="warning", lifespan="off"))
    thread = threading.Thread(target=uvi.run, daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not uvi.started and time.time() < deadline:
        time.sleep(0.05)
    assert uvi.started, "server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uvi.should_exit = True
        thread.join(timeout=5)


@pytest.fixture
def server(tmp_path, monkeypatch):
    """miner's Datasette served by uvicorn on 127.0.0.1 in a background thread."""
    monkeypatch.setenv("MINER_ACCOUNTS", f"erika editor {hash_password('erika-pw', iterations=1000)}")
    path = build_db(tmp_path / "forum.db")
    with serving(path) as url:
        yield url, path


def test_editor_answers_in_the_browser_and_payloads_do_not_run(server):
    base, path = server
    dialogs = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

            def assert_inert(where: str):
                page.wait_for_timeout(150)  # give onerror / onload handlers time to fire
                assert page.evaluate("window.__pwned") is None, where
                assert "pwned" not in page.title(), where

            # Anonymous visitors: the FAQ page (hostile answer, titles, questions) and raw posts.
            for url in ("/faq", "/forum/posts", "/forum/posts?_sort=id", "/forum/answers", "/forum/questions",
                        "/forum/search_posts?q=Signal", "/forum/current_answers", "/forum/threads",
                        "/forum/faqs", "/forum/posts/forum.example.org~3A12", "/forum/entry_questions?faq_id=2"):
                page.goto(base + url)
                assert_inert(url)
            assert page.locator("a[href^='javascript'], [onerror], [onload], iframe, svg[onload]").count() == 0

            # An editor logs in, writes Markdown (plus a payload) in the textarea, sees it rendered.
            page.goto(base + "/-/login")
            page.fill("#username", "erika")
            page.fill("#password", "erika-pw")
            page.click("#login")
            page.wait_for_url(base + "/faq")
            page.goto(base + "/-/answer/1")
            assert page.locator("textarea#answer-body").count() == 1
            page.fill("textarea#answer-body", "## Kurzantwort\n\n**Nur** mit *AV-Vertrag*.\n\n" + HOSTILE)
            page.check("input[value=published]")
            page.click("#save-answer")
            page.wait_for_url(base + "/faq#faq-1")
            assert_inert("/faq after saving")
            answer = page.locator("#faq-1 .miner-answer")
            assert answer.locator("h2", has_text="Kurzantwort").count() == 1
            assert answer.locator("strong", has_text="Nur").count() == 1
            assert answer.locator("em", has_text="AV-Vertrag").count() == 1
            assert page.locator("#faq-2 .miner-answer a[href='https://example.org/dsgvo']").get_attribute("rel") == "nofollow noopener noreferrer"
            assert page.locator("script:has-text('__pwned')").count() == 0
            assert page.locator("[onerror], [onload], [ontoggle], [onclick]").count() == 0
            page.goto(base + "/-/answer/2")  # the revision list renders every old answer too
            assert_inert("/-/answer/2")
            assert page.locator(".miner-answer, div").filter(has_text="Nein").count() > 0  # hostile answer shown, defused
        finally:
            browser.close()
    assert dialogs == []
