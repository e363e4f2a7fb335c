"""Shared page surgery for the HTML engines: select, read text, and rewrite a post body into the
canonical markup of ``miner.sources.base`` (quotes as asides, code as pre/code, mentions, no chrome).

lxml with CSS selectors (compiled once) rather than BeautifulSoup: a thread page is parsed in a few
milliseconds instead of a few hundred, which is what lets a crawl parse and store faster than it fetches.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import parse_qs, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from miner.i18n import both

# chrome that is never part of what a member wrote, whatever the engine (one scan, not one per tag)
ALWAYS_DROPPED = ("script", "style", "noscript", "form", "button", "input", "select", "textarea", "iframe",
                  "object", "embed", "svg")
_ALWAYS_DROPPED = etree.XPath(".//*[" + " or ".join(f"self::{tag}" for tag in ALWAYS_DROPPED) + "]")
KEPT_ATTRIBUTES = {"a": ("href",), "img": ("src", "alt"), "aside": ("class", "data-username"), "ol": ("start",)}

QuoteReader = Callable[[HtmlElement], "tuple[str | None, HtmlElement]"]


class PageError(ValueError):
    """A page that is not HTML at all (empty, binary)."""


def parse_html(body: str | bytes) -> HtmlElement:
    """The document tree of a page; bytes are decoded by lxml from the page's own charset declaration."""
    if not body or not body.strip():
        raise PageError(both("leere Seite: nichts zu lesen (der Server hat keinen Inhalt geschickt)",
                             "empty page: nothing to parse (the server sent no body)"))
    if isinstance(body, str):
        body = re.sub(r"^\s*<\?xml[^>]*>", "", body)  # lxml refuses str input with an encoding declaration
    return lxml.html.document_fromstring(body)


@lru_cache(maxsize=512)
def _compiled(selector: str) -> CSSSelector:
    return CSSSelector(selector, translator="html")


def select(node: HtmlElement, selector: str) -> list[HtmlElement]:
    return _compiled(selector)(node)


def first(node: HtmlElement, selector: str) -> HtmlElement | None:
    found = _compiled(selector)(node)
    return found[0] if found else None


def first_of(node: HtmlElement, *selectors: str) -> HtmlElement | None:
    """The first match of the first selector that matches (elements without children are falsy: no `or`)."""
    for selector in selectors:
        found = first(node, selector)
        if found is not None:
            return found
    return None


def text(node: HtmlElement | None) -> str:
    """The element's visible text with whitespace collapsed ('' for None)."""
    if node is None:
        return ""
    return " ".join(node.text_content().split())


def generator(doc: HtmlElement) -> str:
    """The generator meta tag's content (anywhere in the page: re-serialised pages lose their head)."""
    meta = first(doc, 'meta[name="generator"], meta[name="Generator"]')
    return (meta.get("content") or "") if meta is not None else ""


