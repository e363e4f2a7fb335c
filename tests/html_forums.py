"""Recorded forum pages (tests/fixtures/html-forums) and their gold annotations, for the engine tests."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html

from miner.sources import markup
from miner.sources.dates import DateError, parse_date

FIXTURES = Path(__file__).parent / "fixtures" / "html-forums"
BUILT = FIXTURES / "built"


def built_page(name: str) -> str:
    """A page built from an engine's own templates (tests/fixtures/html-forums/built), as text."""
    return (BUILT / name).read_text(encoding="utf-8")


def load_page(relative: str) -> tuple[str, str, list[dict]]:
    """(html, url, gold posts) of one recorded page; raw .html pages have no gold and a placeholder URL."""
    path = FIXTURES / relative
    if path.suffix == ".html":
        data = path.read_bytes()
        declared = re.search(rb'charset=["\']?([\w-]+)', data[:4000])
        encoding = declared.group(1).decode() if declared else "utf-8"
        return data.decode(encoding, errors="replace"), "", []
    record = json.loads(path.read_text(encoding="utf-8"))
    return record["html"], record["url"], record.get("gold_standard_annotation", [])


def normalise(value: str) -> str:
    """Letters and digits only: whitespace, punctuation and typography differences do not count."""
    return re.sub(r"[\W_]+", "", value.lower())


def segments(body: str) -> list[str]:
    """The author's own text of canonical markup, cut at each quote and code block (they interleave
    with the reply, and pages print chrome such as "Code: Select all" around code)."""
    if not body.strip():
        return []
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    for aside in markup.select(root, "aside.quote, pre"):
        marker = lxml.html.Element("span")
        marker.text = "\u2063QUOTE\u2063"
        marker.tail = aside.tail
        aside.getparent().replace(aside, marker)
    return [part for part in (normalise(piece) for piece in root.text_content().split("\u2063QUOTE\u2063")) if part]


def quote_texts(body: str) -> list[str]:
    if not body.strip():
        return []
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    return [normalise(node.text_content()) for node in markup.select(root, "aside.quote > blockquote")]


def gold_authors(page: lxml.html.HtmlElement, surface: str) -> set[str]:
    """The gold 'user' is a name, or the href of the author's profile link: then the texts of the
    links to that profile (one is the name; others are a letter avatar or "View Public Profile")."""
    if "/" in surface or "?" in surface or "." in surface and " " not in surface:
        hrefs = (surface, "/" + surface.lstrip("/"))  # one gold file drops the leading slash
        names = {" ".join(link.text_content().split())
                 for href in hrefs for link in page.xpath("//a[@href=$href]", href=href)}
        if any(names):
            return names - {""}
    return {surface}


def same_moment(ours: str | None, gold_text: str, tz: str, page_has_machine_dates: bool) -> bool:
    """Our ISO date against the gold's printed date: exact to the minute, or the same day when
    the page prints only a day (a day in the forum's zone may be +-1 from a machine timestamp's)."""
    if ours is None:
        return False
    try:
        expected = parse_date(gold_text, tz=tz, now=dt.datetime(2020, 6, 1, tzinfo=dt.timezone.utc))
    except DateError:
        return False
    if re.search(r"\d:\d\d", gold_text):
        return ours[:16] == expected[:16]
    ours_day = dt.datetime.fromisoformat(ours.replace("Z", "+00:00")).astimezone(ZoneInfo(tz)).date()
    gold_day = dt.date.fromisoformat(
        dt.datetime.fromisoformat(expected.replace("Z", "+00:00")).astimezone(ZoneInfo(tz)).date().isoformat())
    return abs((ours_day - gold_day).days) <= (1 if page_has_machine_dates else 0)


def text_not_in_gold(body: str, gold_text: str) -> str:
    """Our own text that the gold post does not have (it should be nothing but the odd hidden
    spoiler the gold's text rendering skipped: no signature, no page chrome)."""
    gold = normalise(gold_text)
    extra = []
    for own in segments(body):
        if own in gold:
            continue
        matcher = difflib.SequenceMatcher(None, own, gold, autojunk=False)
        position = 0
        for block in matcher.get_matching_blocks():
            extra.append(own[position:block.a])
            position = block.a + block.size
    return "".join(extra)


def unexplained_gold_text(body: str, gold_text: str) -> str:
    """What the gold post text holds that our body (own text and quotes, in page order) does not:
    the quote attributions we moved out ("X wrote:", dates), nothing else."""
    gold = normalise(gold_text)
    ours = normalise(markup.plain_text(body))
    matcher = difflib.SequenceMatcher(None, gold, ours, autojunk=False)
    rest, position = [], 0
    for block in matcher.get_matching_blocks():
        rest.append(gold[position:block.a])
        position = block.a + block.size
    return "".join(rest)
