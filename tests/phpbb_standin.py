"""A small phpBB 3.3 page parser for the crawler's tests, used until miner.sources.phpbb exists.

It reads what ``miner.replay_phpbb`` serves (prosilver markup with <time datetime>) and hands
posts over in the canonical markup of ``miner.sources.base``; the real engine parses far more.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

from bs4 import BeautifulSoup

from miner.sources.base import Board, ListedThread, ListPage, Post, ThreadPage

ATTRIBUTION = re.compile(r"\s*(hat geschrieben|schrieb|wrote)\s*:?.*$", re.S)


def _topic(url: str) -> int | None:
    values = parse_qs(urlsplit(url).query).get("t")
    return int(values[0]) if values and values[0].isdigit() else None


def _next(soup, url: str) -> str | None:
    link = soup.select_one(".pagination a[rel=next]")
    return urljoin(url, link["href"]) if link else None


def _login(soup) -> bool:
    return soup.select_one("form#login") is not None


def _iso(tag) -> str | None:
    if tag is None or not tag.get("datetime"):
        return None
    return tag["datetime"].replace("+00:00", "Z")


class PhpbbStandIn:
    name = "phpbb"

    def detect(self, url, body, headers):
        return 'id="phpbb"' in body or "phpBB Limited" in body

    def thread_id(self, url):
        return _topic(url)

    def thread_url(self, base_url, thread_id, page=1):
        return f"{base_url}/viewtopic.php?t={thread_id}" + (f"&start={(page - 1) * 10}" if page > 1 else "")

    def parse_list(self, body, url):
        soup = BeautifulSoup(body, "lxml")
        boards = [Board(url=urljoin(url, a["href"]), title=a.get_text(strip=True)) for a in soup.select("a.forumtitle")]
        threads = []
        for row in soup.select("ul.topiclist.topics li.row"):
            link = row.select_one("a.topictitle")
            item = row.select_one("dl.row-item")
            classes = item.get("class", []) if item else []
            target = urljoin(url, link["href"])
            posts = row.select_one("dd.posts")
            replies = int(posts.get_text(" ", strip=True).split()[0]) if posts else None
            threads.append(ListedThread(
                thread_id=_topic(target), url=target, title=link.get_text(strip=True),
                last_posted_at=_iso(row.select_one("dd.lastpost time")), replies=replies,
                pinned=any(c.startswith(("sticky", "announce", "global")) for c in classes),
                moved_to=target if "topic_moved" in classes else None))
        return ListPage(threads=threads, boards=boards, next_url=_next(soup, url), login_required=_login(soup))

    def parse_thread(self, body, url):
        soup = BeautifulSoup(body, "lxml")
        if _login(soup):
            return ThreadPage(thread_id=_topic(url) or 0, title="", url=url, posts=[], login_required=True)
        heading = soup.select_one("h2.topic-title a")
        thread_id = _topic(urljoin(url, heading["href"]))
        posts = []
        for post in soup.select("div.post[id^=p]"):
            content = post.select_one("div.content")
            for quote in content.select("blockquote"):
                cite = quote.find("cite")
                name = ATTRIBUTION.sub("", cite.get_text(" ", strip=True)) if cite else None
                if cite:
                    cite.decompose()
                inner = quote.find("div") or quote
                aside = soup.new_tag("aside", attrs={"class": "quote"})
                if name:
                    aside["data-username"] = name
                block = soup.new_tag("blockquote")
                block.extend(list(inner.contents))
                aside.append(block)
                quote.replace_with(aside)
            for box in content.select("div.codebox"):
                box.replace_with(box.find("pre"))
            author = post.select_one("p.author a.username")
            posts.append(Post(post_id=int(post["id"][1:]), number=None,
                              author=author.get_text(strip=True) if author else None,
                              created_at=_iso(post.select_one("p.author time")), body=content.decode_contents()))
        active = soup.select_one(".pagination li.active span")
        crumbs = soup.select("#nav-breadcrumbs .crumb")
        return ThreadPage(thread_id=thread_id, title=heading.get_text(strip=True),
                          url=urljoin(url, f"./viewtopic.php?t={thread_id}"), posts=posts,
                          page=int(active.get_text()) if active else 1, next_url=_next(soup, url),
                          board=crumbs[-1].get_text(strip=True) if len(crumbs) > 1 else None)


def phpbb_engine():
    """The real phpBB engine when it exists, else this stand-in."""
    try:
        from miner.sources.phpbb import ENGINE

        return ENGINE
    except ModuleNotFoundError:
        return PhpbbStandIn()
