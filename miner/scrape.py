"""Crawl orchestration: walk a Discourse forum's topic lists and store every thread and post.

fetch (``miner.discourse``) -> parse (``miner.parse``) -> store (``miner.store``). Each thread is
written together with its crawl state in one transaction, so a run killed at any moment resumes
cleanly; a re-run on an unchanged forum makes no thread requests at all.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import time
from typing import Any, Callable


from miner import parse, scrub, store
from miner.crawl_book import CrawlBook, finish_run, start_run
from miner.sources.dates import read_iso
from miner.discourse import MAX_BODY_BYTES, DiscourseClient, normalise_base_url
from miner.errors import (
    DisallowedByRobots,
    FetchError,
    LoginRequired,
    MalformedRecord,
    MinerError,
    RateLimited,
    UsageError,
)
from miner.keys import Pseudonymizer, pseudonym_key
from miner.urls import parse_thread_url
from miner.i18n import both, localized, say

log = logging.getLogger(__name__)

MAX_PAGES_WITHOUT_NEW_TOPICS = 3  # a list whose pages bring nothing new never ends: stop it
MAX_LIST_PAGES = 100_000
# what parsing a hostile body can raise beyond the checks in parse.check_topic
PARSE_ERRORS = (TypeError, ValueError, KeyError, AttributeError, OverflowError, RecursionError)


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z") if value else None


def is_unchanged(state: dict | None, item: dict) -> bool:
    """A listed topic is unchanged if bumped_at, posts_count and highest_post_number all match."""
    if not state or state.get("status") not in ("ok", "gone", "disallowed"):
        return False
    return (
        read_iso(state.get("bumped_at")) == read_iso(item.get("bumped_at"))
        and state.get("posts_count") == item.get("posts_count")
        and state.get("highest_post_number") == item.get("highest_post_number")
    )


class Crawler(CrawlBook):
    """State of one scrape run over a Discourse forum; `fetch_thread` is the unit of work."""

    unit = "topic"

    def __init__(self, db, client: DiscourseClient, *, full: bool, progress: bool, total: int | None,
                 pseudonymize: Callable[[str | None], str | None]):
        super().__init__(db, client, full=full, progress=progress, total=total, pseudonymize=pseudonymize)
        self.retried: set[int] = set()  # topics attempted in this run (no second try from the failed list)
        self.seen: set[int] = set()  # topics listed in this run

    def unchanged(self) -> None:
        self.counts["threads_unchanged"] += 1
        self.note()

    def fetch_thread(self, topic_id: int, item: dict | None = None, *, raise_errors: bool = False) -> str:
        """Fetch one topic (first 20 posts + only the missing ones) and store it atomically."""
        thread_id = store.qualify(self.forum, topic_id)
        state = self.states.get(topic_id)
        self.fetched += 1
        now = store.now()
        crawl = {"thread": thread_id, "forum": self.forum, "topic_id": topic_id, "last_attempt": now,
                 "bumped_at": (item or {}).get("bumped_at"), "posts_count": (item or {}).get("posts_count"),
                 "highest_post_number": (item or {}).get("highest_post_number")}
        try:
            topic = parse.check_topic(self.client.topic(topic_id), topic_id)
            stream, posts = parse.post_stream(topic)
            stored = store.load_post_ids(self.db, thread_id)
            have = {p["id"] for p in posts}
            wanted = [pid for pid in stream if pid not in have and (self.full or pid not in stored)]
            while wanted:
                asked = set(wanted)
                more = [p for p in self.client.posts(topic_id, wanted)
                        if parse.check_post(p, parse.where_topic(topic_id))["id"] in asked]
                if not more:
                    log.info("topic %s: %d posts in the stream could not be fetched", topic_id, len(wanted))
                    break
                posts.extend(more)
                have.update(p["id"] for p in more)
                wanted = [pid for pid in wanted if pid not in have]
            rows = self.topic_rows(topic, posts, stream, stored, item, crawl, now)
        except (LoginRequired, RateLimited):
            raise  # the whole forum is closed or asks us to pause: stop the run, not just this thread
        except (DisallowedByRobots, FetchError, MalformedRecord) as error:
            if raise_errors:
                raise
            self.record_failure(topic_id, crawl, error)
            return thread_id
        self.store_topic(*rows)
        self.failures_in_a_row = 0
        self.counts["threads_updated" if state and state.get("status") == "ok" else "threads_new"] += 1
        self.note()
        return thread_id

    def topic_rows(self, topic: dict, posts: list[dict], stream: list[int], stored: set[int],
                   item: dict | None, crawl: dict, now: str) -> tuple[dict, list[dict], dict, list[int]]:
        """The thread's rows, or MalformedRecord naming what a hostile or broken body got wrong
        beyond what parse.check_topic rejects (the checks cannot foresee every shape)."""
        try:
            return self.parse_topic(topic, posts, stream, stored, item, crawl, now)
        except PARSE_ERRORS as error:
            cause = f"{error.__class__.__name__}: {str(error)[:200]}"
            raise MalformedRecord(both(f"Thread {topic['id']}: nicht lesbar ({cause})",
                                       f"topic {topic['id']}: cannot be parsed ({error.__class__.__name__}: "
                                       f"{localized(error, 'en')[:200]})")) from error

    def parse_topic(self, topic: dict, posts: list[dict], stream: list[int], stored: set[int],
                    item: dict | None, crawl: dict, now: str) -> tuple[dict, list[dict], dict, list[int]]:
        """Parse (pure: nothing is written) one topic and its posts into rows and its crawl state."""
        base = self.client.base_url
        thread = parse.parse_topic(topic, forum=self.forum, base_url=base, pseudonymize=self.pseudonymize,
                                   listed=item, fetched_at=now)
        thread = scrub.scrub_thread(thread, self.erased)
        known = parse.topic_usernames(topic, posts)
        accepted = parse.accepted_post_number(topic)
        seen: set[int] = set()
        rows = []
        for post in sorted(posts, key=lambda p: p.get("post_number") or 0):
            if post["id"] in seen:
                continue
            seen.add(post["id"])
            row = parse.parse_post(post, forum=self.forum, thread_id=thread["id"], pseudonymize=self.pseudonymize,
                                   accepted_number=accepted, known_usernames=known, fetched_at=now)
            rows.append(scrub.scrub_post(row, self.erased))
        gone = sorted(stored - set(stream)) if stream else []
        crawl = {**crawl, "status": "ok", "error": None, "attempts": 0,
                 "bumped_at": crawl.get("bumped_at") or thread["bumped_at"],
                 "posts_count": crawl.get("posts_count") or topic.get("posts_count"),
                 "highest_post_number": crawl.get("highest_post_number") or topic.get("highest_post_number")}
        return thread, rows, crawl, gone

    def store_topic(self, thread: dict, rows: list[dict], crawl: dict, gone: list[int]) -> None:
        """One thread with its posts and crawl state, in one transaction."""
        store.save_thread_crawl(self.db, thread, rows, crawl, gone)
        self.states[crawl["topic_id"]] = crawl
        self.counts["posts_saved"] += len(rows)

    def list_page(self, path: str) -> dict | None:
        """The next page of a topic list, or None (error recorded) when it cannot be had: off-site,
        too big, too slow, failing after retries. The walk then ends there, incomplete."""
        try:
            return self.client.topic_list(path)
        except RateLimited:
            raise
        except FetchError as error:
            self.list_error(f"topic list page {path[:200]!r}: {error}")
            return None


def _resolve_categories(wanted: tuple | list, categories: list[dict], base_url: str) -> list[dict]:
    """--category SLUG_OR_ID -> category dicts; refuse private (read-restricted) ones."""
    chosen = []
    for token in wanted:
        token = str(token).strip()
        match = next((c for c in categories if str(c.get("id")) == token or c.get("slug") == token), None)
        if match is None:
            names = ", ".join(sorted(f"{c.get('slug')} ({c.get('id')})" for c in categories)[:30])
            raise UsageError(both(f"{base_url} hat keine öffentliche Kategorie {token!r}.",
                                  f"{base_url} has no public category {token!r}."),
                             hint=both(f"Bekannte Kategorien: {names}", f"Known categories: {names}"))
        if match.get("read_restricted"):
            raise LoginRequired(
                both(f"Die Kategorie {token!r} von {base_url} ist privat (read-restricted).",
                     f"Category {token!r} of {base_url} is private (read-restricted)."),
                hint=both("miner liest nur, was öffentlich lesbar ist; bitte diese Kategorie weglassen.",
                          "miner only reads what the public can read; leave this category out."),
            )
        chosen.append(match)
    return chosen


def scrape_forum(
    db,
    base_url: str,
    *,
    categories: tuple | list = (),
    delay: float = 1.0,
    max_threads: int | None = None,
    full: bool = False,
    user_agent: str | None = None,
    contact: str | None = None,
    progress: bool = True,
    max_body: int = MAX_BODY_BYTES,
    client: DiscourseClient | None = None,
    pseudonymize: Callable[[str | None], str | None] | None = None,
) -> dict:
    """Scrape a whole Discourse forum (or some categories) into `db`; returns summary counts.

    Everything that can refuse (not Discourse, login required, robots.txt, private category) is
    checked before anything is written, so a refusal leaves the database untouched.
    """
    started = time.monotonic()
    client = client or DiscourseClient(base_url, delay=delay, user_agent=user_agent, contact=contact,
                                       max_body=max_body)
    forum = store.forum_id_for(client.base_url)
    pseudonymize = pseudonymize or functools.lru_cache(maxsize=100_000)(Pseudonymizer(pseudonym_key()))
    about = client.detect()
    all_categories = parse.flatten_categories(client.categories())
    chosen = _resolve_categories(categories, all_categories, client.base_url)
    if chosen:
        lists = [f"/c/{c['slug']}/{c['id']}/l/latest.json" for c in chosen]
        scope = ",".join(str(i) for i in sorted(int(c["id"]) for c in chosen))
        total = sum(int(c.get("topic_count") or 0) for c in chosen)
    else:
        lists = ["/latest.json"]
        scope = "all"
        total = sum(int(c.get("topic_count") or 0) for c in all_categories if not c.get("parent_category_id"))
    first_page = client.topic_list(lists[0])  # a login wall on the lists shows up here, before any write

    now = store.now()
    _save_forum(db, client, about, pseudonymize, now)
    store.save_categories(db, [parse.parse_category(c, forum=forum) for c in all_categories
                               if not c.get("read_restricted")])
    high_water = None if full else read_iso(store.load_high_water(db, forum, scope))
    options = {"categories": list(categories), "delay": delay, "max_threads": max_threads, "full": full,
               "user_agent": client.user_agent, "max_body": client.max_body}
    run_id = start_run(db, forum, now, options, scope=scope, full=full)
    crawler = Crawler(db, client, full=full, progress=progress, total=total or None, pseudonymize=pseudonymize)
    status, walk_complete, newest = "failed", False, None
    try:
        with store.disk_full_as_error():
            walk_complete, newest = _walk(crawler, lists, first_page, high_water, max_threads)
            retry = store.load_failed_topics(db, forum)
            if full and walk_complete and scope == "all":
                # stored threads no list shows any more: ask for each (404 -> gone, posts flagged deleted)
                retry += [t for t, state in crawler.states.items()
                          if state.get("status") == "ok" and t not in crawler.seen]
            if max_threads is None or crawler.fetched < max_threads:
                for topic_id in retry:
                    if topic_id in crawler.retried:
                        continue
                    if max_threads is not None and crawler.fetched >= max_threads:
                        break
                    crawler.fetch_thread(topic_id)
        status = "finished"
    except (KeyboardInterrupt, MinerError) as error:
        status = crawler.stopped_by(error)
        raise
    finally:
        crawler.bar.close()
        if walk_complete and high_water and newest and high_water > newest:
            newest = high_water
        summary = {**crawler.counts, "requests": client.requests, "retries": client.retries,
                   "thread_requests": client.counts["topic"] + client.counts["posts"],
                   "errors": len(crawler.errors), "elapsed": round(time.monotonic() - started, 2)}
        finish_run(db, run_id, status, {
            "finished_at": store.now(), "status": status,
            **{k: crawler.counts[k] for k in ("threads_new", "threads_updated", "threads_unchanged",
                                              "threads_failed", "threads_gone", "posts_saved")},
            "requests": client.requests, "retries": client.retries,
            "errors": json.dumps(crawler.errors[:200]),
            "walk_complete": int(walk_complete and status == "finished"),
            "high_water": _iso(newest) if walk_complete else None,
        }, {"id": forum, "base_url": client.base_url, "last_scraped": store.now()})
    return {"forum": forum, "run": run_id, **summary, "failures": crawler.errors[:200]}


def _walk(crawler: Crawler, lists: list[str], first_page: dict, high_water: dt.datetime | None,
          max_threads: int | None) -> tuple[bool, dt.datetime | None]:
    """Walk each topic list page by page; returns (walked to the end?, newest bumped_at seen).

    Pinned topics sit on top of page 0 out of bumped order, so they never end a walk early; the
    walk stops at the first unchanged topic only below the mark of an earlier complete walk.
    """
    seen = crawler.seen
    newest: dt.datetime | None = None
    complete = True
    for index, path in enumerate(lists):
        body = first_page if index == 0 else crawler.client.topic_list(path)
        visited = {path}
        barren = 0  # pages in a row that brought no topic not seen before
        while True:
            topics, more = parse.parse_topic_list(body)
            stop = False
            new = 0
            for raw_item in topics:
                item = parse.clean_list_item(raw_item)
                if item is None:
                    crawler.list_error(f"topic list {path}: skipped an entry without a valid topic id "
                                       f"({str(raw_item)[:80]})")
                    continue
                topic_id = item["id"]
                if topic_id in seen:
                    continue
                seen.add(topic_id)
                new += 1
                bumped = read_iso(item.get("bumped_at"))
                if bumped and (newest is None or bumped > newest):
                    newest = bumped
                state = crawler.states.get(topic_id)
                if not crawler.full and is_unchanged(state, item):
                    crawler.unchanged()
                    pinned = item.get("pinned") or item.get("pinned_globally")
                    if not pinned and high_water and bumped and bumped <= high_water:
                        stop = True
                        break
                    continue
                if max_threads is not None and crawler.fetched >= max_threads:
                    return False, newest
                crawler.retried.add(topic_id)
                crawler.fetch_thread(topic_id, item)
            if stop or not more or not topics:
                break
            barren = 0 if new else barren + 1
            endless = _endless(more in visited, barren, len(visited))
            if endless:
                crawler.list_error(f"topic list {path} never ends ({endless}); stopped before {more[:200]!r}")
                complete = False
                break
            visited.add(more)
            page = crawler.list_page(more)
            if page is None:
                complete = False
                break
            body = page
    return complete, newest


def _endless(repeated: bool, barren: int, pages: int) -> str | None:
    """Why a topic list looks endless (a page link seen before, pages with nothing new), else None."""
    if repeated:
        return "a page link came again"
    if barren >= MAX_PAGES_WITHOUT_NEW_TOPICS:
        return f"{barren} pages in a row brought no new topic"
    if pages >= MAX_LIST_PAGES:
        return f"more than {MAX_LIST_PAGES} pages"
    return None


def scrape_thread(
    db,
    thread_url: str,
    *,
    delay: float = 1.0,
    user_agent: str | None = None,
    contact: str | None = None,
    client: DiscourseClient | None = None,
    pseudonymize: Callable[[str | None], str | None] | None = None,
) -> str:
    """Fetch and store ONE thread (all its posts) from its URL; returns "forum:topic_id"."""
    address = parse_thread_url(thread_url)
    base_url = normalise_base_url(address.base_url)
    client = client or DiscourseClient(base_url, delay=delay, user_agent=user_agent, contact=contact)
    about = client.detect()
    pseudonymize = pseudonymize or Pseudonymizer(pseudonym_key())
    crawler = Crawler(db, client, full=False, progress=False, total=None, pseudonymize=pseudonymize)
    topic_id = address.topic_id
    topic = client.topic(topic_id)  # refusals and 404 raise before anything is written
    _save_forum(db, client, about, pseudonymize, store.now())
    crawler.client = _Prefetched(client, topic_id, topic)
    return crawler.fetch_thread(topic_id, None, raise_errors=True)


def _save_forum(db, client: DiscourseClient, about: dict, pseudonymize: Callable, now: str) -> str:
    """The forums row from /about.json (description masked like any other text)."""
    return store.save_forum(db, {
        "id": store.forum_id_for(client.base_url), "base_url": client.base_url,
        "title": parse.text_or_none(about.get("title")),
        "description": parse.clean_line(parse.text_or_none(about.get("description")), pseudonymize),
        "discourse_version": parse.text_or_none(about.get("version")), "engine": "discourse",
        "first_scraped": now, "last_scraped": now,
    })


class _Prefetched:
    """Client wrapper that answers one already-fetched topic without a second request."""

    def __init__(self, client: DiscourseClient, topic_id: int, topic: dict):
        self._client, self._topic_id, self._topic = client, topic_id, topic

    def topic(self, topic_id: int) -> dict:
        return self._topic if topic_id == self._topic_id else self._client.topic(topic_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def describe_summary(summary: dict, max_failures: int = 5, lang: str | None = None) -> str:
    """The final summary the CLI prints: counts, then the first errors, one per line."""
    text = say(
        f"{summary['forum']}: {summary['threads_new']} neue, {summary['threads_updated']} aktualisierte, "
        f"{summary['threads_unchanged']} unveränderte, {summary['threads_gone']} verschwundene, "
        f"{summary['threads_failed']} fehlgeschlagene Threads; {summary['posts_saved']} Beiträge gespeichert; "
        f"{summary['requests']} Anfragen ({summary['thread_requests']} für Threads), "
        f"{summary['retries']} Wiederholungen, {summary['errors']} Fehler; {summary['elapsed']:.1f} s",
        f"{summary['forum']}: {summary['threads_new']} new, {summary['threads_updated']} updated, "
        f"{summary['threads_unchanged']} unchanged, {summary['threads_gone']} gone, "
        f"{summary['threads_failed']} failed threads; {summary['posts_saved']} posts saved; "
        f"{summary['requests']} requests ({summary['thread_requests']} for threads), "
        f"{summary['retries']} retries, {summary['errors']} errors; {summary['elapsed']:.1f} s", lang)
    failures = summary.get("failures") or []
    lines = [f"  - {failure}" for failure in failures[:max_failures]]
    if len(failures) > max_failures:
        lines.append(say(f"  ... und {len(failures) - max_failures} weitere (siehe scrape_runs.errors und crawl_state)",
                         f"  ... and {len(failures) - max_failures} more (see scrape_runs.errors and crawl_state)", lang))
    return "\n".join([text, *lines])
