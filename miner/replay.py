"""Serve a forum snapshot over HTTP as a read-only, Discourse-compatible forum.

A snapshot is a directory (see the README's `miner replay` section): ``site.json``,
``categories.json`` and ``topics/<id>.json`` holding ALL posts of each topic. The server answers
like a real Discourse: topic lists with paging and pinned topics, topics cut to their first 20
posts plus the full stream, ``posts.json?post_ids[]=`` chunks, categories, robots.txt, 404 JSON.
The real scraper runs against it, so a shared snapshot makes research reproducible. Tests inject
faults (503, each 429 shape, truncated bodies, resets, login walls) through ``faults``.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import struct
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs, urlsplit

from miner.errors import UsageError

log = logging.getLogger(__name__)

PER_PAGE = 30
CHUNK_SIZE = 20
STOCK_ROBOTS_TXT = """# See http://www.robotstxt.org/robotstxt.html for documentation on how to use the robots.txt file
#
User-agent: *
Disallow: /admin/
Disallow: /auth/
Disallow: /assets/browser-update*.js
Disallow: /email/
Disallow: /session
Disallow: /user-api-key
Disallow: /*?api_key*
Disallow: /*?*api_key*
Disallow: /badges
Disallow: /u/
Disallow: /my
Disallow: /search
Disallow: /tag/*/l
Disallow: /g
Disallow: /t/*/*.rss
Disallow: /c/*.rss
"""
NOT_FOUND = {"errors": ["The requested URL or resource could not be found."], "error_type": "not_found"}
LIST_FIELDS = (
    "id", "title", "fancy_title", "slug", "posts_count", "reply_count", "highest_post_number", "created_at",
    "last_posted_at", "bumped_at", "pinned", "visible", "closed", "archived", "views", "like_count",
    "has_accepted_answer", "category_id", "tags",
)
from miner.i18n import both
FAULT_KINDS = ("503", "500", "429_json", "429_text", "429_html", "429_failed", "truncated", "not_json", "reset",
               "not_logged_in", "invalid_access", "404", "noindex", "slow")


@dataclass
class Fault:
    """Inject `kind` into requests whose path+query matches `path` (a regex).

    Fires from the `nth` matching request on (1-based; None = the first), `times` times
    (None = forever). Kinds: 503, 500, 429_json, 429_text, 429_html, 429_failed, truncated,
    not_json, reset, not_logged_in, invalid_access, 404, noindex, slow (answers after 1 s).
    """

    kind: str
    path: str = ".*"
    nth: int | None = None
    times: int | None = 1
    retry_after: int | None = 1
    seen: int = 0
    fired: int = 0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; one of {', '.join(FAULT_KINDS)}")
        self._pattern = re.compile(self.path)

    def check(self, target: str) -> "Fault | None":
        if not self._pattern.search(target):
            return None
        self.seen += 1
        if self.nth is not None and self.seen < self.nth:
            return None
        if self.times is not None and self.fired >= self.times:
            return None
        self.fired += 1
        return self


FaultHook = Callable[[str, int], "str | Fault | None"]


def _as_hook(faults: Any) -> FaultHook | None:
    """Accept a callable (target, request_number) -> kind, or a list of Fault / dict rules."""
    if faults is None:
        return None
    if callable(faults):
        return faults
    rules = [f if isinstance(f, Fault) else Fault(**f) for f in faults]

    def hook(target: str, _number: int) -> str | None:
        for rule in rules:
            fired = rule.check(target)
            if fired:
                return fired
        return None

    hook.rules = rules  # type: ignore[attr-defined]
    return hook


class Snapshot:
    """The snapshot directory loaded in memory, with list orderings precomputed."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        site_path = self.directory / "site.json"
        topics_dir = self.directory / "topics"
        if not site_path.exists() or not topics_dir.is_dir():
            raise UsageError(
                both(f"{self.directory} ist kein Forenschnappschuss (braucht site.json und topics/).",
                     f"{self.directory} is not a forum snapshot (needs site.json and topics/)."),
                hint=both("Ein Schnappschuss enthält site.json, categories.json und topics/<id>.json; siehe `miner replay --help`.",
                          "A snapshot holds site.json, categories.json and topics/<id>.json; see `miner replay --help`."),
            )
        self.site = json.loads(site_path.read_text(encoding="utf-8"))
        categories_path = self.directory / "categories.json"
        self.categories_body = (
            json.loads(categories_path.read_text(encoding="utf-8"))
            if categories_path.exists()
            else {"category_list": {"categories": []}}
        )
        self.categories = _flatten((self.categories_body.get("category_list") or {}).get("categories") or [])
        self.topics: dict[int, dict] = {}
        self.posts: dict[int, dict] = {}
        for path in sorted(topics_dir.glob("*.json")):
            topic = _load_topic(path)
            if topic is None:
                continue
            self.topics[topic["id"]] = topic
            for post in _posts_of(topic):
                if isinstance(post, dict) and type(post.get("id")) is int:
                    self.posts[post["id"]] = post
        self.robots_txt = self.site.get("robots_txt") or STOCK_ROBOTS_TXT
        ordered = sorted(self.topics.values(), key=lambda t: (str(t.get("bumped_at") or ""), t["id"]), reverse=True)
        self.pinned = [t for t in ordered if t.get("pinned")]
        self.unpinned = [t for t in ordered if not t.get("pinned")]

    def children(self, category_id: int) -> set[int]:
        """A category and its subcategories, as Discourse's category lists include both."""
        ids = {category_id}
        ids.update(int(c["id"]) for c in self.categories if c.get("parent_category_id") == category_id)
        return ids


def _load_topic(path: Path) -> dict | None:
    """A topic file as it is (broken records are served as they are: the scraper must cope), or None
    with a warning when the file is not a topic at all (not JSON, no whole-number id)."""
    try:
        topic = json.loads(path.read_text(encoding="utf-8", errors="surrogateescape"))
    except (ValueError, RecursionError) as error:
        log.warning("replay: %s is not JSON (%s); skipped", path.name, error)
        return None
    if not isinstance(topic, dict) or type(topic.get("id")) is not int:
        log.warning("replay: %s has no topic id; skipped", path.name)
        return None
    return topic


def _posts_of(topic: dict) -> list:
    stream = topic.get("post_stream")
    posts = stream.get("posts") if isinstance(stream, dict) else None
    return posts if isinstance(posts, list) else []


def _created_by(topic: dict) -> dict:
    details = topic.get("details")
    person = details.get("created_by") if isinstance(details, dict) else None
    return person if isinstance(person, dict) else {}


def _flatten(categories: Iterable[dict]) -> list[dict]:
    flat = []
    for category in categories:
        flat.append(category)
        flat.extend(_flatten(category.get("subcategory_list") or []))
    return flat


def list_item(topic: dict) -> dict:
    """A topic as it appears in /latest.json."""
    item = {key: topic.get(key) for key in LIST_FIELDS}
    item["pinned"] = bool(item.get("pinned"))
    item["tags"] = item.get("tags") or []
    created_by = _created_by(topic)
    item["posters"] = [{"extras": "latest", "description": "Original Poster", "user_id": created_by.get("id")}]
    return item


def topic_page(snapshot: Snapshot, page: int, category: int | None, more_base: str) -> dict:
    """Discourse's ordering: pinned topics on top of page 0 only, then bumped_at descending."""
    pinned, unpinned = snapshot.pinned, snapshot.unpinned
    if category is not None:
        wanted = snapshot.children(category)
        pinned = [t for t in pinned if t.get("category_id") in wanted]
        unpinned = [t for t in unpinned if t.get("category_id") in wanted]
    if page == 0:
        topics = (pinned + unpinned)[:PER_PAGE]
    else:
        offset = max(0, page * PER_PAGE - len(pinned))
        topics = unpinned[offset : offset + PER_PAGE]
    topic_list: dict[str, Any] = {"can_create_topic": False, "per_page": PER_PAGE,
                                  "topics": [list_item(t) for t in topics]}
    if len(topics) == PER_PAGE:
        topic_list["more_topics_url"] = f"{more_base}page={page + 1}"
    users = {}
    for topic in topics:
        person = _created_by(topic)
        if isinstance(person.get("id"), (int, str)):
            users[person["id"]] = {k: person.get(k) for k in ("id", "username", "name", "avatar_template")}
    return {"users": list(users.values()), "topic_list": topic_list}


def topic_body(topic: dict) -> dict:
    """/t/{id}.json: the first CHUNK_SIZE posts and the full stream of post ids."""
    stream = topic.get("post_stream") if isinstance(topic.get("post_stream"), dict) else {}
    posts = _posts_of(topic)
    body = dict(topic)
    ids = stream.get("stream") or [p.get("id") if isinstance(p, dict) else None for p in posts]
    body["post_stream"] = {"posts": posts[:CHUNK_SIZE], "stream": ids}
    body["chunk_size"] = CHUNK_SIZE
    return body


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "miner-replay"
    sys_version = ""

    def setup(self) -> None:
        super().setup()
        # headers and body go out in separate writes: without this, Nagle + delayed ACK add 40 ms
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("replay: " + format, *args)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        replay: ReplayServer = self.server.replay  # type: ignore[attr-defined]
        target = self.path
        number = replay._record(target, self.headers.get("User-Agent"))
        try:
            self._answer(replay, target, number)
        except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as error:
            # a snapshot record the server cannot even serve: answer 500 like a broken forum, keep serving
            log.warning("replay: %s failed (%s: %s)", target, error.__class__.__name__, error)
            self._send_bytes(500, b'{"errors": ["internal error"]}', "application/json; charset=utf-8")
        finally:
            with replay._lock:
                replay._in_flight -= 1

    def _answer(self, replay: "ReplayServer", target: str, number: int) -> None:
        fault = replay._fault(target, number)
        retry_after = fault.retry_after if isinstance(fault, Fault) else 1
        kind = fault.kind if isinstance(fault, Fault) else fault
        status, body, content_type, route = replay.route(target)
        headers: dict[str, str] = {}
        if kind:
            if kind == "reset":
                self._reset()
                return
            if kind == "slow":
                time.sleep(1.0)
            elif kind == "noindex":
                headers["X-Robots-Tag"] = "noindex, nofollow"
            else:
                status, body, content_type, headers = _fault_response(kind, body, retry_after)
        if isinstance(body, bytes):
            data = body
        elif isinstance(body, (dict, list)):
            data = encode_json(body)
        else:
            data = str(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if route:
            self.send_header("X-Discourse-Route", route)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        if kind == "truncated":
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data[: max(1, len(data) // 2)])
            self.wfile.flush()
            self.close_connection = True
            return
        self.end_headers()
        self.wfile.write(data)

    def _send_bytes(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _reset(self) -> None:
        """Abort the connection with a TCP reset, as a crashing proxy would."""
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close_connection = True
        try:
            self.connection.close()
        except OSError:
            pass


def encode_json(body: Any) -> bytes:
    """UTF-8 JSON; text that is not valid Unicode (a lone surrogate) goes out \\u-escaped, as a
    real server would send it."""
    try:
        return json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(body).encode("ascii")


def _fault_response(kind: str, body: Any, wait: int | None = 1) -> tuple[int, Any, str, dict[str, str]]:
    json_type = "application/json; charset=utf-8"
    retry = {"Retry-After": str(wait)} if wait is not None else {}
    if kind in ("503", "500"):
        return int(kind), "<html><body><h1>Service Unavailable</h1></body></html>", "text/html", {}
    if kind == "429_json":
        return 429, {
            "errors": [f"You’ve performed this action too many times. Please wait {wait} seconds before trying again."],
            "error_type": "rate_limit",
            "extras": {"wait_seconds": wait or 1, "time_left": f"{wait or 1} seconds"},
        }, json_type, retry
    if kind == "429_text":
        return 429, (f"Slow down, too many requests from this IP address. Please retry again in {wait} seconds. "
                     "Error code: ip_10s_limit.\n"), "text/plain; charset=utf-8", retry
    if kind == "429_html":
        return 429, ("<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n"
                     "<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n"
                     "</body>\r\n</html>\r\n"), "text/html", {}
    if kind == "429_failed":
        return 429, {"failed": "FAILED", "message": "You’ve performed this action too many times."}, json_type, {}
    if kind == "truncated":
        return 200, body, json_type, {}
    if kind == "not_json":
        return 200, "<!DOCTYPE html><html><body><h1>Maintenance</h1><p>Back soon.</p></body></html>", \
            "text/html; charset=utf-8", {}
    if kind == "not_logged_in":
        return 403, {"errors": ["You need to be logged in to do that."], "error_type": "not_logged_in"}, json_type, {}
    if kind == "invalid_access":
        return 403, {"errors": ["You are not permitted to view the requested resource."],
                     "error_type": "invalid_access"}, json_type, {}
    if kind == "404":
        return 404, NOT_FOUND, json_type, {}
    raise ValueError(kind)


class ReplayServer:
    """Context manager: a Discourse-compatible read-only server for a snapshot, in a background thread.

    ``.url`` is the base URL, ``.request_log`` the list of paths (with query) it was asked for.
    """

    def __init__(self, snapshot_dir: str | Path, port: int = 0, host: str = "127.0.0.1", faults: Any = None,
                 max_post_ids: int | None = None):
        self.snapshot = Snapshot(snapshot_dir)
        self.max_post_ids = max_post_ids  # answer at most this many posts per post_ids[] request
        self.host = host
        self.port = port
        self.faults = _as_hook(faults)
        self.request_log: list[str] = []
        self.request_times: list[float] = []  # monotonic arrival times, for politeness tests
        self.user_agents: set[str] = set()
        self.max_in_flight = 0  # most requests served at the same time (a polite client: 1)
        self._in_flight = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> "ReplayServer":
        try:
            server = ThreadingHTTPServer((self.host, self.port), _Handler)
        except OSError as error:
            raise UsageError(both(f"Auf {self.host}:{self.port} kann nicht gelauscht werden: {error.strerror}.",
                                  f"Cannot listen on {self.host}:{self.port}: {error.strerror}."),
                             hint=both("Wählen Sie einen anderen --port oder 0 für einen beliebigen freien.",
                                       "Choose another --port, or 0 for any free port.")) from error
        server.daemon_threads = True
        server.replay = self  # type: ignore[attr-defined]
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="miner-replay", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def serve_forever(self) -> None:
        """Run in the foreground until interrupted (the `miner replay` command)."""
        if self._server is None:
            self.start()
        assert self._thread is not None
        try:
            while self._thread.is_alive():
                self._thread.join(0.5)
        finally:
            self.stop()

    def __enter__(self) -> "ReplayServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def reload(self) -> None:
        """Re-read the snapshot directory (tests grow threads between runs)."""
        self.snapshot = Snapshot(self.snapshot.directory)

    def _topic_json(self, topic: dict) -> bytes:
        """Encoded /t/{id}.json, cached: the server should not be what a benchmark measures."""
        cache = self.snapshot.__dict__.setdefault("_encoded", {})
        data = cache.get(topic["id"])
        if data is None:
            data = cache[topic["id"]] = encode_json(topic_body(topic))
        return data

    def set_faults(self, faults: Any) -> None:
        self.faults = _as_hook(faults)

    # ------------------------------------------------------------------ requests
    def _record(self, target: str, user_agent: str | None) -> int:
        with self._lock:
            self.request_log.append(target)
            self.request_times.append(time.monotonic())
            self.user_agents.add(user_agent or "")
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            return len(self.request_log)

    def _fault(self, target: str, number: int) -> str | None:
        if self.faults is None:
            return None
        with self._lock:
            return self.faults(target, number)

    def route(self, target: str) -> tuple[int, Any, str, str | None]:
        """(status, body, content type, X-Discourse-Route) for a request path with query."""
        snap = self.snapshot
        parts = urlsplit(target)
        path = parts.path.rstrip("/") or "/"
        query = parse_qs(parts.query)
        json_type = "application/json; charset=utf-8"
        page = _int(query.get("page", ["0"])[0])
        if path == "/robots.txt":
            return 200, snap.robots_txt, "text/plain; charset=utf-8", "robots_txt/index"
        if path in ("/about.json",):
            return 200, {"about": {"title": snap.site.get("title"), "description": snap.site.get("description"),
                                   "version": snap.site.get("discourse_version", "3.2.0"),
                                   "login_required": False}}, json_type, "about/index"
        if path in ("/categories.json",):
            return 200, snap.categories_body, json_type, "categories/index"
        if path == "/site.json":
            return 200, {"categories": snap.categories, "default_archetype": "regular"}, json_type, "site/site"
        if path in ("/latest.json", "/latest"):
            return 200, topic_page(snap, page, None, "/latest?no_definitions=true&"), json_type, "list/latest"
        match = re.fullmatch(r"/c/(?:[^/]+/)*?(\d+)(?:/l/latest)?(?:\.json)?", path)
        if match and (path.endswith(".json") or "/l/latest" in path):
            category_id = int(match.group(1))
            category = next((c for c in snap.categories if int(c["id"]) == category_id), None)
            if category is None or category.get("read_restricted"):
                return 404, NOT_FOUND, json_type, None
            base = f"/c/{category.get('slug')}/{category_id}/l/latest?"
            return 200, topic_page(snap, page, category_id, base), json_type, "list/category_latest"
        match = re.fullmatch(r"/t/(?:[^/]+/)?(\d+)(?:/\d+)?\.json", path)
        if match:
            topic = snap.topics.get(int(match.group(1)))
            if topic is None:
                return 404, NOT_FOUND, json_type, None
            return 200, self._topic_json(topic), json_type, "topics/show"
        match = re.fullmatch(r"/t/(\d+)/posts\.json", path)
        if match:
            topic_id = int(match.group(1))
            topic = snap.topics.get(topic_id)
            if topic is None:
                return 404, NOT_FOUND, json_type, None
            every = [p for p in _posts_of(topic) if isinstance(p, dict)]
            if "post_ids[]" in query:
                wanted = {_int(v) for v in query["post_ids[]"][: self.max_post_ids or None]}
                posts = [p for p in every if p.get("id") in wanted]
            else:  # like Discourse: the first chunk, or the chunk before ?post_number=N (descending)
                before = _int(query.get("post_number", ["0"])[0])
                posts = every[:CHUNK_SIZE] if not before else \
                    [p for p in every if _int(p.get("post_number")) < before][-CHUNK_SIZE:][::-1]
            return 200, {"post_stream": {"posts": posts}, "id": topic_id}, json_type, "topics/posts"
        return 404, NOT_FOUND, json_type, None


class PageReplayServer(ReplayServer):
    """Base of the replays that print an engine's pages (phpBB, XenForo, Flarum): what the pages need
    is derived from the snapshot in ``_prepare`` on every (re)load, and absolute links name the forum's
    public address when it is replayed under it (the demo)."""

    def __init__(self, *args: Any, public_url: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.public_url = (public_url or "").rstrip("/") or None
        self._prepare()

    @property
    def site_url(self) -> str:
        """The address absolute links name: the forum's public one when it is replayed under it (the demo)."""
        return self.public_url or self.url

    def reload(self) -> None:
        super().reload()
        self._prepare()

    def _prepare(self) -> None:
        self.site_title = self.snapshot.site.get("title") or "Forum"


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return 0
