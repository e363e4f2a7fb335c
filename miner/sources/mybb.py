"""MyBB 1.8 (default theme and its derivatives): forum and thread pages -> records."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml.html import HtmlElement

from miner.sources import markup as m
from miner.sources.base import Board, ListedThread, ListPage, Post, ThreadPage
from miner.sources.html_engine import HtmlEngine

_THREAD = (re.compile(r"showthread\.php\?(?:.*&)?tid=(\d+)"), re.compile(r"/thread-(\d+)(?:-[a-z]+-\d+)?\.html"))
_HEADER_LOGIN = "#quick_login"  # the guest login modal MyBB puts into every page


class MyBB(HtmlEngine):
    name = "mybb"

    def detect(self, url: str, body: str, headers: dict[str, str]) -> bool:
        cookies = m.set_cookies(headers)
        head = body[:400_000]
        return bool(re.search(r"Powered By <a[^>]*>MyBB|mybb\.com", head, re.IGNORECASE)
                    or "var MyBB" in head or "jscripts/general.js" in head
                    or bool(re.search(r"\bmybb\[(lastvisit|lastactive)\]=|\bmybbuser=", cookies)))

    def thread_id(self, url: str) -> int | None:
        return m.first_id(_THREAD, url)

    def thread_url(self, base_url: str, thread_id: int, page: int = 1) -> str:
        url = urljoin(m.folder_url(base_url), f"showthread.php?tid={thread_id}")
        return url if page <= 1 else f"{url}&page={page}"

    # --- thread pages ------------------------------------------------------------------------------

    def parse_thread(self, body: str, url: str) -> ThreadPage:
        doc = m.parse_html(body)
        thread_id = self.thread_id(url) or 0
        title = m.text(m.first(doc, "table.tborder td.thead div > strong")) or m.text(m.first(doc, "title"))
        containers = m.select(doc, "#posts > div.post, div.post[id^='post_']")
        if not containers and m.has_password_form(doc, ignore=_HEADER_LOGIN):
            return ThreadPage(thread_id, title, self.thread_url(url, thread_id), [], login_required=True)
        page, page_count = _pagination(doc)
        crumbs = [m.text(link) for link in m.select(doc, ".navigation a")]
        return ThreadPage(
            thread_id=thread_id, title=title, url=self.thread_url(url, thread_id) if thread_id else url,
            posts=[self._post(node, url) for node in containers], page=page, page_count=page_count,
            next_url=_next_url(doc, url, page, page_count), board=crumbs[-1] if crumbs else None,
            closed=m.first(doc, "a.button.closed_button, .closed_button") is not None)

    def _post(self, node: HtmlElement, url: str) -> Post:
        post_id = m.first_int(r"post_(\d+)", node.get("id")) or 0
        author = m.text(m.first_of(node, ".author_information .largetext", ".deleted_post_author .largetext",
                                   ".post_author strong"))
        deleted = "deleted_post" in node.get("class", "")
        date = m.first(node, ".post_date")
        content = m.first(node, ".post_body")
        body = "" if deleted or content is None else m.canonical_body(
            content, url, drop=".signature, .post_edit, .edited_post, .codeblock .title",
            quotes="blockquote.mycode_quote, blockquote", read_quote=_read_quote,
            code=".codeblock, .phpcodeblock", unwrap=".spoiler, .spoiler_body")
        number = m.first_int(r"#\s*(\d+)", m.text(m.first(node, ".post_head .float_right a, .post_head a[href*='#pid']")))
        return Post(post_id=post_id, number=number, author=author or None,
                    created_at=self._date(date), body=body, deleted=deleted)

    def _date(self, node: HtmlElement | None) -> str | None:
        if node is None:
            return None
        exact = m.first(node, "span[title]")  # relative dates ("Vor 5 Minuten") carry the exact one
        edit = m.text(m.first(node, ".post_edit"))
        shown = m.text(node).replace(edit, "").strip() if edit else m.text(node)
        return self.first_date(exact.get("title") if exact is not None else None, shown)

    # --- forum pages -----------------------------------------------------------------------------

    def parse_list(self, body: str, url: str) -> ListPage:
        doc = m.parse_html(body)
        boards = [Board(m.absolute(url, link.get("href")), m.text(link))
                  for link in m.select(doc, "td strong > a[href*='forumdisplay.php'], td strong > a[href^='forum-']")]
        threads = []
        for row in m.select(doc, "tr.inline_row"):
            link = m.first(row, "span[id^='tid_'] a")
            if link is not None:
                threads.append(self._listed(row, link, url))
        if not threads and not boards and m.has_password_form(doc, ignore=_HEADER_LOGIN):
            return ListPage(login_required=True)
        page, page_count = _pagination(doc)
        return ListPage(threads=threads, boards=boards, next_url=_next_url(doc, url, page, page_count))

    def _listed(self, row: HtmlElement, link: HtmlElement, url: str) -> ListedThread:
        href = m.absolute(url, link.get("href"))
        classes = " ".join(cell.get("class", "") for cell in row.iter("td", "span"))
        prefix = m.text(link.getparent().getparent()) if link.getparent() is not None else ""
        moved = "movefolder" in classes or bool(re.match(r"^\s*(Moved|Verschoben):", prefix))
        replies = m.first(row, "a[href*='whoposted']")
        latest = m.first(row, "span.lastpost")
        return ListedThread(
            thread_id=self.thread_id(href) or 0, url=href, title=m.text(link),
            last_posted_at=self._lastpost(latest), pinned="forumdisplay_sticky" in classes,
            replies=None if moved else m.int_or_none(m.text(replies)), moved_to=href if moved else None)

    def _lastpost(self, node: HtmlElement | None) -> str | None:
        if node is None:
            return None
        exact = m.first(node, "span[title]")
        return self.first_date(exact.get("title") if exact is not None else None, (node.text or "").strip(),
                               m.text(node))


def _read_quote(node: HtmlElement):
    cite = m.first(node, "cite")
    author = None
    if cite is not None:
        for date in m.select(cite, "span"):  # "<span> (12.03.2024, 20:11)</span>klasse7b Wrote:"
            date.drop_tree()
        author = m.attribution_name(cite)
        cite.drop_tree()
    return author, node


def _pagination(doc: HtmlElement) -> tuple[int, int | None]:
    return m.page_numbers(doc, ".pagination", ".pagination_current",
                          ".pagination_page, .pagination_current, .pagination_last")


def _next_url(doc: HtmlElement, url: str, page: int, page_count: int | None) -> str | None:
    if page_count is not None and page >= page_count:
        return None
    link = m.first(doc, ".pagination a.pagination_next")
    if link is not None:
        return m.absolute(url, link.get("href"))
    return m.link_rel_next(doc, url)


ENGINE = MyBB()
