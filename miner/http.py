"""The only module that talks HTTP: a polite, patient client for one forum, whatever its engine.

Politeness is the default, not an option: robots.txt (with Crawl-delay) is read before anything
else, requests go one at a time with a delay between them, every request has a timeout, the
User-Agent names the tool and a contact, and no credentials are ever sent. Rate limits, 5xx
answers, timeouts, resets and truncated bodies are retried with bounded exponential backoff that
honours ``Retry-After``.

The server is not trusted either: every request (redirects and next-page links included) stays on
the forum's scheme, host and port; bodies are streamed and cut at a cap counted after
decompression (a gzip bomb never reaches memory); and each request has a total deadline, enforced
by a watchdog that shuts its socket, so a server dribbling one byte every few seconds cannot hold it.

``PoliteClient`` is engine-neutral (``get_page`` reads HTML or any text); ``miner.discourse``
adds Discourse's JSON endpoints on top of it.
"""

from __future__ import annotations

import email.utils
import logging
import math
import re
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Mapping
from urllib.parse import urljoin, urlsplit

import requests
from protego import Protego
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from miner import __version__
from miner.errors import (
    DeadlineExceeded,
    DisallowedByRobots,
    FetchError,
    NotFound,
    OffSite,
    RateLimited,
    ResponseTooLarge,
    UsageError,
)
from miner.i18n import both

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
            both(f"{base_url!r} ist keine gültige Adresse ({error}).", f"{base_url!r} is not a valid address ({error})."),
            hint=both("Bitte die Startadresse eines Forums angeben, z.B. https://ask.linuxmuster.net",
                      "Give the base URL of a Discourse forum, e.g. https://ask.linuxmuster.net"),
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            both(f"{base_url!r} ist keine Forenadresse.", f"{base_url!r} is not a forum address."),
            hint=both("Bitte die Startadresse eines Forums angeben, z.B. https://ask.linuxmuster.net",
                      "Give the base URL of a Discourse forum, e.g. https://ask.linuxmuster.net"),
        )
    if parts.username or parts.password or "api_key" in parts.query or "api_username" in parts.query:
        raise UsageError(
            both("Die Forenadresse enthält Zugangsdaten; miner liest nur, was öffentlich lesbar ist.",
                 "The forum address contains credentials; miner only reads what the public can read."),
            hint=both("Entfernen Sie benutzer:passwort@ und api_key-Parameter aus der Adresse.",
                      "Remove user:password@ and api_key parameters from the URL."),
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
        hint = both("miner liest nur das angegebene Forum; der Link wird als Fehler vermerkt.",
                    "miner only reads the forum it was given; the link is recorded as an error.")
        if parts.scheme == "https" and urlsplit(base_url).scheme == "http" and \
                (parts.hostname or "").lower() == (urlsplit(base_url).hostname or "").lower():
            https = base_url.replace('http://', 'https://', 1)
            hint = both(f"Das Forum ist auf https umgezogen: geben Sie {https} als Adresse an.",
                        f"The forum moved to https: give {https} as its address.")
        raise OffSite(both(f"{base_url} verwies auf {target[:200]!r}, das nicht zum Forum gehört; nicht gefolgt.",
                           f"{base_url} pointed to {target[:200]!r}, which is not on the forum; not followed."),
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


class PoliteClient:
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
        accept: str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
    ):
        if not math.isfinite(delay) or delay < 0:
            raise UsageError(both(f"--delay muss eine Zahl von Sekunden ab 0 sein, nicht {delay}.",
                                  f"--delay must be a number of seconds of 0 or more, not {delay}."))
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
            {"User-Agent": self.user_agent, "Accept": accept, "Accept-Encoding": "gzip, deflate"}
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
            raise FetchError(both(f"{self.base_url} ist nicht erreichbar ({error.__class__.__name__}).",
                                  f"{self.base_url} cannot be reached ({error.__class__.__name__})."), url=url,
                             hint=both("Prüfen Sie die Adresse und Ihre Verbindung und versuchen Sie es erneut.",
                                       "Check the address and your connection, then try again.")) from error
        status = response.status_code
        if status >= 500 or status == 429:
            raise FetchError(both(f"{url} antwortete mit HTTP {status}; ohne robots.txt liest miner nichts.",
                                  f"{url} answered HTTP {status}; without robots.txt miner does not crawl."),
                             url=url, status=status, hint=both("Das Forum hat offenbar Probleme; später erneut versuchen.",
                                                               "The forum seems to be in trouble; try again later."))
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
        self.require_allowed_url(self.base_url + path, path)

    def require_allowed_url(self, url: str, shown: str | None = None) -> None:
        """Raise DisallowedByRobots unless robots.txt lets our User-Agent fetch `url`."""
        if self.robots is None:
            self.load_robots()
        assert self.robots is not None
        if not self.robots.can_fetch(url, self.user_agent):
            raise DisallowedByRobots(
                both(f"Die robots.txt von {self.base_url} erlaubt nicht, {shown or url} zu laden.",
                     f"robots.txt of {self.base_url} does not allow fetching {shown or url}."),
                hint=both("miner hält sich an robots.txt; bitten Sie die Betreiber des Forums um Erlaubnis oder einen Export.",
                          "miner obeys robots.txt; ask the forum's operators for permission or an export."),
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
        return DeadlineExceeded(both(f"{url} brauchte länger als {self.deadline:g} s; Anfrage abgebrochen.",
                                     f"{url} took longer than {self.deadline:g} s; request abandoned."), url=url,
                                hint=both("Ein sehr langsamer oder feindseliger Server; der Thread wird beim nächsten Lauf "
                                          "erneut versucht.",
                                          "A very slow or hostile server; the thread is retried on the next run."))

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
        raise FetchError(both(f"{url} leitet mehr als {MAX_REDIRECTS}-mal weiter.", f"{url} redirects more than {MAX_REDIRECTS} times."),
                         url=url)

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
            both(f"{url} schickte mehr als {self.max_body / 1e6:g} MB (mindestens {size / 1e6:.1f} MB); nicht weiter gelesen.",
                 f"{url} sent more than {self.max_body / 1e6:g} MB (at least {size / 1e6:.1f} MB); not read further."),
            url=url, hint=both("Erhöhen Sie --max-body-mb, wenn das Forum wirklich so große Threads hat.",
                               "Raise --max-body-mb if the forum really has threads this big."))

    def _backoff(self, attempt: int, wait: float | None) -> float:
        backoff = min(self.backoff_max, self.backoff_base * (2**attempt))
        if wait is None:
            return backoff
        return max(wait, min(backoff, wait + self.backoff_base))

    def retrying(self, url: str, attempt: Callable[[], Any], *, html_retries: int | None = None) -> Any:
        """Call `attempt` until it returns, retrying what raised _Retry with backoff; typed errors
        for the rest. ``html_retries`` caps retries of answers flagged as whole HTML pages (a
        maintenance page, or on a site of another kind just the same page again)."""
        last: _Retry | None = None
        for number in range(self.max_retries + 1):
            if number:
                self.retries += 1
                wait = self._backoff(number - 1, last.wait if last else None)
                if wait > self.max_wait:
                    raise RateLimited(
                        both(f"{self.base_url} bittet, vor der nächsten Anfrage {wait:.0f} s zu warten.",
                             f"{self.base_url} asks us to wait {wait:.0f} s before the next request."),
                        url=url,
                        status=last.status if last else None,
                        hint=both("Führen Sie denselben Befehl später erneut aus; fertige Threads bleiben erhalten.",
                                  "Run the same command again later; finished threads are kept."),
                    )
                log.info("retrying %s in %.1f s (%s)", url, wait, last.reason if last else "")
                self.sleep(wait)
            try:
                return attempt()
            except _Retry as retry:
                last = retry
                if retry.html and html_retries is not None and number >= html_retries:
                    break
        assert last is not None
        raise FetchError(
            both(f"{url} scheiterte nach {number + 1} Versuchen: {last.reason}",
                 f"{url} failed after {number + 1} attempts: {last.reason}"),
            url=url,
            status=last.status,
            hint=both("Der Thread wird als fehlgeschlagen vermerkt und beim nächsten Lauf erneut versucht.",
                      "The thread is recorded as failed and retried on the next run."),
        )

    def _transport(self, url: str, params: Any, kind: str) -> tuple[requests.Response, bytes]:
        """One request; transport failures become _Retry."""
        try:
            return self._send(url, params, kind)  # reads the body: truncation surfaces here
        except requests.Timeout as error:
            raise _Retry(f"timeout ({error.__class__.__name__})") from error
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as error:
            raise _Retry(f"connection failed ({error.__class__.__name__})") from error
        except requests.RequestException as error:
            raise _Retry(f"request failed ({error.__class__.__name__})") from error

    # ------------------------------------------------------------------ pages (any engine)
    def get_page(self, target: str, *, kind: str = "page", retries: int | None = None) -> "Page":
        """GET one page of the forum (a path below it or an absolute URL on it) as text.

        404/410 raise NotFound, 401/403 NotFound too (not public: like a private Discourse
        category); 429, 5xx and broken transfers are retried (at most `retries` times if given).
        """
        url = on_site_url(self.base_url, target)
        self.require_allowed_url(url)

        def attempt() -> Page:
            response, content = self._transport(url, None, kind)
            status = response.status_code
            if status in RETRY_STATUSES or status >= 500:
                raise _Retry(f"HTTP {status}", retry_after_seconds(response), status, html=retries is not None)
            if status in (404, 410):
                raise NotFound(both(f"{url} wurde nicht gefunden (HTTP {status}).", f"{url} was not found (HTTP {status})."),
                               url=url, status=status)
            if status in (401, 403):
                raise NotFound(both(f"{url} ist nicht öffentlich (HTTP {status}).", f"{url} is not public (HTTP {status})."),
                               url=url, status=status)
            if status >= 400:
                raise FetchError(both(f"{url} antwortete mit HTTP {status}.", f"{url} answered HTTP {status}."), url=url, status=status)
            return Page(url=response.url or url, status=status, text=decode_body(content, response.headers),
                        headers=dict(response.headers))

        return self.retrying(url, attempt, html_retries=retries)


@dataclass(frozen=True)
class Page:
    url: str  # where the page was found (after same-site redirects)
    status: int
    text: str
    headers: Mapping[str, str]


CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


def decode_body(content: bytes, headers: Mapping[str, str]) -> str:
    """Text of a page: the charset the server names, else the one the page's <meta> names, else
    UTF-8; bytes that do not fit become U+FFFD (old forums send ISO-8859-1 and Windows-1252)."""
    declared = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", headers.get("Content-Type", ""), re.I)
    names = [declared.group(1)] if declared else []
    sniffed = CHARSET.search(content[:4096])
    if sniffed:
        names.append(sniffed.group(1).decode("ascii"))
    for name in [*names, "utf-8"]:
        try:
            return content.decode(name, "replace")
        except LookupError:
            continue
    return content.decode("utf-8", "replace")
