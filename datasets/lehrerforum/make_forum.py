#!/usr/bin/env python3
"""Write the synthetic "Lehrerzimmer digital" forum: a Discourse snapshot plus its labels.

Everything is generated from the hand-written phrase pools in ``source/`` with one fixed seed, so
running the script again reproduces ``snapshot/`` and ``labels.json`` byte for byte. Standard
library only, so the dataset can be rebuilt without the project installed.

Usage: python datasets/lehrerforum/make_forum.py [--out DIR]   (default: next to this script)

Pool markup (see source/README in this file's docstrings):
  [[...]]   a question, recorded verbatim in labels.json (markers stripped)
  {op} {opname} {me} {land} {schulform} {city}   filled per thread / author
  blank line = new paragraph, newline = <br>, "1. " lines = ordered list, "- " lines = list,
  a paragraph that is a bare URL = onebox, :emoji: codes, **bold**, @user mentions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import random
import re
import shutil
import sys
from pathlib import Path

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "source"))

import common  # noqa: E402
import faq_pools  # noqa: E402
import offtopic_pools  # noqa: E402
import personas  # noqa: E402
import special  # noqa: E402

SEED = 20190401
HOST = "https://forum.lehrerzimmer-digital.example"
FIRST_DAY = dt.datetime(2019, 1, 14, tzinfo=dt.timezone.utc)
LAST_DAY = dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc)

Q_RE = re.compile(r"\[\[(.+?)\]\]", re.S)
URL_RE = re.compile(r"https?://[^\s<>()]+[^\s<>().,;:!?]")
MENTION_RE = re.compile(r"(?<![\w.@/])@([A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9_])")
EMOJI_RE = re.compile(r":([a-z0-9_+]+):")
LINK_TITLES: dict[str, str] = {}  # URL -> title for oneboxes, reset per run
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}")


# ----------------------------------------------------------------------------- rendering

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


# ----------------------------------------------------------------------------- text variation

def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.random()
    if kind < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind < 0.8:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def add_typos(text: str, rng: random.Random, rate: float) -> str:
    """Misspell a few words, never inside URLs, mentions, emoji codes or placeholders."""
    def fix(m: re.Match) -> str:
        w = m.group(0)
        return typo(w, rng) if rng.random() < rate else w
    pieces = re.split(r"(https?://\S+|@\S+|:[a-z_]+:|\{[a-z]+\}|\[\[|\]\])", text)
    return "".join(p if i % 2 else re.sub(r"[A-Za-zÄÖÜäöüß]{5,}", fix, p) for i, p in enumerate(pieces))


def vary_question(q: str, rng: random.Random, style: dict) -> str:
    if style.get("lower"):
        q = q.lower()
    elif rng.random() < 0.06:
        q = q[0].lower() + q[1:]
    if q.endswith("?"):
        r = rng.random()
        if style.get("no_qmark") or r < 0.10:
            q = q[:-1].rstrip()
        elif r < 0.15:
            q = q + "?"
        elif r < 0.18:
            q = q[:-1] + "?!"
    return q


def finish_text(text: str, rng: random.Random, style: dict, fill: dict) -> str:
    """Fill placeholders, apply the author's habits (typos, lower case, no '?') everywhere."""
    for key, val in fill.items():
        text = text.replace("{" + key + "}", val)
    text = add_typos(text, rng, style.get("typos", 0.0))
    def vary(m: re.Match) -> str:
        prefix, question = split_prefix(m.group(1))
        return "[[" + prefix + vary_question(question.strip(), rng, style) + "]]"

    text = Q_RE.sub(vary, text)
    if style.get("lower"):
        out = []
        for i, p in enumerate(re.split(r"(https?://\S+|@\S+|\[\[.*?\]\])", text)):
            out.append(p if i % 2 else p.lower())
        text = "".join(out)
    return text


PREFIX_RE = re.compile(r"^(~|=[a-z0-9_]+=)")


def split_prefix(marked: str) -> tuple[str, str]:
    """'[[~...]]' marks a question outside any FAQ topic, '[[=key=...]]' one of another topic than the thread's."""
    m = PREFIX_RE.match(marked)
    return (m.group(1), marked[m.end():]) if m else ("", marked)


