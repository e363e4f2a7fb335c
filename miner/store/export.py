"""What `miner export` reads: the published FAQ (active entries with a published answer), its
sections, example questions and source threads."""

from __future__ import annotations

import sqlite_utils


def has_sections(db: sqlite_utils.Database) -> bool:
    return "faq_sections" in db.table_names() and "section_id" in db["faqs"].columns_dict


def load_published_entries(db: sqlite_utils.Database) -> list[dict]:
    """Active entries with their latest published answer revision, largest first."""
    section = "faqs.section_id" if has_sections(db) else "null"
    return list(db.query(f"""
        select faqs.id, faqs.title, faqs.size, faqs.threads, {section} as section_id,
               answers.body, answers.created_at as answered_at
        from faqs
        join (select faq_id, max(id) as id from answers where status = 'published' group by faq_id) latest
          on latest.faq_id = faqs.id
        join answers on answers.id = latest.id
        where faqs.status = 'active'
        order by faqs.size desc, faqs.id
    """))


def load_sections_in_order(db: sqlite_utils.Database) -> list[dict]:
    """id and title of each section, in their order on /faq (none before the FAQ step made them)."""
    if not has_sections(db):
        return []
    return list(db.query("select id, title from faq_sections order by position, id"))


def load_example_questions(db: sqlite_utils.Database, faq_id: int, title: str, limit: int) -> list[str]:
    """The entry's questions closest to its centre, other than its title, one per wording."""
    rows = db.query(
        "select min(text) as text from questions where faq_id = ? and lower(text) != lower(?)"
        " group by lower(text) order by max(faq_similarity) desc, max(asked_at) desc limit ?",
        [faq_id, title, limit])
    return [row["text"] for row in rows]


def load_source_threads(db: sqlite_utils.Database, faq_id: int, limit: int) -> list[dict]:
    """The threads most of the entry's questions come from: id, title, url, n (questions)."""
    return list(db.query(
        "select threads.id, threads.title, threads.url, s.n from (select thread, count(*) as n from questions"
        " where faq_id = ? group by thread order by n desc, thread limit ?) s join threads on threads.id = s.thread"
        " order by s.n desc, threads.id", [faq_id, limit]))
