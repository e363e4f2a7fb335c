"""Crawl a forum read through its HTML pages (phpBB, XenForo, ...): boards -> topic lists -> thread pages.

fetch (``miner.http.PoliteClient``) -> parse (the engine, pure) -> privacy (``miner.privacy``) ->
store. The bookkeeping is the Discourse crawler's: one ``scrape_runs`` row per run, each thread
written with its ``crawl_state`` in one transaction (a kill -9 resumes cleanly), failed threads
retried next run, the same summary and progress bar.

Incremental: a listed thread whose last-post time and reply count match its crawl state is not
fetched; a changed one is read again from the last page fetched before (where new posts appear),
not from its first page. Sticky threads are fetched once per run however many lists show them;
moved-topic stubs are skipped and their target read once when no list showed it.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import time
import zlib
from dataclasses import dataclass, field
from typing import Callable


from miner import privacy, scrub, store
from miner.errors import (
    DisallowedByRobots,
    FetchError,
    LoginRequired,
    MinerError,
    NotFound,
    RateLimited,
    UsageError,
)
from miner.crawl_book import CrawlBook, finish_run, start_run
from miner.http import MAX_BODY_BYTES, Page, PoliteClient
from miner.keys import Pseudonymizer, pseudonym_key
from miner.sources.base import Engine, ListedThread, ListPage, ThreadPage
from miner.i18n import both, localized

log = logging.getLogger(__name__)

MAX_THREAD_PAGES = 10_000  # a thread whose next-page links never end is cut here
MAX_LIST_PAGES = 100_000
BOARD_ID = re.compile(r"[?&;](?:f|fid|forumid|board|id)=(\d+)|[./-](\d+)(?:[./-][^/?#]*)?/?(?:[?#]|$)")
PARSE_ERRORS = (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError, RecursionError)


def board_number(url: str) -> int:
    """A board's number from its URL (f=12, .../schule.12/), else a stable hash of the URL."""
    match = BOARD_ID.search(url)
    if match:
        return int(match.group(1) or match.group(2))
    return zlib.crc32(url.encode("utf-8"))


def is_unchanged(state: dict | None, listed: ListedThread) -> bool:
    """Unchanged when the list shows the same last-post time and reply count as the last fetch."""
    if not state or state.get("status") not in ("ok", "gone", "disallowed"):
        return False
    if listed.last_posted_at is None and listed.replies is None:
        return False  # the list tells nothing: fetch to be sure
    replies = state.get("posts_count") - 1 if isinstance(state.get("posts_count"), int) else None
    return state.get("bumped_at") == listed.last_posted_at and replies == listed.replies


@dataclass
class Walk:
    seen: set[int] = field(default_factory=set)  # threads listed in this run
    moved: dict[int, str] = field(default_factory=dict)  # moved stubs' targets: id -> url
    boards: dict[str, dict] = field(default_factory=dict)  # url -> categories row
    complete: bool = True
    newest: str | None = None