def strip_markers(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The text as posted, and its marked questions as (text, prefix)."""
    questions = [(q.strip(), prefix) for prefix, q in map(split_prefix, Q_RE.findall(text))]
    return Q_RE.sub(lambda m: split_prefix(m.group(1))[1], text), questions


# ----------------------------------------------------------------------------- forum model

STOPWORDS = set("""aber alle allem allen aller alles also andere anderen auch auf aus bei beim bin bis bitte dann darf das dass dem den der des die dies diese diesem dieser doch dort durch eine einem einen einer eines einfach etwa euch eure eurer euren für gibt habe haben hat hatte hier ich ihr ihre immer ist jede jeder jetzt kann kein keine können machen man mehr mich mir mit muss müssen nach nicht noch nur oder ohne schon sein seit sich sie sind soll sollte über und uns unser unsere unter viele vom von vor war was weil wenn wer wie wir wird wo zum zur zwei eigentlich euer habt jemand welche welcher welches gerade ganz""".split())


def tokens(text: str) -> set[str]:
    """Crude content-word stems, enough to pick an answer that fits the question asked."""
    return {w[:6] for w in re.findall(r"[a-zäöüß0-9.]{4,}", text.lower()) if w not in STOPWORDS}


class Pool:
    """Draw items least-used-first so every hand-written phrasing appears before any repeats;
    with a context, prefer items that share words with it (answers that fit the question)."""

    def __init__(self, items: list, rng: random.Random):
        self.items = list(items)
        self.uses = [0] * len(self.items)
        self.rng = rng
        self.item_tokens = [tokens(Q_RE.sub(lambda m: split_prefix(m.group(1))[1], it)) if isinstance(it, str) else set()
                            for it in self.items]

    def draw(self, avoid: set[int] | None = None, context: set[str] | None = None):
        avoid = avoid or set()
        cands = [i for i in range(len(self.items)) if i not in avoid] or list(range(len(self.items)))
        if context:
            scored = [(len(self.item_tokens[i] & context) * 1.6 - self.uses[i] * 1.2 + self.rng.random() * 1.5, i)
                      for i in cands]
            pick = max(scored)[1]
        else:
            low = min(self.uses[i] for i in cands)
            pick = self.rng.choice([i for i in cands if self.uses[i] == low])
        self.uses[pick] += 1
        return pick, self.items[pick]


class Forum:
    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.users = {}
        for i, p in enumerate(personas.PERSONAS):
            uid = 7 + i * 3 + (i % 5)
            username = p["username"]
            color = "%06x" % (random.Random(username).randrange(0x333333, 0xcccccc))
            if i % 4 == 0:
                tmpl = f"/user_avatar/forum.lehrerzimmer-digital.example/{username.lower()}/{{size}}/{100 + i * 7}_2.png"
            else:
                tmpl = f"/letter_avatar_proxy/v4/letter/{username[0].lower()}/{color}/{{size}}.png"
            self.users[username] = dict(p, id=uid, avatar_template=tmpl, email=email_for(p),
                                        phone=common.PHONES[i % len(common.PHONES)])
        self.usernames = set(self.users)
        self.by_weight = [u for u in personas.PERSONAS if not u.get("moderator") and not u.get("english")]
        self.pools = {}
        self.threads = []  # list of dict(spec..., posts=[...])

    # -- helpers
    def pool(self, name: str, items: list) -> Pool:
        if name not in self.pools:
            self.pools[name] = Pool(items, self.rng)
        return self.pools[name]

    def draw(self, name: str, items: list, avoid=None):
        return self.pool(name, items).draw(avoid)[1]

    def draw_fitting(self, name: str, items: list, need_overlap: bool = False) -> str | None:
        """An item that fits the thread so far and was not used in it yet (None when all were,
        or, with need_overlap, when none shares a word with the thread)."""
        used = self.thread_used.setdefault(name, set())
        if len(used) >= len(items):
            return None
        pool = self.pool(name, items)
        if need_overlap and not any(pool.item_tokens[i] & self.context for i in range(len(items)) if i not in used):
            return None
        i, item = pool.draw(avoid=used, context=self.context)
        used.add(i)
        return item

    def start_thread(self) -> None:
        self.context: set[str] = set()
        self.asked: set[str] = set()
        self.thread_used: dict[str, set[int]] = {}

    def note(self, text: str) -> None:
        """Remember what the thread asked: answers are picked to fit it, questions not asked twice."""
        self.context |= tokens(text)
        self.asked.add(text)

    def person(self, exclude=(), expert: bool | None = None, lang: str = "de") -> dict:
        cands = [u for u in self.by_weight if u["username"] not in exclude]
        if lang == "en":
            cands = [u for u in personas.PERSONAS if u.get("english") and u["username"] not in exclude] or cands
        if expert:
            cands = [u for u in cands if u.get("expert")] or cands
        weights = [u.get("weight", 1.0) for u in cands]
        return self.users[self.rng.choices(cands, weights=weights)[0]["username"]]

    def signature(self, user: dict) -> str:
        first = user["name"].split()[0] if user["name"] else user["username"]
        tmpl = user.get("sig")
        if tmpl is None:
            return ""
        return tmpl.format(first=first, city=user.get("city", ""), land=user.get("land", ""),
                           schulform=user.get("schulform", ""))

    def fill_for(self, user: dict, op: dict) -> dict:
        return {"op": op["username"], "opname": first_name(op), "me": first_name(user),
                "land": user.get("land", "NRW"), "schulform": user.get("schulform", "Gymnasium"),
                "city": user.get("city", ""), "email": user["email"], "phone": user["phone"]}


def email_for(p: dict) -> str:
    """A made-up school address on the reserved .example domain."""
    local = ".".join(slugify(w) for w in p["name"].split()[:2]) if p["name"] else slugify(p["username"])
    school = slugify(p.get("schulform", "schule"))[:12] + "-" + slugify(p.get("city") or "nord")[:12]
    return f"{local}@{school}.example"


def first_name(user: dict) -> str:
    return user["name"].split()[0] if user.get("name") else user["username"]


# ----------------------------------------------------------------------------- thread content

def texts(name: str, key: str) -> list:
    """A shared phrase list from source/common.py, in English for the English threads."""
    return getattr(common, name + "_EN") if key.startswith("en:") else getattr(common, name)


def compose(forum: Forum, user: dict, op: dict, pieces: list[str], sign: bool = True) -> str:
    rng = forum.rng
    text = "\n\n".join(p for p in pieces if p)
    if sign and rng.random() < 0.014:
        text += "\n\n" + forum.draw("contact", common.CONTACT_OFFERS)
    if sign and rng.random() < user.get("sign_rate", 0.6):
        sig = forum.signature(user)
        if sig:
            text += "\n\n" + sig
    return finish_text(text, rng, user, forum.fill_for(user, op))


def question_pieces(forum: Forum, key: str, pool: dict) -> list[str]:
    """The question part of an opening post: one pooled item, sometimes two, sometimes as numbered 'Frage' items."""
    rng = forum.rng
    qpool = forum.pool("q:" + key, pool["questions"])
    i, first = qpool.draw()
    r = rng.random()
    if r < 0.13:
        j, second = qpool.draw(avoid={i})
        forum.note(second)
        qs = Q_RE.findall(first)[:1] + Q_RE.findall(second)[:1]
        if len(qs) == 2:
            style = rng.choice(texts("NUMBERED_STYLES", key))
            intro = rng.choice(texts("NUMBERED_INTROS", key))
            lines = [style.format(n=n + 1, q="[[" + q + "]]") for n, q in enumerate(qs)]
            sep = "\n" if style.startswith("{n}.") and rng.random() < 0.5 else "\n\n"
            return [intro, sep.join(lines)]
    if r < 0.30 and pool.get("followups"):
        extra = forum.draw("f:" + key, pool["followups"])
        return [first, rng.choice(texts("SECOND_QUESTION_LEADS", key)) + " " + extra]
    return [first]


def opener(forum: Forum, key: str, pool: dict, user: dict) -> str:
    rng = forum.rng
    pieces = []
    if rng.random() < 0.62:
        pieces.append(forum.draw("greet" + key[:3], texts("GREETINGS", key)))
    if rng.random() < 0.35:
        runups = pool.get("runups") or []
        if runups and rng.random() < 0.7:
            pieces.append(forum.draw("r:" + key, runups))
        else:
            pieces.append(forum.draw("runup" + key[:3], texts("RUNUPS", key)))
    asked = question_pieces(forum, key, pool)
    for piece in asked:
        forum.note(piece)
    pieces += asked
    if rng.random() < 0.45:
        pieces.append(forum.draw("close" + key[:3], texts("CLOSINGS", key)))
    return compose(forum, user, user, pieces)


def answer(forum: Forum, key: str, pool: dict, user: dict, op: dict) -> str:
    rng = forum.rng
    pieces = []
    if rng.random() < 0.35:
        pieces.append(forum.draw("agreet" + key[:3], texts("ANSWER_GREETINGS", key)))
    offtopic = key.startswith("ot:")
    core = forum.draw_fitting("a:" + key, pool["answers"], need_overlap=offtopic and rng.random() < 0.7)
    if core is None and offtopic:
        core = forum.draw_fitting("tech", common.TECH_ANSWERS)
    if core is None:
        core = forum.draw("react" + key[:3], texts("REACTIONS", key))
    elif rng.random() < 0.22:
        core = forum.draw("alead" + key[:3], texts("ANSWER_LEADS", key)) + " " + core
    pieces.append(core)
    if rng.random() < 0.3:
        pieces.append(forum.draw("addendum" + key[:3], texts("ADDENDA", key)))
    return compose(forum, user, op, pieces)


def followup_question(forum: Forum, key: str, pool: dict, user: dict, op: dict, by_op: bool) -> str:
    rng = forum.rng
    items = pool.get("followups") or pool["questions"]
    q = forum.draw_fitting("f:" + key, items)
    if q is None or q in forum.asked:
        qpool = forum.pool("q:" + key, pool["questions"])
        q = qpool.draw(avoid={i for i, item in enumerate(qpool.items) if item in forum.asked}, context=forum.context)[1]
    forum.note(q)
    lead = forum.draw(("fu_op" if by_op else "fu_other") + key[:3],
                      texts("FOLLOWUP_LEADS_OP" if by_op else "FOLLOWUP_LEADS_OTHER", key))
    if by_op and rng.random() < 0.25:
        qpool = forum.pool("q:" + key, pool["questions"])
        avoid = {i for i, item in enumerate(qpool.items) if len(item) >= 140 or item in forum.asked}
        if len(avoid) < len(qpool.items):
            q = qpool.draw(avoid=avoid, context=forum.context)[1]
            forum.note(q)
    return compose(forum, user, op, [lead, q], sign=rng.random() < 0.5)


def short_reply(forum: Forum, name: str, items: list, user: dict, op: dict) -> str:
    return compose(forum, user, op, [forum.draw(name, items)], sign=forum.rng.random() < 0.3)


def quotable(text: str, rng: random.Random) -> str:
    """A sentence or paragraph of an earlier post, as someone would select it for a quote."""
    paras = [p for p in re.split(r"\n{2,}", text) if len(p) > 25 and not p.startswith("```") and "http" not in p
             and not re.match(r"(\d+\.|-)\s", p)]
    if not paras:
        return ""
    para = rng.choice(paras)
    sentences = re.split(r"(?<=[.!?])\s+", para.replace("\n", " "))
    if len(sentences) > 2 and rng.random() < 0.7:
        start = rng.randrange(len(sentences))
        para = " ".join(sentences[start:start + rng.choice((1, 1, 2))])
    return para.strip()


# ----------------------------------------------------------------------------- threads

def sample_created(rng: random.Random) -> dt.datetime:
    years = [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]
    weights = [0.55, 1.5, 1.45, 1.1, 1.0, 0.95, 0.9, 0.75]
    month_w = [1.0, 1.0, 0.9, 0.9, 0.9, 0.8, 0.45, 0.7, 1.5, 1.1, 1.1, 0.8]
    while True:
        y = rng.choices(years, weights)[0]
        m = rng.choices(range(1, 13), month_w)[0]
        d = rng.randint(1, 28)
        hour = rng.choices(range(24), [0.2, 0.1, 0, 0, 0, 0.1, 0.5, 1, 1, 1, 1, 1.1, 1.2, 1.6, 1.8, 1.8, 1.6, 1.6,
                                       1.8, 2.2, 2.4, 2.2, 1.5, 0.6])[0]
        when = dt.datetime(y, m, d, hour, rng.randrange(60), rng.randrange(60), rng.randrange(1000) * 1000,
                           tzinfo=dt.timezone.utc)
        if FIRST_DAY <= when <= LAST_DAY - dt.timedelta(days=4):
            return when


def next_time(rng: random.Random, prev: dt.datetime, n: int, long: bool) -> dt.datetime:
    """Replies come fast at first, then trail off; long threads stretch over months."""
    if long == "years":
        gap = rng.expovariate(1 / (60 * 60 * 24 * 17))
    elif long:
        gap = rng.expovariate(1 / (60 * 60 * 30))
    elif n < 4:
        gap = rng.expovariate(1 / (60 * 60 * 5))
    else:
        gap = rng.expovariate(1 / (60 * 60 * 20))
    gap = max(gap, 90 + rng.random() * 400)
    when = prev + dt.timedelta(seconds=gap)
    return min(when, LAST_DAY + dt.timedelta(days=5, seconds=rng.randrange(3600)))


def reply_count_for(rng: random.Random) -> int:
    return rng.choices([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 17, 22],
                       [3, 7, 11, 12, 13, 11, 10, 8, 7, 5, 4, 4, 3, 2, 1])[0]


def pick_title(forum: Forum, name: str, titles: list[str], first_post: str) -> str:
    """A pooled title that fits the opening post, else the first question itself, as many people title threads."""
    pool = forum.pool(name, titles)
    overlap = max(len(t & forum.context) for t in pool.item_tokens)
    questions = strip_markers(first_post)[1]
    if (overlap < 2 or forum.rng.random() < 0.15) and questions and len(questions[0][0]) >= 35:
        q = questions[0][0]
        q = q[0].upper() + q[1:]
        if len(q) > 90:
            q = q[:90].rsplit(" ", 1)[0].rstrip(",;:") + " …"
        return q
    best = max((len(t & forum.context) * 3 - pool.uses[i] * 0.8 + forum.rng.random(), i)
               for i, t in enumerate(pool.item_tokens))[1]
    pool.uses[best] += 1
    return pool.items[best]


def build_faq_thread(forum: Forum, key: str, n_replies: int, lang: str = "de") -> dict:
    rng = forum.rng
    pool = faq_pools.TOPICS[key] if lang == "de" else faq_pools.ENGLISH[key]
    op = forum.person(lang=lang)
    forum.start_thread()
    pkey = key if lang == "de" else f"{lang}:{key}"  # pool names: English pools stay apart
    posts = [dict(user=op, blocks=[("md", opener(forum, pkey, pool, op))], reply_to=None)]
    title = pick_title(forum, f"t:{pkey}", pool["titles"], target_text(posts[0]))
    category = pool.get("category") or faq_pools.TOPICS[key]["category"]
    if rng.random() < 0.18 and "alt_categories" in faq_pools.TOPICS[key]:
        category = rng.choice(faq_pools.TOPICS[key]["alt_categories"])
    add_replies(forum, posts, pkey, pool, op, n_replies, lang)
    return dict(kind="faq", faq_topic=key, relevant=True, title=title, category=category, posts=posts,
                lang=lang, tags=list(faq_pools.TOPICS[key].get("tags", [])))


def add_replies(forum: Forum, posts: list, key: str, pool: dict, op: dict, n_replies: int, lang: str,
                start_extra: int = 0) -> None:
    rng = forum.rng
    answered = False
    helpers = []
    for n in range(n_replies):
        last = posts[-1]["user"]
        kinds = ["answer", "answer", "answer", "quote", "op_followup", "metoo", "thanks", "chatter", "mod"]
        weights = [3.2, 0, 0, 1.3, 1.1 if answered else 0.2, 0.8, 1.0 if answered else 0.1,
                   1.0 if answered else 0.15, 0.12]
        if lang == "en":
            weights = [3, 0, 0, 0.5, 0.8, 0.3, 0.8, 0, 0]
        kind = rng.choices(kinds, weights)[0]
        if kind in ("op_followup", "thanks") and last["username"] == op["username"]:
            kind = "answer"
        if kind == "answer":
            user = rng.choice(helpers) if helpers and rng.random() < 0.3 else forum.person(
                exclude={op["username"], last["username"]}, expert=rng.random() < 0.5, lang=lang)
            if user["username"] == last["username"]:
                user = forum.person(exclude={op["username"], last["username"]}, lang=lang)
            text = answer(forum, key, pool, user, op)
            blocks = [("md", text)]
            reply_to = None
            if posts and rng.random() < 0.25 and len(posts) > 1:
                target_i = rng.randrange(len(posts))
                target = posts[target_i]
                snippet = quotable(strip_markers(target_text(target))[0], rng)
                if snippet and target["user"]["username"] != user["username"]:
                    blocks = [("quote", target["user"]["username"], target_i + 1, snippet), ("md", text)]
                    reply_to = target_i + 1
            posts.append(dict(user=user, blocks=blocks, reply_to=reply_to, answer=True))
            helpers.append(user)
            answered = True
        elif kind == "quote":
            cands = [i for i in range(len(posts)) if posts[i]["user"]["username"] != op["username"] or i == 0]
            target_i = rng.choice(cands)
            target = posts[target_i]
            user = forum.person(exclude={target["user"]["username"], last["username"]}, lang=lang)
            snippet = quotable(strip_markers(target_text(target))[0], rng)
            if target_i == 0 or rng.random() < 0.5:
                body = answer(forum, key, pool, user, op)
                is_answer = True
            else:
                body = short_reply(forum, "react" + key[:3], texts("REACTIONS", key), user, op)
                is_answer = False
            blocks = ([("quote", target["user"]["username"], target_i + 1, snippet)] if snippet else []) + [("md", body)]
            posts.append(dict(user=user, blocks=blocks, reply_to=target_i + 1, answer=is_answer))
            answered = answered or is_answer
        elif kind == "op_followup":
            text = followup_question(forum, key, pool, op, op, by_op=True)
            reply_to = len(posts) if posts[-1]["user"]["username"] != op["username"] else None
            if rng.random() < 0.3 and posts[-1].get("answer"):
                text = f"@{posts[-1]['user']['username']} " + text
            posts.append(dict(user=op, blocks=[("md", text)], reply_to=reply_to))
        elif kind == "metoo":
            user = forum.person(exclude={op["username"], last["username"]}, lang=lang)
            posts.append(dict(user=user, blocks=[("md", followup_question(forum, key, pool, user, op, by_op=False))],
                              reply_to=None))
        elif kind == "thanks":
            items = common.THANKS if lang == "de" else common.THANKS_EN
            text = short_reply(forum, "thanks:" + lang, items, op, op)
            if helpers and rng.random() < 0.4:
                text = f"@{helpers[-1]['username']} " + text
            posts.append(dict(user=op, blocks=[("md", text)], reply_to=len(posts) if rng.random() < 0.6 else None))
        elif kind == "chatter":
            user = forum.person(exclude={last["username"]}, lang=lang)
            if pool.get("chatter"):
                name, items = "c:" + key, pool["chatter"]
            elif key.startswith("ot:"):
                name, items = "chatter_tech", common.CHATTER_TECH
            else:
                name, items = "chatter", common.CHATTER
            text = short_reply(forum, name, items, user, op)
            posts.append(dict(user=user, blocks=[("md", text)], reply_to=None))
        else:  # moderator points to an earlier thread on the same question
            earlier = [t for t in forum.threads if t.get("faq_topic") == key and "topic_id" in t]
            if not earlier:
                continue
            t = rng.choice(earlier)
            mod = forum.users[rng.choice(personas.MODERATORS)]
            url = f"{HOST}/t/{t['slug']}/{t['topic_id']}"
            text = forum.draw("modlink", common.MOD_LINKS).replace("{url}", url)
            LINK_TITLES.setdefault(url, t["title"])
            posts.append(dict(user=mod, blocks=[("md", compose(forum, mod, op, [text], sign=False))], reply_to=None))


def target_text(post: dict) -> str:
    return "\n\n".join(b[1] for b in post["blocks"] if b[0] == "md")


def build_offtopic_thread(forum: Forum, subject: str, n_replies: int) -> dict:
    pool = offtopic_pools.SUBJECTS[subject]
    op = forum.person()
    forum.start_thread()
    posts = [dict(user=op, blocks=[("md", opener(forum, "ot:" + subject, pool, op))], reply_to=None)]
    title = pick_title(forum, "t:ot:" + subject, pool["titles"], target_text(posts[0]))
    add_replies(forum, posts, "ot:" + subject, pool, op, n_replies, "de")
    return dict(kind="offtopic", faq_topic=None, relevant=False, title=title, category=pool["category"],
                posts=posts, lang="de", subject=subject, tags=list(pool.get("tags", [])))


def build_special_threads(forum: Forum) -> list[dict]:
    """Pinned rules, announcements without questions, and the >100-post collection thread."""
    rng = forum.rng
    out = []
    for spec in special.PINNED + special.ANNOUNCEMENTS:
        author = forum.users[spec["author"]]
        posts = [dict(user=author, blocks=[("md", finish_text(spec["body"], rng, {}, forum.fill_for(author, author)))],
                      reply_to=None)]
        for reply in spec.get("replies", []):
            user = forum.users[reply["author"]] if "author" in reply else forum.person()
            posts.append(dict(user=user, blocks=[("md", compose(forum, user, author, [reply["text"]], sign=False))],
                              reply_to=None))
        out.append(dict(kind=spec["kind"], faq_topic=spec.get("faq_topic"), relevant=spec["relevant"],
                        title=spec["title"], category=spec["category"], posts=posts, lang="de",
                        pinned=spec["kind"] == "pinned", created=spec.get("created"), tags=spec.get("tags", []),
                        closed=spec.get("closed", False)))
    out.append(build_collection_thread(forum))
    return out


def build_collection_thread(forum: Forum) -> dict:
    """'Welchen Messenger nutzt eure Schule?': one report per school, questions and replies in between."""
    rng = forum.rng
    spec = special.COLLECTION
    mod = forum.users[spec["author"]]
    forum.start_thread()
    posts = [dict(user=mod, blocks=[("md", finish_text(spec["body"], rng, {}, forum.fill_for(mod, mod)))], reply_to=None)]
    reported: set[str] = set()
    while len(posts) < spec["posts"]:
        r = rng.random()
        user = forum.person(exclude={posts[-1]["user"]["username"]})
        if r < 0.55 and user["username"] not in reported:
            reported.add(user["username"])
            land = user.get("land", "NRW")
            tool = rng.choice(special.LAND_TOOLS.get(land, special.LAND_TOOLS["default"]))
            report = rng.choice(special.REPORT_TEMPLATES).format(
                land=land, schulform=user.get("schulform", "Gymnasium"), tool=tool,
                experience=forum.draw("exp", special.EXPERIENCES), size=rng.choice(special.SCHOOL_SIZES))
            posts.append(dict(user=user, blocks=[("md", compose(forum, user, mod, [report]))], reply_to=None))
        elif r < 0.75:
            q = forum.draw("q:landesmessenger", faq_pools.TOPICS["landesmessenger"]["questions"])
            blocks = []
            reply_to = None
            if len(posts) > 3 and rng.random() < 0.5:
                target_i = rng.randrange(1, len(posts))
                snippet = quotable(strip_markers(target_text(posts[target_i]))[0], rng)
                if snippet and posts[target_i]["user"]["username"] != user["username"]:
                    blocks.append(("quote", posts[target_i]["user"]["username"], target_i + 1, snippet))
                    reply_to = target_i + 1
            blocks.append(("md", compose(forum, user, mod, [q])))
            posts.append(dict(user=user, blocks=blocks, reply_to=reply_to))
        elif r < 0.92:
            target_i = rng.randrange(1, len(posts))
            target = posts[target_i]
            if target["user"]["username"] == user["username"]:
                continue
            forum.context = tokens(target_text(target))
            if len(forum.thread_used.get("a:landesmessenger", ())) >= 7:
                forum.thread_used["a:landesmessenger"] = set()
            body = answer(forum, "landesmessenger", faq_pools.TOPICS["landesmessenger"], user, target["user"])
            snippet = quotable(strip_markers(target_text(target))[0], rng)
            blocks = ([("quote", target["user"]["username"], target_i + 1, snippet)] if snippet and rng.random() < 0.6
                      else [])
            if not blocks:
                body = f"@{target['user']['username']} " + body
            blocks.append(("md", body))
            posts.append(dict(user=user, blocks=blocks, reply_to=target_i + 1, answer=True))
        else:
            posts.append(dict(user=user, blocks=[("md", short_reply(forum, "chatter", common.CHATTER, user, mod))],
                              reply_to=None))
    return dict(kind="collection", faq_topic="landesmessenger", relevant=True, title=spec["title"],
                category=spec["category"], posts=posts, lang="de", pinned=False, created=spec["created"],
                tags=spec.get("tags", []), long="years")


# ----------------------------------------------------------------------------- output

def iso(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def generate(seed: int = SEED) -> tuple[dict, dict, dict[int, dict], dict]:
    forum = Forum(seed)
    rng = forum.rng
    LINK_TITLES.clear()
    LINK_TITLES.update(common.LINK_TITLES)
    # Threads are built in chronological order, topic ids given as they are created, so moderators
    # can link to earlier threads on the same question.
    specials = build_special_threads(forum)
    builders = plan_threads_lazy(forum)
    dates = sorted(rng.sample(sorted(sample_created(rng) for _ in range(4000)), len(builders)))
    agenda = [(when, i, build) for i, (when, build) in enumerate(zip(dates, builders))]
    for j, t in enumerate(specials):
        when = dt.datetime.fromisoformat(t["created"].replace("Z", "+00:00"))
        agenda.append((when, len(builders) + j, t))
    agenda.sort(key=lambda a: (a[0], a[1]))
    threads = []
    tid = 131
    for when, _, item in agenda:
        t = item if isinstance(item, dict) else item()
        tid += rng.choice((1, 1, 1, 1, 2, 2, 3, 5))
        t["created_dt"] = when
        t["topic_id"] = tid
        t["slug"] = slugify(t["title"])
        forum.threads.append(t)
        threads.append(t)

    # Timestamps for every post, then global post ids in time order like Discourse.
    all_posts = []
    for t in threads:
        when = t["created_dt"]
        for n, p in enumerate(t["posts"]):
            if n:
                when = next_time(rng, when, n, t.get("long", False))
            p["created"] = when
            p["topic"] = t
            p["post_number"] = n + 1
            all_posts.append(p)
    all_posts.sort(key=lambda p: (p["created"], p["topic"]["topic_id"], p["post_number"]))
    pid = 402
    for p in all_posts:
        pid += rng.choice((1, 1, 1, 2, 3))
        p["id"] = pid

    categories = {c["slug"]: c for c in common.CATEGORIES}
    topics = {}
    labels_threads = {}
    labels_posts = []
    contacts = []
    for t in threads:
        topic_json, post_labels, post_contacts = topic_to_json(forum, t, categories)
        topics[t["topic_id"]] = topic_json
        labels_threads[str(t["topic_id"])] = {
            "faq_topic": t["faq_topic"], "relevant": t["relevant"], "category": t["category"],
            "kind": t["kind"], "subject": t.get("subject"), "lang": t["lang"]}
        labels_posts += post_labels
        contacts += post_contacts

    cat_list = []
    for c in common.CATEGORIES:
        mine = [t for t in threads if t["category"] == c["slug"]]
        cat_list.append({
            "id": c["id"], "name": c["name"], "color": c["color"], "text_color": "FFFFFF", "slug": c["slug"],
            "topic_count": len(mine), "post_count": sum(len(t["posts"]) for t in mine), "position": c["position"],
            "description": c["description"], "description_text": c["description"],
            "description_excerpt": c["description"], "topic_url": None, "read_restricted": False,
            "permission": None, "notification_level": 1, "topic_template": None, "has_children": False,
            "sort_order": None, "sort_ascending": None, "show_subcategory_list": False, "num_featured_topics": 3,
            "default_view": None, "subcategory_list_style": "rows_with_featured_topics",
            "default_top_period": "all", "default_list_filter": "all", "minimum_required_tags": 0,
            "navigate_to_first_post_after_read": False, "topics_day": 0, "topics_week": 0, "topics_month": 0,
            "topics_year": 0, "topics_all_time": len(mine), "is_uncategorized": False,
            "subcategory_ids": [], "uploaded_logo": None, "uploaded_background": None,
            "parent_category_id": None,
        })
    categories_json = {"category_list": {"can_create_category": False, "can_create_topic": False,
                                          "categories": cat_list}}
    site = dict(special.SITE)

    used_users = sorted({p["user"]["username"] for p in all_posts})
    labels = {
        "about": "Labels for datasets/lehrerforum/snapshot (synthetic). Never served by miner replay.",
        "seed": seed,
        "faq_topics": {k: {"title": v["title"], "category": v["category"]} for k, v in faq_pools.TOPICS.items()},
        "threads": labels_threads,
        "posts": labels_posts,
        "privacy": {
            "usernames": used_users,
            "names": sorted({forum.users[u]["name"] for u in used_users if forum.users[u]["name"]}),
            "emails": sorted({e for c in contacts for e in c["emails"]}),
            "phones": sorted({ph for c in contacts for ph in c["phones"]}),
            "posts_with_contact_data": contacts,
        },
    }
    return site, categories_json, topics, labels


def plan_threads_lazy(forum: Forum) -> list:
    rng = forum.rng
    plan = []
    for key, pool in faq_pools.TOPICS.items():
        plan += [("faq", key)] * pool["threads"]
    for key, n in faq_pools.ENGLISH_THREADS.items():
        plan += [("faq_en", key)] * n
    for subject, pool in offtopic_pools.SUBJECTS.items():
        plan += [("ot", subject)] * pool["threads"]
    rng.shuffle(plan)
    long_left = dict(special.LONG_THREADS)
    builders = []
    for kind, key in plan:
        n = reply_count_for(rng)
        long = False
        if kind != "faq_en" and long_left.get(key):
            long_left[key] -= 1
            n = rng.randint(*special.LONG_REPLIES)
            long = True

        def build(kind=kind, key=key, n=n, long=long):
            if kind == "faq":
                t = build_faq_thread(forum, key, n)
            elif kind == "faq_en":
                t = build_faq_thread(forum, key, min(n, 5), lang="en")
            else:
                t = build_offtopic_thread(forum, key, n)
            t["long"] = long
            return t
        builders.append(build)
    return builders


def topic_to_json(forum: Forum, t: dict, categories: dict) -> tuple[dict, list, list]:
    rng = forum.rng
    tid = t["topic_id"]
    posts = t["posts"]
    n_posts = len(posts)
    # Accepted answer (discourse-solved): in about 55% of answered question threads.
    accepted_i = None
    if t["kind"] in ("faq", "offtopic") and rng.random() < 0.55:
        cands = [i for i, p in enumerate(posts) if p.get("answer") and i > 0]
        if cands:
            accepted_i = cands[0] if rng.random() < 0.6 else rng.choice(cands)
    views = int(n_posts * rng.uniform(18, 70) + rng.randrange(20, 200))
    post_json = []
    labels = []
    contacts = []
    replies_to: dict[int, int] = {}
    for p in posts:
        if p.get("reply_to"):
            replies_to[p["reply_to"]] = replies_to.get(p["reply_to"], 0) + 1
    total_likes = 0
    for i, p in enumerate(posts):
        u = p["user"]
        md_texts = []
        blocks = []
        questions = []
        for b in p["blocks"]:
            if b[0] == "md":
                clean, qs = strip_markers(b[1])
                questions += qs
                md_texts.append(clean)
                blocks.append(("md", clean))
            else:
                blocks.append(("quote", b[1], b[2], strip_markers(b[3])[0]))
        cooked = render_post(blocks, tid, forum.users, forum.usernames)
        likes = rng.choices([0, 0, 0, 1, 1, 2, 3, 5, 8], k=1)[0] + (3 if i == accepted_i else 0)
        total_likes += likes
        created = p["created"]
        edited = rng.random() < 0.08
        updated = created + dt.timedelta(seconds=rng.randrange(60, 7200)) if edited else created
        reply_to = p.get("reply_to")
        body = {
            "id": p["id"], "name": u["name"], "username": u["username"], "avatar_template": u["avatar_template"],
            "created_at": iso(created), "cooked": cooked, "post_number": i + 1, "post_type": 1,
            "posts_count": n_posts, "updated_at": iso(updated), "reply_count": replies_to.get(i + 1, 0),
            "reply_to_post_number": reply_to, "quote_count": sum(1 for b in blocks if b[0] == "quote"),
            "incoming_link_count": rng.choice((0, 0, 0, 1, 2)), "reads": max(1, int(views * rng.uniform(0.2, 0.6))),
            "readers_count": max(0, int(views * rng.uniform(0.15, 0.5))), "score": round(rng.uniform(0.2, 60), 1),
            "yours": False, "topic_id": tid, "topic_slug": t["slug"], "display_username": u["name"],
            "primary_group_name": None, "flair_name": None, "flair_url": None, "flair_bg_color": None,
            "flair_color": None, "flair_group_id": None, "badges_granted": [], "version": 2 if edited else 1,
            "can_edit": False, "can_delete": False, "can_recover": False, "can_see_hidden_post": False,
            "can_wiki": False, "read": True, "user_title": "Moderator" if u.get("moderator") else None,
            "bookmarked": False, "actions_summary": [{"id": 2, "count": likes}] if likes else [],
            "like_count": likes, "moderator": bool(u.get("moderator")), "admin": bool(u.get("admin")),
            "staff": bool(u.get("moderator")), "user_id": u["id"], "hidden": False,
            "trust_level": 4 if u.get("moderator") else u.get("trust", 2), "deleted_at": None,
            "user_deleted": False, "edit_reason": None, "can_view_edit_history": True, "wiki": False,
            "mentioned_users": [], "post_url": f"/t/{t['slug']}/{tid}/{i + 1}",
            "can_accept_answer": False, "can_unaccept_answer": False,
            "accepted_answer": i == accepted_i, "topic_accepted_answer": accepted_i is not None,
        }
        if reply_to:
            ru = posts[reply_to - 1]["user"]
            body["reply_to_user"] = {"id": ru["id"], "username": ru["username"], "name": ru["name"],
                                     "avatar_template": ru["avatar_template"]}
        post_json.append(body)
        labels.append({"topic_id": tid, "post_number": i + 1, "questions": [q for q, _ in questions],
                       "question_topics": [question_topic(t, prefix) for _, prefix in questions]})
        text = "\n".join(md_texts)
        emails = EMAIL_RE.findall(text)
        phones = [ph for ph in common.PHONES if ph in text]
        if emails or phones:
            contacts.append({"topic_id": tid, "post_number": i + 1, "emails": emails, "phones": phones})

    first, last = posts[0], posts[-1]
    creator = first["user"]
    participants = {}
    for p in posts:
        participants.setdefault(p["user"]["username"], [p["user"], 0])[1] += 1
    accepted = None
    if accepted_i is not None:
        au = posts[accepted_i]["user"]
        excerpt = re.sub(r"<[^>]+>", "", post_json[accepted_i]["cooked"])
        excerpt = re.sub(r"\s+", " ", excerpt).strip()
        accepted = {"post_number": accepted_i + 1, "username": au["username"], "name": au["name"],
                    "excerpt": excerpt[:200] + ("…" if len(excerpt) > 200 else ""),
                    "accepter_username": creator["username"], "accepter_name": creator["name"]}
    pinned = bool(t.get("pinned"))
    topic = {
        "post_stream": {"posts": post_json, "stream": [p["id"] for p in posts]},
        "timeline_lookup": [], "suggested_topics": [], "tags": t.get("tags", []), "tags_descriptions": {},
        "id": tid, "title": t["title"], "fancy_title": fancy(t["title"]), "posts_count": n_posts,
        "created_at": iso(first["created"]), "views": views, "reply_count": sum(1 for p in posts[1:] if p.get("reply_to")),
        "like_count": total_likes, "last_posted_at": iso(last["created"]), "visible": True,
        "closed": bool(t.get("closed")), "archived": False, "has_summary": n_posts > 50, "archetype": "regular",
        "slug": t["slug"], "category_id": categories[t["category"]]["id"],
        "word_count": sum(len(re.sub(r"<[^>]+>", " ", p["cooked"]).split()) for p in post_json),
        "deleted_at": None, "user_id": creator["id"], "featured_link": None, "pinned_globally": False,
        "pinned_at": iso(first["created"]) if pinned else None, "pinned_until": None, "image_url": None,
        "slow_mode_seconds": 0, "draft": None, "draft_key": f"topic_{tid}", "draft_sequence": None,
        "unpinned": None, "pinned": pinned, "current_post_number": 1, "highest_post_number": n_posts,
        "deleted_by": None, "has_deleted": False, "chunk_size": 20, "bookmarked": False, "topic_timer": None,
        "participant_count": len(participants), "show_read_indicator": False, "thumbnails": None,
        "bumped_at": iso(last["created"]), "has_accepted_answer": accepted is not None, "accepted_answer": accepted,
        "details": {
            "can_edit": False, "notification_level": 1,
            "participants": [{"id": u["id"], "username": u["username"], "name": u["name"],
                              "avatar_template": u["avatar_template"], "post_count": c,
                              "primary_group_name": None, "trust_level": u.get("trust", 2)}
                             for u, c in sorted(participants.values(), key=lambda x: -x[1])[:24]],
            "created_by": {"id": creator["id"], "username": creator["username"], "name": creator["name"],
                           "avatar_template": creator["avatar_template"]},
            "last_poster": {"id": last["user"]["id"], "username": last["user"]["username"],
                            "name": last["user"]["name"], "avatar_template": last["user"]["avatar_template"]},
        },
    }
    return topic, labels, contacts


def question_topic(t: dict, prefix: str) -> str | None:
    if prefix == "~" or t["faq_topic"] is None:
        return None
    return prefix.strip("=") if prefix else t["faq_topic"]


def dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def write(out: Path, seed: int = SEED) -> dict:
    site, categories_json, topics, labels = generate(seed)
    snap = out / "snapshot"
    if (snap / "topics").exists():
        shutil.rmtree(snap / "topics")
    (snap / "topics").mkdir(parents=True, exist_ok=True)
    (snap / "site.json").write_text(dump(site) + "\n", encoding="utf-8")
    (snap / "categories.json").write_text(dump(categories_json) + "\n", encoding="utf-8")
    for tid, topic in topics.items():
        (snap / "topics" / f"{tid}.json").write_text(dump(topic) + "\n", encoding="utf-8")
    (out / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    n_posts = sum(t["posts_count"] for t in topics.values())
    return {"threads": len(topics), "posts": n_posts}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write snapshot/ and labels.json into")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    counts = write(args.out, args.seed)
    print(f"wrote {counts['threads']} threads, {counts['posts']} posts to {args.out / 'snapshot'}")


if __name__ == "__main__":
    main()
