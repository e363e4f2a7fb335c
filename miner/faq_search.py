"""Search on /faq: what readers type, found in titles, keywords, answers and the entries' questions
(and the posts those questions were asked in, weighted lowest).

Every source is an FTS5 index with the same tokenizer (``unicode61 remove_diacritics 2``), queried
with prefixes so a German compound is found by its first part ("Datenschutz" finds
"Datenschutzerklärung"). Entries are ranked by their best bm25 per source, weighted (a title hit
says more than one question among hundreds), and each hit says why it matched: the matching
questions are returned with the match marked, escaped first so forum text stays inert.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections import defaultdict

from markupsafe import Markup, escape

WEIGHTS = {"title": 3.0, "answer": 2.0, "question": 1.0, "post": 0.5}
QUESTION_HITS = 2000  # newest matching questions ranked (keeps a frequent word fast on big corpora)
POST_HITS = 500  # newest matching posts that carry a question (the weakest reason, so the fewest)
SHOWN_QUESTIONS = 3
_OPEN, _CLOSE = "\x02", "\x03"
MIN_PREFIX = 4  # shorter words match whole words only: "da"* would expand to half the vocabulary


def prefix_query(text: str) -> str:
    """Plain words as an FTS5 query of quoted prefix phrases, all required: '"dsgvo-konform"*'
    (words shorter than MIN_PREFIX match whole words).

    Quoting keeps '-', '"', '*', NOT literal; a query without any word matches nothing."""
    words = [w.replace('"', "") for w in (text or "")[:1000].split()]
    words = [w for w in words if re.search(r"\w", w)][:16]
    return " ".join(f'"{w}"*' if len(w) >= MIN_PREFIX else f'"{w}"' for w in words) if words else '""'


def marked(highlighted: str) -> Markup:
    """FTS highlight() output with sentinel marks -> escaped HTML with <mark> around the match."""
    return Markup(str(escape(highlighted)).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))


def search_entries(conn: sqlite3.Connection, q: str, *, include_drafts: bool, offset: int = 0,
                   limit: int = 25) -> tuple[int, list[dict]]:
    """Active entries matching ``q``: (how many, the ``limit`` best from ``offset`` on as
    [{id, score, why: [...], questions: [Markup], posts: [Markup]}])."""
    query = prefix_query(q)
    if query == '""':
        return 0, []
    scores: dict[int, dict[str, float]] = defaultdict(dict)
    for fid, score in conn.execute(
            "with hits as materialized (select rowid, bm25(faqs_fts) as score from faqs_fts where faqs_fts match ?)"
            " select faqs.id, hits.score from hits join faqs on faqs.rowid = hits.rowid where faqs.status = 'active'", [query]):
        scores[fid]["title"] = -score
    drafts = "" if include_drafts else "where status = 'published'"
    for fid, score in conn.execute(  # the full-text match runs first (materialized), then the few joins
            "with hits as materialized (select rowid, bm25(answers_fts) as score from answers_fts where answers_fts match ?),"
            f" current as (select max(id) as id from answers {drafts} group by faq_id)"
            " select answers.faq_id, hits.score from hits join answers on answers.rowid = hits.rowid"
            " join current on current.id = answers.id join faqs on faqs.id = answers.faq_id"
            " where faqs.status = 'active'", [query]):
        scores[fid]["answer"] = -score
    questions: dict[int, list[tuple[float, int, str]]] = defaultdict(list)  # (score, rowid, text)
    for fid, score, rowid, text in conn.execute(
            "with hits as materialized (select rowid, bm25(questions_fts) as score"
            " from questions_fts where questions_fts match ? order by rowid desc limit ?)"
            " select questions.faq_id, hits.score, hits.rowid, questions.text from hits"
            " join questions on questions.rowid = hits.rowid"
            " join faqs on faqs.id = questions.faq_id where faqs.status = 'active'", [query, QUESTION_HITS]):
        questions[fid].append((-score, rowid, text))
    posts: dict[int, tuple[float, int]] = {}  # best (score, rowid)
    for fid, score, rowid in conn.execute(  # the post a question was asked in: its wording around the question
            "with hits as materialized (select rowid, bm25(posts_fts) as score"
            " from posts_fts where posts_fts match ? order by rowid desc limit ?)"
            " select distinct questions.faq_id, hits.score, hits.rowid from hits join posts on posts.rowid = hits.rowid"
            " join questions on questions.thread = posts.thread and questions.post = posts.id"  # the thread index
            " join faqs on faqs.id = questions.faq_id"
            " where faqs.status = 'active'", [query, POST_HITS]):
        posts[fid] = max(posts.get(fid, (-math.inf, 0)), (-score, rowid))
    for fid, (score, _) in posts.items():
        scores[fid]["post"] = score
    for fid, hits in questions.items():
        scores[fid]["question"] = max(h[0] for h in hits) + math.log1p(len(hits))
    ranked = sorted(scores, key=lambda fid: (-sum(WEIGHTS[s] * v for s, v in scores[fid].items()), fid))
    page = ranked[offset:offset + limit]
    shown: dict[int, list[int]] = {}
    for fid in page:  # the best distinct wordings, marked up for the shown page only
        seen, rowids = set(), []
        for _, rowid, text in sorted(questions.get(fid, []), key=lambda h: -h[0]):
            if text.lower() not in seen:
                seen.add(text.lower())
                rowids.append(rowid)
            if len(rowids) == SHOWN_QUESTIONS:
                break
        shown[fid] = rowids
    marked_questions = _marked(conn, "questions_fts", f"highlight(questions_fts, 0, '{_OPEN}', '{_CLOSE}')", query,
                               [r for rowids in shown.values() for r in rowids])
    post_rowids = [posts[fid][1] for fid in page if not shown[fid] and fid in posts]
    marked_posts = _marked(conn, "posts_fts", f"snippet(posts_fts, 0, '{_OPEN}', '{_CLOSE}', '…', 16)", query, post_rowids)
    results = []
    for fid in page:
        by_source = scores[fid]
        results.append({"id": fid, "score": sum(WEIGHTS[s] * v for s, v in by_source.items()),
                        "why": [s for s in ("title", "answer", "question", "post") if s in by_source],
                        "questions": [marked_questions[r] for r in shown[fid] if r in marked_questions],
                        "matching_questions": len(questions.get(fid, [])),
                        "posts": [marked_posts[posts[fid][1]]] if not shown[fid] and fid in posts
                        and posts[fid][1] in marked_posts else []})
    return len(ranked), results


def _marked(conn: sqlite3.Connection, table: str, markup: str, query: str, rowids: list[int]) -> dict[int, Markup]:
    """rowid -> the matching text with the match marked (highlight/snippet need the MATCH, so one query)."""
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    rows = conn.execute(f"select rowid, {markup} from {table} where {table} match ? and rowid in ({marks})",
                        [query, *rowids]).fetchall()
    return {rowid: marked(text) for rowid, text in rows}
