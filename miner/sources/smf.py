"""Simple Machines Forum 2.0/2.1 (and 1.1): board index, message index and topic pages -> records."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from lxml.html import HtmlElement

from miner.sources import markup as m
from miner.sources.base import Board, ListedThread, ListPage, Post, ThreadPage
from miner.sources.html_engine import HtmlEngine

_TOPIC = re.compile(r"topic[=,](\d+)(?:\.(?:msg)?(\d+))?")
_REPLY = re.compile(r"(?:Reply|Antwort)\s*#\s*(\d+)|^#\s*(\d+)$", re.IGNORECASE)
_MESSAGE_ID = re.compile(r"^(?:msg|subject_|msg_)(\d+)$")
_HEADER_LOGIN = "#guest_form, form.guest_form"  # SMF 2.0's quick login in every page's header


def clean_url(url: str) -> str:
    """Drop the PHPSESSID SMF puts into every link for visitors without cookies."""
    parts = urlsplit(url)
    query = re.sub(r"(^|[;&])PHPSESSID=[0-9a-zA-Z,-]+", "", parts.query).lstrip("&;")
    return urlunsplit(parts._replace(query=query))


class SMF(HtmlEngine):
    name = "smf"

    def detect(self, url: str, body: str, headers: dict[str, str]) -> bool:
        cookies = m.set_cookies(headers)
        head = body[:400_000]
        return bool(re.search(r"Powered by SMF|Simple Machines Forum|simplemachines\.org", head)
                    or "var smf_scripturl" in head or "smf_theme_url" in head
                    or re.search(r"\bSMFCookie\d*=", cookies))

    def thread_id(self, url: str) -> int | None:
        match = _TOPIC.search(url)
        return int(match.group(1)) if match else None

    def thread_url(self, base_url: str, thread_id: int, page: int = 1, per_page: int = 20) -> str:
        parts = urlsplit(base_url)
        path = parts.path if parts.path.endswith("index.php") else \
            (parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/") + "index.php"
        if "/index.php" in path:
            path = path[: path.index("/index.php")] + "/index.php"
        return urlunsplit((parts.scheme, parts.netloc, path, f"topic={thread_id}.{(page - 1) * per_page}", ""))

    # --- topic pages -------------------------------------------------------------------------------

    def parse_thread(self, body: str, url: str) -> ThreadPage:
        doc = m.parse_html(body)
        thread_id = self.thread_id(url) or 0
        title = _topic_title(doc)
        containers = _post_containers(doc)
        if not containers and m.has_password_form(doc, ignore=_HEADER_LOGIN):
            return ThreadPage(thread_id, title, clean_url(url), [], login_required=True)
        match = _TOPIC.search(url)
        start = int(match.group(2)) if match and match.group(2) and "msg" not in match.group(0) else 0
        posts = [self._post(message_id, node, url, start, smf1=node.tag == "tr") for message_id, node in containers]
        page, page_count = _pages(doc)
        crumbs = [m.text(link) for link in m.select(doc, ".navigate_section li a, .linktree a, "
                                                         "div.nav a.nav, a.nav")
                  if "board=" in (link.get("href") or "") or "/board," in (link.get("href") or "")]
        return ThreadPage(
            thread_id=thread_id, title=title, posts=posts, page=page, page_count=page_count,
            url=clean_url(self.thread_url(url, thread_id)) if thread_id else clean_url(url),
            next_url=_next_url(doc, url, page, page_count), board=crumbs[-1] if crumbs else None,
            closed=m.first(doc, "#display_head .main_icons.lock, img[src*='quick_lock']") is not None)

    def _post(self, message_id: int, node: HtmlElement, url: str, start: int, smf1: bool) -> Post:
        if smf1:  # the author cell's bold name; the small text "« Reply #2 on: April 04, 2020, 09:22:51 AM »"
            author = m.text(m.first(node, "td[rowspan] b"))
            info = next((small for small in m.select(node, "div.smalltext")
                         if re.search(r"\b(on|am)\s*:", m.text(small))), None)
        else:
            author = m.text(m.first_of(node, ".poster h4 a", ".poster h4"))
            info = m.first_of(node, ".postinfo a.smalltext", ".keyinfo .smalltext")
        info_text = m.text(info)
        counter = "" if smf1 else m.text(m.first(node, ".page_number"))
        number_text = " ".join(filter(None, [info_text, (info.get("title") or "") if info is not None else ""]))
        reply = _REPLY.search(number_text) or _REPLY.search(counter)
        number = int(reply.group(1) or reply.group(2)) + 1 if reply else (1 if start == 0 else None)
        by_id = [] if smf1 else node.xpath(".//*[@id=$id]", id=f"msg_{message_id}")  # no selector to compile
        content = by_id[0] if by_id else m.first_of(node, "div.post")
        if content is not None:
            _join_quote_headers(content)
        body = "" if content is None else m.canonical_body(
            content, url, drop=".codeheader, .quotefooter, .signature, .modified",
            quotes="blockquote, div.quote", read_quote=_read_quote, code="code.bbc_code, div.code",
            mentions="a.mention")
        return Post(post_id=message_id, number=number, author=author or None,
                    created_at=self._date(info, info_text), body=body)

    def _date(self, info: HtmlElement | None, text: str) -> str | None:
        stamp = self.stamp(m.first(info, "time[datetime]")) if info is not None else None
        return stamp or self.first_date(re.sub(r"^.*?\b(on|am)\s*:", "", text.strip("«» ")).strip("«» "))

    # --- board pages ---------------------------------------------------------------------------

    def parse_list(self, body: str, url: str) -> ListPage:
        doc = m.parse_html(body)
        boards = [Board(clean_url(m.absolute(url, link.get("href"))), m.text(link)) for link in
                  m.select(doc, "a.subject[href*='board'], a[id^='b'][href*='board='], a[name^='b'][href*='board=']")]
        boards = list({board.url: board for board in boards}.values())
        threads = []
        for span in m.select(doc, "span[id^='msg_']"):
            link = m.first(span, "a[href*='topic']")
            row = _row_of(span)
            if link is not None and row is not None:
                threads.append(self._listed(row, link, url))
        if not threads and not boards and m.has_password_form(doc, ignore=_HEADER_LOGIN):
            return ListPage(login_required=True)
        page, page_count = _pages(doc)
        return ListPage(threads=threads, boards=boards, next_url=_next_url(doc, url, page, page_count))

    def _listed(self, row: HtmlElement, link: HtmlElement, url: str) -> ListedThread:
        href = clean_url(m.absolute(url, link.get("href")))
        classes = " ".join(node.get("class", "") for node in [row, *row.iter()] if isinstance(node.tag, str))
        moved = m.first(row, ".icons .move") is not None \
            or bool(re.match(r"^\s*(moved|verschoben):", m.text(link), re.IGNORECASE))
        stats = m.text(m.first_of(row, ".board_stats", "td.stats", "td.replies"))
        latest = m.first_of(row, ".lastpost a", "td.lastpost", ".lastpost")
        latest_text = m.text(latest)
        return ListedThread(
            thread_id=self.thread_id(href) or 0, url=clean_url(self.thread_url(url, self.thread_id(href) or 0)),
            title=m.text(link), last_posted_at=self._date(latest, re.split(r"\s+(by|von)\s+", latest_text)[0]),
            replies=None if moved else m.first_int(r"(\d+)", stats.replace(",", "").replace(".", "")),
            pinned=bool(re.search(r"\bsticky|stickybg\b", classes)) or m.first(row, ".icons .sticky") is not None,
            moved_to=href if moved else None)


def _post_containers(doc: HtmlElement) -> list[tuple[int, HtmlElement]]:
    """(message id, element holding author, date and body) for each message on the page."""
    found: dict[int, HtmlElement] = {}
    for node in m.select(doc, "div[id^='msg'], h5[id^='subject_'], div[id^='subject_']"):
        match = _MESSAGE_ID.match(node.get("id", ""))
        if not match or int(match.group(1)) in found:
            continue
        container = node if node.get("id", "").startswith("msg") and "_" not in node.get("id") else None
        ancestor = node
        while container is None and ancestor is not None:
            ancestor = ancestor.getparent()
            if ancestor is None:
                break
            if ancestor.tag == "div" and m.first(ancestor, ".post_wrapper") is not None:
                container = ancestor  # SMF 2.0: div.windowbg around .post_wrapper
            elif ancestor.tag == "tr" and len([td for td in ancestor if td.tag == "td"]) >= 2 \
                    and m.first(ancestor, "div.post") is not None:
                container = ancestor  # SMF 1.1: the row holding the author cell and the message cell
        if container is not None and m.first(container, "div.post, .inner") is not None:
            found[int(match.group(1))] = container
    return list(found.items())


def _join_quote_headers(content: HtmlElement) -> None:
    """SMF 1.1/2.0 print a quote's "Quote from: X on ..." header before the quote: move it inside."""
    for header in m.select(content, ".quoteheader"):
        following = header.getnext()
        if following is not None and (following.tag == "blockquote" or "quote" in following.get("class", "")):
            header.tail = None
            following.insert(0, header)
            if following.text:
                header.tail, following.text = following.text, None


