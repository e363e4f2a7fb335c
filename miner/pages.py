"""What the FAQ pages, the answer editor and the moderators' lookup read: plain SQL on one sqlite3 connection.

Pure of Datasette, so the plugin stays thin and the queries can be tested and benchmarked alone.
Everything returned for display is either escaped by the templates or sanitized here
(``Markup`` only around ``miner.render`` output and the SVG chart).
"""

from __future__ import annotations

import json
import re
import sqlite3

from markupsafe import Markup

from miner.answer_sources import answer_sources
from miner.charts import month_chart_svg
from miner.faq_search import search_entries
from miner.render import markdown_to_safe_html
from miner.source_links import source_link_mode, thread_href

PAGE_SIZE = 25  # search hits per page
CONTENTS_PAGE_SIZE = 60  # entries per page below the table of contents
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


def review_flags(conn: sqlite3.Connection, faq_ids: list[int]) -> dict[int, dict]:
    """Entries whose questions kept coming after their published answer ("Antwort prüfen"):
    id -> {count, answered_at}; the same rule as the canned query answer_may_need_update."""
    if not faq_ids:
        return {}
    marks = ",".join("?" * len(faq_ids))
    rows = conn.execute(
        f"with published as (select faq_id, max(created_at) as answered_at from answers"
        f" where status = 'published' and faq_id in ({marks}) group by faq_id)"
        " select published.faq_id, published.answered_at, count(questions.id) from published"
        " join questions on questions.faq_id = published.faq_id and questions.asked_at > published.answered_at"
        " group by published.faq_id", faq_ids).fetchall()
    return {r[0]: {"count": r[2], "answered_at": r[1]} for r in rows}


def sections_of(conn: sqlite3.Connection) -> list[dict]:
    """Sections with their active entries' count, in page order; entries without a section last."""
    rows = conn.execute(
        "select faq_sections.id, faq_sections.title, count(faqs.id), coalesce(sum(faqs.size), 0) from faq_sections"
        " join faqs on faqs.section_id = faq_sections.id and faqs.status = 'active'"
        " group by faq_sections.id order by faq_sections.position, faq_sections.id").fetchall()
    sections = [{"id": r[0], "title": r[1], "count": r[2], "questions": r[3]} for r in rows]
    loose = conn.execute("select count(*), coalesce(sum(size), 0) from faqs where status = 'active' and"
                         " (section_id is null or section_id not in (select id from faq_sections))").fetchone()
    if loose[0]:
        sections.append({"id": None, "title": None, "count": loose[0], "questions": loose[1]})
    return sections


def _entry_cards(conn: sqlite3.Connection, rows: list, include_drafts: bool) -> list[dict]:
    ids = [r[0] for r in rows]
    answers = latest_answers(conn, ids, include_drafts)
    flags = review_flags(conn, ids)
    return [{"id": fid, "title": title, "keywords": keywords, "size": size, "threads": threads,
             "first_asked": first or "", "last_asked": last or "", "section_id": section,
             "answer": answers.get(fid), "review": flags.get(fid)}
            for fid, title, keywords, size, threads, first, last, section in rows]


ENTRY_COLUMNS = "id, title, keywords, size, threads, first_asked, last_asked, section_id"


