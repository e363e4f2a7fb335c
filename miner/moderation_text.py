"""Pure helpers for moderators: combined rankings, answer excerpts, the reply text.
The actions that read and write (fetch, rank, link, reply) are in ``miner.app.moderation``.

Everything here takes and returns plain values, so the wording of a reply and the shape of
``miner suggest --json`` can be tested without a database, a forum or the FAQ step.
"""

from __future__ import annotations

import re
from typing import Iterable

from miner.i18n import text
from miner.urls import thread_url

DEFAULT_FAQ_URL = "http://127.0.0.1:8001/faq"
EXCERPT_CHARS = 280


def say(key: str, lang: str = "de", **values) -> str:
    """One moderator-facing text in German (default) or English."""
    return text(f"mod.{key}", lang, **values)


def canonical_thread_url(base_url: str, topic_id: int) -> str:
    """One URL per thread whatever form the moderator pasted (slug, post number, query)."""
    return thread_url(base_url, topic_id)


def faq_page_url(faq_url: str, faq_id: int) -> str:
    """Link to one entry's own page, ``<FAQ address>/<id>``."""
    return f"{(faq_url or DEFAULT_FAQ_URL).split('#')[0].rstrip('/')}/{faq_id}"


def combine_rankings(rankings: Iterable[list[dict]], top: int = 3) -> list[dict]:
    """Merge the rankings of several questions of one thread: an entry scores its best fit,
    its shared terms are collected over all questions (best question's terms first), and it
    ``fits`` when it fits any of them."""
    best: dict[int, dict] = {}
    terms: dict[int, list[str]] = {}
    for ranking in rankings:
        for hit in ranking:
            faq_id = hit["faq_id"]
            seen = terms.setdefault(faq_id, [])
            fits = bool(hit.get("fits", True)) or bool(best.get(faq_id, {}).get("fits"))
            if faq_id not in best or hit["score"] > best[faq_id]["score"]:
                best[faq_id] = dict(hit)
                seen[:0] = [t for t in hit.get("shared_terms") or [] if t not in seen]
            else:
                seen.extend(t for t in hit.get("shared_terms") or [] if t not in seen)
            best[faq_id]["fits"] = fits  # one of the thread's questions fitting is enough
    merged = []
    for faq_id, hit in best.items():
        hit["shared_terms"] = terms[faq_id]
        merged.append(hit)
    merged.sort(key=lambda h: (-h["score"], h["faq_id"]))
    return merged[:top]


def texts_to_rank(text: str, max_questions: int = 8) -> list[str]:
    """Pasted text as the matcher sees it: the whole text, plus each question in it when it is
    longer than one question (FAQ entries are made of single questions)."""
    text = text.strip()
    questions = [q.strip() for q in re.findall(r"[^.!?\n]+\?", text) if len(q.split()) >= 3]
    if len(questions) == 1 and questions[0].rstrip("?") == text.rstrip("?"):
        questions = []
    return [text, *questions[:max_questions]] if text else []


def reason_text(shared_terms: list[str], limit: int = 6, lang: str = "de") -> str:
    """Why an entry fits, in a few words a moderator can check at a glance."""
    if not shared_terms:
        return say("similar", lang)
    return say("shared", lang, terms=", ".join(shared_terms[:limit]))


def markdown_to_plain(markdown: str) -> str:
    """Rough plain text of Markdown (one line), for counting and for cutting a line safely."""
    text = markdown or ""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", "", text, flags=re.M)
    text = re.sub(r"(\*\*|__|\*|_|`|~~)", "", text)
    return re.sub(r"\s+", " ", text).strip()


LIST_MARKER = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+")


def _excerpt_lines(markdown: str) -> list[str]:
    """The answer's lines as they may be quoted: code blocks, images and raw HTML dropped, headings
    as bold lines, runs of blank lines as one (paragraph breaks and list items stay)."""
    text = (markdown or "").replace("\r\n", "\n")
    text = re.sub(r"```.*?(```|$)", "", text, flags=re.S)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip()
        heading = re.match(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*$", line)
        if heading:
            line = f"**{heading.group(1)}**" if heading.group(1) else ""
        if line.strip() or (lines and lines[-1]):
            lines.append(line if line.strip() else "")
    while lines and not lines[-1]:
        lines.pop()
    return lines


def answer_excerpt(markdown: str | None, limit: int = EXCERPT_CHARS) -> str:
    """The start of an answer as Markdown: whole paragraphs and list items while their visible text
    fits ``limit`` characters, the line that does not fit cut at a word (as plain text, so no link or
    emphasis is left open) and marked with " …". Lists and paragraphs survive pasting into a forum."""
    out: list[str] = []
    used = 0
    for line in _excerpt_lines(markdown or ""):
        if not line:
            out.append("")
            continue
        plain = markdown_to_plain(line)
        if used + len(plain) <= limit:
            out.append(line)
            used += len(plain)
            continue
        room = limit - used
        marker = LIST_MARKER.match(line)
        prefix = f"{marker.group(1)}{marker.group(2)} " if marker else ""
        if room >= 20 or not [x for x in out if x]:
            cut = plain[:max(room, 1)].rsplit(" ", 1)[0].rstrip(" ,;:")
            out.append(f"{prefix}{cut} …")
        else:
            while out and not out[-1]:
                out.pop()
            out[-1] += " …"
        break
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def quote_markdown(text: str) -> str:
    """Markdown as a block quote, every line (blank ones too) marked, so lists stay inside the quote."""
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))


