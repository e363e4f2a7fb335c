"""Pure helpers for moderators: combined rankings, answer excerpts, the reply text.

Everything here takes and returns plain values, so the wording of a reply and the shape of
``miner suggest --json`` can be tested without a database, a forum or the FAQ step.
"""

from __future__ import annotations

import re
from typing import Iterable

from miner.urls import thread_url

DEFAULT_FAQ_URL = "http://127.0.0.1:8001/faq"
EXCERPT_CHARS = 280


def canonical_thread_url(base_url: str, topic_id: int) -> str:
    """One URL per thread whatever form the moderator pasted (slug, post number, query)."""
    return thread_url(base_url, topic_id)


def faq_page_url(faq_url: str, faq_id: int) -> str:
    """Link to one entry on the FAQ page (anchor ``faq-<id>``)."""
    return f"{(faq_url or DEFAULT_FAQ_URL).split('#')[0].rstrip('/')}#faq-{faq_id}"


def combine_rankings(rankings: Iterable[list[dict]], top: int = 3) -> list[dict]:
    """Merge the rankings of several questions of one thread: an entry scores its best fit,
    its shared terms are collected over all questions (best question's terms first)."""
    best: dict[int, dict] = {}
    terms: dict[int, list[str]] = {}
    for ranking in rankings:
        for hit in ranking:
            faq_id = hit["faq_id"]
            seen = terms.setdefault(faq_id, [])
            if faq_id not in best or hit["score"] > best[faq_id]["score"]:
                best[faq_id] = dict(hit)
                seen[:0] = [t for t in hit.get("shared_terms") or [] if t not in seen]
            else:
                seen.extend(t for t in hit.get("shared_terms") or [] if t not in seen)
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


def reason_text(shared_terms: list[str], limit: int = 6) -> str:
    """Why an entry fits, in a few words a moderator can check at a glance."""
    if not shared_terms:
        return "similar wording (no single shared term)"
    return "shared terms: " + ", ".join(shared_terms[:limit])


def markdown_to_plain(markdown: str) -> str:
    """Rough plain text of Markdown, good enough for an excerpt."""
    text = markdown or ""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", "", text, flags=re.M)
    text = re.sub(r"(\*\*|__|\*|_|`|~~)", "", text)
    return re.sub(r"\s+", " ", text).strip()


def answer_excerpt(markdown: str | None, limit: int = EXCERPT_CHARS) -> str:
    """The start of an answer, cut at a word boundary."""
    text = markdown_to_plain(markdown or "")
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + " …"


def _escape_link_text(text: str) -> str:
    return re.sub(r"([\[\]\\*_`<>])", r"\\\1", text)


def _defuse_mentions(text: str) -> str:
    """An @name quoted from an answer must not notify a forum user (e-mail addresses stay)."""
    return re.sub(r"(?<![\w.])@(?=\w)", "@\u200b", text)


def reply_markdown(title: str, excerpt: str, page_url: str) -> str:
    """The ready-to-paste Discourse reply: polite German, neither "du" nor "Sie"."""
    lines = [
        "Hallo,",
        "",
        "vielen Dank für die Frage! Dazu gibt es bereits einen Eintrag in unserer FAQ:",
        "",
        f"**[{_escape_link_text(title.strip())}]({page_url})**",
        "",
    ]
    if excerpt:
        lines += ["> " + _defuse_mentions(excerpt), ""]
    lines += [
        f"Die vollständige Antwort steht hier: {page_url}",
        "",
        "Falls damit noch etwas offen bleibt, gerne hier im Thema nachfragen.",
        "",
        "Viele Grüße",
    ]
    return "\n".join(lines) + "\n"


def suggestion(hit: dict, rank: int, faq: dict | None, answer: dict | None, faq_url: str) -> dict:
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
        "reason": reason_text(list(hit.get("shared_terms") or [])),
        "answer_status": answer.get("status") if answer else None,
        "answer_excerpt": excerpt,
        "faq_page_url": page,
        "reply": reply_markdown(title, excerpt if published else "", page),
    }


def suggestion_result(
    source: dict, hits: list[dict], faqs: dict[int, dict], answers: dict[int, dict | None], faq_url: str
) -> dict:
    """The whole answer of ``miner suggest`` (also its ``--json`` shape).

    ``source`` says what was matched: ``{"kind": "thread"|"text", "thread_url", "thread",
    "title", "questions": [...]}``.
    """
    return {
        "source": source,
        "faq_url": faq_url,
        "suggestions": [
            suggestion(hit, rank, faqs.get(int(hit["faq_id"])), answers.get(int(hit["faq_id"])), faq_url)
            for rank, hit in enumerate(hits, start=1)
        ],
    }


def format_suggestions(result: dict) -> str:
    """Human-readable text of a suggestion result, the best entry's reply at the end."""
    source = result["source"]
    out = []
    if source.get("kind") == "thread":
        out.append(f"Thread: {source.get('title') or ''} <{source.get('thread_url')}>")
        for question in source.get("questions") or []:
            out.append(f"  ? {question}")
    else:
        out.append(f"Text: {source.get('text', '')[:200]}")
    if not result["suggestions"]:
        out.append("")
        out.append("No FAQ entry fits. (Run `miner mine DB` if the FAQ has not been built yet.)")
        return "\n".join(out) + "\n"
    for s in result["suggestions"]:
        out.append("")
        out.append(f"{s['rank']}. [FAQ {s['faq_id']}] {s['title']}  (score {s['score']:.2f}; {s['reason']})")
        if s["answer_status"] == "published":
            out.append(f"   Answer: {s['answer_excerpt']}")
        elif s["answer_status"]:
            out.append(f"   Answer (draft, not published yet): {s['answer_excerpt']}")
        else:
            out.append("   Answer: none yet")
        out.append(f"   {s['faq_page_url']}")
    best = result["suggestions"][0]
    out += ["", f"Reply with FAQ {best['faq_id']} (copy and paste):"]
    if best["answer_status"] != "published":
        out.append(f"(FAQ {best['faq_id']} has no published answer yet: the reply only links the entry.)")
    out += ["", best["reply"]]
    return "\n".join(out)
