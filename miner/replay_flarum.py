"""A forum snapshot served as a Flarum 1.x forum (its JSON:API), for offline tests, demo and benchmark.

The same snapshot ``miner.replay`` serves as Discourse JSON is answered the way Flarum's API does:
``/api/discussions`` (most recently active first, stickies on top, ``page[offset]`` in steps of 20
with JSON:API ``links.next``), ``/api/discussions/ID`` (the ids of all posts, the first 20 included)
and ``/api/posts?filter[discussion]=ID`` for the later ones. Posts carry Flarum's rendered
``contentHtml``: quotes as the bbcode extension renders them ("NAME wrote:" in a ``<cite>``),
``UserMention`` links, code blocks; edited posts an ``editedAt``, deleted ones ``isHidden``.
Discussions of private (read-restricted) categories are invisible, as Flarum's tag permissions
make them: absent from lists, 404 when asked for. The start page and ``/d/ID-slug`` are the
HTML shell Flarum sends before its JavaScript runs. The document shapes follow Flarum's own
serializers (see tests/fixtures/html-forums/SOURCES.md).
"""

from __future__ import annotations

import re
from html import escape
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from miner.replay import PageReplayServer, _int, _posts_of
from miner.replay_phpbb import QUOTE, user_id

PER_PAGE = 20  # Flarum's API default for discussions and posts alike
API_TYPE = "application/vnd.api+json"
HTML_TYPE = "text/html; charset=utf-8"
ROBOTS_TXT = "User-agent: *\nDisallow: /settings\nDisallow: /notifications\n"
MENTION = re.compile(r'<a class="mention" href="[^"]*">@([^<]*)</a>')
NOT_FOUND = {"errors": [{"status": "404", "code": "not_found"}]}


def content_html(cooked: str, root: str) -> str:
    """Discourse cooked HTML -> Flarum's contentHtml: bbcode quotes with "wrote:", UserMentions."""
    def quote(match: re.Match) -> str:
        return (f'<blockquote><div><cite>{escape(match.group(1))} wrote:</cite>'
                f'{match.group(2).strip()}</div></blockquote>')

    html = QUOTE.sub(quote, cooked or "")
    return MENTION.sub(lambda m: f'<a href="{root}u/{escape(m.group(1))}" class="UserMention">@{escape(m.group(1))}</a>', html)


def slug(topic: dict) -> str:
    """Flarum 1.x slugs start with the id ("57-elternchat-...")."""
    words = re.sub(r"[^a-z0-9]+", "-", str(topic.get("slug") or topic.get("title") or "").lower()).strip("-")
    return f"{topic['id']}-{words}" if words else str(topic["id"])


