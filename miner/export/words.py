"""The words of the exported FAQ, German first, English with ``--lang en``."""

from __future__ import annotations

from miner.i18n import format_date, language  # noqa: F401  (one rule for dates and languages, re-exported)

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


def word(key: str, lang: str | None = "de", **values) -> str:
    if values.get("count") == 1 and f"{key}_one" in WORDS:
        key = f"{key}_one"
    german, english = WORDS[key]
    template = english if language(lang) == "en" else german
    return template.format(**values) if values else template
