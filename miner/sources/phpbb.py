"""phpBB 3.0-3.3 (prosilver, subsilver2-like and Bootstrap derivatives): pages -> records."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from miner.sources import markup as m
from miner.sources.base import Board, ListedThread, ListPage, Post, ThreadPage
from miner.sources.html_engine import HtmlEngine

POSTS_PER_PAGE = 10  # phpBB's default; the crawler follows next_url, which carries the board's real value
SESSION_PARAMS = ("sid",)
_POST_ID = re.compile(r"^p(\d+)$")
_PAGE_OF = re.compile(r"(?:seite|page)\s*(\d+)\s*(?:von|of|/)\s*(\d+)", re.IGNORECASE)


def _post_containers(doc: HtmlElement) -> list[HtmlElement]:
    """Every element with id "p<digits>" that holds a post's content (prosilver's div.post or a derivative's)."""
    return [node for node in doc.xpath("//*[starts-with(@id, 'p')]")
            if _POST_ID.match(node.get("id", "")) and m.first(node, "div.content") is not None]


def clean_url(url: str) -> str:
    """Drop the session id phpBB appends to every link."""
    return m.without_params(url, SESSION_PARAMS)


class PhpBB(HtmlEngine):
    name = "phpbb"

    # --- recognising and addressing ------------------------------------------------------------

    def detect(self, url: str, body: str, headers: dict[str, str]) -> bool:
        if re.search(r"\bphpbb\d?_[a-z0-9]+_(sid|u|k)=", m.set_cookies(headers)):
            return True
        head = body[:400_000]
        return bool(re.search(r'<body[^>]+id="phpbb"', head)
                    or re.search(r"Powered by <a[^>]*>phpBB|phpBB(®|&reg;)? Forum Software", head)
                    or ("viewtopic.php?" in head and "viewforum.php?" in head and "memberlist.php" in head))

    def thread_id(self, url: str) -> int | None:
        parts = urlsplit(url)
        if parts.path.endswith("viewtopic.php"):
            value = m.query_value(url, "t")
            return int(value) if value and value.isdigit() else None
        return m.first_int(r"-t(\d+)(?:-s\d+)?\.html$", parts.path)  # phpBB SEO's rewritten URLs

    def thread_url(self, base_url: str, thread_id: int, page: int = 1) -> str:
        url = urljoin(m.folder_url(base_url), f"viewtopic.php?t={thread_id}")
        return url if page <= 1 else f"{url}&start={(page - 1) * POSTS_PER_PAGE}"

    # --- pages -----------------------------------------------------------------------------------

    def parse_thread(self, body: str, url: str) -> ThreadPage:
        doc = m.parse_html(body)
        thread_id = self.thread_id(url) or _thread_id_in_page(doc) or 0
        canonical = clean_url(self.thread_url(url, thread_id)) if thread_id else clean_url(url)
        containers = _post_containers(doc)
        title = (m.text(m.first(doc, "h2.topic-title")) or m.text(m.first(doc, "h2 > a[href*='viewtopic.php']"))
                 or m.text(m.first(doc, "h1")) or _title(doc))
        if not containers and m.has_password_form(doc):
            return ThreadPage(thread_id, title, canonical, [], login_required=True)
        page, page_count = _page_of(doc)
        start = int(m.query_value(url, "start") or 0)
        posts = [self._post(node, url, start + index + 1) for index, node in enumerate(containers)]
        return ThreadPage(
            thread_id=thread_id, title=title, url=canonical, posts=posts, page=page,
            page_count=page_count, next_url=_next_url(doc, url, page, page_count), board=_board(doc),
            closed=m.first(doc, ".action-bar .fa-lock, img[src*='_locked'], a[title*='gesperrt'], "
                                "a[title*='locked']") is not None,
        )

    def _post(self, node: HtmlElement, url: str, number: int) -> Post:
        post_id = int(_POST_ID.match(node.get("id")).group(1))
        author_line = m.first(node, "p.author")
        if author_line is None:
            author_line = m.first(node, ".timepost, .author")
        author = _author(node, author_line)
        content = m.first(node, "div.content")
        body = m.canonical_body(
            content, url, drop=".signature, .notice, .post-buttons, .inline-attachment dl.thumbnail dd",
            quotes="blockquote", read_quote=m.cited_quote, code=".codebox",
        )
        deleted = "deleted" in node.get("class", "").split() or m.first(node, ".post-notice.deleted") is not None
        return Post(
            post_id=post_id, number=number, author=author,
            created_at=self._date(author_line, author), body="" if deleted else body, deleted=deleted,
        )

    def _date(self, line: HtmlElement | None, author: str | None) -> str | None:
        if line is None:
            return None
        stamp = m.first(line, "time[datetime]")
        if stamp is not None:
            return self.stamp(stamp)
        line_text = m.text(line)
        after_author = line_text.rsplit(author, 1)[-1] if author and author in line_text else None
        return self.first_date(line_text.rsplit("»", 1)[-1], after_author, line_text)

    def parse_list(self, body: str, url: str) -> ListPage:
        doc = m.parse_html(body)
        boards = [Board(clean_url(m.absolute(url, link.get("href"))), m.text(link))
                  for link in m.select(doc, "a.forumtitle")]
        threads = [self._listed(row, url) for row in m.select(doc, "ul.topiclist.topics > li.row, "
                                                                    "table.tablebg tr, .topiclist li.row")
                   if m.first(row, "a.topictitle") is not None]
        threads = list({thread.thread_id: thread for thread in threads}.values())
        if not threads and not boards and m.has_password_form(doc):
            return ListPage(login_required=True)
        page, page_count = _page_of(doc)
        return ListPage(threads=threads, boards=boards, next_url=_next_url(doc, url, page, page_count))

    def _listed(self, row: HtmlElement, url: str) -> ListedThread:
        link = m.first(row, "a.topictitle")
        topic_url = clean_url(m.absolute(url, link.get("href")))
        classes = " ".join(node.get("class", "") for node in [row, *m.select(row, "dl, dt")])
        moved = "topic_moved" in classes
        last = m.first(row, "dd.lastpost")
        thread_id = self.thread_id(topic_url)
        return ListedThread(
            thread_id=thread_id or 0,
            url=clean_url(self.thread_url(url, thread_id)) if thread_id and not moved else topic_url,
            title=m.text(link),
            last_posted_at=self._last_post_date(last),
            replies=m.int_or_none(m.text(m.first(row, "dd.posts")).split(" ")[0]) if not moved else None,
            pinned=bool(re.search(r"\b(sticky|announce|global-announce|announce_|sticky_)", classes)),
            moved_to=topic_url if moved else None,
        )

    def _last_post_date(self, cell: HtmlElement | None) -> str | None:
        if cell is None:
            return None
        stamp = m.first(cell, "time[datetime]")
        if stamp is not None:
            return self.stamp(stamp)
        breaks = cell.xpath(".//br")
        return self.first_date(" ".join((breaks[-1].tail or "").split()) if breaks else m.text(cell))


