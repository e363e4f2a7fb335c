"""A forum snapshot served as XenForo 2 pages, for offline tests, demo and benchmark.

The same snapshot ``miner.replay`` serves as Discourse JSON is rendered the way a XenForo 2.2
board shows it: a forum list (``/``), thread lists per forum (``/forums/slug.ID/page-N``, stickies
in their own group on the first page, one redirect stub for a moved thread), threads in pages
(``/threads/slug.ID/page-N``; ``/threads/ID/`` answers too) with avatars, member links,
signatures, "Zuletzt bearbeitet" lines, quotes ("NAME hat geschrieben:") and code blocks. A
private forum answers 403 with XenForo's login form. The board layout (which topic is in which
board, stickies, the moved stub) is the phpBB replay's, so both engines show the same forum.
The markup follows the recorded XenForo 2 pages in tests/fixtures/html-forums/xenforo2.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any
from urllib.parse import urlsplit

from miner.replay import _int, _posts_of
from miner.sources.dates import read_iso
from miner.replay_phpbb import BERLIN, MENTION, PARAGRAPH, QUOTE, PhpbbReplayServer, user_id

THREADS_PER_PAGE = 20  # XenForo's default
POSTS_PER_PAGE = 10  # this board's setting (XenForo's default is 20): the bundled threads span pages
HTML_TYPE = "text/html; charset=utf-8"
MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember"]
ROBOTS_TXT = """User-agent: *
Disallow: /account/
Disallow: /admin.php
Disallow: /login/
Disallow: /members/
Disallow: /search/
"""
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


def slugify(text: str) -> str:
    """XenForo's URL slug: lower-case ASCII words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", (text or "").translate(UMLAUTS).lower()).strip("-")[:80].rstrip("-")


def time_tag(value: Any, css: str = "u-dt") -> str:
    """XenForo's <time>: an ISO value with offset, the unix time, German text in the board's zone."""
    when = read_iso(value)
    if when is None:
        return ""
    local = when.astimezone(BERLIN)
    shown = f"{local.day}. {MONTHS[local.month - 1]} {local.year}"
    return (f'<time class="{css}" dir="auto" datetime="{local:%Y-%m-%dT%H:%M:%S%z}" '
            f'data-time="{int(when.timestamp())}" data-date-string="{shown}" data-time-string="{local:%H:%M}" '
            f'title="{shown} um {local:%H:%M} Uhr">{shown}</time>')


def member_link(name: str | None, css: str = "username") -> str:
    if not name:
        return '<span class="username">Gast</span>'
    return (f'<a href="/members/{slugify(name) or "member"}.{user_id(name)}/" class="{css}" dir="auto" '
            f'data-user-id="{user_id(name)}" data-xf-init="member-tooltip">{escape(name)}</a>')


def bb_wrapper(cooked: str) -> str:
    """Discourse cooked HTML -> XenForo's rendered BB code: quote blocks, member mentions, code blocks."""
    def quote(match: re.Match) -> str:
        name = match.group(1)
        return (f'<blockquote class="bbCodeBlock bbCodeBlock--expandable bbCodeBlock--quote js-expandWatch" '
                f'data-attributes="member: {user_id(name)}" data-quote="{escape(name)}">'
                f'<div class="bbCodeBlock-title">{escape(name)} hat geschrieben:</div>'
                f'<div class="bbCodeBlock-content"><div class="bbCodeBlock-expandContent js-expandContent">'
                f'{match.group(2).strip()}</div><div class="bbCodeBlock-expandLink js-expandLink">'
                f'<a role="button" tabindex="0">Zum Vergrößern anklicken....</a></div></div></blockquote>')

    def mention(match: re.Match) -> str:
        name = match.group(1)[1:]
        return (f'<a href="/members/{slugify(name) or "member"}.{user_id(name)}/" class="username" '
                f'data-xf-init="member-tooltip" data-user-id="{user_id(name)}" data-username="@{escape(name)}">@{escape(name)}</a>')

    html = QUOTE.sub(quote, cooked or "")
    html = MENTION.sub(mention, html)
    html = html.replace("<pre><code", '<div class="bbCodeBlock bbCodeBlock--screenLimited bbCodeBlock--code">'
                        '<div class="bbCodeBlock-title">Code:</div><div class="bbCodeBlock-content" dir="ltr">'
                        '<pre class="bbCodeCode" dir="ltr" data-xf-init="code-block" data-lang=""><code')
    html = html.replace("</code></pre>", "</code></pre></div></div>")
    html = PARAGRAPH.sub("<br />\n<br />\n", html.strip())
    return re.sub(r"^<p>|</p>$", "", html)


