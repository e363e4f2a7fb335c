"""Pure text surgery for erasing a person: remove their quotes, mentions and words from rows.

Used by ``miner forget`` on the stored posts, and by the scraper on freshly parsed rows
(``scrub_post`` / ``scrub_thread``) so that a later scrape does not bring an erased person back.
Rows are plain dicts as in ``store.TABLES``; nothing here touches the database.
"""

from __future__ import annotations

import re
from typing import Container, Iterable

from bs4 import BeautifulSoup

from miner.keys import PSEUDONYM

ERASED_TEXT = "[gelöscht]"
MIN_FRAGMENT = 15  # shorter sentences ("Danke!") are too common to be anybody's own words
BLANK_POST = {"author": None, "text": ERASED_TEXT, "quoted": "", "html": "", "masked": 0}


def normalize(text: str | None) -> str:
    """Whitespace-collapsed text, so quotes match across line breaks and HTML formatting."""
    return " ".join((text or "").split())


def distinctive_fragments(texts: Iterable[str | None], min_chars: int = MIN_FRAGMENT) -> list[str]:
    """The sentences and lines of someone's texts that are long enough to be recognisably theirs.

    Longest first, so removing a long fragment happens before its shorter pieces.
    """
    found: set[str] = set()
    for text in texts:
        if not text or text == ERASED_TEXT:
            continue
        for piece in re.split(r"(?<=[.!?…])\s+|\n+", text):
            piece = normalize(piece)
            if len(piece) >= min_chars:
                found.add(piece)
    return sorted(found, key=lambda f: (-len(f), f))


def is_theirs(snippet: str, fragments: Iterable[str], own_texts: Iterable[str]) -> bool:
    """True when a quoted snippet is (part of) the person's words: it contains one of their
    sentences, or it is a long enough piece of one of their posts (a partial quote)."""
    snippet = normalize(snippet)
    if len(snippet) < MIN_FRAGMENT:
        return False
    return any(f in snippet for f in fragments) or any(snippet in own for own in own_texts)


def scrub_post(row: dict, erased: Container[str]) -> dict:
    """A freshly parsed post row with every trace of erased pseudonyms removed (scraper save path).

    Their own posts become ``[gelöscht]`` placeholders without author; in other posts, quotes
    attributed to them (``data-username``) go from ``html`` and ``quoted``, and @mentions are blanked.
    Returns the row unchanged when no erased pseudonym occurs in it.
    """
    if not erased:
        return row
    if row.get("author") in erased:
        return {**row, **BLANK_POST}
    row = dict(row)
    fields = " ".join(str(row.get(k) or "") for k in ("text", "quoted", "html")).lower()
    for pseudonym in sorted(set(PSEUDONYM.findall(fields))):
        if pseudonym in erased:
            row.update(clean_other_post(row, pseudonym)[0])
    return row


def scrub_thread(row: dict, erased: Container[str]) -> dict:
    """A parsed thread row whose starter was erased loses starter, title and slug (scraper save path)."""
    if not erased or row.get("starter") not in erased:
        return row
    return {**row, **blank_thread(row)}


def blank_thread(row: dict) -> dict:
    """The columns of a thread row that change when its starter is erased (the title is their words)."""
    return {"starter": None, "title": ERASED_TEXT, "slug": None, "url": url_without_slug(row.get("url"))}


def strip_fragments(text: str, fragments: list[str]) -> str:
    """Remove each fragment (matched across any whitespace) from text."""
    if not text:
        return text
    flat = normalize(text)
    for fragment in fragments:
        if fragment in flat:
            pattern = r"\s+".join(re.escape(word) for word in fragment.split())
            text = re.sub(pattern, "", text)
    return text


def replace_pseudonym(text: str | None, pseudonym: str) -> str | None:
    """Blank every mention of the pseudonym (``@user-…``, attributions, profile links)."""
    if not text or pseudonym.lower() not in text.lower():
        return text
    return re.sub(re.escape(pseudonym), ERASED_TEXT, text, flags=re.I)


def strip_quoted_text(
    quoted: str | None, pseudonym: str, fragments: list[str], own_texts: list[str]
) -> tuple[str | None, int]:
    """Drop what a post's ``quoted`` column quotes of the person; returns (text, pieces dropped).

    ``quoted`` holds one quote per paragraph (blank-line separated): a paragraph with one of their
    sentences goes whole, then single lines that are theirs, then their sentences anywhere.
    """
    if not quoted:
        return quoted, 0
    kept, dropped = [], 0
    exact = {normalize(t) for t in own_texts}
    for block in quoted.split("\n\n"):
        if normalize(block) in exact or is_theirs(block, fragments, own_texts):
            dropped += 1
            continue
        lines = [line for line in block.split("\n")
                 if not (is_theirs(line, fragments, own_texts) or _attributed_line(line, pseudonym))]
        dropped += len(block.split("\n")) - len(lines)
        if lines:
            kept.append("\n".join(lines))
    text = strip_fragments("\n\n".join(kept), fragments)
    text = replace_pseudonym(text, pseudonym)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n"), dropped


