"""Where a link to a source thread points: the forum, or the copy stored in this database.

One rule for the FAQ pages, the entry pages and the export: a forum that is gone, or only replayed
(the demo's bundled forum), cannot be opened, so the setting ``source_links = stored`` sends
readers to miner's own thread view (``/-/thread/<id>``) instead.
"""

from __future__ import annotations

import sqlite3
from urllib.parse import quote, urlsplit

from miner import store
from miner.render import safe_url
from miner.settings import SOURCE_LINKS

THREAD_VIEW = "/-/thread/"


def stored_thread_path(thread_id: str) -> str:
    """The path of miner's view of one stored thread (served by ``miner serve``)."""
    return THREAD_VIEW + quote(thread_id, safe=":")


def site_root(faq_base_url: str | None) -> str:
    """scheme://host[:port][/prefix] of a served FAQ page address (its last path segment dropped)."""
    if not faq_base_url:
        return ""
    parts = urlsplit(faq_base_url)
    path = parts.path.rstrip("/").rsplit("/", 1)[0] if parts.path.rstrip("/") else ""
    return f"{parts.scheme}://{parts.netloc}{path}"


def thread_href(thread_id: str, url: str | None, mode: str | None, root: str = "") -> str:
    """The address a reader opens for a source thread ('' when there is none that is safe).

    ``mode`` is the setting ``source_links`` (``forum`` or ``stored``); ``root`` the site the
    stored view is served on ('' for a link on the same site).
    """
    if mode == "stored" and thread_id:
        return root.rstrip("/") + stored_thread_path(thread_id)
    return safe_url(url)


def source_link_mode(conn: sqlite3.Connection) -> str:
    """The setting ``source_links`` read on a plain connection (the pages' one); 'forum' by default."""
    return store.load_settings(store.database(conn)).get(SOURCE_LINKS) or "forum"
