"""What the forum already answered: the replies an editor starts an answer from.

For one entry: the accepted answers and the most relevant replies of its source threads (the
threads most of its questions come from), ranked by accepted > shares the entry's keywords > likes.
Authors are the stored pseudonyms; the HTML is sanitized by ``miner.render``. ``citation`` turns a
chosen reply into Markdown that quotes it and links back to the post ("Quelle: Thread ...").
"""

from __future__ import annotations

import html
import re
import sqlite3

from markupsafe import Markup

from miner.render import safe_url, sanitize_html
from miner.source_links import source_link_mode, thread_href

SOURCE_THREADS = 8
PER_THREAD = 3
SHOWN = 10
QUOTE_CHARS = 600


def post_url(thread_id: str, thread_url: str | None, post_number: int | None, mode: str = "forum") -> str:
    """Link to one post: on the forum the thread URL plus the post number (Discourse's /t/slug/id/n
    form); with ``source_links = stored`` miner's own thread view at the post's anchor."""
    url = thread_href(thread_id, thread_url, mode)
    if not url or not post_number or post_number <= 1:
        return url
    if mode == "stored":
        return f"{url}#post-{post_number}"
    return f"{safe_url(url).rstrip('/')}/{post_number}"


def _keyword_hits(text: str, keywords: list[str]) -> int:
    low = (text or "").lower()
    return sum(1 for k in keywords if k and k in low)


def answer_sources(conn: sqlite3.Connection, faq_id: int) -> list[dict]:
    """The replies worth reading before writing the answer, best first."""
    row = conn.execute("select coalesce(keywords, '') from faqs where id = ?", [faq_id]).fetchone()
    keywords = [k.strip().lower() for k in (row[0] if row else "").split(",") if k.strip()]
    rows = conn.execute(
        "with sources as (select thread, count(*) as n from questions where faq_id = ? group by thread"
        " order by n desc limit ?)"
        " select posts.id, posts.thread, posts.post_number, posts.author, posts.created_at, posts.text, posts.html,"
        " coalesce(posts.is_accepted_answer, 0), coalesce(posts.like_count, 0), threads.title, threads.url,"
        " threads.starter, sources.n"
        " from sources join posts on posts.thread = sources.thread join threads on threads.id = posts.thread"
        " where posts.post_number > 1 and coalesce(posts.deleted, 0) = 0 and coalesce(posts.post_type, 1) = 1"
        " and length(coalesce(posts.text, '')) > 40",
        [faq_id, SOURCE_THREADS]).fetchall()
    mode = source_link_mode(conn)
    scored = []
    for (pid, thread, number, author, created, text, html, accepted, likes, title, url, starter, n) in rows:
        score = 100 * accepted + 3 * _keyword_hits(text, keywords) + likes + n - 2 * (author == starter)
        scored.append((-score, created or "", pid, {
            "id": pid, "thread": thread, "post_number": number, "author": author, "created_at": created,
            "accepted": bool(accepted), "likes": likes, "thread_title": title,
            "url": post_url(thread, url, number, mode), "text": text or "",
            "html": Markup(sanitize_html(html)) if html else None,
        }))
    scored.sort(key=lambda s: s[:3])
    per_thread: dict[str, int] = {}
    shown = []
    for *_, source in scored:
        if per_thread.get(source["thread"], 0) >= PER_THREAD:
            continue
        per_thread[source["thread"]] = per_thread.get(source["thread"], 0) + 1
        shown.append(source)
        if len(shown) == SHOWN:
            break
    return shown


def citation(source: dict, label: str) -> str:
    """Markdown quoting a reply, with its citation linking back: label is e.g. 'Quelle: Thread „{title}“'."""
    text = " ".join((source["text"] or "").split())
    if len(text) > QUOTE_CHARS:
        text = text[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
    text = re.sub(r"([\[\]\\])", r"\\\1", html.escape(text, quote=False))  # forum text stays text in Markdown
    title = re.sub(r"([\[\]])", r"\\\1", source["thread_title"] or "")
    cite = label.format(title=title)
    link = f"[{cite}]({source['url']})" if source["url"] else cite
    return f"> {text}\n>\n> {link}\n"


def draft_from(body: str, sources: list[dict], label: str) -> str:
    """The editor's text (if any) followed by the chosen replies as citations."""
    parts = [body.strip()] if body and body.strip() else []
    parts += [citation(s, label) for s in sources]
    return "\n\n".join(parts).strip() + "\n"
