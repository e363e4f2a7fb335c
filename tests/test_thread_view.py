"""/-/thread/ID: a stored thread as a reader sees it, where source links point when the forum cannot be opened."""

from __future__ import annotations

import asyncio
import re
import sqlite3

from click.testing import CliRunner

from miner import publish
from miner.cli import cli
from miner.source_links import site_root, thread_href
from publish_db import FORUM, RAW_USERNAMES, build_db


def get(ds, path):
    return asyncio.run(ds.client.get(path))


def test_thread_view_shows_posts_sanitized_and_pseudonymized(tmp_path):
    path = build_db(tmp_path / "forum.db")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("update posts set is_accepted_answer = 1 where id = ?", [f"{FORUM}:22"])
        conn.execute("update posts set deleted = 1 where id = ?", [f"{FORUM}:32"])
    ds = publish.make_datasette(path)
    page = get(ds, f"/-/thread/{FORUM}:2")
    assert page.status_code == 200
    assert "<h1>Signal für Elternkontakt</h1>" in page.text
    assert page.text.count('class="miner-post') == 2 and page.text.count("miner-post accepted") == 1
    assert "Akzeptierte Antwort" in page.text and "03.2024" in page.text
    posts = "".join(re.findall(r"<article.*?</article>", page.text, re.S))
    assert "datenschutzfreundlich" in posts
    assert not re.search(r"<script|onerror=|javascript:|<iframe|<svg|ontoggle", posts)
    assert not any(name in page.text for name in RAW_USERNAMES)
    assert "content-security-policy" in page.headers and "script-src 'self'" in page.headers["content-security-policy"]
    deleted = get(ds, f"/-/thread/{FORUM}:3")
    assert deleted.text.count('class="miner-post') == 1  # the deleted post is left out
    missing = get(ds, "/-/thread/nowhere.example:1")
    assert missing.status_code == 404 and "Diesen Thread gibt es in der Datenbank nicht." in missing.text


def reader_pages(ds) -> str:
    """The FAQ page and the entry pages it links to (/faq/ID), where source threads are listed."""
    faq = get(ds, "/faq").text
    return faq + "".join(get(ds, entry).text for entry in sorted(set(re.findall(r'href="(/faq/\d+)"', faq))))


def test_faq_page_source_links_follow_the_setting(tmp_path):
    path = build_db(tmp_path / "forum.db")
    ds = publish.make_datasette(path)
    assert f'href="https://{FORUM}/t/t1/1"' in reader_pages(ds)
    assert CliRunner().invoke(cli, ["settings", str(path), "source_links", "stored"]).exit_code == 0
    text = reader_pages(publish.make_datasette(path))
    assert f'href="/-/thread/{FORUM}:1"' in text and f'href="https://{FORUM}/t/' not in text


def test_thread_href_rule():
    assert thread_href("f.example:1", "https://f.example/t/x/1", "forum") == "https://f.example/t/x/1"
    assert thread_href("f.example:1", "javascript:alert(1)", "forum") == ""
    assert thread_href("f.example:1", "https://f.example/t/x/1", "stored") == "/-/thread/f.example:1"
    assert thread_href("f.example:1", None, "stored", "https://s.example/app") == "https://s.example/app/-/thread/f.example:1"
    assert thread_href("a b/c:1", None, "stored") == "/-/thread/a%20b%2Fc:1"
    assert site_root("https://s.example/app/faq") == "https://s.example/app"
    assert site_root("https://s.example/faq/") == "https://s.example" and site_root(None) == ""
