"""XenForo 2.x: forum, thread list and thread pages -> records."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from miner.sources import markup as m
from miner.sources.base import Board, ListedThread, ListPage, Post, ThreadPage
from miner.sources.html_engine import HtmlEngine

_THREAD_IN_URL = re.compile(r"/threads/(?:[^/?#]*\.)?(\d+)(?:/|$)|\.(\d+)(?:-page-\d+)?\.html$")
_SECTIONS = ("/threads/", "/forums/", "/forum/", "/categories/", "/members/", "/posts/")


def forum_root(url: str) -> str:
    """The installation's root ("https://x/forum/") from any of its URLs."""
    return m.root_url(url, _SECTIONS)


class XenForo(HtmlEngine):
    name = "xenforo"
    reads_listed_urls = True  # /threads/ID/ answers with a redirect to the listed /threads/slug.ID/

    def detect(self, url: str, body: str, headers: dict[str, str]) -> bool:
        cookies = m.set_cookies(headers)
        head = body[:400_000]
        return bool(re.search(r'<html[^>]+id="XF"', head) or "Forum software by XenForo" in head
                    or re.search(r"\bxf_(csrf|session)=", cookies))

    def thread_id(self, url: str) -> int | None:
        match = _THREAD_IN_URL.search(urlsplit(url).path)
        return int(match.group(1) or match.group(2)) if match else None

    def thread_url(self, base_url: str, thread_id: int, page: int = 1) -> str:
        url = f"{forum_root(base_url)}threads/{thread_id}/"
        return url if page <= 1 else f"{url}page-{page}"

    # --- thread pages ------------------------------------------------------------------------------

    def parse_thread(self, body: str, url: str) -> ThreadPage:
        doc = m.parse_html(body)
        key = doc.get("data-content-key") or ""
        thread_id = int(key.split("-")[1]) if key.startswith("thread-") else (self.thread_id(url) or 0)
        title = m.text(m.first(doc, "h1.p-title-value"))
        canonical = _canonical(doc, url) or (self.thread_url(url, thread_id) if thread_id else url)
        articles = m.select(doc, "article.message--post, article.message[data-content^='post-']")
        if not articles and (doc.get("data-template") == "login" or m.has_password_form(doc)):
            return ThreadPage(thread_id, title, canonical, [], login_required=True)
        posts = [self._post(article, url) for article in articles]
        page, page_count = _page_nav(doc)
        crumbs = [m.text(node) for node in m.select(doc, ".p-breadcrumbs li a span")]
        return ThreadPage(
            thread_id=thread_id, title=title, url=canonical, posts=posts, page=page, page_count=page_count,
            next_url=_next_url(doc, url, page, page_count), board=crumbs[-1] if crumbs else None,
            closed=m.first(doc, ".blockStatus-message--locked") is not None,
        )

    def _post(self, article: HtmlElement, url: str) -> Post:
        post_id = m.first_int(r"post-(\d+)", article.get("data-content") or article.get("id"))
        author = article.get("data-author") or m.text(m.first(article, ".message-name .username")) or None
        stamp = m.first_of(article, ".message-attribution-main time", "time.u-dt")
        number = m.first_int(r"#\s*([\d.,]+)", m.text(m.first(article, ".message-attribution-opposite")).replace(".", ""))
        edited = m.first(article, ".message-lastEdit time")
        content = m.first_of(article, ".message-body .bbWrapper", ".message-body")
        deleted = "message--deleted" in (article.get("class") or "")
        body = "" if deleted or content is None else m.canonical_body(
            content, url, drop=".js-selectToQuoteEnd, .bbCodeBlock-expandLink, .bbCodeSpoiler-button, "
                               ".bbCodeBlock-title .bbCodeBlock-sourceJump-icon",
            quotes=".bbCodeBlock--quote, blockquote", read_quote=_read_quote,
            code=".bbCodeBlock--code", mentions="a.username[data-user-id]",
            unwrap=".bbCodeSpoiler, .bbCodeSpoiler-content, .bbCodeBlock--spoiler")
        return Post(post_id=post_id or 0, number=number, author=author, created_at=self._stamp(stamp),
                    body=body, updated_at=self._stamp(edited), deleted=deleted)

    def _stamp(self, node: HtmlElement | None) -> str | None:
        if node is None:
            return None
        return self.stamp(node) or self.first_date(node.get("title"), m.text(node))

    # --- forum and thread lists -----------------------------------------------------------------

    def parse_list(self, body: str, url: str) -> ListPage:
        doc = m.parse_html(body)
        boards = [Board(m.absolute(url, link.get("href")), m.text(link))
                  for link in m.select(doc, ".node-title a[href]")]
        items = m.select(doc, ".structItem--thread")
        threads = [thread for thread in (self._listed(item, url) for item in items) if thread is not None]
        if not threads and not boards and (doc.get("data-template") == "login" or m.has_password_form(doc)):
            return ListPage(login_required=True)
        page, page_count = _page_nav(doc)
        return ListPage(threads=threads, boards=boards, next_url=_next_url(doc, url, page, page_count))

    def _listed(self, item: HtmlElement, url: str) -> ListedThread | None:
        links = m.select(item, ".structItem-title a[href*='threads/'], .structItem-title a[data-tp-primary]")
        if not links:
            return None
        link = links[-1]  # prefix labels come first
        href = m.absolute(url, link.get("href"))
        thread_id = m.first_int(r"js-threadListItem-(\d+)", item.get("class")) or self.thread_id(href)
        moved = m.first(item, ".structItem-status--redirect") is not None
        replies = None
        for pair in m.select(item, ".structItem-cell--meta dl"):
            if replies is None:
                replies = m.int_or_none(m.text(m.first(pair, "dd")))
        latest = m.first(item, ".structItem-latestDate, .structItem-cell--latest time")
        return ListedThread(
            thread_id=thread_id or 0, url=href,
            title=m.text(link), last_posted_at=self._stamp(latest), replies=None if moved else replies,
            pinned=m.first(item, ".structItem-status--sticky") is not None,
            moved_to=href if moved else None)


def _canonical(doc: HtmlElement, url: str) -> str | None:
    """The page's rel=canonical without its page part: the thread's first page as the forum names it."""
    link = m.first(doc, 'link[rel="canonical"]')
    href = m.absolute(url, link.get("href")) if link is not None else None
    if not href:
        return None
    return re.sub(r"-page-\d+(\.html)$", r"\1", re.sub(r"(/)page-\d+/?$", r"\1", href))


def _read_quote(node: HtmlElement):
    author = node.get("data-quote")
    attribution = m.strip_attribution(node, ".bbCodeBlock-title")
    content = m.first_of(node, ".bbCodeBlock-expandContent", ".bbCodeBlock-content")
    return author or attribution, content if content is not None else node


def _page_nav(doc: HtmlElement) -> tuple[int, int | None]:
    return m.page_numbers(doc, ".pageNav", ".pageNav-page--current", ".pageNav-page")


def _next_url(doc: HtmlElement, url: str, page: int, page_count: int | None) -> str | None:
    if page_count is not None and page >= page_count:
        return None
    nav_next = m.first(doc, ".pageNav-jump--next")
    if nav_next is not None:
        return m.absolute(url, nav_next.get("href"))
    found = m.link_rel_next(doc, url)
    if found is None and page_count:
        later = m.first(doc, ".pageNav-page--later a, .pageNav-page--current + li a")
        found = m.absolute(url, later.get("href")) if later is not None else None
    return found


ENGINE = XenForo()
