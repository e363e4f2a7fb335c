"""A forum on software miner has no engine for, described by CSS selectors in a small YAML file.

``miner scrape DB URL --profile forum.yml`` reads such a forum like any other page-read engine.
The file names where things are on the pages (see docs/profile-example.yml): board links, topic
rows with their link, reply count, last-post date, sticky and moved markers, the next-page link;
on a thread page its title, posts, each post's id, author, date, body and quotes, and what to
drop from a body (signatures, edit notes). A selector that matches nothing where something is
needed is named in the error, so the file can be fixed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import yaml
from bs4 import BeautifulSoup

from miner.errors import UsageError
from miner.sources import dates
from miner.sources.base import Board, ListedThread, ListPage, Post, ThreadPage
from miner.i18n import both

# section -> {key: required?}
KEYS: dict[str, dict[str, bool]] = {
    "boards": {"link": True},
    "topics": {"row": True, "link": True, "replies": False, "last_post": False, "sticky": False, "moved": False,
               "next": False},
    "thread": {"id": True, "title": True, "post": True, "post_id": False, "author": False, "date": False,
               "body": True, "quote": False, "quote_author": False, "remove": False, "next": False},
}
TOP_KEYS = {"name", "detect", "login", "timezone", "thread_url", *KEYS}
DIGITS = re.compile(r"\d+")


class ProfileError(UsageError):
    """A profile file that cannot be used, or a selector that matched nothing on a page."""


@dataclass(frozen=True)
class Profile:
    path: str
    config: dict

    def get(self, section: str, key: str) -> Any:
        return (self.config.get(section) or {}).get(key)


def load_profile(path: str | Path) -> "ProfileEngine":
    """Read and check a profile file; ProfileError names the line or key that is wrong."""
    where = str(path)
    try:
        config = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ProfileError(both(f"Das Profil {where} lässt sich nicht lesen ({error.strerror}).",
                                f"Cannot read the profile {where} ({error.strerror})."),
                           hint=both("Bitte Pfad und Leserechte prüfen.", "Check the path and read permission.")) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise ProfileError(both(f"Das Profil {where} ist kein gültiges YAML" + (f" (Zeile {line})." if line else "."),
                                f"The profile {where} is not valid YAML" + (f" (line {line})." if line else ".")),
                           hint=both("Das Format zeigt docs/profile-example.yml.", "See docs/profile-example.yml for the format.")) from None
    if not isinstance(config, dict):
        raise ProfileError(both(f"Das Profil {where} muss eine Zuordnung mit boards, topics und thread sein.",
                                f"The profile {where} must be a mapping with boards, topics and thread."),
                           hint=both("Das Format zeigt docs/profile-example.yml.", "See docs/profile-example.yml for the format."))
    unknown = sorted(set(config) - TOP_KEYS)
    if unknown:
        raise ProfileError(both(f"Das Profil {where} hat unbekannte Schlüssel: {', '.join(unknown)}.",
                                f"The profile {where} has unknown keys: {', '.join(unknown)}."),
                           hint=both(f"Bekannte Schlüssel: {', '.join(sorted(TOP_KEYS))}.",
                                     f"Known keys: {', '.join(sorted(TOP_KEYS))}."))
    for section, keys in KEYS.items():
        values = config.get(section) or {}
        if not isinstance(values, dict):
            raise ProfileError(both(f"{section} in {where} muss eine Zuordnung von Selektoren sein.",
                                    f"{section} in {where} must be a mapping of selectors."), hint=both("Das Format zeigt docs/profile-example.yml.", "See docs/profile-example.yml for the format."))
        extra = sorted(set(values) - set(keys))
        if extra:
            raise ProfileError(both(f"{section} in {where} hat unbekannte Schlüssel: {', '.join(extra)}.",
                                    f"{section} in {where} has unknown keys: {', '.join(extra)}."),
                               hint=both(f"Bekannt: {', '.join(keys)}.", f"Known: {', '.join(keys)}."))
        required = [k for k, needed in keys.items() if needed and not values.get(k)]
        if section != "boards" and required:
            raise ProfileError(both(f"{section}.{required[0]} fehlt in {where}.", f"{section}.{required[0]} is missing in {where}."),
                               hint=both("Das Format zeigt docs/profile-example.yml.", "See docs/profile-example.yml for the format."))
    try:
        re.compile(str(config["thread"]["id"]))
    except re.error as error:
        raise ProfileError(both(f"thread.id in {where} ist kein regulärer Ausdruck ({error}).",
                                f"thread.id in {where} is not a regular expression ({error})."),
                           hint=both("Eine Python-Regex, deren erste Gruppe die Thread-Nummer ist.",
                                     "A Python regular expression whose first group is the thread id.")) from None
    return ProfileEngine(Profile(where, config))


def _iso(value: str | None, tz: str) -> str | None:
    """A date from an attribute or text, read as the forum engines read theirs."""
    if not value:
        return None
    value = value.strip()
    for reader in (dates.from_machine, dates.parse_date):
        try:
            return reader(value, tz=tz)
        except (ValueError, TypeError):
            continue
    return None


def _value(node: Any) -> str | None:
    """What a date or count element says: its datetime/title/data attribute, else its text."""
    if node is None:
        return None
    for attr in ("datetime", "data-time", "data-timestamp", "title"):
        if node.get(attr):
            return node.get(attr)
    return node.get_text(" ", strip=True)


class ProfileEngine:
    """The Engine protocol driven by a profile's selectors."""

    name = "profile"

    def __init__(self, profile: Profile):
        self.profile = profile
        self.tz = str(profile.config.get("timezone") or "Europe/Berlin")
        self.id_pattern = re.compile(str(profile.get("thread", "id")))

    def _missing(self, key: str, url: str, what: str) -> ProfileError:
        selector = key.split(".", 1)
        return ProfileError(
            f"The profile's selector {key} ({self.profile.get(*selector)!r}) matched nothing on {url}: "
            f"it should find {what}.",
            hint=f"Open that page in a browser, find the right CSS selector and fix {key} in {self.profile.path}.")

    def detect(self, url: str, body: str, headers: dict[str, str]) -> bool:
        marker = self.profile.config.get("detect")
        return bool(marker) and str(marker) in body

    def thread_id(self, url: str) -> int | None:
        match = self.id_pattern.search(url or "")
        return int(match.group(1) if match.groups() else match.group(0)) if match else None

    def thread_url(self, base_url: str, thread_id: int, page: int = 1) -> str:
        template = self.profile.config.get("thread_url")
        if not template:
            raise ProfileError(both(f"thread_url fehlt in {self.profile.path}: nötig, um einen Thread über seine Nummer "
                                    "erneut zu lesen.",
                                    f"thread_url is missing in {self.profile.path}: needed to read a thread again by its id."),
                               hint=both("Ergänzen Sie z.B. thread_url: \"{base}/viewtopic.php?t={id}\".",
                                         "Add e.g. thread_url: \"{base}/viewtopic.php?t={id}\"."))
        return str(template).format(base=base_url.rstrip("/"), id=thread_id)

    def _login(self, soup: BeautifulSoup) -> bool:
        selector = self.profile.config.get("login")
        return bool(selector) and soup.select_one(selector) is not None

    def parse_list(self, body: str, url: str) -> ListPage:
        soup = BeautifulSoup(body, "lxml")
        if self._login(soup):
            return ListPage(login_required=True)
        board_sel = self.profile.get("boards", "link")
        boards = [Board(url=urljoin(url, a["href"]), title=a.get_text(" ", strip=True))
                  for a in (soup.select(board_sel) if board_sel else []) if a.get("href")]
        rows = soup.select(self.profile.get("topics", "row"))
        if not rows and not boards:
            raise self._missing("topics.row", url, "the topics of a list"
                                + (" (and boards.link no board either)" if board_sel else ""))
        threads = []
        for row in rows:
            link = row.select_one(self.profile.get("topics", "link"))
            if link is None or not link.get("href"):
                raise self._missing("topics.link", url, "the link of each topic row")
            target = urljoin(url, link["href"])
            thread_id = self.thread_id(target)
            if thread_id is None:
                pattern = self.profile.get('thread', 'id')
                raise ProfileError(both(f"thread.id ({pattern!r}) findet keine Thread-Nummer in {target}.",
                                        f"thread.id ({pattern!r}) finds no thread id in {target}."),
                                   hint=both(f"Korrigieren Sie thread.id in {self.profile.path}: ein Muster, dessen erste "
                                             "Gruppe die Nummer ist.",
                                             f"Fix thread.id in {self.profile.path}: a pattern whose first group is the id."))
            replies = self._select_value(row, "topics", "replies")
            count = DIGITS.search(replies.replace(".", "")) if replies else None
            moved = self.profile.get("topics", "moved")
            sticky = self.profile.get("topics", "sticky")
            threads.append(ListedThread(
                thread_id=thread_id, url=target, title=link.get_text(" ", strip=True),
                last_posted_at=_iso(self._select_value(row, "topics", "last_post"), self.tz),
                replies=int(count.group(0)) if count else None,
                pinned=bool(sticky) and (row.select_one(sticky) is not None or _matches(row, sticky)),
                moved_to=target if moved and (row.select_one(moved) is not None or _matches(row, moved)) else None))
        return ListPage(threads=threads, boards=boards, next_url=self._next(soup, url, "topics"))

    def _select_value(self, node: Any, section: str, key: str) -> str | None:
        selector = self.profile.get(section, key)
        return _value(node.select_one(selector)) if selector else None

    def _next(self, soup: BeautifulSoup, url: str, section: str) -> str | None:
        selector = self.profile.get(section, "next")
        link = soup.select_one(selector) if selector else None
        return urljoin(url, link["href"]) if link is not None and link.get("href") else None

    def parse_thread(self, body: str, url: str) -> ThreadPage:
        soup = BeautifulSoup(body, "lxml")
        thread_id = self.thread_id(url) or 0
        if self._login(soup):
            return ThreadPage(thread_id=thread_id, title="", url=url, posts=[], login_required=True)
        title = soup.select_one(self.profile.get("thread", "title"))
        if title is None:
            raise self._missing("thread.title", url, "the thread's title")
        nodes = soup.select(self.profile.get("thread", "post"))
        if not nodes:
            raise self._missing("thread.post", url, "each post of the thread")
        posts = [self._post(node, url, index) for index, node in enumerate(nodes)]
        return ThreadPage(thread_id=thread_id, title=title.get_text(" ", strip=True), url=url, posts=posts,
                          next_url=self._next(soup, url, "thread"))

    def _post(self, node: Any, url: str, index: int) -> Post:
        id_attr = self.profile.get("thread", "post_id") or "id"
        found = DIGITS.search(node.get(id_attr) or "")
        if not found:
            raise ProfileError(both(f"thread.post_id: das Attribut {id_attr!r} des Beitragselements enthält auf {url} keine Zahl.",
                                    f"thread.post_id: the post element's {id_attr!r} attribute holds no number on {url}."),
                               hint=both(f"Nennen Sie in thread.post_id in {self.profile.path} das Attribut, das die "
                                         "Nummer jedes Beitrags enthält.",
                                         f"Name the attribute holding each post's id in thread.post_id in {self.profile.path}."))
        body = node.select_one(self.profile.get("thread", "body"))
        if body is None:
            raise self._missing("thread.body", url, "the text of each post")
        for selector in _as_list(self.profile.get("thread", "remove")):
            for element in body.select(selector):
                element.decompose()
        quote_sel = self.profile.get("thread", "quote")
        for quote in body.select(quote_sel) if quote_sel else []:
            author_sel = self.profile.get("thread", "quote_author")
            cite = quote.select_one(author_sel) if author_sel else None
            name = None
            if cite is not None:
                name = re.sub(r"\s*(hat geschrieben|schrieb|wrote|said)\s*:?.*$", "", cite.get_text(" ", strip=True),
                              flags=re.S | re.I)
                name = re.sub(r"^(Zitat von|Quote from|Originally Posted by)\s*:?\s*", "", name, flags=re.I) or None
                cite.decompose()
            aside = BeautifulSoup("", "lxml").new_tag("aside", attrs={"class": "quote"})
            if name:
                aside["data-username"] = name
            block = BeautifulSoup("", "lxml").new_tag("blockquote")
            block.extend(list(quote.contents))
            aside.append(block)
            quote.replace_with(aside)
        author = self._select_value(node, "thread", "author")
        return Post(post_id=int(found.group(0)), number=None, author=author or None,
                    created_at=_iso(self._select_value(node, "thread", "date"), self.tz), body=body.decode_contents())


def _as_list(value: Any) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _matches(node: Any, selector: str) -> bool:
    """Whether the row element itself matches (a class on the row rather than inside it)."""
    try:
        return node.parent is not None and node in node.parent.select(f":scope > {selector}")
    except ValueError:
        return False
