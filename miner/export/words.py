"""The words of the exported FAQ, German first, English with ``--lang en``."""

from __future__ import annotations

import datetime as dt

LANGUAGES = ("de", "en")

# key -> (German, English)
WORDS: dict[str, tuple[str, str]] = {
    "title": ("FAQ: Messenger an Schulen", "FAQ: messengers at schools"),
    "intro": ("Fragen, die Lehrkräfte und Eltern in Foren immer wieder stellen, mit den Antworten der Redaktion. "
              "Stand: {date}, Einträge: {count}.",
              "Questions teachers and parents ask again and again in forums, with the editors' answers. "
              "As of {date}; entries: {count}."),
    "contents": ("Inhalt", "Contents"),
    "single_section": ("Fragen und Antworten", "Questions and answers"),
    "unsorted": ("Weitere Fragen", "Other questions"),
    "answered_on": ("Antwort vom {date}", "Answer of {date}"),
    "asked_like": ("So wurde gefragt", "Asked like this"),
    "sources": ("Quellthreads im Forum", "Source threads in the forum"),
    "entry_page": ("Eintrag öffnen", "Open entry"),
    "back": ("Zurück zur Übersicht", "Back to the contents"),
    "entries": ("{count} Einträge", "{count} entries"),
    "entries_one": ("1 Eintrag", "1 entry"),
    "live": ("Aktuelle Fassung", "Current version"),
    "footer": ("Erstellt mit miner aus öffentlichen Forenbeiträgen (Namen pseudonymisiert).",
               "Made with miner from public forum posts (authors pseudonymized)."),
}


def language(lang: str | None) -> str:
    return lang if lang in LANGUAGES else "de"


def word(key: str, lang: str | None = "de", **values) -> str:
    if values.get("count") == 1 and f"{key}_one" in WORDS:
        key = f"{key}_one"
    german, english = WORDS[key]
    template = english if language(lang) == "en" else german
    return template.format(**values) if values else template


def format_date(value: str | None, lang: str | None = "de") -> str:
    """An ISO timestamp as a reader writes the date: 25.09.2026 (German) or 2026-09-25 (English)."""
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return day.strftime("%d.%m.%Y") if language(lang) == "de" else day.isoformat()
