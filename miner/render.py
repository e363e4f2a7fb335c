"""Safe HTML for everything a browser shows: forum posts (cooked HTML) and editors' Markdown.

Forum posts and answers are written by people we do not control, so every piece of their HTML goes
through nh3 (a maintained sanitizer, Rust ammonia) with a short allow-list: no scripts, no event
handlers, no ``style``, no SVG/MathML, only http(s)/mailto links, and every link gets
``rel="nofollow noopener noreferrer"`` so a forum cannot borrow our page rank or our window.
"""

from __future__ import annotations

import functools
import re

import markdown as _markdown
import nh3

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "details", "div", "em", "h1", "h2",
        "h3", "h4", "h5", "h6", "hr", "i", "kbd", "li", "ol", "p", "pre", "s", "span", "strong",
        "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
    }
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}
# Tags removed together with their content (text inside them is never meant to be read).
DROPPED_WITH_CONTENT: frozenset[str] = frozenset(
    {"script", "style", "svg", "math", "iframe", "object", "embed", "template", "noscript", "textarea", "select"}
)
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"


def sanitize_html(html: str | None) -> str:
    """Forum or editor HTML reduced to the allow-list; safe to insert into any page."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


@functools.lru_cache(maxsize=512)
def markdown_to_safe_html(text: str | None) -> str:
    """An editor's Markdown answer as sanitized HTML (raw HTML inside the Markdown is sanitized too).

    Cached: the same answers are shown on every FAQ page view, and the function is pure."""
    if not text:
        return ""
    html = _markdown.markdown(text, extensions=["fenced_code", "tables", "sane_lists"], output_format="html")
    return sanitize_html(html)


def safe_url(url: str | None) -> str:
    """The URL if it is http(s), else '' (a stored URL must never become a javascript: link)."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


# ---------------------------------------------------------------- terminals

# ESC sequences as terminals read them: CSI (colours, clear screen), OSC (window title, links) up to
# BEL or ST, DCS/SOS/PM/APC strings, two-character escapes; and the 8-bit CSI / OSC forms.
TERMINAL_ESCAPE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?|[ -~]?)"
    r"|\x9b[0-?]*[ -/]*[@-~]?|[\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x9c)?"
)
# what is left: C0 controls but tab and newline, DEL, C1 controls, bidi overrides that reorder the line
TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: object) -> str:
    """Forum text made safe to print: escape sequences and control characters removed (a thread
    title must not retitle the window, clear the screen or ring the bell); newlines and tabs kept."""
    value = str(text).replace("\r\n", "\n")
    return TERMINAL_CONTROL.sub("", TERMINAL_ESCAPE.sub("", value))
