"""Read the published FAQ from a database into plain dicts (the one input of every export format).

Only what the public sees on ``/faq``: active entries with a published answer, that answer's
latest published revision (a newer draft never leaks), sections when the FAQ step made them.
"""

from __future__ import annotations

import datetime as dt

from miner import settings, store
from miner.errors import DatabaseError
from miner.export.formats import safe_markdown
from miner.export.words import format_date, word
from miner.render import markdown_to_safe_html
from miner.source_links import site_root, thread_href

EXAMPLES = 3
SOURCES = 5


class NothingPublished(DatabaseError):
    """The database has entries but none with a published answer: an export would be empty."""


def _has_sections(db: store.Database) -> bool:
    return "faq_sections" in db.table_names() and "section_id" in db["faqs"].columns_dict


def _published_entries(db: store.Database) -> list[dict]:
    """Active entries with their latest published answer revision, largest first."""
    section = "faqs.section_id" if _has_sections(db) else "null"
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


def _sections(db: store.Database) -> list[dict]:
    if not _has_sections(db):
        return []
    return list(db.query("select id, title from faq_sections order by position, id"))


def _examples(db: store.Database, faq_id: int, title: str) -> list[str]:
    rows = db.query(
        "select min(text) as text from questions where faq_id = ? and lower(text) != lower(?)"
        " group by lower(text) order by max(faq_similarity) desc, max(asked_at) desc limit ?",
        [faq_id, title, EXAMPLES])
    return [row["text"] for row in rows]


def _sources(db: store.Database, faq_id: int, mode: str | None, root: str) -> list[dict]:
    rows = db.query(
        "select threads.id, threads.title, threads.url, s.n from (select thread, count(*) as n from questions"
        " where faq_id = ? group by thread order by n desc, thread limit ?) s join threads on threads.id = s.thread"
        " order by s.n desc, threads.id", [faq_id, SOURCES])
    out = []
    for row in rows:
        href = thread_href(row["id"], row["url"], mode, root)
        out.append({"title": row["title"] or row["id"], "url": href or None, "questions": row["n"]})
    return out


def published_faq(db: store.Database, lang: str = "de", *, today: dt.date | None = None) -> dict:
    """The published FAQ: {title, intro, date, lang, faq_url, sections: [{id, title, entries: [...]}]}.

    Each entry: {id, title, url (its live page when faq_base_url is set), questions, sources,
    answer: {markdown, html, published_at, date}}. Raises NothingPublished when no entry has a
    published answer.
    """
    stored = settings.load_settings(db)
    faq_url = stored.get(settings.FAQ_BASE_URL)
    mode = stored.get(settings.SOURCE_LINKS)
    root = site_root(faq_url)
    if mode == "stored" and not root:
        mode = None  # a static copy cannot reach the stored view without the served site's address
    rows = _published_entries(db)
    if not rows:
        active = store.active_faq_count(db)
        raise NothingPublished(
            f"Noch keine veröffentlichten Antworten ({active} aktive Einträge): es gibt nichts zu exportieren."
            if lang != "en" else
            f"No published answers yet ({active} active entries): there is nothing to export.",
            hint="Antworten im Editor (/-/answer/ID) schreiben und veröffentlichen, dann erneut exportieren."
            if lang != "en" else "Write and publish answers in the editor (/-/answer/ID), then export again.")
    by_section: dict[int | None, list[dict]] = {}
    for row in rows:
        entry = {
            "id": row["id"],
            "title": row["title"],
            "url": f"{faq_url}/{row['id']}" if faq_url else None,
            "questions": _examples(db, row["id"], row["title"] or ""),
            "sources": _sources(db, row["id"], mode, root),
            "answer": {
                "markdown": safe_markdown(row["body"]),
                "html": markdown_to_safe_html(row["body"]),
                "published_at": row["answered_at"],
                "date": format_date(row["answered_at"], lang),
            },
        }
        by_section.setdefault(row["section_id"], []).append(entry)
    sections = []
    known = _sections(db)
    for section in known:
        if section["id"] in by_section:
            sections.append({"id": section["id"], "title": section["title"], "entries": by_section.pop(section["id"])})
    order = {row["id"]: i for i, row in enumerate(rows)}
    rest = sorted((entry for entries in by_section.values() for entry in entries), key=lambda e: order[e["id"]])
    if rest:
        sections.append({"id": None, "title": word("unsorted" if known else "single_section", lang), "entries": rest})
    today = today or dt.datetime.now(dt.timezone.utc).date()
    count = sum(len(s["entries"]) for s in sections)
    return {
        "title": word("title", lang),
        "intro": word("intro", lang, date=format_date(today.isoformat(), lang), count=count),
        "date": today.isoformat(),
        "lang": lang,
        "faq_url": faq_url,
        "sections": sections,
    }