class FlarumReplayServer(PageReplayServer):
    """The snapshot as a Flarum forum; faults and request logs work as for the Discourse replay."""

    def _prepare(self) -> None:
        super()._prepare()
        snap = self.snapshot
        self.tags = {int(c["id"]): c for c in snap.categories if isinstance(c.get("id"), int)}
        hidden = {tag for tag, c in self.tags.items() if c.get("read_restricted")}
        visible = [t for t in snap.topics.values() if t.get("category_id") not in hidden]
        self.hidden_topics = {t["id"] for t in snap.topics.values()} - {t["id"] for t in visible}
        order = sorted(visible, key=lambda t: (self.last_posted(t) or "", t["id"]), reverse=True)
        self.listed = [t for t in order if t.get("pinned")] + [t for t in order if not t.get("pinned")]

    @property
    def root(self) -> str:
        """The forum's root in absolute links: its public address when replayed under it (the demo)."""
        return self.site_url + "/"

    @staticmethod
    def posts(topic: dict) -> list[dict]:
        return [p for p in _posts_of(topic) if isinstance(p, dict)]

    def last_posted(self, topic: dict) -> str | None:
        posts = self.posts(topic)
        return _iso(posts[-1].get("created_at")) if posts else _iso(topic.get("bumped_at"))

    # ------------------------------------------------------------------ routing
    def route(self, target: str) -> tuple[int, Any, str, str | None]:
        parts = urlsplit(target)
        path = parts.path.rstrip("/") or "/"
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        offset = max(0, _int(query.get("page[offset]", "0")))
        if path == "/robots.txt":
            return 200, self.snapshot.site.get("robots_txt") or ROBOTS_TXT, "text/plain; charset=utf-8", None
        if path == "/api":
            return 200, {"data": {"type": "forums", "id": "1", "attributes": {"title": self.site_title,
                                                                             "baseUrl": self.root.rstrip("/"),
                                                                             "apiUrl": self.root + "api"}}}, API_TYPE, None
        if path == "/api/discussions":
            return 200, self.discussion_list(offset), API_TYPE, None
        match = re.fullmatch(r"/api/discussions/(\d+)", path)
        if match:
            topic = self.visible(int(match.group(1)))
            return (404, NOT_FOUND, API_TYPE, None) if topic is None else (200, self.discussion(topic), API_TYPE, None)
        if path == "/api/posts":
            topic = self.visible(_int(query.get("filter[discussion]", "0")))
            if topic is None:
                return 404, NOT_FOUND, API_TYPE, None
            limit = min(50, max(1, _int(query.get("page[limit]", str(PER_PAGE))) or PER_PAGE))
            return 200, self.post_page(topic, offset, limit), API_TYPE, None
        if path.startswith("/api/"):
            return 404, NOT_FOUND, API_TYPE, None
        match = re.fullmatch(r"/d/(\d+)(?:-[^/]*)?(?:/\d+)?", path)
        if match:
            topic = self.visible(int(match.group(1)))
            if topic is None:
                return 404, self.shell("Nicht gefunden", "<p>Die Seite wurde nicht gefunden.</p>"), HTML_TYPE, None
            items = "".join(f"<div><h3>{escape(p.get('username') or 'Gast')}</h3>{content_html(p.get('cooked') or '', self.root)}</div>"
                            for p in self.posts(topic)[:PER_PAGE])
            return 200, self.shell(topic.get("title") or "", f"<h2>{escape(topic.get('title') or '')}</h2>{items}"), HTML_TYPE, None
        if path in ("/", "/all"):
            items = "".join(f'<li><a href="{self.root}d/{slug(t)}">{escape(t.get("title") or "")}</a></li>'
                            for t in self.listed[:PER_PAGE])
            return 200, self.shell("", f"<h2>Alle Diskussionen</h2><ul>{items}</ul>"), HTML_TYPE, None
        return 404, self.shell("Nicht gefunden", "<p>Die Seite wurde nicht gefunden.</p>"), HTML_TYPE, None

    def visible(self, topic_id: int) -> dict | None:
        return None if topic_id in self.hidden_topics else self.snapshot.topics.get(topic_id)

    # ------------------------------------------------------------------ documents
    def shell(self, title: str, noscript: str) -> str:
        """The page Flarum sends before its JavaScript takes over: a loading marker and plain content."""
        return f"""<!doctype html>
<html dir="ltr" lang="de">
<head><meta charset="utf-8"><title>{escape(title) + " - " if title else ""}{escape(self.site_title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, minimum-scale=1">
<link rel="stylesheet" href="{self.root}assets/forum.css"></head>
<body>
<div id="app" class="App">
<div id="app-navigation" class="App-navigation"></div>
<div id="drawer" class="App-drawer"><header id="header" class="App-header"><div class="container">
<h1 class="Header-title"><a href="{self.root}" id="home-link">{escape(self.site_title)}</a></h1></div></header></div>
<main class="App-content"><div id="content"></div>
<div id="flarum-loading" style="display: none">Forum wird geladen…</div>
<noscript><div class="Alert"><div class="container">Diese Seite funktioniert am besten mit aktiviertem JavaScript.</div></div></noscript>
<noscript id="flarum-content"><div class="container">{noscript}</div></noscript>
</main></div>
<script src="{self.root}assets/forum.js"></script>
<script>document.getElementById('flarum-loading').style.display = 'block'; var app = flarum.core.app;</script>
</body></html>"""

    def user(self, name: str | None) -> dict | None:
        if not name:
            return None
        return {"type": "users", "id": str(user_id(name)),
                "attributes": {"username": name, "displayName": name, "slug": name,
                               "avatarUrl": f"{self.root}assets/avatars/{user_id(name)}.png"}}

    def tag(self, topic: dict) -> dict | None:
        category = self.tags.get(topic.get("category_id"))
        if category is None:
            return None
        return {"type": "tags", "id": str(category["id"]),
                "attributes": {"name": category.get("name") or "", "slug": category.get("slug") or str(category["id"]),
                               "description": "", "color": "#4d698e", "isChild": False, "isHidden": False}}

    def discussion_item(self, topic: dict, full: bool = False) -> dict:
        posts = self.posts(topic)
        first = posts[0] if posts else {}
        attributes = {"title": topic.get("title") or "", "slug": slug(topic), "commentCount": len(posts),
                      "participantCount": len({p.get("username") for p in posts}),
                      "createdAt": _iso(first.get("created_at") or topic.get("created_at")),
                      "lastPostedAt": self.last_posted(topic), "lastPostNumber": len(posts),
                      "canReply": False, "isSticky": bool(topic.get("pinned")), "isLocked": bool(topic.get("closed"))}
        relationships: dict[str, Any] = {}
        if first.get("username"):
            relationships["user"] = {"data": {"type": "users", "id": str(user_id(first["username"]))}}
        tag = self.tag(topic)
        relationships["tags"] = {"data": [{"type": "tags", "id": tag["id"]}] if tag else []}
        if full:
            relationships["posts"] = {"data": [{"type": "posts", "id": str(p.get("id"))} for p in posts]}
        return {"type": "discussions", "id": str(topic["id"]), "attributes": attributes, "relationships": relationships}

    def post_item(self, topic: dict, post: dict, number: int) -> dict:
        hidden = bool(post.get("deleted_at") or post.get("hidden"))
        attributes: dict[str, Any] = {"number": post.get("post_number") or number,
                                      "createdAt": _iso(post.get("created_at")), "contentType": "comment"}
        if hidden:
            attributes["isHidden"] = True
        else:
            attributes["contentHtml"] = content_html(post.get("cooked") or "", self.root)
        if (post.get("version") or 1) > 1:
            attributes["editedAt"] = _iso(post.get("updated_at"))
        relationships: dict[str, Any] = {"discussion": {"data": {"type": "discussions", "id": str(topic["id"])}},
                                         "likes": {"data": [{"type": "users", "id": str(i + 1)}
                                                            for i in range(int(post.get("like_count") or 0))]}}
        if post.get("username"):
            relationships["user"] = {"data": {"type": "users", "id": str(user_id(post["username"]))}}
        return {"type": "posts", "id": str(post.get("id")), "attributes": attributes, "relationships": relationships}

    def _included(self, topics: list[dict], posts: list[dict]) -> list[dict]:
        found: dict[tuple[str, str], dict] = {}
        for item in [*(self.user(p.get("username")) for p in posts), *(self.tag(t) for t in topics),
                     *(self.user((self.posts(t) or [{}])[0].get("username")) for t in topics)]:
            if item is not None:
                found.setdefault((item["type"], item["id"]), item)
        return list(found.values())

    def links(self, path: str, query: dict, offset: int, total: int, limit: int = PER_PAGE) -> dict:
        def at(value: int) -> str:
            return f"{self.root}{path}?" + urlencode({**query, **({"page[offset]": value} if value else {}),
                                                      **({"page[limit]": limit} if "filter[discussion]" in query else {})})
        links = {"first": at(0)}
        if offset > 0:
            links["prev"] = at(max(0, offset - limit))
        if offset + limit < total:
            links["next"] = at(offset + limit)
        return links

    def discussion_list(self, offset: int) -> dict:
        shown = self.listed[offset:offset + PER_PAGE]
        return {"links": self.links("api/discussions", {"sort": "-lastPostedAt"}, offset, len(self.listed)),
                "data": [self.discussion_item(t) for t in shown], "included": self._included(shown, [])}

    def discussion(self, topic: dict) -> dict:
        posts = self.posts(topic)
        first = posts[:PER_PAGE]
        included = self._included([topic], first) + [self.post_item(topic, p, i) for i, p in enumerate(first, 1)]
        return {"data": self.discussion_item(topic, full=True), "included": included}

    def post_page(self, topic: dict, offset: int, limit: int) -> dict:
        posts = self.posts(topic)
        shown = posts[offset:offset + limit]
        discussion = {"type": "discussions", "id": str(topic["id"]),
                      "attributes": {"title": topic.get("title") or "", "slug": slug(topic)}}
        query = {"filter[discussion]": topic["id"], "sort": "number"}
        return {"links": self.links("api/posts", query, offset, len(posts), limit),
                "data": [self.post_item(topic, p, offset + i) for i, p in enumerate(shown, 1)],
                "included": [*self._included([], shown), discussion]}


def _iso(value: Any) -> str | None:
    """Flarum's timestamps: ISO 8601 with an explicit +00:00."""
    if not isinstance(value, str) or not value:
        return None
    return re.sub(r"(\.\d+)?Z$", "+00:00", value)
