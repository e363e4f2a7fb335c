"""Flarum through its JSON:API: /api/discussions (lists), /api/discussions/ID and /api/posts (threads).

A discussion document lists the ids of all its posts but includes only the first page of them; the
rest come from /api/posts?filter[discussion]=ID with an offset, which is this engine's "page 2..n".
Post bodies are Flarum's rendered ``contentHtml``, rewritten into the canonical markup.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

import lxml.html

from miner.i18n import both
from miner.sources import markup as m
from miner.sources.base import Board, ListedThread, ListPage, Post, ThreadPage
from miner.sources.dates import DEFAULT_TZ, from_machine

POSTS_PER_PAGE = 20  # what Flarum's API hands out per request by default
_LOGIN_CODES = {"not_authenticated", "permission_denied", "invalid_access_token"}


class FlarumError(ValueError):
    """A JSON:API answer that is neither the document asked for nor a permission error."""


def forum_root(url: str) -> str:
    """The forum's root ("https://x/forum/") from any of its URLs (pages or API), or from the forum's
    base address as miner keeps it (no trailing slash, no query: "https://x/forum")."""
    parts = urlsplit(url)
    path = parts.path
    if not parts.query and "." not in path.rsplit("/", 1)[-1] \
            and not any(section in path for section in ("/api", "/d/", "/t/", "/u/", "/tags")):
        return urlunsplit((parts.scheme, parts.netloc, path.rstrip("/") + "/", "", ""))
    for section in ("/api/", "/api", "/d/", "/t/", "/u/", "/tags"):
        if section in path:
            path = path[: path.index(section)]
            break
    else:
        path = path.rsplit("/", 1)[0] if not path.endswith("/") else path[:-1]
    return urlunsplit((parts.scheme, parts.netloc, path + "/", "", ""))


class Flarum:
    name = "flarum"

    def __init__(self, tz: str = DEFAULT_TZ):
        self.tz = tz

    def detect(self, url: str, body: str, headers: dict[str, str]) -> bool:
        head = body[:400_000]
        if 'id="flarum-loading"' in head or "flarum.core.app" in head or "flarum/forum" in head:
            return True
        if head.lstrip().startswith("{"):
            try:
                document = json.loads(body)
            except ValueError:
                return False
            data = document.get("data") if isinstance(document, dict) else None
            first = data[0] if isinstance(data, list) and data else data
            return isinstance(first, dict) and first.get("type") in {"forums", "discussions", "posts", "tags"}
        return False

    def thread_id(self, url: str) -> int | None:
        decoded = unquote(url)
        match = (re.search(r"/d/(\d+)", decoded) or re.search(r"/api/discussions/(\d+)", decoded)
                 or re.search(r"filter\[discussion\]=(\d+)", decoded))
        return int(match.group(1)) if match else None

    def start_url(self, base_url: str) -> str:
        """The discussion list, most recently active first: the crawler's watermark order; its
        JSON:API ``links.next`` pages through the rest."""
        return f"{forum_root(base_url)}api/discussions?sort=-lastPostedAt"

    def thread_url(self, base_url: str, thread_id: int, page: int = 1) -> str:
        root = forum_root(base_url)
        if page <= 1:
            return f"{root}api/discussions/{thread_id}"
        return f"{root}api/posts?" + urlencode({"filter[discussion]": thread_id, "sort": "number",
                                                "page[offset]": (page - 1) * POSTS_PER_PAGE,
                                                "page[limit]": POSTS_PER_PAGE})

    # --- documents -------------------------------------------------------------------------------

    def parse_thread(self, body: str, url: str) -> ThreadPage:
        document = _document(body, url)
        root = forum_root(url)
        thread_id = self.thread_id(url) or 0
        if document is None:
            return ThreadPage(thread_id, "", f"{root}d/{thread_id}", [], login_required=True)
        included = _index(document.get("included", []))
        data = document["data"]
        if isinstance(data, dict) and data.get("type") == "discussions":  # page 1: the discussion
            discussion = data
            post_refs = [ref["id"] for ref in data.get("relationships", {}).get("posts", {}).get("data", [])]
            post_docs = [included[("posts", ref)] for ref in post_refs if ("posts", ref) in included]
            offset = 0
            total_posts = len(post_refs)
            next_url = (self.thread_url(url, thread_id, 2) if len(post_docs) < total_posts and post_docs
                        else None)
        else:  # page 2..n: a list of posts
            post_docs = [item for item in data if item.get("type") == "posts"]
            discussions = [item for key, item in included.items() if key[0] == "discussions"]
            discussion = discussions[0] if discussions else {"id": str(thread_id), "attributes": {}}
            offset = int(_query(url, "page[offset]") or 0)
            total_posts = None
            next_url = document.get("links", {}).get("next")
        attributes = discussion.get("attributes", {})
        thread_id = int(discussion.get("id") or thread_id)
        posts = [self._post(item, included, root) for item in post_docs
                 if item.get("attributes", {}).get("contentType") == "comment"]
        page = offset // POSTS_PER_PAGE + 1
        page_count = -(-total_posts // POSTS_PER_PAGE) if total_posts else None
        tags = [included[("tags", ref["id"])]["attributes"].get("name")
                for ref in discussion.get("relationships", {}).get("tags", {}).get("data", [])
                if ("tags", ref["id"]) in included]
        return ThreadPage(
            thread_id=thread_id, title=attributes.get("title", ""),
            url=_discussion_url(root, thread_id, attributes.get("slug")),
            posts=posts, page=page, page_count=page_count, next_url=next_url,
            board=tags[-1] if tags else None, pinned=bool(attributes.get("isSticky")),
            closed=bool(attributes.get("isLocked")))

    def _post(self, item: dict, included: dict, root: str) -> Post:
        attributes = item.get("attributes", {})
        user_ref = (item.get("relationships", {}).get("user", {}) or {}).get("data")
        user = included.get(("users", user_ref["id"])) if user_ref else None
        author = None
        if user:
            author = user["attributes"].get("displayName") or user["attributes"].get("username")
        hidden = bool(attributes.get("isHidden"))
        html = attributes.get("contentHtml") or ""
        body = "" if hidden or not html.strip() else _canonical(html, root)
        likes = (item.get("relationships", {}).get("likes", {}) or {}).get("data")
        return Post(post_id=int(item["id"]), number=attributes.get("number"), author=author,
                    created_at=_iso(attributes.get("createdAt"), self.tz), body=body,
                    updated_at=_iso(attributes.get("editedAt"), self.tz), deleted=hidden,
                    likes=len(likes) if isinstance(likes, list) else None)

    def parse_list(self, body: str, url: str) -> ListPage:
        document = _document(body, url)
        if document is None:
            return ListPage(login_required=True)
        root = forum_root(url)
        data = document.get("data", [])
        data = data if isinstance(data, list) else [data]
        boards = [Board(f"{root}api/discussions?" + urlencode({"filter[tag]": item["attributes"]["slug"]}),
                        item["attributes"].get("name", ""))
                  for item in data if item.get("type") == "tags"]
        threads = []
        for item in data:
            if item.get("type") != "discussions":
                continue
            attributes = item.get("attributes", {})
            comments = attributes.get("commentCount")
            threads.append(ListedThread(
                thread_id=int(item["id"]), title=attributes.get("title", ""),
                url=_discussion_url(root, int(item["id"]), attributes.get("slug")),
                last_posted_at=_iso(attributes.get("lastPostedAt"), self.tz),
                replies=comments - 1 if isinstance(comments, int) else None,
                pinned=bool(attributes.get("isSticky"))))
        return ListPage(threads=threads, boards=boards, next_url=document.get("links", {}).get("next"))


def _discussion_url(root: str, thread_id: int, slug: str | None) -> str:
    """The discussion's page: Flarum's slug already starts with the id ("57-title"), older ones do not."""
    if not slug:
        return f"{root}d/{thread_id}"
    return f"{root}d/{slug}" if re.match(rf"{thread_id}(-|$)", slug) else f"{root}d/{thread_id}-{slug}"


def _document(body: str, url: str) -> dict | None:
    """The JSON:API document; None when the answer is a login/permission error."""
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise FlarumError(both(f"{url} ist keine Antwort der Flarum-API (kein JSON): bitte die /api-Adresse des Forums angeben",
                               f"not a Flarum API answer (no JSON) at {url}: use the forum's /api URL")) from exc
    if not isinstance(document, dict):
        raise FlarumError(both(f"unerwartetes JSON unter {url}: erwartet war ein JSON:API-Dokument",
                               f"unexpected JSON at {url}: expected a JSON:API document"))
    errors = document.get("errors")
    if errors:
        codes = {str(error.get("code")) for error in errors} | {str(error.get("status")) for error in errors}
        if codes & (_LOGIN_CODES | {"401", "403"}):
            return None
        raise FlarumError(both(f"Flarum antwortete {', '.join(sorted(codes))} auf {url}",
                               f"Flarum answered {', '.join(sorted(codes))} for {url}"))
    if "data" not in document:
        raise FlarumError(both(f"kein 'data' in der Flarum-Antwort auf {url}", f"no 'data' in the Flarum answer for {url}"))
    return document


def _index(items: list[dict]) -> dict[tuple[str, str], dict]:
    return {(item.get("type"), str(item.get("id"))): item for item in items}


def _query(url: str, name: str) -> str | None:
    match = re.search(re.escape(name) + r"=(\d+)", unquote(url))
    return match.group(1) if match else None


def _iso(value: str | None, tz: str) -> str | None:
    return from_machine(value, tz) if value else None


def _canonical(html: str, root: str) -> str:
    fragment = lxml.html.fragment_fromstring(html, create_parent="div")
    return m.canonical_body(
        fragment, root, quotes="blockquote", read_quote=m.cited_quote, code="pre",
        mentions="a.UserMention, a.PostMention, span.UserMention, span.PostMention",
        drop=".GroupMention i")


ENGINE = Flarum()
