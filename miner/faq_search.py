"""Search on /faq: what readers type, found in titles, keywords, answers and the entries' questions
(and the posts those questions were asked in, weighted lowest).

Every source is an FTS5 index with the same tokenizer (``unicode61 remove_diacritics 2``), queried
with prefixes so a German compound is found by its first part ("Datenschutz" finds
"Datenschutzerklärung"). Entries are ranked by their best bm25 per source, weighted (a title hit
says more than one question among hundreds), and each hit says why it matched: the matching
questions (or a snippet of the post) with the matched words marked, escaped first so forum text stays
inert. The marking is done here, not by FTS5's highlight(): that re-runs the prefix query per row.
"""

from __future__ import annotations

import math
import re
import sqlite3
import unicodedata
from collections import defaultdict

from markupsafe import Markup, escape

WEIGHTS = {"title": 3.0, "answer": 2.0, "question": 1.0, "post": 0.5}
QUESTION_HITS = 2000  # newest matching questions ranked (keeps a frequent word fast on big corpora)
POST_HITS = 500  # newest matching posts that carry a question (the weakest reason, so the fewest)
SHOWN_QUESTIONS = 3
SNIPPET_WORDS = 16  # words either side of the first match in a post
MIN_PREFIX = 4  # shorter words match whole words only: "da"* would expand to half the vocabulary


def prefix_query(text: str) -> str:
    """Plain words as an FTS5 query of quoted prefix phrases, all required: '"dsgvo-konform"*'
    (words shorter than MIN_PREFIX match whole words).

    Quoting keeps '-', '"', '*', NOT literal; a query without any word matches nothing."""
    words = [w.replace('"', "") for w in (text or "")[:1000].split()]
    words = [w for w in words if re.search(r"\w", w)][:16]
    return " ".join(f'"{w}"*' if len(w) >= MIN_PREFIX else f'"{w}"' for w in words) if words else '""'


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
    terms = query_terms(q)
    texts = _texts(conn, "questions", [r for rowids in shown.values() for r in rowids])
    marked_questions = {r: mark_matches(t, terms) for r, t in texts.items()}
    posts_text = _texts(conn, "posts", [posts[fid][1] for fid in page if not shown[fid] and fid in posts])
    marked_posts = {r: mark_matches(t, terms, window=SNIPPET_WORDS) for r, t in posts_text.items()}
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


def _texts(conn: sqlite3.Connection, table: str, rowids: list[int]) -> dict[int, str]:
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    return dict(conn.execute(f"select rowid, text from {table} where rowid in ({marks})", rowids).fetchall())


def _folded(word: str) -> str:
    """As the FTS tokenizer compares: case-folded, diacritics removed (unicode61 remove_diacritics 2)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


def query_terms(q: str) -> list[tuple[str, bool]]:
    """The tokens of what a reader typed, folded, each with whether it matches as a prefix."""
    words = [w for w in (q or "")[:1000].split() if re.search(r"\w", w)][:16]
    terms = []
    for word in words:
        tokens = re.findall(r"\w+", word)
        for i, token in enumerate(tokens):  # like the query: the last token of a long word is a prefix
            terms.append((_folded(token), i == len(tokens) - 1 and len(word.replace('"', "")) >= MIN_PREFIX))
    return terms


def mark_matches(text: str, terms: list[tuple[str, bool]], window: int | None = None) -> Markup:
    """``text`` escaped, the words the query matched in <mark>; with ``window``, only that many words
    around the first match (a snippet of a long post)."""
    pieces = re.split(r"(\w+)", text or "")
    hits = [i for i in range(1, len(pieces), 2)
            if any(_folded(pieces[i]).startswith(t) if prefix else _folded(pieces[i]) == t for t, prefix in terms)]
    start, end, before, after = 0, len(pieces), "", ""
    if window and hits:
        start = max(0, hits[0] - 2 * window)  # pieces alternate text / word: 2 pieces per word
        end = min(len(pieces), hits[0] + 2 * window + 1)
        before, after = ("… " if start > 0 else ""), (" …" if end < len(pieces) else "")
    marked_hits = set(hits)
    out = [str(escape(p)) if i not in marked_hits else f"<mark>{escape(p)}</mark>" for i, p in enumerate(pieces)]
    return Markup((before + "".join(out[start:end]).strip() + after).replace("</mark>-<mark>", "-"))