def faq_page_data(conn: sqlite3.Connection, *, q: str, page: int, include_drafts: bool) -> dict:
    """/faq: the table of contents and the entries by section, or, with ``q``, the ranked search hits."""
    if q:
        total, shown = search_entries(conn, q, include_drafts=include_drafts, offset=(page - 1) * PAGE_SIZE,
                                      limit=PAGE_SIZE)
        pages = max(1, -(-total // PAGE_SIZE))
        if page > pages:  # past the end: show the last page
            page = pages
            total, shown = search_entries(conn, q, include_drafts=include_drafts, offset=(page - 1) * PAGE_SIZE,
                                          limit=PAGE_SIZE)
        ids = [h["id"] for h in shown]
        rows = conn.execute(f"select {ENTRY_COLUMNS} from faqs where id in ({','.join('?' * len(ids))})", ids).fetchall()
        by_id = {e["id"]: e for e in _entry_cards(conn, rows, include_drafts)}
        entries = [{**by_id[h["id"]], "why": h["why"], "matched": h["questions"], "matched_posts": h["posts"],
                    "matching_questions": h["matching_questions"]} for h in shown if h["id"] in by_id]
        return {"entries": entries, "sections": [], "total": total, "page": page, "pages": pages}
    sections = sections_of(conn)
    total = sum(s["count"] for s in sections)
    pages = max(1, -(-total // CONTENTS_PAGE_SIZE))
    page = min(page, pages)
    before = 0
    for section in sections:  # the table of contents links to the page where a section starts
        section["page"] = before // CONTENTS_PAGE_SIZE + 1
        before += section["count"]
    rows = conn.execute(
        f"select {ENTRY_COLUMNS} from faqs left join (select id as sid, position from faq_sections) s"
        " on s.sid = faqs.section_id where status = 'active'"
        " order by s.position is null, s.position, size desc, id limit ? offset ?",
        [CONTENTS_PAGE_SIZE, (page - 1) * CONTENTS_PAGE_SIZE]).fetchall()
    known = {s["id"] for s in sections}
    entries = [{**e, "section_id": e["section_id"] if e["section_id"] in known else None}
               for e in _entry_cards(conn, rows, include_drafts)]
    return {"entries": entries, "sections": sections, "total": total, "page": page, "pages": pages}


QUESTIONS_PER_PAGE = 50
HISTORY_SHOWN = 50


def entry_page_data(conn: sqlite3.Connection, faq_id: int, *, page: int, include_drafts: bool,
                    chart_label: str = "Fragen") -> dict | None:
    """/faq/ID: one entry with its questions (paged), answer, chart, source threads, section and history."""
    row = conn.execute(f"select {ENTRY_COLUMNS}, status, successors from faqs where id = ?", [faq_id]).fetchone()
    if row is None:
        return None
    entry = _entry_cards(conn, [row[:8]], include_drafts)[0]
    entry["status"], entry["successors"] = row[8], json.loads(row[9] or "[]")
    section = conn.execute("select id, title from faq_sections where id = ?", [row[7]]).fetchone()
    total = conn.execute("select count(*) from questions where faq_id = ?", [faq_id]).fetchone()[0]
    pages = max(1, -(-total // QUESTIONS_PER_PAGE))
    page = min(max(1, page), pages)
    questions = conn.execute(
        "select questions.id, questions.text, questions.asked_at, threads.title, threads.url, threads.id from questions"
        " join threads on threads.id = questions.thread where questions.faq_id = ?"
        " order by questions.asked_at desc, questions.id limit ? offset ?",
        [faq_id, QUESTIONS_PER_PAGE, (page - 1) * QUESTIONS_PER_PAGE]).fetchall()
    sources = conn.execute(
        "select threads.title, threads.url, n, threads.created_at, threads.id from (select thread, count(*) as n from questions"
        " where faq_id = ? group by thread order by n desc limit 20) s join threads on threads.id = s.thread"
        " order by n desc, threads.created_at desc", [faq_id]).fetchall()
    links = source_link_mode(conn)
    history = conn.execute(
        "select event, detail, at from faq_history where faq_id = ? order by id desc limit ?",
        [faq_id, HISTORY_SHOWN]).fetchall()
    return {
        "entry": entry,
        "section": {"id": section[0], "title": section[1]} if section else None,
        "questions": [{"id": q[0], "text": q[1], "asked_at": q[2], "thread": q[3], "url": thread_href(q[5], q[4], links)}
                      for q in questions],
        "questions_total": total, "page": page, "pages": pages,
        "sources": [{"title": s[0], "url": thread_href(s[4], s[1], links), "questions": s[2]} for s in sources],
        "history": [{"event": h[0], "detail": h[1], "at": h[2]} for h in history],
        "chart": Markup(month_chart_svg(months_of(conn, faq_id), axis_label=chart_label)),
    }


def editor_page_data(conn: sqlite3.Connection, faq_id: int, page: int) -> dict | None:
    """/-/answer/ID: the entry, every answer revision, its questions (paged), the forum's replies, sections."""
    faq = conn.execute("select id, title, keywords, size, status, section_id from faqs where id = ?", [faq_id]).fetchone()
    if faq is None:
        return None
    revisions = [{"id": r[0], "body": r[1], "status": r[2], "editor": r[3], "created_at": r[4],
                  "html": Markup(markdown_to_safe_html(r[1]))} for r in conn.execute(
        "select id, body, status, editor, created_at from answers where faq_id = ? order by id desc", [faq_id])]
    total = conn.execute("select count(*) from questions where faq_id = ?", [faq_id]).fetchone()[0]
    page_count = max(1, -(-total // QUESTIONS_PER_PAGE))
    page = min(page, page_count)
    questions = [{"id": r[0], "text": r[1], "asked_at": r[2]} for r in conn.execute(
        "select id, text, asked_at from questions where faq_id = ? order by faq_similarity desc, asked_at desc"
        " limit ? offset ?", [faq_id, QUESTIONS_PER_PAGE, (page - 1) * QUESTIONS_PER_PAGE])]
    return {"faq": dict(zip(("id", "title", "keywords", "size", "status", "section_id"), faq)),
            "revisions": revisions, "questions": questions, "questions_total": total, "page": page,
            "pages": page_count, "sources": answer_sources(conn, faq_id),
            "review": review_flags(conn, [faq_id]).get(faq_id), "sections": sections_of(conn)}


def is_known_forum(conn: sqlite3.Connection, thread_url: str) -> bool:
    """Only threads of forums already in the corpus are fetched (the server never crawls arbitrary hosts)."""
    from miner.thread_ids import split_thread_id, thread_id_in

    found = thread_id_in(conn, thread_url)
    if found is None:
        return False
    return conn.execute("select 1 from forums where id = ?", [split_thread_id(found)[0]]).fetchone() is not None