class HtmlCrawler(CrawlBook):
    """State of one run over one forum's pages; `fetch_thread` is the unit of work."""

    def __init__(self, db, client: PoliteClient, engine: Engine, *, full: bool, progress: bool,
                 pseudonymize: Callable[[str | None], str | None], max_threads: int | None = None):
        super().__init__(db, client, full=full, progress=progress, total=None, pseudonymize=pseudonymize)
        self.engine = engine
        self.max_threads = max_threads
        self.attempted: set[int] = set()
        self.signed: dict[str, str] = {}  # author -> the name they sign with, seen in this run (memory only)

    def budget_left(self) -> bool:
        return self.max_threads is None or self.fetched < self.max_threads

    # ------------------------------------------------------------------ lists
    def list_page(self, url: str) -> tuple[Page | None, ListPage] | None:
        """One list page fetched and parsed, or None with the error recorded (the walk ends there)."""
        try:
            page = self.client.get_page(url, kind="list")
            return page, self.engine.parse_list(page.text, page.url)
        except (LoginRequired, RateLimited):
            raise
        except NotFound as error:
            if error.status in (401, 403):  # a board for members only (XenForo answers 403 with its login form)
                return None, ListPage(login_required=True)
            self.list_error(f"list page {url[:200]!r}: {error}")
        except FetchError as error:
            self.list_error(f"list page {url[:200]!r}: {error}")
        except PARSE_ERRORS as error:
            self.list_error(f"list page {url[:200]!r} cannot be parsed ({error.__class__.__name__}: {str(error)[:200]})")
        return None

    def walk(self, start: Page, first: ListPage, can_stop_early: bool) -> Walk:
        """Every list reachable from the start page: its boards (breadth first), each paginated."""
        walk = Walk()
        queue: list[tuple[str, str | None]] = [(start.url, None)]
        queued = {start.url}
        prefetched = {start.url: first}
        while queue:
            url, board = queue.pop(0)
            visited = {url}
            listing = prefetched.pop(url, None)
            if listing is None:
                fetched = self.list_page(url)
                if fetched is None:
                    walk.complete = False
                    continue
                listing = fetched[1]
            pages = 1
            while True:
                if listing.login_required:
                    log.info("board %s needs a login: skipped, like a private category", url)
                    if board:
                        walk.boards[board]["read_restricted"] = 1
                        store.save_categories(self.db, [walk.boards[board]])
                    break
                for sub in listing.boards:
                    if sub.url not in queued and self._on_site(sub.url):
                        queued.add(sub.url)
                        queue.append((sub.url, sub.url))
                        walk.boards[sub.url] = self.category_row(sub.url, sub.title)
                        store.save_categories(self.db, [walk.boards[sub.url]])  # before its threads point to it
                stop = self.take_threads(listing.threads, board, walk, can_stop_early)
                if stop == "budget":
                    walk.complete = False
                    return walk
                next_url = listing.next_url
                if stop or not next_url:
                    break
                if next_url in visited or pages >= MAX_LIST_PAGES:
                    self.list_error(f"list {url[:200]!r} never ends (a page link came again); stopped")
                    walk.complete = False
                    break
                visited.add(next_url)
                fetched = self.list_page(next_url)
                if fetched is None:
                    walk.complete = False
                    break
                listing = fetched[1]
                pages += 1
        return walk

    def take_threads(self, threads: list[ListedThread], board: str | None, walk: Walk, can_stop_early: bool) -> str | None:
        """Fetch the changed threads of one list page; "stop" below an earlier complete walk's mark."""
        for listed in threads:
            if listed.moved_to:
                target = self.engine.thread_id(listed.moved_to)
                if target is not None and target not in walk.seen:
                    walk.moved.setdefault(target, listed.moved_to)
                continue
            if listed.thread_id in walk.seen:
                continue
            walk.seen.add(listed.thread_id)
            if listed.last_posted_at and (walk.newest is None or listed.last_posted_at > walk.newest):
                walk.newest = listed.last_posted_at
            state = self.states.get(listed.thread_id)
            if not self.full and is_unchanged(state, listed):
                self.counts["threads_unchanged"] += 1
                self.note()
                if can_stop_early and not listed.pinned:
                    return "stop"
                continue
            if not self.budget_left():
                return "budget"
            self.fetch_thread(listed.thread_id, self.first_page_url(listed.thread_id, listed.url), listed, board)
        return None

    def first_page_url(self, thread_id: int, listed_url: str) -> str:
        """Where the engine reads a thread's first page (an API for Flarum; no session ids in it),
        else the link the list showed. An engine whose list links are the threads' own addresses
        (``reads_listed_urls``: XenForo's /threads/slug.ID/, to which /threads/ID/ only redirects)
        is read there, saving a redirect per thread."""
        if getattr(self.engine, "reads_listed_urls", False) and listed_url \
                and self.engine.thread_id(listed_url) == thread_id:
            return listed_url
        try:
            return self.engine.thread_url(self.client.base_url, thread_id)
        except UsageError:  # a profile without thread_url
            return listed_url

    def category_row(self, url: str, title: str) -> dict:
        number = board_number(url)
        return {"id": store.qualify(self.forum, number), "forum": self.forum, "category_id": number,
                "name": privacy.clean_line(title, self.pseudonymize), "slug": None, "parent": None,
                "description": None, "topic_count": None, "read_restricted": 0}

    def _on_site(self, url: str) -> bool:
        try:
            from miner.http import on_site_url

            on_site_url(self.client.base_url, url)
            return True
        except FetchError:
            self.list_error(f"a board link leaves the forum: {url[:200]!r}; not followed")
            return False

    # ------------------------------------------------------------------ threads
    def fetch_thread(self, thread_id: int, url: str, listed: ListedThread | None = None, board: str | None = None,
                     *, raise_errors: bool = False) -> str:
        """Fetch a thread's pages (from the last one read before, when allowed) and store it atomically."""
        self.attempted.add(thread_id)
        self.fetched += 1
        key = store.qualify(self.forum, thread_id)
        state = self.states.get(thread_id) or {}
        crawl = {"thread": key, "forum": self.forum, "topic_id": thread_id, "last_attempt": store.now(),
                 "bumped_at": listed.last_posted_at if listed else None,
                 "posts_count": listed.replies + 1 if listed and listed.replies is not None else None}
        resume = None
        if not self.full and state.get("status") == "ok" and state.get("last_page_url"):
            resume = state["last_page_url"]
        try:
            pages = self.thread_pages(resume or url, thread_id)
            resumed = bool(resume) and resume != url and pages[0][1].page != 1 and bool(pages[0][1].posts)
            if resume and not resumed and (pages[0][1].page != 1 or not pages[0][1].posts):
                pages = self.thread_pages(url, thread_id)  # the thread shrank: read it whole
            rows = self.thread_rows(pages, thread_id, listed, board, crawl, resumed=resumed)
        except (LoginRequired, RateLimited):
            raise
        except (DisallowedByRobots, FetchError) as error:
            if raise_errors:
                raise
            self.record_failure(thread_id, crawl, error)
            return key
        except PARSE_ERRORS as error:
            failure = FetchError(both(f"Thread {thread_id} ist nicht lesbar ({error.__class__.__name__}: {str(error)[:200]})",
                                      f"thread {thread_id} cannot be parsed ({error.__class__.__name__}: "
                                      f"{localized(error, 'en')[:200]})"))
            if raise_errors:
                raise failure from error
            self.record_failure(thread_id, crawl, failure)
            return key
        thread, posts, crawl, gone = rows
        store.save_thread_crawl(self.db, thread, posts, crawl, gone)
        self.states[thread_id] = crawl
        self.counts["posts_saved"] += len(posts)
        self.failures_in_a_row = 0
        self.counts["threads_updated" if state.get("status") == "ok" else "threads_new"] += 1
        self.note()
        return key

    def thread_pages(self, url: str, thread_id: int) -> list[tuple[str, ThreadPage]]:
        """(address, page) of the page at `url` and of every page after it (next-page links)."""
        pages: list[tuple[str, ThreadPage]] = []
        visited = set()
        while url and len(pages) < MAX_THREAD_PAGES:
            visited.add(url)
            page = self.client.get_page(url, kind="thread")
            parsed = self.engine.parse_thread(page.text, page.url)
            if parsed.login_required:
                raise NotFound(both(f"Thread {thread_id} verlangt eine Anmeldung; nicht gelesen (wie eine private Kategorie).",
                                    f"thread {thread_id} needs a login; not read (like a private category)."), url=url)
            if parsed.thread_id != thread_id:
                raise FetchError(both(f"Thread {thread_id}: die Seite {url[:200]!r} zeigt Thread {parsed.thread_id}",
                                      f"thread {thread_id}: the page {url[:200]!r} shows thread {parsed.thread_id}"))
            pages.append((url, parsed))
            url = parsed.next_url if parsed.next_url not in visited else None
        return pages

    def thread_rows(self, fetched: list[tuple[str, ThreadPage]], thread_id: int, listed: ListedThread | None, board: str | None,
                    crawl: dict, *, resumed: bool) -> tuple[dict, list[dict], dict, list[int]]:
        """Rows of the thread and its posts (pure: nothing is written) and its new crawl state."""
        now = store.now()
        key = store.qualify(self.forum, thread_id)
        pages = [page for _, page in fetched]
        first, last = pages[0], pages[-1]
        stored = store.load_post_ids(self.db, key)
        people: dict[str, str | None] = {p.author: None for page in pages for p in page.posts if p.author}
        signed = privacy.signed_names((p for page in pages for p in page.posts), self.signed)
        people.update({author: name for author, name in signed.items() if author in people})
        names = privacy.build_names(people, self.pseudonymize)
        known = privacy.lowered_names(people)
        posts: list[dict] = []
        seen: set[int] = set()
        for page in pages:
            for index, post in enumerate(page.posts):
                if post.post_id in seen:
                    continue
                seen.add(post.post_id)
                row = privacy.post_row(post, forum=self.forum, thread=key, pseudonymize=self.pseudonymize,
                                       known=known, names=names, fetched_at=now)
                posts.append(scrub.scrub_post(row, self.erased))
        # numbers: the page's own, else the position in the thread (after the stored posts when resumed)
        offset = len(stored - seen) if resumed else 0
        for position, row in enumerate(posts, start=1):
            if row["post_number"] is None:
                row["post_number"] = offset + position
        total = offset + len(posts)
        category = store.qualify(self.forum, board_number(board)) if board else None
        title = privacy.clean_line(first.title, self.pseudonymize, names)
        thread = {"id": key, "forum": self.forum, "topic_id": thread_id, "title": title, "url": first.url,
                  "posts_count": total, "highest_post_number": max((r["post_number"] or 0) for r in posts) if posts else total,
                  "pinned": int(first.pinned or bool(listed and listed.pinned)), "closed": int(first.closed),
                  "archived": 0, "tags": "[]", "fetched_at": now}
        if category:
            thread["category"] = category
        last_posted = max((r["created_at"] for r in posts if r["created_at"]), default=None)
        if listed and listed.last_posted_at:
            last_posted = max(last_posted or "", listed.last_posted_at)
        thread["last_posted_at"] = thread["bumped_at"] = last_posted
        if not resumed:
            opening = posts[0] if posts else {}
            author = first.posts[0].author if first.posts else None  # before erasure blanked the row's author
            thread.update({"slug": None, "starter": self.pseudonymize(author) if author else None,
                           "created_at": opening.get("created_at"),
                           "has_accepted_answer": int(any(r["is_accepted_answer"] for r in posts)),
                           "year": int(opening["created_at"][:4]) if (opening.get("created_at") or "")[:4].isdigit() else None})
        thread = scrub.scrub_thread(thread, self.erased)
        gone = sorted(stored - seen) if not resumed and self.full else []
        crawl = {**crawl, "status": "ok", "error": None, "attempts": 0,
                 "bumped_at": crawl.get("bumped_at") or last_posted,
                 "posts_count": total if listed is None or listed.replies is None else crawl["posts_count"],
                 "highest_post_number": thread["highest_post_number"],
                 "last_page_url": fetched[-1][0], "pages": last.page or len(pages)}
        return thread, posts, crawl, gone