def page_nav(base: str, current: int, pages: int) -> str:
    """XenForo's pageNav: page links and the "Weiter" jump (absent on the last page)."""
    if pages <= 1:
        return ""

    def href(number: int) -> str:
        return base if number == 1 else f"{base}page-{number}"

    items = "".join(f'<li class="pageNav-page {"pageNav-page--current " if n == current else ""}">'
                    f'<a href="{href(n)}">{n}</a></li>' for n in range(1, pages + 1))
    prev = f'<a href="{href(current - 1)}" class="pageNav-jump pageNav-jump--prev">Zurück</a>' if current > 1 else ""
    after = f'<a href="{href(current + 1)}" class="pageNav-jump pageNav-jump--next">Weiter</a>' if current < pages else ""
    return (f'<div class="block-outer"><div class="block-outer-main"><nav class="pageNavWrapper pageNavWrapper--mixed">'
            f'<div class="pageNav">{prev}<ul class="pageNav-main">{items}</ul>{after}</div></nav></div></div>')


class XenforoReplayServer(PhpbbReplayServer):
    """The snapshot as a XenForo 2 board; faults and request logs work as for the Discourse replay."""

    # ------------------------------------------------------------------ routing
    def route(self, target: str) -> tuple[int, Any, str, str | None]:
        path = urlsplit(target).path or "/"
        if path == "/robots.txt":
            return 200, self.snapshot.site.get("robots_txt") or ROBOTS_TXT, "text/plain; charset=utf-8", None
        if path == "/":
            return 200, self.forum_list(), HTML_TYPE, None
        match = re.fullmatch(r"/forums/(?:[^/]*\.)?(\d+)/(?:page-(\d+))?", path)
        if match:
            board = self.boards.get(int(match.group(1)))
            if board is None:
                return 404, self.error("Das angeforderte Forum konnte nicht gefunden werden."), HTML_TYPE, None
            if board.get("read_restricted"):
                return 403, self.login(), HTML_TYPE, None
            return 200, self.board_view(board, max(1, _int(match.group(2) or 1))), HTML_TYPE, None
        match = re.fullmatch(r"/threads/(?:[^/]*\.)?(\d+)/(?:page-(\d+))?", path)
        if match:
            topic = self.snapshot.topics.get(int(match.group(1)))
            if topic is None:
                return 404, self.error("Das angeforderte Thema konnte nicht gefunden werden."), HTML_TYPE, None
            if self.boards[self.topic_board[topic["id"]]].get("read_restricted"):
                return 403, self.login(), HTML_TYPE, None
            return 200, self.thread_view(topic, max(1, _int(match.group(2) or 1))), HTML_TYPE, None
        return 404, self.error("Die angeforderte Seite konnte nicht gefunden werden."), HTML_TYPE, None

    # ------------------------------------------------------------------ addresses
    def board_path(self, board: dict) -> str:
        return f"/forums/{slugify(board.get('name') or '') or 'forum'}.{int(board['id'])}/"

    def thread_path(self, topic: dict) -> str:
        return f"/threads/{slugify(topic.get('title') or '') or 'thema'}.{topic['id']}/"

    # ------------------------------------------------------------------ pages
    def page(self, title: str, body: str, *, template: str, crumbs: list[tuple[str, str]] = (),
             canonical: str = "", content_key: str = "") -> str:
        trail = "".join(f'<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">'
                        f'<a href="{href}" itemprop="item"><span itemprop="name">{escape(name)}</span></a>'
                        f'<meta itemprop="position" content="{n + 2}" /></li>' for n, (href, name) in enumerate(crumbs))
        key = f' data-content-key="{content_key}"' if content_key else ""
        link = f'<link rel="canonical" href="{self.site_url}{canonical}" />' if canonical else ""
        return f"""<!DOCTYPE html>
<html id="XF" lang="de-DE" dir="LTR" data-app="public" data-template="{template}"{key} data-logged-in="false" data-cookie-prefix="xf_" class="has-no-js template-{template}">
<head><meta charset="utf-8" /><title>{escape(title) + " | " if title else ""}{escape(self.site_title)}</title>
{link}<link rel="stylesheet" href="/css.php?css=public%3Anormalize.css" /></head>
<body data-template="{template}">
<div class="p-pageWrapper" id="top">
<header class="p-header" id="header"><div class="p-header-inner"><div class="p-header-content"><div class="p-header-logo p-header-logo--image">
<a href="/">{escape(self.site_title)}</a></div></div></div></header>
<div class="p-body"><div class="p-body-inner">
<ul class="p-breadcrumbs" itemscope itemtype="https://schema.org/BreadcrumbList">
<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><a href="/" itemprop="item"><span itemprop="name">Foren</span></a><meta itemprop="position" content="1" /></li>{trail}</ul>
<div class="p-body-header"><div class="p-title "><h1 class="p-title-value">{escape(title)}</h1></div></div>
<div class="p-body-main"><div class="p-body-content"><div class="p-body-pageContent">
{body}
</div></div></div></div></div>
<footer class="p-footer" id="footer"><div class="p-footer-inner"><div class="p-footer-copyright">
<a href="https://xenforo.com" class="u-concealed" dir="ltr" target="_blank" rel="sponsored noopener">Forum software by XenForo<sup>&reg;</sup> <span class="copyright">&copy; 2010-2023 XenForo Ltd.</span></a>
<span class="p-footer-copyright-note">Deutsche Übersetzung von <a href="https://xendach.de">xendach.de</a></span></div></div></footer>
</div></body></html>
"""

    def error(self, text: str) -> str:
        return self.page("Fehler", f'<div class="blockMessage">{escape(text)}</div>', template="error")

    def login(self) -> str:
        body = """<div class="blockMessage blockMessage--error">Du musst angemeldet sein, um dies tun zu können.</div>
<form action="/login/login" method="post" class="block"><div class="block-container"><div class="block-body">
<dl class="formRow"><dt><label for="_xfUid-1">Benutzername oder E-Mail-Adresse</label></dt><dd><input type="text" class="input" name="login" id="_xfUid-1" autocomplete="username" /></dd></dl>
<dl class="formRow"><dt><label for="_xfUid-2">Passwort</label></dt><dd><input type="password" class="input" name="password" id="_xfUid-2" autocomplete="current-password" /></dd></dl>
</div><dl class="formRow formSubmitRow"><dd><button type="submit" class="button--primary button">Anmelden</button></dd></dl></div></form>"""
        return self.page("Anmelden", body, template="login")

    def forum_list(self) -> str:
        nodes = []
        for board_id, board in self.boards.items():
            count = sum(1 for b in self.topic_board.values() if b == board_id)
            nodes.append(f"""<div class="node node--id{board_id} node--depth2 node--forum node--read"><div class="node-body">
<span class="node-icon" aria-hidden="true"><i></i></span><div class="node-main js-nodeMain">
<h3 class="node-title"><a href="{self.board_path(board)}" data-xf-init="element-tooltip" data-shortcut="node-description">{escape(board.get("name") or "")}</a></h3>
<div class="node-description node-description--tooltip js-nodeDescTooltip">{escape(board.get("description_text") or "")}</div></div>
<div class="node-stats"><dl class="pairs pairs--rows"><dt>Themen</dt><dd>{count}</dd></dl></div></div></div>""")
        body = f'<div class="block block--category"><div class="block-container"><div class="block-body">{"".join(nodes)}</div></div></div>'
        return self.page("", body, template="forum_list")

    def board_view(self, board: dict, number: int) -> str:
        stickies, normal = self.board_topics(int(board["id"]))
        pages = max(1, -(-len(normal) // THREADS_PER_PAGE))
        base = self.board_path(board)
        shown = normal[(number - 1) * THREADS_PER_PAGE:number * THREADS_PER_PAGE]
        groups = ""
        if number == 1 and stickies:
            groups += ('<div class="structItemContainer-group structItemContainer-group--sticky">'
                       + "".join(self.thread_item(t) for t in stickies) + "</div>")
        groups += '<div class="structItemContainer-group js-threadList">' + "".join(self.thread_item(t) for t in shown) + "</div>"
        nav = page_nav(base, number, pages)
        body = (f'<div class="block" data-type="thread">{nav}<div class="block-container"><div class="block-body">'
                f'<div class="structItemContainer">{groups}</div></div></div>{nav}</div>')
        return self.page(board.get("name") or "", body, template="forum_view",
                         canonical=base + (f"page-{number}" if number > 1 else ""))

    def thread_item(self, topic: dict) -> str:
        posts = [p for p in _posts_of(topic) if isinstance(p, dict)]
        first, last = (posts[0], posts[-1]) if posts else ({}, {})
        href = self.thread_path(topic)
        status = ""
        if topic.get("_moved"):
            status = ('<li><i class="structItem-status structItem-status--redirect" aria-hidden="true" '
                      'title="Weiterleitungshinweis"></i><span class="u-srOnly">Weiterleitungshinweis</span></li>')
        elif topic.get("pinned"):
            status = ('<li><i class="structItem-status structItem-status--sticky" aria-hidden="true" title="Angepinnt">'
                      '</i><span class="u-srOnly">Angepinnt</span></li>')
        if topic.get("closed"):
            status += '<li><i class="structItem-status structItem-status--locked" aria-hidden="true" title="Geschlossen"></i></li>'
        pages = -(-len(posts) // POSTS_PER_PAGE)
        jump = ("" if pages <= 1 else '<span class="structItem-pageJump">' + "".join(
            f'<a href="{href}page-{n}">{n}</a>' for n in range(2, pages + 1)) + "</span>")
        replies = "&ndash;" if topic.get("_moved") else f"{max(0, len(posts) - 1):,}".replace(",", ".")
        return f"""<div class="structItem structItem--thread js-inlineModContainer js-threadListItem-{topic["id"]}" data-author="{escape(first.get("username") or "")}">
<div class="structItem-cell structItem-cell--main" data-xf-init="touch-proxy">
<ul class="structItem-statuses">{status}</ul>
<div class="structItem-title"><a href="{href}" class="" data-tp-primary="on" data-xf-init="preview-tooltip">{escape(topic.get("title") or "")}</a></div>
<div class="structItem-minor"><ul class="structItem-parts"><li>{member_link(first.get("username"), "username ")}</li>
<li class="structItem-startDate"><a href="{href}" rel="nofollow">{time_tag(first.get("created_at"))}</a></li></ul>{jump}</div>
</div>
<div class="structItem-cell structItem-cell--meta"><dl class="pairs pairs--justified"><dt>Antworten</dt><dd>{replies}</dd></dl>
<dl class="pairs pairs--justified structItem-minor"><dt>Aufrufe</dt><dd>{topic.get("views") or 0}</dd></dl></div>
<div class="structItem-cell structItem-cell--latest"><a href="{href}latest" rel="nofollow">{time_tag(last.get("created_at"), "structItem-latestDate u-dt")}</a>
<div class="structItem-minor">{member_link(last.get("username"), "username ")}</div></div>
</div>"""

    def thread_view(self, topic: dict, number: int) -> str:
        posts = [p for p in _posts_of(topic) if isinstance(p, dict)]
        pages = max(1, -(-len(posts) // POSTS_PER_PAGE))
        base = self.thread_path(topic)
        shown = posts[(number - 1) * POSTS_PER_PAGE:number * POSTS_PER_PAGE]
        board = self.boards[self.topic_board[topic["id"]]]
        nav = page_nav(base, number, pages)
        articles = "".join(self.message(topic, post, (number - 1) * POSTS_PER_PAGE + i)
                           for i, post in enumerate(shown, start=1))
        locked = ('<dl class="blockStatus blockStatus--standalone"><dt>Status</dt><dd class="blockStatus-message '
                  'blockStatus-message--locked">Dieses Thema wurde geschlossen.</dd></dl>') if topic.get("closed") else ""
        body = (f'{locked}<div class="block block--messages" data-type="post">{nav}<div class="block-container lbContainer">'
                f'<div class="block-body js-replyNewMessageContainer">{articles}</div></div>{nav}</div>')
        return self.page(topic.get("title") or "", body, template="thread_view",
                         crumbs=[(self.board_path(board), board.get("name") or "")],
                         canonical=base + (f"page-{number}" if number > 1 else ""), content_key=f"thread-{topic['id']}")

    def message(self, topic: dict, post: dict, position: int) -> str:
        pid = post.get("id")
        name = post.get("username")
        deleted = bool(post.get("deleted_at") or post.get("hidden"))
        avatar = (f'<div class="message-avatar"><div class="message-avatar-wrapper"><a href="/members/{slugify(name)}.{user_id(name)}/" '
                  f'class="avatar avatar--m" data-user-id="{user_id(name)}"><img src="/data/avatars/m/0/{user_id(name)}.jpg" '
                  f'alt="{escape(name)}" class="avatar-u{user_id(name)}-m" width="96" height="96" loading="lazy" /></a></div></div>'
                  ) if name else ""
        edited = ""
        if (post.get("version") or 1) > 1:
            edited = f'<div class="message-lastEdit">Zuletzt bearbeitet: {time_tag(post.get("updated_at"))}</div>'
        signature = ""
        if name:  # every member signs, with their name: the signature must never reach `text`
            signature = (f'<aside class="message-signature"><div class="bbWrapper">Viele Grüße aus dem Lehrerzimmer'
                         f' &ndash; {escape(name)}</div></aside>')
        content = "" if deleted else f"""<div class="message-content js-messageContent">
<div class="message-userContent lbContainer js-lbContainer" data-lb-id="post-{pid}">
<article class="message-body js-selectToQuote"><div class="bbWrapper">{bb_wrapper(post.get("cooked") or "")}</div>
<div class="js-selectToQuoteEnd">&nbsp;</div></article></div>{edited}</div>
<footer class="message-footer"><div class="reactionsBar js-reactionsList"></div></footer>{signature}"""
        return f"""<article class="message message--post js-post js-inlineModContainer{" message--deleted" if deleted else ""}" data-author="{escape(name or "")}" data-content="post-{pid}" id="js-post-{pid}">
<span class="u-anchorTarget" id="post-{pid}"></span>
<div class="message-inner"><div class="message-cell message-cell--user"><section class="message-user">{avatar}
<div class="message-userDetails"><h4 class="message-name">{member_link(name)}</h4><h5 class="userTitle message-userTitle" dir="auto">Mitglied</h5></div>
<div class="message-userExtras"><dl class="pairs pairs--justified"><dt>Beiträge</dt><dd>{user_id(name) % 400 + 1}</dd></dl></div>
<span class="message-userArrow"></span></section></div>
<div class="message-cell message-cell--main"><div class="message-main js-quickEditTarget">
<header class="message-attribution message-attribution--split">
<ul class="message-attribution-main listInline "><li class="u-concealed"><a href="{self.thread_path(topic)}post-{pid}" rel="nofollow">{time_tag(post.get("created_at"))}</a></li></ul>
<ul class="message-attribution-opposite message-attribution-opposite--list "><li><a href="{self.thread_path(topic)}post-{pid}" class="message-attribution-gadget" data-xf-init="share-tooltip" rel="nofollow"><i class="fa--xf far fa-share-alt" aria-hidden="true"></i></a></li>
<li><span class="username">#{position}</span></li></ul></header>
{content}
</div></div></div></article>
"""

