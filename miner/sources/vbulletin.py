"""vBulletin 3.8, 4.x and 5.x: forum and thread pages -> records.

vB4 (``li.postcontainer``) and vB3 (``table[id^=post]``) print server-rendered HTML with the same
bbcode quote and code classes; vB5 (``li.b-post[data-node-id]``) adds machine-readable dates.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml.html import HtmlElement

from miner.sources import markup as m
from miner.sources.base import Board, ListedThread, ListPage, Post, ThreadPage
from miner.sources.dates import from_timestamp
from miner.sources.html_engine import HtmlEngine

SESSION_PARAMS = ("s",)
_PAGE_OF = re.compile(r"(?:seite|page)\s*(\d+)\s*(?:von|of)\s*(\d+)", re.IGNORECASE)
_THREAD_PATTERNS = (
    re.compile(r"[?&]t=(\d+)"),
    re.compile(r"showthread\.php\?(\d+)"),
    re.compile(r"/threads/(\d+)"),
    re.compile(r"/(\d+)-[^/?#]*?(?:-\d+)?(?:\.html)?(?:/page\d+)?/?(?:[?#].*)?$"),
)
_QUOTE_MARK = "vb-quote"
_HEADER_LOGIN = "#navbar_loginform, .navbar_loginform, #loginform_navbar"  # vB4's guest login in every page


def clean_url(url: str) -> str:
    """Drop the session id vBulletin appends to links for cookie-less visitors."""
    return m.without_params(url, SESSION_PARAMS)


class VBulletin(HtmlEngine):
    name = "vbulletin"

    def detect(self, url: str, body: str, headers: dict[str, str]) -> bool:
        cookies = m.set_cookies(headers)
        head = body[:400_000]
        return bool(re.search(r'<meta name="generator" content="vBulletin', head, re.IGNORECASE)
                    or 'id="vbulletin_html"' in head or "vBulletin_init" in head or "vBulletin®" in head
                    or re.search(r"\bbb(_|)(sessionhash|lastvisit)=", cookies))

    def thread_id(self, url: str) -> int | None:
        return m.first_id(_THREAD_PATTERNS, url)

    def thread_url(self, base_url: str, thread_id: int, page: int = 1) -> str:
        url = urljoin(m.folder_url(base_url), f"showthread.php?t={thread_id}")
        return url if page <= 1 else f"{url}&page={page}"

    # --- thread pages ------------------------------------------------------------------------------

    def parse_thread(self, body: str, url: str) -> ThreadPage:
        doc = m.parse_html(body)
        thread_id = self.thread_id(url) or _thread_id_in_page(doc) or 0
        title = (m.text(m.first_of(doc, "#pagetitle .threadtitle a", "#pagetitle .threadtitle",
                                   "h1.main-title", "td.navbar strong")) or _title(doc))
        canonical = _canonical(doc, url) or clean_url(self.thread_url(url, thread_id))
        containers = [node for node in m.select(doc, "li.postcontainer, li.b-post[data-node-id]")
                      if node.get("data-node-id") or re.fullmatch(r"post_\d+", node.get("id", ""))]
        vb3 = not containers
        if vb3:
            containers = [table for table in m.select(doc, "table[id^='post']")
                          if re.fullmatch(r"post\d+", table.get("id", ""))]
        if not containers and m.has_password_form(doc, ignore=_HEADER_LOGIN):
            return ThreadPage(thread_id, title, canonical, [], login_required=True)
        posts = [self._post(node, url, vb3) for node in containers]
        page, page_count = _page_of(doc)
        crumbs = [m.text(link) for link in m.select(doc, "#breadcrumb .navbit a")] or \
            [m.text(link) for link in m.select(doc, "span.navbar a, .breadcrumbs a")]
        return ThreadPage(
            thread_id=thread_id, title=title, url=canonical, posts=posts, page=page, page_count=page_count,
            next_url=_next_url(doc, url, page, page_count), board=crumbs[-1] if crumbs else None,
            closed=bool(re.search(r"closed thread|thema geschlossen|geschlossenes thema",
                                  m.text(m.first(doc, "#newreplylink_top, .newreply")), re.IGNORECASE)),
        )

    def _post(self, node: HtmlElement, url: str, vb3: bool) -> Post:
        post_id = int(node.get("data-node-id") or re.search(r"(\d+)", node.get("id", "0")).group(1))
        author = m.text(m.first_of(node, ".username_container .username", ".b-post__author .author a",
                                   "[itemprop='author'] [itemprop='name']", ".author a", "a.bigusername",
                                   ".username")) or None
        number = m.int_or_none(m.text(m.first_of(node, "a.postcounter", ".b-post__count",
                                                 "a[id^='postcount']")))
        classes = node.get("class", "")
        deleted = "postbitdeleted" in classes or "b-post--deleted" in classes
        content = m.first_of(node, "[id^='post_message_'] blockquote.postcontent", "[id^='post_message_']",
                             ".js-post__content-text", ".b-post__content")
        if vb3 and content is not None:
            _mark_vb3_quotes(content)
        body = "" if deleted or content is None else m.canonical_body(
            content, url, drop=".bbcode_description, .signaturecontainer, .lastedited, .bbcode_postedby img, "
                               ".b-post__signature, .b-post__edit__history",
            quotes=f".bbcode_quote, .{_QUOTE_MARK}", read_quote=_read_quote,
            code="pre.bbcode_code, div.bbcode_code", mentions="a.b-bbcode-user, a[data-vbnamecard]")
        return Post(post_id=post_id, number=number, author=author,
                    created_at=self._date(node, vb3), body=body, deleted=deleted)

    def _date(self, node: HtmlElement, vb3: bool) -> str | None:
        if node.get("data-node-publishdate"):  # vB5: a unix timestamp, exact whatever the forum's zone
            return from_timestamp(node.get("data-node-publishdate"))
        stamp = m.first(node, "time[datetime]")
        if stamp is not None:
            return self.stamp(stamp)
        if vb3:
            heads = m.select(node, "td.thead div.normal")
            text = m.text(heads[-1]) if heads else m.text(m.first(node, "td.thead"))
            candidates = [text]
        else:  # vB4 styles move the date around; the first readable candidate wins
            candidates = [m.text(m.first(node, selector)) for selector in (
                ".postdate .date", ".postdate", ".posthead .date", ".userinfo_extra .userstats dd")]
        return self.first_date(*candidates)

    # --- forum pages -----------------------------------------------------------------------------

    def parse_list(self, body: str, url: str) -> ListPage:
        doc = m.parse_html(body)
        boards = self._boards(doc, url)
        threads = [self._listed(item, url) for item in m.select(doc, "li.threadbit, tr.topic-item")]
        threads += [self._listed_vb3(row, url) for row in m.select(doc, "tbody[id^='threadbits_forum_'] > tr")
                    if m.first(row, "a[id^='thread_title_']") is not None]
        if not threads and not boards and m.has_password_form(doc, ignore=_HEADER_LOGIN):
            return ListPage(login_required=True)
        page, page_count = _page_of(doc)
        return ListPage(threads=threads, boards=boards, next_url=_next_url(doc, url, page, page_count))

    def _boards(self, doc: HtmlElement, url: str) -> list[Board]:
        links = m.select(doc, ".forumtitle a, a.forum-title")
        links += [strong.getparent() for strong in m.select(doc, "a[href*='forumdisplay.php'] > strong")]
        return [Board(clean_url(m.absolute(url, link.get("href"))), m.text(link)) for link in links
                if link.get("href")]

    def _listed(self, item: HtmlElement, url: str) -> ListedThread:
        link = m.first_of(item, "a.title", "a.topic-title")
        href = clean_url(m.absolute(url, link.get("href")))
        classes = item.get("class", "")
        thread_id = (m.first_int(r"thread_(\d+)", item.get("id")) or m.int_or_none(item.get("data-node-id"))
                     or self.thread_id(href) or 0)
        moved = bool(re.search(r"\bmoved\b", classes)) or m.first(item, ".prefix.moved, img[src*='moved']") is not None
        pinned = (bool(re.search(r"\bsticky\b", classes))
                  or bool(item.xpath("ancestor::ol[@id='stickies']")))
        stats = m.text(m.first_of(item, ".threadstats li", ".posts-count", "td.cell-count"))
        latest = m.first_of(item, ".threadlastpost dd:last-child", ".threadlastpost", ".lastpost-date", "td.lastpost")
        return ListedThread(
            thread_id=thread_id, url=href,
            title=m.text(link), last_posted_at=self._loose_date(latest),
            replies=None if moved else m.first_int(r"(\d[\d.,]*)", stats.replace(".", "").replace(",", "")),
            pinned=pinned, moved_to=href if moved else None)

    def _listed_vb3(self, row: HtmlElement, url: str) -> ListedThread:
        link = m.first(row, "a[id^='thread_title_']")
        href = clean_url(m.absolute(url, link.get("href")))
        row_text = m.text(row)
        moved = bool(re.search(r"\b(Moved|Verschoben):", row_text))
        replies_link = m.first(row, "a[onclick*='who_posted']")
        latest = m.first(row, "td[title] div.smallfont, td.alt2 div.smallfont")
        return ListedThread(
            thread_id=m.first_int(r"thread_title_(\d+)", link.get("id")) or 0, url=href, title=m.text(link),
            last_posted_at=self._loose_date(latest),
            replies=None if moved else m.int_or_none(m.text(replies_link)),
            pinned=bool(re.search(r"\b(Sticky|Wichtig):", row_text)), moved_to=href if moved else None)

    def _loose_date(self, node: HtmlElement | None) -> str | None:
        if node is None:
            return None
        return self.stamp(m.first(node, "time[datetime], [data-time]")) or self.first_date(m.text(node))


def _mark_vb3_quotes(content: HtmlElement) -> None:
    """vB3 prints a quote as a bare div holding a "Quote:" label and a table: give it a class."""
    for quote in content.xpath(".//div[div[contains(@class, 'smallfont')] and table//td[contains(@class, 'alt2')]]"):
        quote.set("class", _QUOTE_MARK)


def _read_quote(node: HtmlElement):
    if _QUOTE_MARK in node.get("class", ""):  # vB3
        for label in node.xpath("./div[contains(@class, 'smallfont')]"):
            label.drop_tree()
        cell = node.xpath(".//td[contains(@class, 'alt2')]")[0]
        author = None
        children = [child for child in cell if isinstance(child.tag, str)]
        if children and children[0].tag == "div" and children[0].find(".//strong") is not None \
                and len(children) > 1:
            author = m.text(children[0].find(".//strong"))
            children[0].drop_tree()
        return author, cell
    postedby = m.first(node, ".bbcode_postedby")
    author = None
    if postedby is not None:
        strong = m.first(postedby, "strong")
        author = m.text(strong) if strong is not None else m.attribution_name(postedby)
        postedby.drop_tree()
    for empty in m.select(node, ".bbcode_quote_container"):
        empty.drop_tree()
    content = m.first_of(node, ".message", ".quote_container")
    return author, content if content is not None else node


def _page_of(doc: HtmlElement) -> tuple[int, int | None]:
    total = m.first(doc, ".pagenav-controls .pagetotal")  # vB5: <input class="js-pagenum" value="2"> von <span>3</span>
    if total is not None:
        current = m.first(doc, ".pagenav-controls input.js-pagenum")
        return m.int_or_none(current.get("value") if current is not None else None) or 1, m.int_or_none(m.text(total))
    for selector in (".pageno", ".pagination", ".pagenav", ".pagination-controls"):  # one scan each, cheap first
        for pagination in m.select(doc, selector):
            match = _PAGE_OF.search(m.text(pagination))
            if match:
                return int(match.group(1)), int(match.group(2))
    return 1, None


def _next_url(doc: HtmlElement, url: str, page: int, page_count: int | None) -> str | None:
    if page_count is not None and page >= page_count:
        return None
    found = m.link_rel_next(doc, url)
    if found is None:
        link = m.first(doc, "a[title^='Next Page'], a[title^='Nächste Seite'], a.js-pagenav-next-button")
        found = m.absolute(url, link.get("href")) if link is not None else None
    return clean_url(found) if found else None


def _canonical(doc: HtmlElement, url: str) -> str | None:
    link = m.first(doc, 'link[rel="canonical"]')
    href = m.absolute(url, link.get("href")) if link is not None else None
    if not href:
        return None
    href = clean_url(href)
    # the first page: no "/page3", "&page=3" or "-3.html" (vBSEO) part
    href = re.sub(r"/page\d+(?=$|[?&#])", "", href)
    href = re.sub(r"[?&]page=\d+", "", href)
    return re.sub(r"(/\d+-[^/]*?)-\d+\.html$", r"\1.html", href)


def _thread_id_in_page(doc: HtmlElement) -> int | None:
    field = m.first(doc, "input[name='t']")
    if field is not None and (field.get("value") or "").isdigit():
        return int(field.get("value"))
    return None


def _title(doc: HtmlElement) -> str:
    title = m.text(m.first(doc, "title"))
    return re.split(r"\s+-\s+(?:Seite|Page)\s+\d+|\s+-\s+", title)[0].strip() if title else ""


ENGINE = VBulletin()
