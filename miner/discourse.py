"""The only module that talks HTTP: a polite, patient client for one Discourse forum.

Politeness is the default, not an option: robots.txt (with Crawl-delay) is read before anything
else, requests go one at a time with a delay between them, every request has a timeout, the
User-Agent names the tool and a contact, and no credentials are ever sent. Rate limits (all four
shapes of HTTP 429 a Discourse site sends), 5xx answers, timeouts, resets and truncated or
non-JSON bodies are retried with bounded exponential backoff that honours ``Retry-After``.

The server is not trusted either: every request (redirects and next-page links included) stays on
the forum's scheme, host and port; bodies are streamed and cut at a cap counted after
decompression (a gzip bomb never reaches memory); and each request has a total deadline, enforced
by a watchdog that shuts its socket, so a server dribbling one byte every few seconds cannot hold it.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import re
import socket
import threading
import time
from collections import Counter
from typing import Any, Callable
from urllib.parse import urlencode, urljoin, urlsplit

import requests
from protego import Protego
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from miner import __version__
from miner.errors import (
    DisallowedByRobots,
    FetchError,
    DeadlineExceeded,
    LoginRequired,
    NotDiscourse,
    NotFound,
    OffSite,
    RateLimited,
    ResponseTooLarge,
    UsageError,
)

log = logging.getLogger(__name__)

DEFAULT_CONTACT = "https://github.com/miner-faq/miner"
TIMEOUT = (10.0, 30.0)  # connect, read (seconds)
MAX_URL = 4000  # keep request URLs well below common 8 KB server limits
RETRY_STATUSES = {429, 500, 502, 503, 504, 520, 521, 522, 523, 524}
MAX_BODY_BYTES = 20 * 1024 * 1024  # decompressed; Discourse topic pages are well below 1 MB
DEADLINE = 120.0  # seconds for a whole request: connect, redirects, headers and body
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
DEFAULT_PORTS = {"http": 80, "https": 443}
LONE_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def default_user_agent(contact: str | None = None) -> str:
    """Identify the tool and whom to contact, as polite crawlers do."""
    return f"miner/{__version__} (+{contact or DEFAULT_CONTACT})"


def normalise_base_url(base_url: str) -> str:
    """Refuse URLs that carry credentials; strip trailing slashes."""
    try:
        parts = urlsplit(base_url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError as error:
        raise UsageError(
            f"{base_url!r} is not a valid address ({error}).",
            hint="Give the base URL of a Discourse forum, e.g. https://ask.linuxmuster.net",
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"{base_url!r} is not a forum address.",
            hint="Give the base URL of a Discourse forum, e.g. https://ask.linuxmuster.net",
        )
    if parts.username or parts.password or "api_key" in parts.query or "api_username" in parts.query:
        raise UsageError(
            "The forum address contains credentials; miner only reads what the public can read.",
            hint="Remove user:password@ and api_key parameters from the URL.",
        )
    return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the default port filled in: what "the same site" means here."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = -1  # not a port at all: never equal to the forum's
    return scheme, (parts.hostname or "").lower(), port or DEFAULT_PORTS.get(scheme)


def on_site_url(base_url: str, target: str) -> str:
    """The absolute URL of `target` (a path below the forum, an absolute URL, a redirect's
    Location already joined) if it stays on the forum's scheme, host and port and carries no
    credentials; raises OffSite otherwise, so a hostile `@other-host/...` is never requested."""
    url = target if urlsplit(target).scheme else base_url + target
    parts = urlsplit(url)
    if origin(url) != origin(base_url) or parts.username is not None or parts.password is not None:
        hint = "miner only reads the forum it was given; the link is recorded as an error."
        if parts.scheme == "https" and urlsplit(base_url).scheme == "http" and \
                (parts.hostname or "").lower() == (urlsplit(base_url).hostname or "").lower():
            hint = f"The forum moved to https: give {base_url.replace('http://', 'https://', 1)} as its address."
        raise OffSite(f"{base_url} pointed to {target[:200]!r}, which is not on the forum; not followed.",
                      url=url, hint=hint)
    return url


def repair_unicode(value: Any) -> Any:
    """Replace lone surrogates (JSON's "\\ud800", valid JSON but not valid text) by U+FFFD in
    every string of a decoded body, so one broken character cannot stop a thread from being stored."""
    if isinstance(value, str):
        return LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [repair_unicode(item) for item in value]
    if isinstance(value, dict):
        return {repair_unicode(key): repair_unicode(item) for key, item in value.items()}
    return value


def _no_credentials(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """Session auth hook: whatever built an Authorization header (userinfo, netrc), it is dropped."""
    request.headers.pop("Authorization", None)
    request.headers.pop("Proxy-Authorization", None)
    return request


_current = threading.local()  # the _Deadline of the request this thread is making


class _Deadline:
    """The total deadline of one request. When it passes, the watchdog shuts the request's socket
    down, which wakes a blocked read in any phase (headers, body) where a per-read timeout never fires."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expires = time.monotonic() + seconds
        self.expired = False
        self.connection: Any = None  # set by _WatchedPool when the request gets its connection

    def __enter__(self) -> "_Deadline":
        _current.deadline = self
        _WATCHDOG.add(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        _WATCHDOG.remove(self)
        _current.deadline = None

    def expire(self) -> None:
        self.expired = True
        sock = getattr(self.connection, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Watchdog:
    """One thread for the whole process that ends requests past their deadline (a threading.Timer
    per request would start a thread per request: about a sixth of the scraper's CPU)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._active: set[_Deadline] = set()
        self._wake_at = math.inf
        self._thread: threading.Thread | None = None

    def add(self, deadline: _Deadline) -> None:
        with self._cond:
            self._active.add(deadline)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="miner-deadlines", daemon=True)
                self._thread.start()
            elif deadline.expires < self._wake_at:
                self._cond.notify()

    def remove(self, deadline: _Deadline) -> None:
        with self._cond:  # under the lock: a finished request is never shut down afterwards
            self._active.discard(deadline)

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                for deadline in [d for d in self._active if d.expires <= now]:
                    self._active.discard(deadline)
                    deadline.expire()
                self._wake_at = min((d.expires for d in self._active), default=now + 60.0)
                self._cond.wait(self._wake_at - now)


_WATCHDOG = _Watchdog()


class _WatchedPool(HTTPConnectionPool):
    """Tells the current request's watchdog which connection (socket) it uses."""

    def _get_conn(self, timeout: float | None = None) -> Any:
        conn = super()._get_conn(timeout)
        deadline = getattr(_current, "deadline", None)
        if deadline is not None:
            deadline.connection = conn
        return conn


class _WatchedHTTPSPool(_WatchedPool, HTTPSConnectionPool):
    pass


class _WatchedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedPool, "https": _WatchedHTTPSPool}


def retry_after_seconds(response: requests.Response, body: Any = None) -> float | None:
    """Seconds the server asks us to wait: Retry-After (seconds or HTTP date) or extras.wait_seconds."""
    value = response.headers.get("Retry-After")
    if value:
        value = value.strip()
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
                return max(0.0, when.timestamp() - time.time())
            except (TypeError, ValueError):
                pass
    if isinstance(body, dict):
        extras = body.get("extras") or {}
        if isinstance(extras, dict) and extras.get("wait_seconds") is not None:
            try:
                return max(0.0, float(extras["wait_seconds"]))
            except (TypeError, ValueError):
                pass
    return None


class _Retry(Exception):
    """Internal: this attempt failed in a way worth retrying."""

    def __init__(self, reason: str, wait: float | None = None, status: int | None = None, html: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.html = html
        self.wait = wait
        self.status = status


class DiscourseClient:
    """One polite session with one forum; counts requests and retries for the run summary."""

    def __init__(
        self,
        base_url: str,
        *,
        delay: float = 1.0,
        user_agent: str | None = None,
        contact: str | None = None,
        timeout: tuple[float, float] = TIMEOUT,
        deadline: float = DEADLINE,
        max_body: int = MAX_BODY_BYTES,
        max_retries: int = 5,
        backoff_base: float = 1.0,
        backoff_max: float = 60.0,
        max_wait: float = 600.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        if not math.isfinite(delay) or delay < 0:
            raise UsageError(f"--delay must be a number of seconds of 0 or more, not {delay}.")
        self.base_url = normalise_base_url(base_url)
        self.delay = delay
        self.user_agent = user_agent or default_user_agent(contact)
        self.timeout = timeout
        self.deadline = deadline
        self.max_body = max_body
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.max_wait = max_wait
        self.sleep = sleep
        self.clock = clock
        self.session = requests.Session()
        self.session.headers.update(
            {"User-Agent": self.user_agent, "Accept": "application/json", "Accept-Encoding": "gzip, deflate"}
        )
        self.session.trust_env = False  # never pick up someone's netrc credentials or proxies
        self.session.auth = _no_credentials  # and never send credentials built from a URL either
        adapter = _WatchedAdapter()
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.robots: Protego | None = None
        self.crawl_delay: float = 0.0
        self.requests = 0
        self.retries = 0
        self.counts: Counter[str] = Counter()  # requests by kind: topic, posts, list, site
        self._last_request: float | None = None
        self.last_headers: Any = {}

    # ------------------------------------------------------------------ politeness
    def close(self) -> None:
        self.session.close()

    def _wait_turn(self) -> None:
        """Keep at least `delay` (or robots Crawl-delay) seconds between request starts."""
        gap = max(self.delay, self.crawl_delay)
        if self._last_request is not None and gap > 0:
            remaining = gap - (self.clock() - self._last_request)
            if remaining > 0:
                self.sleep(remaining)
        self._last_request = self.clock()

    def load_robots(self) -> None:
        """Read robots.txt once: missing (4xx) allows everything, 401/403 nothing; 5xx stops the run."""
        url = self.base_url + "/robots.txt"
        try:
            response, content = self._send(url, kind="site")
        except requests.RequestException as error:
            raise FetchError(f"{self.base_url} cannot be reached ({error.__class__.__name__}).", url=url,
                             hint="Check the address and your connection, then try again.") from error
        status = response.status_code
        if status >= 500 or status == 429:
            raise FetchError(f"{url} answered HTTP {status}; without robots.txt miner does not crawl.",
                             url=url, status=status, hint="The forum seems to be in trouble; try again later.")
        text = content.decode(response.encoding or "utf-8", "replace") if status == 200 else ""
        if status in (401, 403):
            text = "User-agent: *\nDisallow: /\n"
        self.robots = Protego.parse(text)
        crawl_delay = self.robots.crawl_delay(self.user_agent)
        if crawl_delay:
            self.crawl_delay = float(crawl_delay)
            log.info("robots.txt asks for Crawl-delay %s s", crawl_delay)

    def allowed(self, path: str) -> bool:
        """True if robots.txt lets our User-Agent fetch this path."""
        if self.robots is None:
            self.load_robots()
        assert self.robots is not None
        return self.robots.can_fetch(self.base_url + path, self.user_agent)

    def require_allowed(self, path: str) -> None:
        if not self.allowed(path):
            raise DisallowedByRobots(
                f"robots.txt of {self.base_url} does not allow fetching {path}.",
                hint="miner obeys robots.txt; ask the forum's operators for permission or an export.",
            )

    # ------------------------------------------------------------------ HTTP
    def _send(self, url: str, params: Any = None, kind: str = "other") -> tuple[requests.Response, bytes]:
        """GET `url` (following same-site redirects only) and read its body within the deadline and the cap.

        Raises OffSite, ResponseTooLarge and DeadlineExceeded (not retried: the same server would do
        the same again) or requests' own exceptions (retried by the caller).
        """
        self._wait_turn()
        self.requests += 1
        self.counts[kind] += 1
        log.debug("GET %s %s", url, params or "")
        with _Deadline(self.deadline) as deadline:
            try:
                return self._follow(url, params)
            except (requests.RequestException, OSError) as error:
                if deadline.expired:
                    raise self._too_slow(url) from error
                raise
            finally:
                if deadline.expired:
                    raise self._too_slow(url)

    def _too_slow(self, url: str) -> DeadlineExceeded:
        return DeadlineExceeded(f"{url} took longer than {self.deadline:g} s; request abandoned.", url=url,
                                hint="A very slow or hostile server; the thread is retried on the next run.")

    def _follow(self, url: str, params: Any) -> tuple[requests.Response, bytes]:
        for _hop in range(MAX_REDIRECTS + 1):
            url = on_site_url(self.base_url, url)
            response = self.session.get(url, params=params, timeout=self.timeout, allow_redirects=False,
                                        stream=True)
            if not response.is_redirect:
                try:
                    return response, self._read_body(response, url)
                finally:
                    response.close()
            response.close()
            url, params = urljoin(response.url, response.headers["Location"]), None
            log.debug("redirected to %s", url)
        raise FetchError(f"{url} redirects more than {MAX_REDIRECTS} times.", url=url)

    def _read_body(self, response: requests.Response, url: str) -> bytes:
        """The body, decompressed chunk by chunk (urllib3 >= 2.6 bounds each chunk), stopped at the cap."""
        declared = response.headers.get("Content-Length", "")
        encoded = response.headers.get("Content-Encoding", "identity").lower() not in ("", "identity")
        if declared.isdigit() and not encoded and int(declared) > self.max_body:
            raise self._too_large(url, int(declared))
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(CHUNK):
            size += len(chunk)
            if size > self.max_body:
                raise self._too_large(url, size)
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self, url: str, size: int) -> ResponseTooLarge:
        return ResponseTooLarge(
            f"{url} sent more than {self.max_body / 1e6:g} MB (at least {size / 1e6:.1f} MB); not read further.",
            url=url, hint="Raise --max-body-mb if the forum really has threads this big.")

    def _backoff(self, attempt: int, wait: float | None) -> float:
        backoff = min(self.backoff_max, self.backoff_base * (2**attempt))
        if wait is None:
            return backoff
        return max(wait, min(backoff, wait + self.backoff_base))

    def get_json(self, path: str, params: Any = None, *, kind: str = "other", html_retries: int | None = None) -> dict:
        """GET a JSON document, retrying transient failures; raises typed errors for the rest.

        ``html_retries`` caps retries of answers that are whole HTML pages (a maintenance page on a
        forum, but on a site that is not Discourse at all just the same page again).
        """
        self.require_allowed(path)
        url = self.base_url + path
        last: _Retry | None = None
        for attempt in range(self.max_retries + 1):
            if attempt:
                self.retries += 1
                wait = self._backoff(attempt - 1, last.wait if last else None)
                if wait > self.max_wait:
                    raise RateLimited(
                        f"{self.base_url} asks us to wait {wait:.0f} s before the next request.",
                        url=url,
                        status=last.status if last else None,
                        hint="Run the same command again later; finished threads are kept.",
                    )
                log.info("retrying %s in %.1f s (%s)", path, wait, last.reason if last else "")
                self.sleep(wait)
            try:
                return self._attempt(url, params, kind)
            except _Retry as retry:
                last = retry
                if retry.html and html_retries is not None and attempt >= html_retries:
                    break
        assert last is not None
        raise FetchError(
            f"{url} failed after {attempt + 1} attempts: {last.reason}",
            url=url,
            status=last.status,
            hint="The thread is recorded as failed and retried on the next run.",
        )

    def _attempt(self, url: str, params: Any, kind: str) -> dict:
        try:
            response, content = self._send(url, params, kind)  # reads the body: truncation surfaces here
        except requests.Timeout as error:
            raise _Retry(f"timeout ({error.__class__.__name__})") from error
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as error:
            raise _Retry(f"connection failed ({error.__class__.__name__})") from error
        except requests.RequestException as error:
            raise _Retry(f"request failed ({error.__class__.__name__})") from error
        status = response.status_code
        body = _try_json(content)
        if status == 429 or (status == 200 and isinstance(body, dict) and body.get("failed") and len(body) <= 3):
            raise _Retry("rate limited (HTTP 429)", retry_after_seconds(response, body), status)
        if status in RETRY_STATUSES or status >= 500:
            raise _Retry(f"HTTP {status}", retry_after_seconds(response, body), status)
        if status == 403:
            if isinstance(body, dict) and body.get("error_type") == "not_logged_in":
                raise LoginRequired(
                    f"{url} needs a login (not_logged_in).",
                    hint="miner reads only what the public can read; it will not log in or use someone's credentials.",
                )
            if isinstance(body, dict) and body.get("error_type") == "invalid_access":
                raise NotFound(f"{url} is private (HTTP 403 invalid_access).", url=url, status=status)
            raise FetchError(f"{url} answered HTTP 403 (forbidden).", url=url, status=status)
        if status in (404, 410):
            raise NotFound(f"{url} was not found (HTTP {status}).", url=url, status=status)
        if status >= 400:
            raise FetchError(f"{url} answered HTTP {status}.", url=url, status=status)
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
                f"robots.txt of {self.base_url} disallows fetching threads (/t/) for our User-Agent.",
                hint="The operators do not want crawlers here; ask them for permission or an export.",
            )
        try:
            body = self.get_json("/about.json", kind="site", html_retries=1)
        except NotFound as error:
            raise NotDiscourse(
                f"{self.base_url} does not answer like a Discourse forum (no /about.json).",
                hint="Check the address: it should be the forum's start page, e.g. https://forum.example.org",
            ) from error
        except FetchError as error:
            if error.status is None or error.status >= 500:
                raise
            raise NotDiscourse(f"{self.base_url} does not answer like a Discourse forum ({error}).") from error
        headers = self.last_headers or {}
        about = body.get("about")
        if not isinstance(about, dict):
            raise NotDiscourse(
                f"{self.base_url} answered /about.json without Discourse's fields.",
                hint="Check the address: it should be the forum's start page.",
            )
        robots_tag = (headers.get("X-Robots-Tag") or "").lower()
        if "noindex" in robots_tag or "none" in robots_tag.split(","):
            raise DisallowedByRobots(
                f"{self.base_url} asks not to be indexed (X-Robots-Tag: {robots_tag}).",
                hint="The forum is closed to crawlers; ask its operators for permission or an export.",
            )
        if about.get("login_required"):
            raise LoginRequired(f"{self.base_url} requires a login to read.")
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
            raise OffSite(f"{self.base_url} pointed to {path[:200]!r}, outside the forum; not followed.", url=url)
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
