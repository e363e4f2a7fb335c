"""The reader's and editor's pages in a real browser (Debian chromium via Playwright): German labels,
table of contents, entry page, search, the editor's sources, live preview and drafts with citations.

Skipped only when /usr/bin/chromium or playwright is missing (CI installs both).
"""

from __future__ import annotations

import re
import shutil

import pytest

from miner.accounts import hash_password
from publish_db import FORUM, build_db
from test_browser import CHROMIUM, CHROMIUM_ARGS, serving
from test_faq_pages import add_sections

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not shutil.which("chromium"),
    reason="Debian chromium is not installed (apt-get install chromium); CI installs it",
)


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setenv("MINER_ACCOUNTS", f"erika editor {hash_password('erika-pw', iterations=1000)}")
    with serving(add_sections(build_db(tmp_path / "forum.db"))) as url:
        yield url


@pytest.fixture
def page(server):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")),
                                    args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page()
            tab.blocked = []  # what the Content-Security-Policy refused of miner's own script and requests
            tab.on("console", lambda m: tab.blocked.append(m.text)
                   if "Content Security Policy" in m.text and ("editor.js" in m.text or "connect-src" in m.text) else None)
            yield tab
        finally:
            browser.close()


def test_reader_sees_german_contents_entry_page_and_search(server, page):
    page.goto(server + "/faq")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("label[for=miner-q]").inner_text() == "Einträge durchsuchen"
    assert page.locator("#miner-q").get_attribute("placeholder") == "z.B. DSGVO-konform"
    assert page.locator("#miner-toc li").all_inner_texts() == ["Whatsapp, Dsgvo (1)", "Signal, Threema (2)"]
    page.locator("#miner-toc a", has_text="Signal, Threema").click()
    assert page.url.endswith("/faq#section-2")
    assert page.locator("h2.miner-section").all_inner_texts() == ["Whatsapp, Dsgvo (1)", "Signal, Threema (2)"]

    page.locator("#faq-1 h3 a").click()
    page.wait_for_url(server + "/faq/1")
    assert page.locator("h1").inner_text() == "Ist WhatsApp DSGVO-konform?"
    assert page.locator("ol.miner-questions li").count() == 3
    assert page.locator("svg.miner-chart-large rect").count() == 36
    assert page.locator("svg.miner-chart-large").bounding_box()["width"] >= 600
    assert f"https://{FORUM}/t/t1/1" in [a.get_attribute("href") for a in page.locator("ul.miner-sources a").all()]
    assert page.get_by_text("Noch keine Antwort.").count() == 1

    page.goto(server + "/faq")
    page.fill("#miner-q", "DSGVO")
    page.press("#miner-q", "Enter")
    page.wait_for_url(re.compile(r".*/faq\?q=DSGVO$"))
    assert page.locator("#miner-results").inner_text().startswith("3 Einträge zu „DSGVO“")
    assert page.locator("section.miner-entry").first.get_attribute("id") == "faq-1"
    assert "DSGVO" in page.locator("#faq-1 .miner-matched mark").all_inner_texts()
    page.fill("#miner-q", "Datenschutz")
    page.press("#miner-q", "Enter")
    page.wait_for_url(re.compile(r".*q=Datenschutz$"))
    assert page.locator("section.miner-entry").first.get_attribute("id") == "faq-3"
    assert page.blocked == []


def test_editor_sees_sources_previews_and_drafts_with_a_citation(server, page):
    page.goto(server + "/-/login")
    page.fill("#username", "erika")
    page.fill("#password", "erika-pw")
    page.click("#login")
    page.wait_for_url(server + "/faq")
    page.goto(server + "/-/answer/1")
    assert page.locator("html").get_attribute("lang") == "de"
    sources = page.locator(".miner-source")
    assert sources.count() >= 1
    assert "akzeptierte Antwort" in sources.first.inner_text()
    assert sources.first.locator("a").first.get_attribute("href") == f"https://{FORUM}/t/t1/1/2"
    assert page.locator("#new-title").bounding_box()["width"] > 300

    page.fill("#answer-body", "## Kurz\n\n**Nein**, nur mit *AV-Vertrag*.")
    page.locator("#answer-preview h2", has_text="Kurz").wait_for(timeout=5000)  # the live preview
    assert page.locator("#answer-preview strong").inner_text() == "Nein"

    sources.first.locator("input[name=cite]").check()
    page.click("#draft-from-sources")
    body = page.locator("#answer-body").input_value()
    assert body.startswith("## Kurz\n\n**Nein**, nur mit *AV-Vertrag*.\n\n> Wir nutzen Signal")  # unsaved text kept
    assert "> [Quelle: Thread „Ist WhatsApp DSGVO-konform?" in body and f"](https://{FORUM}/t/t1/1/2)" in body
    citation = page.locator("#answer-preview blockquote a", has_text="Quelle: Thread")
    citation.wait_for(timeout=5000)
    assert citation.get_attribute("href") == f"https://{FORUM}/t/t1/1/2"
    assert page.locator("input[name=status][value=draft]").is_checked()
    page.click("#save-answer")
    page.wait_for_url(server + "/faq#faq-1")
    assert page.locator("#faq-1 .miner-answer.draft blockquote a", has_text="Quelle: Thread").count() == 1

    # "Kein FAQ-Eintrag" needs its confirmation tick: the browser refuses to send the form without it
    page.goto(server + "/-/answer/1")
    page.click("#not-faq")
    assert page.url == server + "/-/answer/1"
    assert page.blocked == []