def start_page(client: PoliteClient, engine: Engine | None = None) -> Page:
    """The forum's start page, or the first list the engine names with an optional
    ``start_url(base_url)`` (an engine read through an API, such as Flarum's /api/discussions)."""
    start_url = getattr(engine, "start_url", None)
    url = start_url(client.base_url) if start_url else client.base_url + "/"
    return client.get_page(url, kind="list", retries=1)


def visitor_page(client: PoliteClient) -> Page | None:
    """The start page a visitor sees (for the forum's title), None when it cannot be read."""
    try:
        return client.get_page(client.base_url + "/", kind="list", retries=1)
    except (FetchError, DisallowedByRobots):
        return None


def page_title(body: str) -> str | None:
    match = re.search(r"<title[^>]*>(.*?)</title>", body[:100_000], re.I | re.S)
    if not match:
        return None
    from html import unescape

    return " ".join(unescape(match.group(1)).split()) or None


def scrape_html_forum(
    db,
    base_url: str,
    engine: Engine,
    *,
    delay: float = 1.0,
    max_threads: int | None = None,
    full: bool = False,
    user_agent: str | None = None,
    contact: str | None = None,
    progress: bool = True,
    max_body: int = MAX_BODY_BYTES,
    client: PoliteClient | None = None,
    first: Page | None = None,
    pseudonymize: Callable[[str | None], str | None] | None = None,
) -> dict:
    """Scrape a forum read through `engine`'s pages into `db`; returns the same summary as Discourse.

    Refusals (robots.txt, a login wall on the start page) come before anything is written.
    """
    started = time.monotonic()
    client = client or PoliteClient(base_url, delay=delay, user_agent=user_agent, contact=contact, max_body=max_body)
    forum = store.forum_id_for(client.base_url)
    pseudonymize = pseudonymize or functools.lru_cache(maxsize=100_000)(Pseudonymizer(pseudonym_key()))
    shown = first  # the page a visitor sees: the forum's title comes from it
    if first is None or getattr(engine, "start_url", None):
        first = start_page(client, engine)  # the detection page is HTML; an API engine starts elsewhere
        if shown is None and first.url != client.base_url + "/":
            shown = visitor_page(client)
    listing = engine.parse_list(first.text, first.url)
    if listing.login_required:
        raise LoginRequired(both(f"{client.base_url} verlangt zum Lesen eine Anmeldung.",
                                 f"{client.base_url} requires a login to read."),
                            hint=both("miner liest nur, was öffentlich lesbar ist; es meldet sich nicht an.",
                                      "miner reads only what the public can read; it will not log in."))
    now = store.now()
    store.save_forum(db, {"id": forum, "base_url": client.base_url, "title": privacy.clean_line(page_title((shown or first).text),
                          pseudonymize), "engine": engine.name, "first_scraped": now, "last_scraped": now})
    can_stop_early = not full and store.load_high_water(db, forum, "all") is not None
    options = {"engine": engine.name, "delay": delay, "max_threads": max_threads, "full": full,
               "user_agent": client.user_agent, "max_body": client.max_body}
    run_id = start_run(db, forum, now, options, scope="all", full=full)
    crawler = HtmlCrawler(db, client, engine, full=full, progress=progress, pseudonymize=pseudonymize,
                          max_threads=max_threads)
    status, walk = "failed", Walk(complete=False)
    try:
        with store.disk_full_as_error():
            walk = crawler.walk(first, listing, can_stop_early)
            for thread_id, url in walk.moved.items():  # a moved thread no list showed: read it once
                settled = not full and (crawler.states.get(thread_id) or {}).get("status") == "ok"
                if thread_id not in walk.seen and thread_id not in crawler.attempted and not settled \
                        and crawler.budget_left():
                    walk.seen.add(thread_id)
                    crawler.fetch_thread(thread_id, crawler.first_page_url(thread_id, url))
            for thread_id in store.load_failed_topics(db, forum):
                if thread_id in crawler.attempted or not crawler.budget_left():
                    continue
                crawler.fetch_thread(thread_id, engine.thread_url(client.base_url, thread_id))
        status = "finished"
    except (KeyboardInterrupt, MinerError) as error:
        status = crawler.stopped_by(error)
        raise
    finally:
        crawler.bar.close()
        complete = walk.complete and status == "finished"
        summary = {**crawler.counts, "requests": client.requests, "retries": client.retries,
                   "thread_requests": client.counts["thread"], "errors": len(crawler.errors),
                   "elapsed": round(time.monotonic() - started, 2)}
        finish_run(db, run_id, status, {
            "finished_at": store.now(), "status": status, **crawler.counts,
            "requests": client.requests, "retries": client.retries, "errors": json.dumps(crawler.errors[:200]),
            "walk_complete": int(complete), "high_water": walk.newest if complete else None,
        }, {"id": forum, "base_url": client.base_url, "last_scraped": store.now()})
    return {"forum": forum, "run": run_id, "engine": engine.name, **summary, "failures": crawler.errors[:200]}


def scrape_html_thread(db, base_url: str, engine: Engine | str, thread_id: int, *, delay: float = 1.0,
                       user_agent: str | None = None, contact: str | None = None,
                       client: PoliteClient | None = None,
                       pseudonymize: Callable[[str | None], str | None] | None = None) -> str:
    """Fetch and store ONE thread (all its pages) of a forum read through its pages; returns its id."""
    from miner.sources import registry

    engine = registry.load_engine(engine) if isinstance(engine, str) else engine
    client = client or PoliteClient(base_url, delay=delay, user_agent=user_agent, contact=contact)
    crawler = HtmlCrawler(db, client, engine, full=True, progress=False,
                          pseudonymize=pseudonymize or Pseudonymizer(pseudonym_key()))
    return crawler.fetch_thread(thread_id, engine.thread_url(client.base_url, thread_id), raise_errors=True)
