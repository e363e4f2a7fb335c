"""The published FAQ (``collect.published_faq``) as text: Markdown, a Discourse wiki body, HTML, JSON.

Pure functions: dicts in, strings out. Answers keep the project's rules: HTML pages show them
through ``miner.render`` (Markdown + nh3 allow-list); Markdown output carries the editor's Markdown
with raw HTML and non-http(s) links removed, so whatever renders it later cannot run anything.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2

from miner.export.words import word
from miner.moderation_text import defuse_mentions, escape_link_text
from miner.render import URL_SCHEMES

JSON_FORMAT = "miner-faq"
JSON_VERSION = 1
DISCOURSE_MAX_CHARS = 32_000  # Discourse's default max_post_length

_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
    autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
)

_DROPPED_BLOCKS = re.compile(r"<(script|style|iframe|object|embed|template|noscript|textarea|select|svg|math)\b.*?</\1\s*>",
                             re.I | re.S)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.S)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*):([^<>\s]*)>")
_LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)>?(?:\s+\"[^\"]*\")?\s*\)")


def safe_markdown(text: str | None) -> str:
    """An answer's Markdown without raw HTML and without links or images to anything but http(s)/mailto."""
    text = _DROPPED_BLOCKS.sub("", (text or "").replace("\r\n", "\n"))
    text = _TAG.sub("", text)
    text = _AUTOLINK.sub(lambda m: m.group(0) if m.group(1).lower() in URL_SCHEMES else f"{m.group(1)}:{m.group(2)}", text)

    def link(match: re.Match) -> str:
        bang, label, target = match.groups()
        scheme = target.split(":", 1)[0].lower() if ":" in target else ""
        if scheme not in URL_SCHEMES:
            return label
        return f"[{label}]({target})" if not bang else f"[{label or target}]({target})"  # images become links

    return _LINK.sub(link, text).strip()


def _demote_headings(markdown: str, top: int) -> str:
    """Headings inside an answer sit below the entry's own heading: the answer's highest becomes ``top``."""
    heading = re.compile(r"^(\s{0,3})(#{1,6})(?=\s)", flags=re.M)
    levels = [len(m.group(2)) for m in heading.finditer(markdown)]
    if not levels:
        return markdown
    shift = max(0, top - min(levels))
    return heading.sub(lambda m: m.group(1) + "#" * min(6, len(m.group(2)) + shift), markdown)


def _link_label(text: str) -> str:
    """A title as one line of literal Markdown (headings, link labels, contents)."""
    return escape_link_text(" ".join((text or "").split()))


def _sources_line(entry: dict, lang: str) -> str:
    links = [f"[{_link_label(s['title'])}]({s['url']})" for s in entry["sources"] if s["url"]]
    return f"{word('sources', lang)}: " + ", ".join(links) if links else ""


def to_markdown(faq: dict) -> str:
    """One Markdown file: title, contents by section, then every entry with its answer, date and sources."""
    lang = faq["lang"]
    lines = [f"# {faq['title']}", "", faq["intro"], "", f"## {word('contents', lang)}", ""]
    for section in faq["sections"]:
        lines.append(f"- **{_link_label(section['title'])}** ({word('entries', lang, count=len(section['entries']))})")
        lines += [f"  - {_link_label(entry['title'])}" for entry in section["entries"]]
    for section in faq["sections"]:
        lines += ["", f"## {_link_label(section['title'])}"]
        for entry in section["entries"]:
            lines += ["", f"### {_link_label(entry['title'])}", "", _demote_headings(safe_markdown(entry["answer"]["markdown"]), 4), "",
                      f"*{word('answered_on', lang, date=entry['answer']['date'])}*"]
            if entry["url"]:
                lines[-1] += f" · [{word('live', lang)}]({entry['url']})"
            sources = _sources_line(entry, lang)
            if sources:
                lines += ["", sources]
    lines += ["", "---", "", f"*{word('footer', lang)}*"]
    return "\n".join(lines) + "\n"


def to_discourse_wiki(faq: dict) -> str:
    """A body for a Discourse wiki topic: sections as headings, each entry a collapsible [details]
    block (readers open the question they have), no @mention that would notify anybody."""
    lang = faq["lang"]
    lines = [faq["intro"], ""]
    for section in faq["sections"]:
        lines += [f"## {_link_label(section['title'])}", ""]
        for entry in section["entries"]:
            title = re.sub(r'["<>\[\]]', "", " ".join(entry["title"].split()))
            body = _demote_headings(defuse_mentions(safe_markdown(entry["answer"]["markdown"])), 3)
            lines += [f'[details="{title}"]', body, "",
                      f"*{word('answered_on', lang, date=entry['answer']['date'])}*"
                      + (f" · [{word('live', lang)}]({entry['url']})" if entry["url"] else "")]
            sources = _sources_line(entry, lang)
            if sources:
                lines += ["", sources]
            lines += ["[/details]", ""]
    lines += ["---", f"*{word('footer', lang)}*"]
    return "\n".join(lines) + "\n"


def to_json(faq: dict) -> str:
    """The documented structure (README, ``miner export``): format, version, lang, title, date,
    faq_url, sections[].entries[] with answer {markdown, html, published_at, date} and sources."""
    data = {"format": JSON_FORMAT, "version": JSON_VERSION, **faq}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def entry_file(entry: dict) -> str:
    return f"faq-{entry['id']}.html"


def to_html_pages(faq: dict) -> dict[str, str]:
    """File name -> page: a self-contained index.html (inline CSS, no script, nothing loaded from
    elsewhere) and one page per entry; answers are the sanitized HTML of ``miner.render``."""
    lang = faq["lang"]
    words = {key: word(key, lang) for key in ("contents", "asked_like", "sources", "entry_page", "back", "live", "footer")}
    common = {"faq": faq, "w": words, "lang": lang, "entry_file": entry_file,
              "answered_on": lambda date: word("answered_on", lang, date=date),
              "entries_count": lambda n: word("entries", lang, count=n)}
    pages = {"index.html": _TEMPLATES.get_template("index.html").render(**common)}
    for section in faq["sections"]:
        for entry in section["entries"]:
            pages[entry_file(entry)] = _TEMPLATES.get_template("entry.html").render(**common, section=section, entry=entry)
    return pages