def _read_quote(node: HtmlElement):
    author = m.strip_attribution(node, "cite, .quoteheader")
    return author, node


def _row_of(span: HtmlElement) -> HtmlElement | None:
    for ancestor in span.iterancestors():
        if ancestor.tag == "tr" or (ancestor.tag == "div" and re.search(r"\bwindowbg", ancestor.get("class", ""))):
            return ancestor
    return None


def _pages(doc: HtmlElement) -> tuple[int, int | None]:
    for nav in m.select(doc, ".pagelinks") or m.select(doc, ".middletext"):
        current = m.first_of(nav, "span.current_page", "strong", "b")
        numbers = [m.int_or_none(m.text(node)) for node in m.select(nav, "a, strong, b, span.current_page")]
        numbers = [number for number in numbers if number and re.fullmatch(r"\d+", str(number))]
        if current is not None and m.text(current).strip("[]").isdigit():
            return int(m.text(current).strip("[]")), max(numbers) if numbers else None
        bracket = re.search(r"\[(\d+)\]", m.text(nav))
        if bracket:
            return int(bracket.group(1)), max(numbers + [int(bracket.group(1))])
    return 1, None


def _next_url(doc: HtmlElement, url: str, page: int, page_count: int | None) -> str | None:
    if page_count is None or page >= page_count:
        return None
    found = m.link_rel_next(doc, url)
    if found and "prev_next" in found:  # SMF's rel=next can be the next topic, not the next page
        found = None
    if found is None:
        found = m.numbered_link(m.select(doc, ".pagelinks") or m.select(doc, ".middletext"), page + 1, url)
    return clean_url(found) if found else None


def _topic_title(doc: HtmlElement) -> str:
    header = m.first_of(doc, "#display_head h2.display_title", "#top_subject", "h3.catbg #top_subject",
                        "#forumposts h3.catbg")
    text = re.sub(r"^(Topic|Thema):\s*", "", m.text(header))
    text = re.sub(r"\s*\((Read|Gelesen)\s+\d+.*\)$", "", text)
    return text or m.text(m.first(doc, "title"))


ENGINE = SMF()
