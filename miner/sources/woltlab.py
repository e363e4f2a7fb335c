"""WoltLab Suite Forum 5/6 and Burning Board 4 (on WoltLab Suite Core): pages -> records."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from miner.sources import markup as m
from miner.sources.base import Board, ListedThread, ListPage, Post, ThreadPage
from miner.sources.html_engine import HtmlEngine

_THREAD_PATTERNS = (re.compile(r"[?/]thread/(\d+)"), re.compile(r"[?&]threadID=(\d+)"),
                    re.compile(r"-(\d+)/?(?:\?.*)?$"))


def forum_root(url: str) -> str:
    """The suite's root ("https://x/forum/") from any of its URLs."""
    return m.root_url(url, ("/index.php", "/thread/", "/board/"))


class WoltLab(HtmlEngine):
    name = "woltlab"

    def detect(self, url: str, body: str, headers: dict[str, str]) -> bool:
        cookies = m.set_cookies(headers)
        head = body[:400_000]
        return bool("com.woltlab.wbb" in head or "WoltLab Suite" in head or "woltlab-core-" in head
                    or "Burning Board" in head or re.search(r"\bwsc\d*_(cookieHash|user_session)=", cookies)
                    or re.search(r"\bwcf\d*_(cookieHash|userID)=", cookies))

    def thread_id(self, url: str) -> int | None:
        parts = urlsplit(url)
        target = parts.path + ("?" + parts.query if parts.query else "")
        if re.search(r"[?/]board/", target):
            return None
        for pattern in _THREAD_PATTERNS:
            match = pattern.search(target)
            if match:
                return int(match.group(1))
        return None

    def thread_url(self, base_url: str, thread_id: int, page: int = 1) -> str:
        url = f"{forum_root(base_url)}index.php?thread/{thread_id}/"
        return url if page <= 1 else f"{url}&pageNo={page}"

    # --- thread pages ------------------------------------------------------------------------------

    def parse_thread(self, body: str, url: str) -> ThreadPage:
        doc = m.parse_html(body)
        thread_id = self.thread_id(url) or 0
        title = m.text(m.first_of(doc, "h1.contentTitle", ".contentHeaderTitle h1", "h1")) or _title(doc)
        articles = m.select(doc, "article.wbbPost, article.message[data-object-id]")
        if not articles and m.has_password_form(doc):
            return ThreadPage(thread_id, title, _first_page(url), [], login_required=True)
        page, page_count = _pagination(doc)
        crumbs = [m.text(node) for node in m.select(doc, ".breadcrumbs li a span[itemprop='name'], "
                                                         ".breadcrumbs li a span[itemprop='title']")]
        crumbs = [crumb for crumb in crumbs if crumb != title]  # some styles end with the thread itself
        return ThreadPage(
            thread_id=thread_id, title=title, url=_canonical(doc, url), page=page, page_count=page_count,
            posts=[self._post(article, url) for article in articles],
            next_url=_next_url(doc, url, page, page_count), board=crumbs[-1] if crumbs else None,
            closed=m.first(doc, ".contentHeader .fa-lock, .contentHeaderTitle .fa-lock, "
                                ".contentHeader .jsIconLock") is not None)

    def _post(self, article: HtmlElement, url: str) -> Post:
        post_id = m.int_or_none(article.get("data-post-id") or article.get("data-object-id")) or 0
        author = m.text(m.first_of(article, ".messageAuthor .username", ".messageSidebar .username",
                                   "[itemprop='author'] [itemprop='name']", "a.username"))
        classes = article.get("class", "")
        deleted = "messageDeleted" in classes or "messageDisabled" in classes
        content = m.first(article, ".messageText")
        body = "" if deleted or content is None else m.canonical_body(
            content, url, drop=".messageSignature, .messageFooterNote, .quoteBoxIcon, .toggleButton, "
                               ".codeBoxHeader, .quoteBoxQuoteSymbol",
            quotes="blockquote.quoteBox, blockquote", read_quote=_read_quote, code=".codeBox",
            mentions="a.userMention", unwrap=".spoilerBox, .spoilerBoxContent")
        number = m.first_int(r"#\s*(\d+)", m.text(m.first(article, ".messageNumber, .messagePublicationTime + li")))
        return Post(post_id=post_id, number=number, author=author or None,
                    created_at=self._date(article), body=body, deleted=deleted)

    def _date(self, scope: HtmlElement) -> str | None:
        stamp = m.first_of(scope, ".messagePublicationTime time", ".messageHeader time",
                           "woltlab-core-date-time", "time[data-timestamp]", "time[datetime]")
        return (self.stamp(stamp) or self.stamp(m.first(scope, "meta[itemprop='dateCreated']"))
                or self.first_date(m.text(stamp)))

    # --- board pages ---------------------------------------------------------------------------

    def parse_list(self, body: str, url: str) -> ListPage:
        doc = m.parse_html(body)
        boards = [Board(m.absolute(url, link.get("href")), m.text(link))
                  for link in m.select(doc, ".wbbBoardList .boardTitle a, a.wbbBoardLink, h3 a.boardTitle")]
        rows = m.select(doc, ".wbbThreadList .wbbThread[data-thread-id], li.wbbThread[data-thread-id], "
                             ".wbbThread[data-thread-id]")
        threads = list({row.get("data-thread-id"): self._listed(row, url) for row in rows}.values())
        if not threads and not boards and m.has_password_form(doc):
            return ListPage(login_required=True)
        page, page_count = _pagination(doc)
        return ListPage(threads=threads, boards=boards, next_url=_next_url(doc, url, page, page_count))

    def _listed(self, row: HtmlElement, url: str) -> ListedThread:
        link = m.first_of(row, "a.wbbTopicLink", "h3 a.messageGroupLink", "a.messageGroupLink", "h3 a")
        href = m.absolute(url, link.get("href"))
        classes = row.get("class", "")
        icons = " ".join((icon.get("title") or "") + " " + (icon.get("class") or "")
                         for icon in m.select(row, ".statusIcons span, .statusIcons fa-icon, .statusIcons li *"))
        moved = bool(re.search(r"verschoben|moved|jsIconMoved", icons, re.IGNORECASE))
        replies = m.first_of(row, ".columnStats dl dd", ".stats dd", ".columnReplies")
        latest = m.first(row, ".wbbLastPost, .columnLastPost")
        return ListedThread(
            thread_id=int(row.get("data-thread-id")), url=href, title=m.text(link),
            last_posted_at=self._date(latest) if latest is not None else None,
            replies=None if moved else m.int_or_none(m.text(replies)),
            pinned=bool(row.get("data-is-sticky") == "1" or row.get("data-is-announcement") == "1"
                        or re.search(r"wbbThreadSticky|wbbThreadAnnouncement", classes)
                        or re.search(r"jsIconSticky|jsIconAnnouncement|angepinnt|bekanntmachung|sticky|announcement",
                                     icons, re.IGNORECASE)),
            moved_to=href if moved else None)


