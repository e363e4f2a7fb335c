"""How members write: question markers in the pools, typos, lower case, dropped question marks.

Part of the lehrerforum generator (see make_forum.py). Pool markup: [[...]] marks a question,
[[~...]] one outside any FAQ topic, [[=key=...]] one of another FAQ topic than the thread's.
"""

from __future__ import annotations

import random
import re

Q_RE = re.compile(r"\[\[(.+?)\]\]", re.S)
PREFIX_RE = re.compile(r"^(~|=[a-z0-9_]+=)")


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


def split_prefix(marked: str) -> tuple[str, str]:
    """'[[~...]]' marks a question outside any FAQ topic, '[[=key=...]]' one of another topic than the thread's."""
    m = PREFIX_RE.match(marked)
    return (m.group(1), marked[m.end():]) if m else ("", marked)


def strip_markers(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The text as posted, and its marked questions as (text, prefix)."""
    questions = [(q.strip(), prefix) for prefix, q in map(split_prefix, Q_RE.findall(text))]
    return Q_RE.sub(lambda m: split_prefix(m.group(1))[1], text), questions


STOPWORDS = set("""aber alle allem allen aller alles also andere anderen auch auf aus bei beim bin bis bitte dann darf das dass dem den der des die dies diese diesem dieser doch dort durch eine einem einen einer eines einfach etwa euch eure eurer euren für gibt habe haben hat hatte hier ich ihr ihre immer ist jede jeder jetzt kann kein keine können machen man mehr mich mir mit muss müssen nach nicht noch nur oder ohne schon sein seit sich sie sind soll sollte über und uns unser unsere unter viele vom von vor war was weil wenn wer wie wir wird wo zum zur zwei eigentlich euer habt jemand welche welcher welches gerade ganz""".split())


def tokens(text: str) -> set[str]:
    """Crude content-word stems, enough to pick an answer that fits the question asked."""
    return {w[:6] for w in re.findall(r"[a-zäöüß0-9.]{4,}", text.lower()) if w not in STOPWORDS}
