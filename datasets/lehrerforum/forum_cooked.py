"""Render post text the way Discourse cooks it: paragraphs, lists, quotes, mentions, emoji, oneboxes.

Part of the lehrerforum generator (see make_forum.py). Standard library only.
"""

from __future__ import annotations

import html
import re

import common

URL_RE = re.compile(r"https?://[^\s<>()]+[^\s<>().,;:!?]")
MENTION_RE = re.compile(r"(?<![\w.@/])@([A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9_])")
EMOJI_RE = re.compile(r":([a-z0-9_+]+):")
LINK_TITLES: dict[str, str] = {}  # URL -> title for oneboxes, reset per run


def slugify(title: str) -> str:
    """Discourse-like ASCII slug (German umlauts transliterated)."""
    s = title.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("é", "e"), ("&", " ")):
        s = s.replace(a, b)
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:80].strip("-") or "topic"


def fancy(title: str) -> str:
    return html.escape(title, quote=False).replace("'", "&rsquo;").replace('"', "&quot;")


def emoji_img(name: str, only: bool = False) -> str:
    cls = "emoji only-emoji" if only else "emoji"
    return (f'<img src="/images/emoji/twitter/{name}.png?v=12" title=":{name}:" class="{cls}" '
            f'alt=":{name}:" loading="lazy" width="20" height="20">')


def render_inline(text: str, usernames: set[str]) -> str:
    s = html.escape(text, quote=False)
    s = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", s)

    def link(m: re.Match) -> str:
        url = m.group(0)
        title = LINK_TITLES.get(url.replace("&amp;", "&"))
        if title:
            return f'<a href="{url}" class="inline-onebox" rel="noopener nofollow ugc">{html.escape(title, quote=False)}</a>'
        return f'<a href="{url}" rel="noopener nofollow ugc">{url}</a>'

    s = URL_RE.sub(link, s)

    def mention(m: re.Match) -> str:
        name = m.group(1)
        if name not in usernames:
            return m.group(0)
        return f'<a class="mention" href="/u/{name.lower()}">@{name}</a>'

    s = MENTION_RE.sub(mention, s)
    only = re.fullmatch(r"(\s*:[a-z0-9_+]+:\s*)+", text) is not None
    s = EMOJI_RE.sub(lambda m: emoji_img(m.group(1), only) if m.group(1) in common.EMOJI else m.group(0), s)
    return s


def onebox(url: str) -> str:
    domain = re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
    title = html.escape(LINK_TITLES.get(url, domain), quote=False)
    return (f'<aside class="onebox allowlistedgeneric" data-onebox-src="{url}">\n  <header class="source">\n\n'
            f'      <a href="{url}" target="_blank" rel="noopener nofollow ugc">{domain}</a>\n  </header>\n\n'
            f'  <article class="onebox-body">\n    \n\n<h3><a href="{url}" target="_blank" rel="noopener nofollow ugc">'
            f'{title}</a></h3>\n\n\n\n  </article>\n\n  <div class="onebox-metadata">\n    \n    \n  </div>\n\n'
            f'  <div style="clear: both"></div>\n</aside>\n')


NUMBERED_RE = re.compile(r"^(\d+)[.)]\s+")


def render_list(group: list[str], usernames: set[str]) -> str:
    """Numbered blocks as markdown-it renders them: one <ol>, loose (<li><p>) when blank lines separate items."""
    items: list[list[str]] = []
    for block in group:
        for line in block.split("\n"):
            m = NUMBERED_RE.match(line)
            if m:
                items.append([line[m.end():]])
            else:
                items[-1].append(line)
    start = int(NUMBERED_RE.match(group[0]).group(1))
    attr = f' start="{start}"' if start != 1 else ""
    out = []
    for lines in items:
        body = "<br>\n".join(render_inline(ln, usernames) for ln in lines)
        out.append(f"<li>\n<p>{body}</p>\n</li>" if len(group) > 1 else f"<li>{body}</li>")
    return f"<ol{attr}>\n" + "\n".join(out) + "\n</ol>"


def render_markdown(text: str, usernames: set[str]) -> str:
    """The small Markdown subset the pools use, rendered the way Discourse cooks it."""
    out = []
    blocks = re.split(r"\n{2,}", text.strip())
    i = 0
    while i < len(blocks):
        block = blocks[i]
        lines = block.split("\n")
        if block.startswith("```"):
            lang = lines[0][3:].strip() or "auto"
            body = "\n".join(lines[1:-1] if lines[-1].startswith("```") else lines[1:])
            out.append(f'<pre><code class="lang-{lang}">{html.escape(body, quote=False)}\n</code></pre>')
        elif NUMBERED_RE.match(block):
            group = [block]
            while i + 1 < len(blocks) and NUMBERED_RE.match(blocks[i + 1]):
                i += 1
                group.append(blocks[i])
            out.append(render_list(group, usernames))
        elif all(ln.startswith("- ") for ln in lines):
            items = "".join(f"<li>{render_inline(ln[2:], usernames)}</li>\n" for ln in lines)
            out.append(f"<ul>\n{items}</ul>")
        elif len(lines) == 1 and URL_RE.fullmatch(block.strip()) and block.strip() in LINK_TITLES:
            out.append(onebox(block.strip()).rstrip("\n"))
        else:
            out.append("<p>" + "<br>\n".join(render_inline(ln, usernames) for ln in lines) + "</p>")
        i += 1
    return "\n".join(out)


def avatar_url(user: dict, size: int) -> str:
    return user["avatar_template"].replace("{size}", str(size))


def render_post(blocks: list, topic_id: int, users: dict, usernames: set[str]) -> str:
    parts = []
    for block in blocks:
        if block[0] == "quote":
            _, who, number, text = block
            inner = render_markdown(text, usernames)
            parts.append(
                f'<aside class="quote no-group" data-username="{who}" data-post="{number}" data-topic="{topic_id}">\n'
                f'<div class="title">\n<div class="quote-controls"></div>\n'
                f'<img alt="" width="24" height="24" src="{avatar_url(users[who], 48)}" class="avatar"> {who}:</div>\n'
                f"<blockquote>\n{inner}\n</blockquote>\n</aside>")
        else:
            parts.append(render_markdown(block[1], usernames))
    return "\n".join(parts)
