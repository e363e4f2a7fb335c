"""Discourse's JSON API on top of the polite client (``miner.http``).

Rate limits come in four shapes on a Discourse site (HTTP 429 as JSON, text or HTML, and a 200
``{"failed": ...}``); all are retried with backoff. Refusals are typed: not Discourse, login
required, private category, robots.txt.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

from miner.errors import (
    DisallowedByRobots,
    FetchError,
    LoginRequired,
    NotDiscourse,
    NotFound,
    OffSite,
)
from miner.http import (  # noqa: F401  (re-exported: the names callers and tests know from here)
    CHUNK,
    DEADLINE,
    DEFAULT_CONTACT,
    LONE_SURROGATE,
    LONE_SURROGATE_ESCAPE,
    MAX_BODY_BYTES,
    MAX_REDIRECTS,
    MAX_URL,
    RETRY_STATUSES,
    TIMEOUT,
    PoliteClient,
    _Retry,
    default_user_agent,
    normalise_base_url,
    on_site_url,
    origin,
    repair_unicode,
    retry_after_seconds,
)
from miner.i18n import both

log = logging.getLogger(__name__)


class DiscourseClient(PoliteClient):
    """A polite session with one Discourse forum, reading its JSON API."""

    def __init__(self, base_url: str, **options: Any):
        options.setdefault("accept", "application/json")
        super().__init__(base_url, **options)

    def get_json(self, path: str, params: Any = None, *, kind: str = "other", html_retries: int | None = None) -> dict:
        """GET a JSON document, retrying transient failures; raises typed errors for the rest.

        ``html_retries`` caps retries of answers that are whole HTML pages (a maintenance page on a
        forum, but on a site that is not Discourse at all just the same page again).
        """
        self.require_allowed(path)
        url = self.base_url + path
        return self.retrying(url, lambda: self._attempt(url, params, kind), html_retries=html_retries)

    def _attempt(self, url: str, params: Any, kind: str) -> dict:
        response, content = self._transport(url, params, kind)
        status = response.status_code
        body = _try_json(content)
        if status == 429 or (status == 200 and isinstance(body, dict) and body.get("failed") and len(body) <= 3):
            raise _Retry("rate limited (HTTP 429)", retry_after_seconds(response, body), status)
        if status in RETRY_STATUSES or status >= 500:
            raise _Retry(f"HTTP {status}", retry_after_seconds(response, body), status)
        if status == 403:
            if isinstance(body, dict) and body.get("error_type") == "not_logged_in":
                raise LoginRequired(
                    both(f"{url} verlangt eine Anmeldung (not_logged_in).", f"{url} needs a login (not_logged_in)."),
                    hint=both("miner liest nur, was öffentlich lesbar ist; es meldet sich nicht an und nutzt keine fremden "
                              "Zugangsdaten.",
                              "miner reads only what the public can read; it will not log in or use someone's credentials."),
                )
            if isinstance(body, dict) and body.get("error_type") == "invalid_access":
                raise NotFound(both(f"{url} ist privat (HTTP 403 invalid_access).", f"{url} is private (HTTP 403 invalid_access)."),
                               url=url, status=status)
            raise FetchError(both(f"{url} antwortete mit HTTP 403 (verboten).", f"{url} answered HTTP 403 (forbidden)."),
                             url=url, status=status)
        if status in (404, 410):
            raise NotFound(both(f"{url} wurde nicht gefunden (HTTP {status}).", f"{url} was not found (HTTP {status})."),
                           url=url, status=status)
        if status >= 400:
            raise FetchError(both(f"{url} antwortete mit HTTP {status}.", f"{url} answered HTTP {status}."), url=url, status=status)
        if not isinstance(body, dict):
            raise _Retry("body is not JSON (truncated or an error page)", None, status,
                     html="html" in response.headers.get("Content-Type", "").lower())
        self.last_headers = response.headers
        return body

    # ------------------------------------------------------------------ Discourse endpoints
    def detect(self) -> dict:
        """Check this is a public Discourse forum; returns /about.json's `about` (title, version...)."""
        self.load_robots()
        if not self.allowed("/t/1.json") or not self.allowed("/t/1/posts.json"):
            raise DisallowedByRobots(
                both(f"Die robots.txt von {self.base_url} verbietet unserem User-Agent, Threads (/t/) zu laden.",
                     f"robots.txt of {self.base_url} disallows fetching threads (/t/) for our User-Agent."),
                hint=both("Die Betreiber wollen hier keine Crawler; bitten Sie sie um Erlaubnis oder einen Export.",
                          "The operators do not want crawlers here; ask them for permission or an export."),
            )
        try:
            body = self.get_json("/about.json", kind="site", html_retries=1)
        except NotFound as error:
            raise NotDiscourse(
                both(f"{self.base_url} antwortet nicht wie ein Discourse-Forum (kein /about.json).",
                     f"{self.base_url} does not answer like a Discourse forum (no /about.json)."),
                hint=both("Prüfen Sie die Adresse: es sollte die Startseite des Forums sein, z.B. https://forum.example.org",
                          "Check the address: it should be the forum's start page, e.g. https://forum.example.org"),
            ) from error
        except FetchError as error:
            if error.status is None or error.status >= 500:
                raise
            raise NotDiscourse(both(f"{self.base_url} antwortet nicht wie ein Discourse-Forum ({error.text('de')}).",
                                    f"{self.base_url} does not answer like a Discourse forum ({error.text('en')})."),
                               hint=both("Prüfen Sie die Adresse: es sollte die Startseite des Forums sein.",
                                         "Check the address: it should be the forum's start page.")) from error
        headers = self.last_headers or {}
        about = body.get("about")
        if not isinstance(about, dict):
            raise NotDiscourse(
                both(f"{self.base_url} hat /about.json ohne die Felder von Discourse beantwortet.",
                     f"{self.base_url} answered /about.json without Discourse's fields."),
                hint=both("Prüfen Sie die Adresse: es sollte die Startseite des Forums sein.",
                          "Check the address: it should be the forum's start page."),
            )
        robots_tag = (headers.get("X-Robots-Tag") or "").lower()
        if "noindex" in robots_tag or "none" in robots_tag.split(","):
            raise DisallowedByRobots(
                both(f"{self.base_url} bittet darum, nicht erfasst zu werden (X-Robots-Tag: {robots_tag}).",
                     f"{self.base_url} asks not to be indexed (X-Robots-Tag: {robots_tag})."),
                hint=both("Das Forum ist für Crawler gesperrt; bitten Sie die Betreiber um Erlaubnis oder einen Export.",
                          "The forum is closed to crawlers; ask its operators for permission or an export."),
            )
        if about.get("login_required"):
            raise LoginRequired(both(f"{self.base_url} verlangt zum Lesen eine Anmeldung.", f"{self.base_url} requires a login to read."),
                                hint=both("miner liest nur, was öffentlich lesbar ist.",
                                          "miner reads only what the public can read."))
        return about

    def categories(self) -> list[dict]:
        body = self.get_json("/categories.json", kind="site")
        listing = body.get("category_list")
        categories = listing.get("categories") if isinstance(listing, dict) else None
        return categories if isinstance(categories, list) else []

    def topic_list(self, path: str) -> dict:
        """One page of a topic list; `path` may be a more_topics_url (with or without `.json`).

        A link that leaves the forum (another host, `@host/...`, userinfo) raises OffSite unfetched.
        """
        url = on_site_url(self.base_url, path)
        if not url.startswith(self.base_url + "/"):
            raise OffSite(both(f"{self.base_url} verwies auf {path[:200]!r}, außerhalb des Forums; nicht gefolgt.",
                               f"{self.base_url} pointed to {path[:200]!r}, outside the forum; not followed."), url=url)
        path, _, query = url[len(self.base_url):].partition("?")
        if not path.endswith(".json"):
            path += ".json"
        return self.get_json(path + ("?" + query if query else ""), kind="list")

    def topic(self, topic_id: int) -> dict:
        return self.get_json(f"/t/{int(topic_id)}.json", kind="topic")

    def posts(self, topic_id: int, post_ids: list[int]) -> list[dict]:
        """Fetch the given posts of a topic in as few requests as fit under MAX_URL."""
        found: list[dict] = []
        for batch in batch_ids(f"{self.base_url}/t/{int(topic_id)}/posts.json?", post_ids):
            params = [("post_ids[]", pid) for pid in batch]
            body = self.get_json(f"/t/{int(topic_id)}/posts.json", params, kind="posts")
            stream = body.get("post_stream")
            posts = stream.get("posts") if isinstance(stream, dict) else None
            found.extend(posts if isinstance(posts, list) else [])
        return found


def batch_ids(prefix: str, ids: list[int], limit: int = MAX_URL) -> list[list[int]]:
    """Split ids into batches whose `post_ids[]=` URL stays under `limit` characters."""
    batches: list[list[int]] = []
    current: list[int] = []
    length = len(prefix)
    for pid in ids:
        piece = len(urlencode([("post_ids[]", pid)])) + 1
        if current and length + piece > limit:
            batches.append(current)
            current, length = [], len(prefix)
        current.append(pid)
        length += piece
    if current:
        batches.append(current)
    return batches


def _try_json(content: bytes) -> Any:
    """The decoded body, or None when it is not JSON; invalid UTF-8 and lone surrogates become U+FFFD."""
    try:
        body = json.loads(content)
    except UnicodeDecodeError:
        try:
            body = json.loads(content.decode("utf-8", "replace"))
        except (ValueError, RecursionError):
            return None
    except (ValueError, RecursionError):
        return None
    return repair_unicode(body) if LONE_SURROGATE_ESCAPE.search(content) else body
