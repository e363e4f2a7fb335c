"""What the HTML engines share: the forum's time zone and clock, and reading dates off a page."""

from __future__ import annotations

import datetime as dt
import re

from lxml.html import HtmlElement

from miner.sources.dates import DEFAULT_TZ, DateError, from_machine, from_timestamp, parse_date


class HtmlEngine:
    """Base of the page parsers: `tz` is the zone the forum prints wall-clock times in, `now`
    anchors "Heute" and "vor 5 Minuten" (None: the current time)."""

    name = ""

    def __init__(self, tz: str = DEFAULT_TZ, now: dt.datetime | None = None):
        self.tz = tz
        self.now = now

    def stamp(self, node: HtmlElement | None) -> str | None:
        """The machine-readable moment on `node` (unix data-timestamp/data-time, datetime/date/content
        attributes), None when it carries none."""
        if node is None:
            return None
        for name in ("data-timestamp", "data-time"):
            value = node.get(name) or ""
            if re.fullmatch(r"\d{9,11}", value):  # WoltLab's data-time is "21:09": not a timestamp
                return from_timestamp(value)
        for name in ("datetime", "date", "content"):
            if node.get(name):
                return from_machine(node.get(name), self.tz)
        return None

    def first_date(self, *texts: str | None) -> str | None:
        """The first of `texts` that reads as a date (ISO UTC), None when none does."""
        for text in texts:
            if not text:
                continue
            try:
                return parse_date(text, tz=self.tz, now=self.now)
            except DateError:
                continue
        return None