def _read_quote(node: HtmlElement):
    author = m.strip_attribution(node, ".quoteBoxTitle, header h3, .quoteHeader")
    content = m.first(node, ".quoteBoxContent")
    return author, content if content is not None else node


def _pagination(doc: HtmlElement) -> tuple[int, int | None]:
    modern = m.first(doc, "woltlab-core-pagination")
    if modern is not None:
        return int(modern.get("page") or 1), m.int_or_none(modern.get("count"))
    nav = m.first(doc, "nav.pagination, .pagination[data-pages]")
    if nav is None:
        return 1, None
    current = m.int_or_none(m.text(m.first(nav, "li.active span")).split(" ")[0])
    return current or 1, m.int_or_none(nav.get("data-pages"))


def _next_url(doc: HtmlElement, url: str, page: int, page_count: int | None) -> str | None:
    if page_count is None or page >= page_count:
        return None
    found = m.link_rel_next(doc, url)
    if found:
        return found
    modern = m.first(doc, "woltlab-core-pagination[url]")
    template = modern.get("url") if modern is not None else None
    if template:
        return m.absolute(url, template + ("&" if "?" in template else "?") + f"pageNo={page + 1}")
    nav = m.first(doc, "nav.pagination[data-link]")
    if nav is not None:
        return m.absolute(url, nav.get("data-link").replace("%d", str(page + 1)))
    return None


def _canonical(doc: HtmlElement, url: str) -> str:
    link = m.first(doc, 'link[rel="canonical"]')
    return _first_page(m.absolute(url, link.get("href")) if link is not None and link.get("href") else url)


def _first_page(url: str) -> str:
    return re.sub(r"[?&]pageNo=\d+$", "", re.sub(r"([?&])pageNo=\d+&", r"\1", url))


def _title(doc: HtmlElement) -> str:
    title = m.text(m.first(doc, "title"))
    return re.split(r"\s+-\s+", title)[0].strip() if title else ""


ENGINE = WoltLab()
