"""What the FAQ pages, the answer editor and the moderators' lookup show, built from the rows
``miner.page_queries`` reads on one sqlite3 connection.

Pure of Datasette, so the plugin stays thin and the pages can be tested and benchmarked alone.
Everything returned for display is either escaped by the templates or sanitized here
(``Markup`` only around ``miner.render`` output and the SVG chart).
"""

from __future__ import annotations

import json
import re
import sqlite3

from markupsafe import Markup

from miner import page_queries as reads
from miner.answer_sources import answer_sources
from miner.charts import month_chart_svg
from miner.faq_search import search_entries
from miner.thread_ids import split_thread_id, thread_id_in
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
    rows = reads.latest_answer_rows(conn, faq_ids, include_drafts)
    return {r[0]: {"body": r[1], "status": r[2], "editor": r[3], "created_at": r[4], "html": Markup(markdown_to_safe_html(r[1]))} for r in rows}


def _entry_cards(conn: sqlite3.Connection, rows: list, include_drafts: bool) -> list[dict]:
    ids = [r[0] for r in rows]
    answers = latest_answers(conn, ids, include_drafts)
    flags = reads.review_flags(conn, ids)
    return [{"id": fid, "title": title, "keywords": keywords, "size": size, "threads": threads,
             "first_asked": first or "", "last_asked": last or "", "section_id": section,
             "answer": answers.get(fid), "review": flags.get(fid)}
            for fid, title, keywords, size, threads, first, last, section in rows]


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
        rows = reads.entry_rows(conn, ids)
        by_id = {e["id"]: e for e in _entry_cards(conn, rows, include_drafts)}
        entries = [{**by_id[h["id"]], "why": h["why"], "matched": h["questions"], "matched_posts": h["posts"],
                    "matching_questions": h["matching_questions"]} for h in shown if h["id"] in by_id]
        return {"entries": entries, "sections": [], "total": total, "page": page, "pages": pages}
    sections = reads.sections_of(conn)
    total = sum(s["count"] for s in sections)
    pages = max(1, -(-total // CONTENTS_PAGE_SIZE))
    page = min(page, pages)
    before = 0
    for section in sections:  # the table of contents links to the page where a section starts
        section["page"] = before // CONTENTS_PAGE_SIZE + 1
        before += section["count"]
    rows = reads.contents_rows(conn, CONTENTS_PAGE_SIZE, (page - 1) * CONTENTS_PAGE_SIZE)
    known = {s["id"] for s in sections}
    entries = [{**e, "section_id": e["section_id"] if e["section_id"] in known else None}
               for e in _entry_cards(conn, rows, include_drafts)]
    return {"entries": entries, "sections": sections, "total": total, "page": page, "pages": pages}


QUESTIONS_PER_PAGE = 50
HISTORY_SHOWN = 50


def entry_page_data(conn: sqlite3.Connection, faq_id: int, *, page: int, include_drafts: bool,
                    chart_label: str = "Fragen") -> dict | None:
    """/faq/ID: one entry with its questions (paged), answer, chart, source threads, section and history."""
    row = reads.entry_row(conn, faq_id)
    if row is None:
        return None
    entry = _entry_cards(conn, [row[:8]], include_drafts)[0]
    entry["status"], entry["successors"] = row[8], json.loads(row[9] or "[]")
    section = reads.section_row(conn, row[7])
    total = reads.question_count(conn, faq_id)
    pages = max(1, -(-total // QUESTIONS_PER_PAGE))
    page = min(max(1, page), pages)
    questions = reads.entry_question_rows(conn, faq_id, QUESTIONS_PER_PAGE, (page - 1) * QUESTIONS_PER_PAGE)
    sources = reads.source_thread_rows(conn, faq_id)
    links = source_link_mode(conn)
    history = reads.history_rows(conn, faq_id, HISTORY_SHOWN)
    return {
        "entry": entry,
        "section": {"id": section[0], "title": section[1]} if section else None,
        "questions": [{"id": q[0], "text": q[1], "asked_at": q[2], "thread": q[3], "url": thread_href(q[5], q[4], links)}
                      for q in questions],
        "questions_total": total, "page": page, "pages": pages,
        "sources": [{"title": s[0], "url": thread_href(s[4], s[1], links), "questions": s[2]} for s in sources],
        "history": [{"event": h[0], "detail": h[1], "at": h[2]} for h in history],
        "chart": Markup(month_chart_svg(reads.entry_months(conn, faq_id), axis_label=chart_label)),
    }


def editor_page_data(conn: sqlite3.Connection, faq_id: int, page: int) -> dict | None:
    """/-/answer/ID: the entry, every answer revision, its questions (paged), the forum's replies, sections."""
    faq = reads.editor_entry_row(conn, faq_id)
    if faq is None:
        return None
    revisions = [{"id": r[0], "body": r[1], "status": r[2], "editor": r[3], "created_at": r[4],
                  "html": Markup(markdown_to_safe_html(r[1]))} for r in reads.answer_revision_rows(conn, faq_id)]
    total = reads.question_count(conn, faq_id)
    page_count = max(1, -(-total // QUESTIONS_PER_PAGE))
    page = min(page, page_count)
    questions = [{"id": r[0], "text": r[1], "asked_at": r[2]}
                 for r in reads.editor_question_rows(conn, faq_id, QUESTIONS_PER_PAGE, (page - 1) * QUESTIONS_PER_PAGE)]
    return {"faq": dict(zip(("id", "title", "keywords", "size", "status", "section_id"), faq)),
            "revisions": revisions, "questions": questions, "questions_total": total, "page": page,
            "pages": page_count, "sources": answer_sources(conn, faq_id),
            "review": reads.review_flags(conn, [faq_id]).get(faq_id), "sections": reads.sections_of(conn)}


def is_known_forum(conn: sqlite3.Connection, thread_url: str) -> bool:
    """Only threads of forums already in the corpus are fetched (the server never crawls arbitrary hosts)."""
    found = thread_id_in(conn, thread_url)
    if found is None:
        return False
    return reads.forum_exists(conn, split_thread_id(found)[0])
