"""Thread URLs of every engine a database knows -> the "forum:topic" ids its tables use.

A Discourse address (/t/slug/123) names its forum by itself; a phpBB, XenForo, Flarum, vBulletin,
SMF, WoltLab or MyBB address only makes sense next to the forums table: the forum whose base URL it
starts with, the topic as that forum's engine reads it (``Engine.thread_id``). The SQL function
``miner_thread_id()`` and the moderators' lookup both answer through here, so a URL pasted in the
browser and one given to ``miner suggest`` name the same thread.

Open to anonymous SQL: the input is cut at ``MAX_URL_LENGTH`` before any parser sees it.
"""

from __future__ import annotations

import sqlite3
from typing import Iterable

from miner import store
from miner.errors import UsageError
from miner.urls import MAX_URL_LENGTH, thread_id_for_url


def page_forums(rows: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, object]]:
    """(forum id, lower-cased base URL + "/", engine) for forum rows, the longest base first (a
    forum in a sub-folder of another wins); engines this installation lacks are left out."""
    from miner.sources import registry

    forums = []
    for forum, base, name in rows:
        try:
            engine = registry.load_engine(name)
        except UsageError:
            continue
        forums.append((forum, base.rstrip("/").lower() + "/", engine))
    return sorted(forums, key=lambda f: len(f[1]), reverse=True)


def resolve(url: object, forums: list[tuple[str, str, object]]) -> str | None:
    """forum:topic of a thread URL of one of `forums` (see page_forums), else of a Discourse thread
    URL; None for anything else (including values that are not text)."""
    if not isinstance(url, str) or len(url) > MAX_URL_LENGTH:
        return None
    stripped = url.strip()
    lowered = stripped.lower()
    for forum, base, engine in forums:
        if lowered.startswith(base):
            try:
                topic = engine.thread_id(stripped)
            except (ValueError, TypeError, OverflowError):
                topic = None
            if topic is not None:
                return store.qualify(forum, topic)
    return thread_id_for_url(stripped)


class ConnectionThreadIds:
    """``miner_thread_id(url)`` for one connection: the forums table is read once and again only
    after another connection committed (a forum scraped while the server runs)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.version: int | None = None
        self.forums: list[tuple[str, str, object]] = []

    def __call__(self, url: object) -> str | None:
        if not isinstance(url, str) or len(url) > MAX_URL_LENGTH:
            return None
        try:
            version = store.data_version(self.conn)
            if version != self.version:
                self.forums, self.version = page_forums(store.page_engine_forums(self.conn)), version
        except sqlite3.Error:
            pass  # answer from what was read before
        return resolve(url, self.forums)


def thread_id_in(conn: sqlite3.Connection, url: str) -> str | None:
    """forum:topic of `url` as the database behind `conn` knows its forums (one-off, no cache)."""
    return resolve(url, page_forums(store.page_engine_forums(conn)))


def split_thread_id(thread_id: str) -> tuple[str, int]:
    """("forum", topic) of "forum:topic" (forum ids may contain a port's colon)."""
    forum, _, topic = thread_id.rpartition(":")
    return forum, int(topic)
