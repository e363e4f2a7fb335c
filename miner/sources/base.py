"""What every forum engine hands the crawler: plain records, parsed from one page, no I/O.

An engine module (``miner.sources.phpbb``, ``...xenforo``, ...) turns the bytes of one list page or
one thread page into these records. Everything after that is engine-neutral: the crawler fetches
and paginates, the privacy layer pseudonymizes, the store writes the `threads` / `posts` rows.

Post bodies are handed over in one canonical markup, the subset of Discourse's "cooked" HTML the
privacy layer already understands, so that layer is written (and tested) once for all engines:

* a quote: ``<aside class="quote" data-username="NAME"><blockquote>...</blockquote></aside>``
  (the engine's attribution line - "X schrieb:", "Zitat von X", ``cite=`` - goes into
  ``data-username`` and out of the text; quotes without a known author omit the attribute);
* a mention: ``<a class="mention" href="/u/NAME">@NAME</a>``;
* code: ``<pre><code>...</code></pre>``;
* links ``<a href>``, images ``<img alt>``, lists, paragraphs and line breaks as they are;
* removed before handing over: signatures, "zuletzt bearbeitet von" / "edited by" lines, avatars,
  profile links and user cards, buttons, reactions, scripts and styles.

Author names are handed over as shown on the page; only the privacy layer may store them, and only
as pseudonyms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Post:
    post_id: int  # the engine's own post id
    number: int | None  # 1-based position in the thread, when the page shows it
    author: str | None  # display name as shown; None for guests/deleted users
    created_at: str | None  # ISO 8601 in UTC
    body: str  # canonical markup, see the module docstring
    updated_at: str | None = None
    accepted: bool = False  # marked as the solution
    deleted: bool = False  # a deleted/hidden post whose stub is still shown
    likes: int | None = None


@dataclass(frozen=True)
class ThreadPage:
    thread_id: int
    title: str
    url: str  # canonical URL of the thread (its first page)
    posts: list[Post]
    page: int = 1
    page_count: int | None = None
    next_url: str | None = None  # the next page of this thread, absolute
    board: str | None = None  # the board/category title
    pinned: bool = False  # sticky or announcement
    closed: bool = False
    moved_to: str | None = None  # a moved-topic stub: the URL it points to
    login_required: bool = False  # the page is a login form instead of the thread


@dataclass(frozen=True)
class ListedThread:
    thread_id: int
    url: str  # absolute
    title: str
    last_posted_at: str | None = None  # ISO 8601 in UTC; the watermark
    replies: int | None = None
    pinned: bool = False
    moved_to: str | None = None


@dataclass(frozen=True)
class Board:
    url: str  # absolute
    title: str


@dataclass(frozen=True)
class ListPage:
    threads: list[ListedThread] = field(default_factory=list)
    boards: list[Board] = field(default_factory=list)  # sub-boards listed on an index page
    next_url: str | None = None
    login_required: bool = False


class Engine(Protocol):
    """One forum engine's pure knowledge: how to recognise it, its URLs and its pages."""

    name: str  # "discourse", "phpbb", "xenforo", "woltlab", "vbulletin", "smf", "mybb", "flarum", "profile"

    def detect(self, url: str, body: str, headers: dict[str, str]) -> bool:
        """True when a page fetched from `url` comes from this engine."""

    def thread_id(self, url: str) -> int | None:
        """The thread id in a thread URL, None when `url` is not a thread URL."""

    def thread_url(self, base_url: str, thread_id: int, page: int = 1) -> str:
        """The URL of one page of a thread."""

    def parse_list(self, body: str, url: str) -> ListPage:
        """A board index or topic list page."""

    def parse_thread(self, body: str, url: str) -> ThreadPage:
        """One page of a thread."""

    # Optional: ``start_url(base_url) -> str``, the first list page to read when it is not the
    # forum's start page (an engine read through an API: Flarum's /api/discussions). The crawler
    # reads a thread's first page at ``thread_url(base_url, id)`` and follows ``next_url`` from there.
    # Optional: ``reads_listed_urls = True``: the thread links of a list are the threads' own addresses
    # (no session ids; ``thread_url`` would only be redirected there), so the crawler reads those.
