"""Discourse as an engine: recognising it and its thread URLs.

Its crawl does not go through pages but through the JSON API (``miner.discourse`` and
``miner.scrape``); this module only lets detection and URL handling treat it like any other engine.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from miner.sources.base import ListPage, ThreadPage
from miner.sources.registry import meta_generator
from miner.urls import split_thread_path


class Discourse:
    name = "discourse"

    def detect(self, url: str, body: str, headers: dict[str, str]) -> bool:
        lowered = {k.lower(): v for k, v in headers.items()}
        return (meta_generator(body).lower().startswith("discourse") or "x-discourse-route" in lowered
                or 'name="discourse_theme_id"' in body[:100_000])

    def thread_id(self, url: str) -> int | None:
        found = split_thread_path(urlsplit(url).path)
        return found[1] if found else None

    def thread_url(self, base_url: str, thread_id: int, page: int = 1) -> str:
        return f"{base_url.rstrip('/')}/t/{int(thread_id)}" + (f"?page={page}" if page > 1 else "")

    def parse_list(self, body: str, url: str) -> ListPage:
        raise NotImplementedError("Discourse is read through its JSON API (miner.scrape), not its pages")

    def parse_thread(self, body: str, url: str) -> ThreadPage:
        raise NotImplementedError("Discourse is read through its JSON API (miner.scrape), not its pages")


ENGINE = Discourse()