def escape_link_text(text: str) -> str:
    """Forum text (a title) as literal Markdown: nothing in it read as markup, HTML or an entity."""
    return re.sub(r"([\[\]\\*_`<>#&])", r"\\\1", text)


def defuse_mentions(text: str) -> str:
    """An @name quoted from an answer must not notify a forum user (e-mail addresses stay)."""
    return re.sub(r"(?<![\w.])@(?=\w)", "@\u200b", text)


def reply_markdown(title: str, excerpt: str, page_url: str) -> str:
    """The ready-to-paste Discourse reply: polite German, neither "du" nor "Sie"."""
    lines = [
        "Hallo,",
        "",
        "vielen Dank für die Frage! Dazu gibt es bereits einen Eintrag in unserer FAQ:",
        "",
        f"**[{escape_link_text(title.strip())}]({page_url})**",
        "",
    ]
    if excerpt:
        lines += [quote_markdown(defuse_mentions(excerpt)), ""]
    lines += [
        f"Die vollständige Antwort steht hier: {page_url}",
        "",
        "Falls damit noch etwas offen bleibt, gerne hier im Thema nachfragen.",
        "",
        "Viele Grüße",
    ]
    return "\n".join(lines) + "\n"


def suggestion(hit: dict, rank: int, faq: dict | None, answer: dict | None, faq_url: str, lang: str = "de") -> dict:
    """One ranked FAQ entry with everything a moderator needs to answer with it."""
    faq_id = int(hit["faq_id"])
    title = (faq or {}).get("title") or hit.get("title") or f"FAQ {faq_id}"
    page = faq_page_url(faq_url, faq_id)
    published = bool(answer) and answer.get("status") == "published"
    excerpt = answer_excerpt(answer.get("body")) if answer else ""
    return {
        "rank": rank,
        "faq_id": faq_id,
        "title": title,
        "score": round(float(hit["score"]), 3),
        "shared_terms": list(hit.get("shared_terms") or []),
        "reason": reason_text(list(hit.get("shared_terms") or []), lang=lang),
        "answer_status": answer.get("status") if answer else None,
        "answer_excerpt": excerpt,
        "faq_page_url": page,
        "reply": reply_markdown(title, excerpt if published else "", page),
        "fits": bool(hit.get("fits", True)),  # False: the closest entry, but no answer to this text
    }


def suggestion_result(
    source: dict, hits: list[dict], faqs: dict[int, dict], answers: dict[int, dict | None], faq_url: str,
    lang: str = "de",
) -> dict:
    """The whole answer of ``miner suggest`` (also its ``--json`` shape).

    ``source`` says what was matched: ``{"kind": "thread"|"text", "thread_url", "thread",
    "title", "questions": [...]}``.
    """
    return {
        "source": source,
        "faq_url": faq_url,
        "suggestions": [
            suggestion(hit, rank, faqs.get(int(hit["faq_id"])), answers.get(int(hit["faq_id"])), faq_url, lang)
            for rank, hit in enumerate(hits, start=1)
        ],
    }


def _indent(text: str, prefix: str) -> str:
    return text.replace("\n", "\n" + prefix)


def format_suggestions(result: dict, lang: str = "de") -> str:
    """Human-readable text of a suggestion result, the best entry's reply at the end."""
    source = result["source"]
    out = []
    if source.get("kind") == "thread":
        out.append(say("thread", lang, title=source.get("title") or "", url=source.get("thread_url")))
        for question in source.get("questions") or []:
            out.append(f"  ? {question}")
    else:
        out.append(say("text", lang, text=source.get("text", "")[:200]))
    if not result["suggestions"]:
        out.append("")
        out.append(say("nothing_fits", lang))
        return "\n".join(out) + "\n"
    fitting = [s for s in result["suggestions"] if s.get("fits", True)]
    if not fitting:
        out += ["", say("nothing_fits_well", lang)]
    for s in result["suggestions"]:
        out.append("")
        out.append(say("entry", lang, rank=s["rank"], faq_id=s["faq_id"], title=s["title"], score=s["score"],
                       reason=s["reason"]))
        if fitting and not s.get("fits", True):
            out.append(say("weak_fit", lang))
        if s["answer_status"] == "published":
            out.append(say("answer", lang) + _indent(s["answer_excerpt"], "           "))
        elif s["answer_status"]:
            out.append(say("answer_draft", lang) + _indent(s["answer_excerpt"], "           "))
        else:
            out.append(say("no_answer", lang))
        out.append(f"   {s['faq_page_url']}")
    if not fitting:  # a printer question gets no FAQ reply
        return "\n".join(out) + "\n"
    best = fitting[0]
    out += ["", say("reply_with", lang, faq_id=best["faq_id"])]
    if best["answer_status"] != "published":
        out.append(say("links_only", lang, faq_id=best["faq_id"]))
    out += ["", best["reply"]]
    return "\n".join(out)