def absolute(base_url: str, href: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    if href.startswith(("javascript:", "#", "mailto:")):
        return None
    return urljoin(base_url, href)


def folder_url(url: str) -> str:
    """The folder a page lives in ("https://x/forum/" for ".../forum/viewtopic.php?t=1")."""
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def root_url(url: str, sections: tuple[str, ...]) -> str:
    """The installation's root: the path before the first of `sections` ("/threads/", "/api/"...),
    else the page's folder."""
    parts = urlsplit(url)
    for section in sections:
        if section in parts.path:
            return urlunsplit((parts.scheme, parts.netloc, parts.path[: parts.path.index(section) + 1], "", ""))
    return folder_url(url)


def without_params(url: str, names: tuple[str, ...]) -> str:
    """`url` without the named query parameters (session ids forums add for cookie-less visitors)."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key not in names]
    text = urlencode(query, safe="/")
    # friendly URLs put the thread in a bare query ("showthread.php?123-title"): keep it bare
    text = re.sub(r"=(?=&|$)", "", text) if any(value == "" for _, value in query) else text
    return urlunsplit(parts._replace(query=text))


def first_id(patterns: tuple[re.Pattern, ...], text: str) -> int | None:
    """The first group of the first pattern that matches `text`, as an int."""
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return int(match.group(1))
    return None


def set_cookies(headers: dict[str, str]) -> str:
    """All Set-Cookie values of a response (forum cookies name their software)."""
    return " ".join(value for key, value in headers.items() if key.lower() == "set-cookie")


def query_value(url: str, name: str) -> str | None:
    values = parse_qs(urlsplit(url).query).get(name)
    return values[0] if values else None


def link_rel_next(doc: HtmlElement, base_url: str) -> str | None:
    """The page's own rel="next" link (head link or pagination anchor), absolute."""
    for node in select(doc, 'link[rel="next"], a[rel~="next"]'):
        url = absolute(base_url, node.get("href"))
        if url:
            return url
    return None


def numbered_link(navigations: list[HtmlElement], number: int, base_url: str) -> str | None:
    """The link labelled `number` in a pagination block (the next page where no rel=next is given)."""
    for navigation in navigations:
        for link in select(navigation, "a[href]"):
            if text(link) == str(number):
                return absolute(base_url, link.get("href"))
    return None


def page_numbers(doc: HtmlElement, bar: str, current: str, numbers: str) -> tuple[int, int | None]:
    """(this page, page count) from a bar of numbered page links: ``current`` marks this page, the
    highest of ``numbers`` is the count; (1, None) on a page without the bar."""
    nav = first(doc, bar)
    if nav is None:
        return 1, None
    here = int_or_none(text(first(nav, current)))
    found = [number for number in (int_or_none(text(node)) for node in select(nav, numbers)) if number]
    return here or 1, max(found) if found else None


def has_password_form(doc: HtmlElement, ignore: str = "") -> bool:
    """A password field on the page, outside `ignore` (the quick-login box some styles put into
    every page's header for guests: that alone does not make the page a login wall)."""
    fields = select(doc, 'input[type="password"]')
    if ignore:
        boxes = set(select(doc, ignore))
        fields = [field for field in fields if not any(parent in boxes for parent in field.iterancestors())]
    return bool(fields)


def int_or_none(value: str | None) -> int | None:
    digits = re.sub(r"[^\d]", "", value or "")
    return int(digits) if digits else None


def first_int(pattern: str, value: str | None) -> int | None:
    """The first group of `pattern` in `value` as an int (None when absent)."""
    match = re.search(pattern, value or "")
    return int(match.group(1)) if match else None


# --- post bodies -------------------------------------------------------------------------------------


def canonical_body(
    content: HtmlElement,
    base_url: str,
    *,
    drop: str = "",
    quotes: str = "",
    read_quote: QuoteReader | None = None,
    code: str = "",
    mentions: str = "",
    unwrap: str = "",
) -> str:
    """The canonical markup of one post body (a copy is rewritten; the page tree stays as it was).

    `drop` selects chrome to remove (signatures, edited-by lines, buttons); `quotes` selects quote
    containers and `read_quote(node)` returns (author or None, the element holding the quoted
    content) after removing the attribution from the node; `code` selects code containers whose
    `code`/`pre` text becomes ``<pre><code>``; `mentions` selects @-mention links; `unwrap` selects
    wrappers whose children stay (spoilers, collapsed quote containers).
    """
    body = copy.deepcopy(content)
    body.tail = None
    for node in _ALWAYS_DROPPED(body) + (select(body, drop) if drop else []):
        _remove(node)
    if code:
        for node in reversed(select(body, code)):
            _replace(node, code_block(_code_text(node)))
    if quotes and read_quote:
        for node in reversed(select(body, quotes)):  # innermost first: nested quotes stay nested
            author, quoted = read_quote(node)
            _replace(node, quote_block(quoted, author))
    if mentions:
        for node in select(body, mentions):
            name = text(node).lstrip("@")
            if name:
                _replace(node, mention(name))
    if unwrap:
        for node in reversed(select(body, unwrap)):
            node.drop_tag()
    _clean_attributes(body, base_url)
    return inner_html(body)


def quote_block(quoted: HtmlElement, author: str | None) -> HtmlElement:
    aside = lxml.html.Element("aside")
    aside.set("class", "quote")
    if author:
        aside.set("data-username", author)
    blockquote = lxml.html.Element("blockquote")
    aside.append(blockquote)
    blockquote.text = quoted.text
    for child in list(quoted):
        blockquote.append(child)
    _strip_edges(blockquote)
    return aside


def code_block(source: str) -> HtmlElement:
    pre = lxml.html.Element("pre")
    code = lxml.html.Element("code")
    code.text = source
    pre.append(code)
    return pre


def mention(name: str) -> HtmlElement:
    link = lxml.html.Element("a")
    link.set("class", "mention")
    link.set("href", f"/u/{name}")
    link.text = f"@{name}"
    return link


def strip_attribution(node: HtmlElement, selector: str) -> str | None:
    """Remove the attribution element(s) of a quote and return the author they named."""
    author = None
    for attribution in select(node, selector):
        author = author or attribution_name(attribution)
        _remove(attribution)
    return author


def cited_quote(node: HtmlElement) -> tuple[str | None, HtmlElement]:
    """(author, quoted text) of a quote as phpBB and Flarum print it: a <cite> names the author, and
    the text may sit in one <div> that wraps it."""
    author = strip_attribution(node, "cite")
    inner = [child for child in node if isinstance(child.tag, str)]
    if len(inner) == 1 and inner[0].tag == "div" and not (node.text or "").strip():
        return author, inner[0]
    return author, node


_ATTRIBUTION_WORDS = re.compile(
    r"^\s*(zitat\s+von:?|zitat\s*:?|quote\s+from:?|quote:?|originally\s+posted\s+by|original\s+von|"
    r"originalbeitrag\s+von)\s*|"
    r"\s*(hat\s+geschrieben|schrieb|wrote|said|sagte|posted)\s*:?.*$",
    re.IGNORECASE | re.DOTALL,
)


def attribution_name(node: HtmlElement) -> str | None:
    """The author named by an attribution: its profile link's text, else the words around it removed."""
    for link in node.iter("a"):
        href = link.get("href") or ""
        if re.search(r"member|profile|/u/|user|/members/", href) and text(link):
            return text(link)
    name = _ATTRIBUTION_WORDS.sub("", text(node)).strip(" :,-\u2191")
    name = re.sub(r"\s+(on|am)\s+\S.*$", "", name)  # "Quote from: X on May 05, 2020"
    return name or None


def plain_text(html: str) -> str:
    """The visible text of canonical markup (for tests and quick views)."""
    if not html.strip():
        return ""
    return " ".join(lxml.html.fragment_fromstring(html, create_parent="div").text_content().split())


def inner_html(node: HtmlElement) -> str:
    parts = []
    if node.text:
        parts.append(_escape(node.text))
    for child in node:
        parts.append(lxml.html.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts).strip()


def without_quotes(html: str) -> str:
    """Canonical markup minus its quote asides: what the author wrote."""
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for aside in select(root, "aside.quote"):
        _remove(aside)
    return " ".join(root.text_content().split())


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _code_text(node: HtmlElement) -> str:
    inner = next((found for found in (first(node, "code"), first(node, "pre")) if found is not None), node)
    return inner.text_content().strip("\n")


def _replace(old: HtmlElement, new: HtmlElement) -> None:
    new.tail = old.tail
    parent = old.getparent()
    if parent is not None:
        parent.replace(old, new)


def _remove(node: HtmlElement) -> None:
    if node.getparent() is not None:
        node.drop_tree()  # keeps the tail text


def _strip_edges(node: HtmlElement) -> None:
    """Drop leading/trailing line breaks a quote container leaves behind."""
    while len(node) and node[0].tag == "br" and not (node.text or "").strip():
        _remove(node[0])
    while len(node) and node[-1].tag == "br" and not (node[-1].tail or "").strip():
        _remove(node[-1])


def _clean_attributes(root: HtmlElement, base_url: str) -> None:
    for node in root.iter():
        if not isinstance(node.tag, str):  # comments, processing instructions
            continue
        kept = KEPT_ATTRIBUTES.get(node.tag, ())
        if node.tag == "a" and node.get("class") == "mention":
            continue
        for name in list(node.attrib):
            if name not in kept:
                del node.attrib[name]
        if node.tag == "a" and node.get("href"):
            url = absolute(base_url, node.get("href"))
            if url:
                node.set("href", url)
            else:
                del node.attrib["href"]
        if node.tag == "img" and node.get("src"):
            node.set("src", urljoin(base_url, node.get("src")))
    for comment in list(root.iter(etree.Comment)):
        _remove(comment)
