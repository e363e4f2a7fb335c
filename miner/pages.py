"""What the FAQ page and the moderators' lookup read: plain SQL on one sqlite3 connection.

Pure of Datasette, so the plugin stays thin and the queries can be tested and benchmarked alone.
Everything returned for display is either escaped by the templates or sanitized here
(``Markup`` only around ``miner.render`` output and the SVG chart).
"""

from __future__ import annotations

import re
import sqlite3

from markupsafe import Markup

from miner.charts import month_bars_svg
from miner.render import markdown_to_safe_html
from miner.source_links import source_link_mode, thread_href

PAGE_SIZE = 25
MAX_FTS_WORDS = 16
MAX_FTS_CHARS = 1000  # miner_fts_query() is open to anonymous SQL: bounded input, linear work


def fts_query(text: str | None) -> str:
    """Plain words as an FTS5 query: every word a quoted phrase (AND), so '-', '"', '*', NOT are literal.

    "DSGVO-konform" becomes the phrase "DSGVO-konform" (the tokenizer splits it into two adjacent
    tokens); input without any word becomes '""', which matches nothing instead of failing.
    """
    if not isinstance(text, str):  # SQL may pass a number or a blob
        text = "" if text is None else str(text)
    words = [w.replace('"', "") for w in text[:MAX_FTS_CHARS].split()]
    words = [w for w in words if re.search(r"\w", w)][:MAX_FTS_WORDS]
    if not words:
        return '""'
    return " ".join(f'"{w}"' for w in words)


def latest_answers(conn: sqlite3.Connection, faq_ids: list[int], include_drafts: bool) -> dict[int, dict]:
    if not faq_ids:
        return {}
    marks = ",".join("?" * len(faq_ids))
    status = "" if include_drafts else "and status = 'published'"
    rows = conn.execute(
        f"select a.faq_id, a.body, a.status, a.editor, a.created_at from answers a join "
        f"(select faq_id, max(id) as id from answers where faq_id in ({marks}) {status} group by faq_id) l "
        f"on l.id = a.id",
        faq_ids,
    ).fetchall()
    return {r[0]: {"body": r[1], "status": r[2], "editor": r[3], "created_at": r[4], "html": Markup(markdown_to_safe_html(r[1]))} for r in rows}


def months_of(conn: sqlite3.Connection, faq_id: int) -> dict[str, int]:
    rows = conn.execute("select month, questions from faq_months where faq_id = ?", [faq_id]).fetchall()
    if not rows:
        rows = conn.execute(
            "select substr(asked_at, 1, 7), count(*) from questions where faq_id = ? and asked_at is not null group by 1",
            [faq_id],
        ).fetchall()
    return {m: n for m, n in rows if m}


def faq_page_data(conn: sqlite3.Connection, *, q: str, page: int, include_drafts: bool) -> dict:
    """Everything the FAQ page shows, read in one go on one connection (fast even for big corpora)."""
    params: list = []
    where = "faqs.status = 'active'"
    if q:
        where += " and faqs.rowid in (select rowid from faqs_fts where faqs_fts match ?)"
        params.append(fts_query(q))
    total = conn.execute(f"select count(*) from faqs where {where}", params).fetchone()[0]
    rows = conn.execute(
        f"select id, title, keywords, size, threads, first_asked, last_asked from faqs where {where}"
        " order by size desc, id limit ? offset ?",
        params + [PAGE_SIZE, (page - 1) * PAGE_SIZE],
    ).fetchall()
    ids = [r[0] for r in rows]
    answers = latest_answers(conn, ids, include_drafts)
    links = source_link_mode(conn)
    entries = []
    for faq_id, title, keywords, size, threads, first, last in rows:
        examples = conn.execute(
            # Distinct wordings other than the title: the same title asked in several threads says nothing new.
            "select min(text) from questions where faq_id = ? and lower(text) != lower(?)"
            " group by lower(text) order by max(faq_similarity) desc, max(asked_at) desc limit 3",
            [faq_id, title],
        ).fetchall()
        sources = conn.execute(
            "select threads.title, threads.url, n, threads.id from (select thread, count(*) as n from questions"
            " where faq_id = ? group by thread order by n desc limit 3) s join threads on threads.id = s.thread"
            " order by n desc",
            [faq_id],
        ).fetchall()
        entries.append(
            {
                "id": faq_id,
                "title": title,
                "keywords": keywords,
                "size": size,
                "threads": threads,
                "first_asked": (first or "")[:10],
                "last_asked": (last or "")[:10],
                "answer": answers.get(faq_id),
                "examples": [e[0] for e in examples],
                "sources": [{"title": s[0], "url": thread_href(s[3], s[1], links), "questions": s[2]} for s in sources],
                "chart": Markup(month_bars_svg(months_of(conn, faq_id))),
            }
        )
    return {"entries": entries, "total": total, "page": page, "pages": max(1, -(-total // PAGE_SIZE))}


def is_known_forum(conn: sqlite3.Connection, thread_url: str) -> bool:
    """Only threads of forums already in the corpus are fetched (the server never crawls arbitrary hosts)."""
    from miner.thread_ids import split_thread_id, thread_id_in

    found = thread_id_in(conn, thread_url)
    if found is None:
        return False
    return conn.execute("select 1 from forums where id = ?", [split_thread_id(found)[0]]).fetchone() is not None
