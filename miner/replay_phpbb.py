"""A forum snapshot served as phpBB 3.3 pages (prosilver markup), for offline tests, demo and benchmark.

The same snapshot ``miner.replay`` serves as Discourse JSON is rendered the way a phpBB board shows
it: a board index (``index.php``), topic lists per board (``viewforum.php?f=ID&start=N``, stickies
on top of the first page, one moved-topic stub), threads in pages of ten posts
(``viewtopic.php?t=ID&start=N``) with avatars, profile links, signatures, "Zuletzt geändert"
lines, quotes with "hat geschrieben:" and code boxes. Private (read-restricted) categories answer
with phpBB's login form. The markup follows real recorded phpBB pages.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from html import escape
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from miner.sources.dates import read_iso
from miner.replay import PageReplayServer, _int, _posts_of

TOPICS_PER_PAGE = 25
POSTS_PER_PAGE = 10
BERLIN = ZoneInfo("Europe/Berlin")
DAYS = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
MONTHS = ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"]
ROBOTS_TXT = """User-agent: *
Disallow: /memberlist.php
Disallow: /ucp.php
Disallow: /posting.php
Disallow: /search.php
Disallow: /download/
"""
HTML_TYPE = "text/html; charset=UTF-8"
QUOTE = re.compile(r'<aside class="quote[^"]*"(?: [^>]*?)?data-username="([^"]*)"[^>]*>.*?<blockquote>(.*?)</blockquote>\s*</aside>', re.S)
MENTION = re.compile(r'<a class="mention" href="[^"]*">(@[^<]*)</a>')
PARAGRAPH = re.compile(r"</p>\s*<p>")


def time_tag(value: Any) -> str:
    """phpBB's <time>: machine value in UTC, German text in the board's time zone."""
    when = read_iso(value)
    if when is None:
        return ""
    local = when.astimezone(BERLIN)
    shown = f"{DAYS[local.weekday()]} {local.day}. {MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"
    return f'<time datetime="{when.astimezone(dt.timezone.utc):%Y-%m-%dT%H:%M:%S+00:00}">{shown}</time>'


def user_id(name: str | None) -> int:
    return zlib.crc32((name or "").encode("utf-8")) % 90000 + 2


def username_link(name: str | None) -> str:
    if not name:
        return '<span class="username">Gast</span>'
    return f'<a href="./memberlist.php?mode=viewprofile&amp;u={user_id(name)}" class="username">{escape(name)}</a>'


def post_content(cooked: str) -> str:
    """Discourse cooked HTML -> phpBB post content: quotes with "hat geschrieben:", mentions as
    plain @names, code boxes, paragraphs as line breaks."""
    def quote(match: re.Match) -> str:
        name = match.group(1)
        return (f'<blockquote><div><cite><a href="./memberlist.php?mode=viewprofile&amp;u={user_id(name)}">'
                f'{escape(name)}</a> hat geschrieben:</cite>{match.group(2).strip()}</div></blockquote>')

    html = QUOTE.sub(quote, cooked or "")
    html = MENTION.sub(r"\1", html)
    html = html.replace("<pre><code", '<div class="codebox"><p>Code: <a href="#" onclick="selectCode(this); '
                        'return false;">Alles auswählen</a></p><pre><code').replace("</code></pre>", "</code></pre></div>")
    html = PARAGRAPH.sub("<br><br>", html.strip())
    return re.sub(r"^<p>|</p>$", "", html)


def pagination(base: str, total: int, per_page: int, start: int, noun: str) -> str:
    """prosilver's pagination block: count, page links, a rel=next arrow."""
    pages = max(1, -(-total // per_page))
    current = start // per_page + 1
    items = []
    for page in range(1, pages + 1):
        offset = (page - 1) * per_page
        href = base + (f"&amp;start={offset}" if offset else "")
        if page == current:
            items.append(f'<li class="active"><span>{page}</span></li>')
        else:
            items.append(f'<li><a class="button" href="{href}" role="button">{page}</a></li>')
    if current < pages:
        items.append(f'<li class="arrow next"><a class="button button-icon-only" href="{base}&amp;start={current * per_page}" '
                     'rel="next" role="button"><i class="icon fa-chevron-right fa-fw" aria-hidden="true"></i>'
                     '<span class="sr-only">Nächste</span></a></li>')
    links = f"<ul>{''.join(items)}</ul>" if pages > 1 else f"&bull; Seite <strong>{current}</strong> von <strong>{pages}</strong>"
    return f'<div class="pagination">{total} {noun} {links}</div>'


def page(title: str, site: str, body: str, crumbs: list[tuple[str, str]], section: str, canonical: str = "") -> str:
    trail = "".join(f'<span class="crumb"><a href="{href}"><span>{escape(name)}</span></a></span>' for href, name in crumbs)
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!DOCTYPE html>
<html dir="ltr" lang="de">
<head>
<meta charset="utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{escape(title)} - {escape(site)}</title>
{link}
<link href="./styles/prosilver/theme/stylesheet.css?assets_version=12" rel="stylesheet">
</head>
<body id="phpbb" class="nojs notouch section-{section} ltr ">
<div id="wrap" class="wrap">
<div id="page-header"><div class="headerbar" role="banner"><div class="inner"><div id="site-description" class="site-description">
<h1>{escape(site)}</h1></div></div></div>
<div class="navbar" role="navigation"><div class="inner"><ul id="nav-main" class="nav-main linklist" role="menubar">
<li class="rightside"><a href="./ucp.php?mode=login" title="Anmelden" accesskey="x" role="menuitem"><span>Anmelden</span></a></li></ul>
<ul id="nav-breadcrumbs" class="nav-breadcrumbs linklist navlinks" role="menubar"><li class="breadcrumbs">
<span class="crumb"><a href="./index.php" accesskey="h" data-navbar-reference="index"><span>Foren-Übersicht</span></a></span>{trail}
</li></ul></div></div></div>
<div id="page-body" class="page-body" role="main">
{body}
</div>
<div id="page-footer" class="page-footer" role="contentinfo"><div class="copyright">
<p class="footer-row"><span class="footer-copyright">Powered by <a href="https://www.phpbb.com/">phpBB</a>&reg; Forum Software &copy; phpBB Limited</span></p>
<p class="footer-row"><span class="footer-copyright">Deutsche Übersetzung durch <a href="https://www.phpbb.de/">phpBB.de</a></span></p>
</div></div></div>
</body>
</html>
"""


def login_page(site: str) -> str:
    body = """<form action="./ucp.php?mode=login" method="post" id="login" data-focus="username">
<div class="panel"><div class="inner"><div class="content">
<h2 class="login-title">Anmelden</h2>
<p>Du musst registriert und angemeldet sein, um dieses Forum ansehen zu können.</p>
<fieldset class="fields1"><dl><dt><label for="username">Benutzername:</label></dt>
<dd><input type="text" tabindex="1" name="username" id="username" size="25" value="" class="inputbox autowidth" /></dd></dl>
<dl><dt><label for="password">Passwort:</label></dt>
<dd><input type="password" tabindex="2" id="password" name="password" size="25" class="inputbox autowidth" autocomplete="off" /></dd></dl>
<dl><dd><input type="submit" name="login" tabindex="6" value="Anmelden" class="button1" /></dd></dl></fieldset>
</div></div></div></form>"""
    return page("Anmelden", site, body, [], "login")


class PhpbbReplayServer(PageReplayServer):
    """The snapshot as a phpBB 3.3 board; faults and request logs work as for the Discourse replay."""

    def _prepare(self) -> None:
        super()._prepare()
        snap = self.snapshot
        boards = [c for c in snap.categories if isinstance(c.get("id"), int)]
        if not boards:
            boards = [{"id": 1, "name": "Allgemein"}]
        self.boards = {int(c["id"]): c for c in boards}
        fallback = next(iter(self.boards))
        self.topic_board = {t["id"]: (t.get("category_id") if t.get("category_id") in self.boards else fallback)
                            for t in snap.topics.values()}
        # one moved-topic stub: the oldest unpinned topic also shows, as "moved", in the next board
        public = [b for b in self.boards if not self.boards[b].get("read_restricted")]
        candidates = sorted(t["id"] for t in snap.unpinned if self.topic_board[t["id"]] in public)
        self.moved: dict[int, int] = {}
        if candidates and len(public) > 1:
            topic = candidates[0]
            home = self.topic_board[topic]
            self.moved[public[(public.index(home) + 1) % len(public)]] = topic

    # ------------------------------------------------------------------ routing
    def route(self, target: str) -> tuple[int, Any, str, str | None]:
        parts = urlsplit(target)
        path = parts.path or "/"
        query = parse_qs(parts.query)
        start = max(0, _int(query.get("start", ["0"])[0]))
        if path == "/robots.txt":
            return 200, self.snapshot.site.get("robots_txt") or ROBOTS_TXT, "text/plain; charset=UTF-8", None
        if path in ("/", "/index.php"):
            return 200, self.index_page(), HTML_TYPE, None
        if path == "/viewforum.php":
            board = self.boards.get(_int(query.get("f", ["0"])[0]))
            if board is None:
                return 404, self.message("Das gewählte Forum existiert nicht."), HTML_TYPE, None
            if board.get("read_restricted"):
                return 200, login_page(self.site_title), HTML_TYPE, None
            return 200, self.board_page(board, start), HTML_TYPE, None
        if path == "/viewtopic.php":
            topic = self.snapshot.topics.get(_int(query.get("t", ["0"])[0]))
            if topic is None:
                return 404, self.message("Das gewählte Thema existiert nicht."), HTML_TYPE, None
            if self.boards[self.topic_board[topic["id"]]].get("read_restricted"):
                return 200, login_page(self.site_title), HTML_TYPE, None
            return 200, self.topic_page(topic, start), HTML_TYPE, None
        return 404, self.message("Die Seite existiert nicht."), HTML_TYPE, None

    def message(self, text: str) -> str:
        return page("Information", self.site_title, f'<div class="panel" id="message"><div class="inner">'
                    f'<h2 class="message-title">Information</h2><p>{escape(text)}</p></div></div>', [], "error")

    # ------------------------------------------------------------------ pages
    def index_page(self) -> str:
        rows = []
        for board_id, board in self.boards.items():
            count = sum(1 for b in self.topic_board.values() if b == board_id)
            rows.append(f"""<li class="row"><dl class="row-item forum_read"><dt title="Keine ungelesenen Beiträge">
<div class="list-inner"><a href="./viewforum.php?f={board_id}" class="forumtitle">{escape(board.get("name") or "")}</a>
<br />{escape(board.get("description_text") or "")}</div></dt>
<dd class="topics">{count} <dfn>Themen</dfn></dd><dd class="posts">{count} <dfn>Beiträge</dfn></dd></dl></li>""")
        body = f"""<div class="forabg"><div class="inner"><ul class="topiclist"><li class="header"><dl class="row-item">
<dt><div class="list-inner"><a href="./index.php">Foren</a></div></dt><dd class="topics">Themen</dd><dd class="posts">Beiträge</dd>
</dl></li></ul><ul class="topiclist forums">{''.join(rows)}</ul></div></div>"""
        return page("Foren-Übersicht", self.site_title, body, [], "index")

    def board_topics(self, board_id: int) -> tuple[list[dict], list[dict]]:
        snap = self.snapshot
        stickies = [t for t in snap.pinned if self.topic_board[t["id"]] == board_id]
        normal = [t for t in snap.unpinned if self.topic_board[t["id"]] == board_id]
        moved = self.moved.get(board_id)
        if moved is not None:  # the stub sorts by the moved topic's last post, like phpBB's shadow topic
            normal = sorted([*normal, {**snap.topics[moved], "_moved": True}],
                            key=lambda t: (str(t.get("bumped_at") or ""), t["id"]), reverse=True)
        return stickies, normal

    def board_page(self, board: dict, start: int) -> str:
        board_id = int(board["id"])
        stickies, normal = self.board_topics(board_id)
        shown = (stickies if start == 0 else []) + normal[start:start + TOPICS_PER_PAGE]
        rows = [self.topic_row(t, i) for i, t in enumerate(shown)]
        base = f"./viewforum.php?f={board_id}"
        bar = pagination(base, len(normal), TOPICS_PER_PAGE, start, "Themen")
        body = f"""<h2 class="forum-title"><a href="{base}">{escape(board.get("name") or "")}</a></h2>
<div class="action-bar bar-top">{bar}</div>
<div class="forumbg"><div class="inner"><ul class="topiclist"><li class="header"><dl class="row-item">
<dt><div class="list-inner">Themen</div></dt><dd class="posts">Antworten</dd><dd class="views">Zugriffe</dd>
<dd class="lastpost"><span>Letzter Beitrag</span></dd></dl></li></ul>
<ul class="topiclist topics">{''.join(rows)}</ul></div></div>
<div class="action-bar bar-bottom">{bar}</div>"""
        return page(board.get("name") or "", self.site_title, body, [(base, board.get("name") or "")], "viewforum",
                    canonical=f"{self.site_url}/viewforum.php?f={board_id}" + (f"&amp;start={start}" if start else ""))

    def topic_row(self, topic: dict, index: int) -> str:
        posts = [p for p in _posts_of(topic) if isinstance(p, dict)]
        first, last = (posts[0], posts[-1]) if posts else ({}, {})
        kind = "topic_moved" if topic.get("_moved") else "sticky_read" if topic.get("pinned") else "topic_read"
        row_class = " sticky" if topic.get("pinned") else ""
        pages = ""
        if len(posts) > POSTS_PER_PAGE:
            links = "".join(
                f'<li><a class="button" href="./viewtopic.php?t={topic["id"]}'
                f'{"&amp;start=" + str(o) if o else ""}">{o // POSTS_PER_PAGE + 1}</a></li>'
                for o in range(0, len(posts), POSTS_PER_PAGE))
            pages = f'<div class="pagination"><i class="icon fa-clone fa-fw" aria-hidden="true"></i><ul>{links}</ul></div>'
        last_post = "" if topic.get("_moved") else (
            f'<dd class="lastpost"><span><dfn>Letzter Beitrag </dfn>von {username_link(last.get("username"))} '
            f'<a href="./viewtopic.php?p={last.get("id")}#p{last.get("id")}" title="Gehe zum letzten Beitrag">'
            f'<i class="icon fa-external-link-square fa-fw icon-lightgray icon-md" aria-hidden="true"></i></a>'
            f'<br />{time_tag(last.get("created_at"))}</span></dd>')
        replies = "" if topic.get("_moved") else f'<dd class="posts">{max(0, len(posts) - 1)} <dfn>Antworten</dfn></dd>'
        return f"""<li class="row bg{index % 2 + 1}{row_class}"><dl class="row-item {kind}">
<dt title="Keine ungelesenen Beiträge"><div class="list-inner">
<a href="./viewtopic.php?t={topic["id"]}" class="topictitle">{escape(topic.get("title") or "")}</a>
<br /><div class="responsive-hide left-box">von {username_link(first.get("username"))} &raquo; {time_tag(first.get("created_at"))}</div>
{pages}</div></dt>
{replies}<dd class="views">{topic.get("views") or 0} <dfn>Zugriffe</dfn></dd>
{last_post}</dl></li>"""

    def topic_page(self, topic: dict, start: int) -> str:
        posts = [p for p in _posts_of(topic) if isinstance(p, dict)]
        shown = posts[start:start + POSTS_PER_PAGE]
        base = f"./viewtopic.php?t={topic['id']}"
        bar = pagination(base, len(posts), POSTS_PER_PAGE, start, "Beiträge")
        board_id = self.topic_board[topic["id"]]
        board = self.boards[board_id]
        title = escape(topic.get("title") or "")
        body = [f'<h2 class="topic-title"><a href="{base}">{title}</a></h2>',
                f'<div class="action-bar bar-top">{bar}</div>']
        for index, post in enumerate(shown):
            body.append(self.post_html(post, title if start + index == 0 else f"Re: {title}", index))
        body.append(f'<div class="action-bar bar-bottom">{bar}</div>')
        return page(topic.get("title") or "", self.site_title, "\n".join(body),
                    [(f"./viewforum.php?f={board_id}", board.get("name") or "")], "viewtopic",
                    canonical=f"{self.site_url}/viewtopic.php?t={topic['id']}" + (f"&amp;start={start}" if start else ""))

    def post_html(self, post: dict, subject: str, index: int) -> str:
        pid = post.get("id")
        name = post.get("username")
        uid = user_id(name)
        avatar = (f'<div class="avatar-container"><a href="./memberlist.php?mode=viewprofile&amp;u={uid}" class="avatar">'
                  f'<img class="avatar" src="./download/file.php?avatar={uid}_1.png" width="90" height="90" '
                  f'alt="Benutzeravatar" /></a></div>') if name else ""
        edited = ""
        if (post.get("version") or 1) > 1:
            edited = (f'<div class="notice">Zuletzt geändert von {username_link(name)} am {time_tag(post.get("updated_at"))}, '
                      f'insgesamt {int(post["version"]) - 1}-mal geändert.</div>')
        signature = ""
        if name:  # every member signs, with their name: the signature must never reach `text`
            signature = f'<div id="sig{pid}" class="signature">Viele Grüße aus dem Lehrerzimmer &ndash; {escape(name)}</div>'
        return f"""<div id="p{pid}" class="post has-profile bg{index % 2 + 1}"><div class="inner">
<dl class="postprofile" id="profile{pid}"><dt class="has-profile-rank has-avatar">{avatar}{username_link(name)}</dt>
<dd class="profile-rank">Mitglied</dd>
<dd class="profile-posts"><strong>Beiträge:</strong> <a href="./search.php?author_id={uid}&amp;sr=posts">{uid % 400 + 1}</a></dd>
</dl>
<div class="postbody"><div id="post_content{pid}">
<h3 {'class="first"' if index == 0 else ''}><a href="#p{pid}">{subject}</a></h3>
<ul class="post-buttons"><li><a href="./posting.php?mode=quote&amp;p={pid}" title="Mit Zitat antworten" class="button button-icon-only">
<i class="icon fa-quote-left fa-fw" aria-hidden="true"></i><span>Zitat</span></a></li></ul>
<p class="author"><a class="unread" href="./viewtopic.php?p={pid}#p{pid}" title="Beitrag"><i class="icon fa-file fa-fw icon-lightgray icon-md" aria-hidden="true"></i><span class="sr-only">Beitrag</span></a>
<span class="responsive-hide">von <strong>{username_link(name)}</strong> &raquo; </span>{time_tag(post.get("created_at"))}</p>
<div class="content">{post_content(post.get("cooked") or "")}</div>
{edited}{signature}
</div></div>
<div class="back2top"><a href="#top" class="top" title="Nach oben"><i class="icon fa-chevron-circle-up fa-fw icon-gray" aria-hidden="true"></i></a></div>
</div></div>
<hr class="divider" />"""