def _attributed_line(line: str, pseudonym: str) -> bool:
    """A plain-text quote header such as ``user-ab12 schrieb:``."""
    return bool(re.match(rf"\s*@?{re.escape(pseudonym)}\b.{{0,40}}(schrieb|wrote|:)", line, re.I))


def strip_quotes_html(
    html: str | None, pseudonym: str, fragments: Iterable[str] = (), own_texts: Iterable[str] = ()
) -> tuple[str | None, list[str]]:
    """Remove quote blocks of the person from cooked HTML and blank mentions of them.

    A quote block is theirs when it is attributed to the pseudonym (``data-username``), or when it
    carries no attribution and its text is their words. Blocks attributed to someone else stay even
    if the words match: another person may have written the same sentence. Returns (html, texts
    of the removed blocks); the html comes back unchanged (same string) when nothing was theirs.
    """
    if not html:
        return html, []
    name = pseudonym.lower()
    has_name = name in html.lower()
    if not has_name and "<aside" not in html and "<blockquote" not in html:
        return html, []
    fragments, own_texts = list(fragments), list(own_texts)
    soup = BeautifulSoup(html, "html.parser")
    removed: list[str] = []
    for block in soup.find_all(["aside", "blockquote"]):
        if block.decomposed:
            continue
        username = (block.get("data-username") or "").lower()
        attributed_elsewhere = block.find_parent(attrs={"data-username": True}) is not None
        if username == name or (not username and not attributed_elsewhere
                                and is_theirs(block.get_text(" "), fragments, own_texts)):
            quote = block.find("blockquote") if block.name == "aside" else block
            removed.append((quote or block).get_text(" "))
            block.decompose()
    changed = bool(removed)
    for link in soup.find_all("a", class_="mention"):
        if name in (link.get_text() + (link.get("href") or "")).lower():
            link.replace_with("@" + ERASED_TEXT)
            changed = True
    if has_name:
        for node in soup.find_all(string=True):
            if name in node.lower():
                node.replace_with(replace_pseudonym(str(node), pseudonym))
                changed = True
        for tag in soup.find_all(True):
            for attr, value in list(tag.attrs.items()):
                if isinstance(value, str) and name in value.lower():
                    tag[attr] = replace_pseudonym(value, pseudonym)
                    changed = True
    return (str(soup) if changed else html), removed


def clean_other_post(
    post: dict, pseudonym: str, fragments: Iterable[str] = (), own_texts: Iterable[str] = ()
) -> tuple[dict, int]:
    """The changes that take the person out of someone else's post: their quote blocks leave
    ``html`` and, by the same texts, ``quoted``; mentions of the pseudonym are blanked everywhere.
    The post's own words are never cut, even where they equal the person's. Returns
    (changed columns, quotes removed).
    """
    html, removed = strip_quotes_html(post.get("html"), pseudonym, fragments, own_texts)
    quoted, _ = strip_quoted_text(post.get("quoted"), pseudonym, distinctive_fragments(removed),
                                  [normalize(text) for text in removed])
    text = replace_pseudonym(post.get("text"), pseudonym)
    changes = {k: v for k, v in (("html", html), ("quoted", quoted), ("text", text)) if v != post.get(k)}
    return changes, len(removed)


def posts_to_remove(thread_posts: list[dict], author: str) -> tuple[list[str], list[str]]:
    """Split one thread's posts of ``author`` into (delete, blank).

    A post is kept as a ``[gelöscht]`` placeholder only where the thread would otherwise break:
    it is the first post of a thread in which someone else still has a post, or someone else
    replied to it. When nobody else is left, every post goes (and the caller drops the thread).
    """
    own = [p for p in thread_posts if p["author"] == author]
    others = [p for p in thread_posts if p["author"] != author and not is_placeholder(p)]
    if not others:
        return [p["id"] for p in own], []
    replied_to = {p.get("reply_to_post_number") for p in others}
    blank = [p["id"] for p in own if p["post_number"] == 1 or p["post_number"] in replied_to]
    return [p["id"] for p in own if p["id"] not in blank], blank


def is_placeholder(post: dict) -> bool:
    return post.get("author") is None and post.get("text") == ERASED_TEXT


def url_without_slug(url: str | None) -> str | None:
    """``https://f/t/some-title/123`` -> ``https://f/t/123``: the slug repeats the erased title."""
    if not url:
        return url
    return re.sub(r"/t/[^/?#]+/(\d+)", r"/t/\1", url)


def word_triples(text: str) -> set[tuple[str, str, str]]:
    """Three consecutive words (lower-cased): a cheap test whether a text can quote someone."""
    words = re.findall(r"\w+", text.lower())
    return set(zip(words, words[1:], words[2:]))


def mentions(post: dict, pseudonym: str) -> bool:
    """An @mention of the pseudonym in the author's own words or as a mention link."""
    name = re.escape(pseudonym)
    return bool(re.search(rf"@{name}", post["text"] or "", re.I)
                or re.search(rf'class="mention"[^>]*>@?{name}', post["html"] or "", re.I))
