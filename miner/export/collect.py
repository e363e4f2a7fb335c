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


def _examples(db: store.Database, faq_id: int, title: str) -> list[str]:
    return store.load_example_questions(db, faq_id, title, EXAMPLES)


def _sources(db: store.Database, faq_id: int, mode: str | None, root: str) -> list[dict]:
    rows = store.load_source_threads(db, faq_id, SOURCES)
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
    rows = store.load_published_entries(db)
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
    known = store.load_sections_in_order(db)
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