def _author(node: HtmlElement, line: HtmlElement | None) -> str | None:
    for scope in (line, node):
        if scope is None:
            continue
        found = m.first(scope, "strong a.username, strong a.username-coloured, strong span.username, "
                               "strong span.username-coloured, a.username, a.username-coloured, "
                               "span.username, span.username-coloured")
        if found is not None and m.text(found):
            return m.text(found)
    if line is not None and m.first(line, "strong") is not None:  # phpBB 3.0: <strong><a>name</a></strong>
        return m.text(m.first(line, "strong")) or None
    return None


def _page_of(doc: HtmlElement) -> tuple[int, int | None]:
    for pagination in m.select(doc, ".pagination"):
        match = _PAGE_OF.search(m.text(pagination))
        if match:
            return int(match.group(1)), int(match.group(2))
        current = m.first(pagination, "li.active span, li.active a, strong")
        if current is not None and m.text(current).isdigit():
            numbers = [int(m.text(a)) for a in m.select(pagination, "a, span, strong") if m.text(a).isdigit()]
            return int(m.text(current)), max(numbers) if numbers else None
    return 1, None


def _next_url(doc: HtmlElement, url: str, page: int, page_count: int | None) -> str | None:
    if page_count is not None and page >= page_count:
        return None
    found = m.link_rel_next(doc, url) or m.numbered_link(m.select(doc, ".pagination"), page + 1, url)
    return clean_url(found) if found else None


def _board(doc: HtmlElement) -> str | None:
    crumbs = [m.text(link) for link in m.select(doc, "#nav-breadcrumbs a[href*='viewforum.php']")] or \
        [m.text(link) for link in m.select(doc, ".navlinks a[href*='viewforum.php'], .breadcrumb a[href*='viewforum.php']")]
    return crumbs[-1] if crumbs else None


def _thread_id_in_page(doc: HtmlElement) -> int | None:
    for link in m.select(doc, "h2 a[href*='viewtopic.php'], h3 a[href*='viewtopic.php'], "
                              "a[href*='viewtopic.php'][href*='t=']"):
        value = m.query_value(link.get("href"), "t")
        if value and value.isdigit():
            return int(value)
    return None


def _title(doc: HtmlElement) -> str:
    """The topic title from <title>: "Title - Seite 2 - Board" (3.1+) or "Board • Thema anzeigen - Title" (3.0)."""
    title = m.text(m.first(doc, "title"))
    if "•" in title:
        return title.split("•", 1)[1].split(" - ", 1)[-1].strip()
    return title.split(" - ", 1)[0].strip()


ENGINE = PhpBB()
