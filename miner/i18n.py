"""The words miner shows people: one catalogue, German first, English as the alternative.

Editors, teachers and moderators read German, so every page and message is German unless the
server was started with ``--lang en``; the command line follows ``miner --lang en`` or ``MINER_LANG``.
Messages are looked up by key; a missing English text falls back to German, a missing key is a
programming error (``KeyError``) so a typo cannot ship silently. Library errors carry both texts
(``both``): the command line or the page shows the reader's language (``localized``).
"""

from __future__ import annotations

import datetime as dt
import os

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"

# key -> (German, English); ``{name}`` placeholders are filled by ``text(..., name=...)``
MESSAGES: dict[str, tuple[str, str]] = {
    # navigation and page titles
    "nav.faq": ("FAQ", "FAQ"),
    "nav.lookup": ("Nachschlagen für Moderation", "Lookup for moderators"),
    "nav.login": ("Anmelden", "Log in"),
    "nav.data": ("Daten (SQL)", "Data (SQL)"),
    "faq.title": ("FAQ: Messenger an Schulen", "FAQ: messengers at schools"),
    "faq.heading": ("FAQ: Fragen zu Messengern an Schulen", "FAQ: questions about messengers at schools"),
    "faq.intro": ("{count} Einträge, die meistgefragten zuerst. Die Antworten schreibt die Redaktion; Beispielfragen "
                  "und Quellthreads stammen aus öffentlichen Forenbeiträgen (Namen pseudonymisiert).",
                  "{count} entries, most asked first. Editors write the answers; the example questions and source "
                  "threads come from public forum posts (authors pseudonymized)."),
    "faq.intro_one": ("1 Eintrag. Die Antworten schreibt die Redaktion; Beispielfragen und Quellthreads stammen aus "
                      "öffentlichen Forenbeiträgen (Namen pseudonymisiert).",
                      "1 entry. Editors write the answers; the example questions and source threads come from public "
                      "forum posts (authors pseudonymized)."),
    "faq.contents": ("Inhalt", "Contents"),
    "faq.unsorted": ("Weitere Fragen", "Other questions"),
    "search.label": ("Einträge durchsuchen", "Search entries"),
    "search.placeholder": ("z.B. DSGVO-konform", "e.g. GDPR"),
    "search.button": ("Suchen", "Search"),
    "search.results": ("{count} Einträge zu „{q}“", "{count} entries for “{q}”"),
    "search.results_one": ("1 Eintrag zu „{q}“", "1 entry for “{q}”"),
    "search.none": ("Keine Einträge zu „{q}“.", "No entries match “{q}”."),
    "search.why.title": ("Treffer in Titel oder Stichworten", "matches the title or keywords"),
    "search.why.answer": ("Treffer in der Antwort", "matches the answer"),
    "search.why.question": ("So gefragt", "Asked like this"),
    "search.clear": ("Alle Einträge zeigen", "Show all entries"),
    "entries.none": ("Noch keine Einträge.", "No entries yet."),
    "entry.meta": ("{size} Fragen in {threads} Threads · {first} – {last}", "{size} questions in {threads} threads · {first} – {last}"),
    "entry.open": ("Eintrag öffnen", "Open entry"),
    "entry.edit": ("Antwort bearbeiten", "Edit answer"),
    "entry.no_answer": ("Noch keine Antwort.", "No answer yet."),
    "entry.draft": ("Entwurf (nur die Redaktion sieht ihn)", "Draft (only editors see this)"),
    "entry.answer_by": ("Antwort von {editor}, {date}", "Answer by {editor}, {date}"),
    "entry.asked_like": ("So wurde gefragt", "Asked like this"),
    "entry.sources": ("Quellthreads", "Source threads"),
    "entry.all_questions": ("Alle Fragen", "All questions"),
    "entry.per_month": ("Fragen pro Monat", "Questions per month"),
    "entry.as_table": ("als Tabelle", "as a table"),
    "entry.history": ("Verlauf", "History"),
    "entry.no_history": ("Noch kein Verlauf.", "No history yet."),
    "entry.section": ("Abschnitt", "Section"),
    "entry.back": ("Zurück zur FAQ", "Back to the FAQ"),
    "entry.not_found": ("Es gibt keinen FAQ-Eintrag {id}.", "There is no FAQ entry {id}."),
    "entry.retired": ("Dieser Eintrag wurde zusammengelegt oder aufgelöst.", "This entry was merged or dissolved."),
    "entry.successor": ("Weiter zu Eintrag #{id}", "Go to entry #{id}"),
    "entry.questions_count": ("{count} Fragen", "{count} questions"),
    "entry.chart_axis": ("Fragen", "questions"),
    "review.flag": ("Antwort prüfen", "Check answer"),
    "review.detail": ("{count} neue Fragen seit der Antwort vom {date}", "{count} new questions since the answer of {date}"),
    "review.detail_one": ("1 neue Frage seit der Antwort vom {date}", "1 new question since the answer of {date}"),
    "paging.previous": ("← zurück", "← previous"),
    "paging.next": ("weiter →", "next →"),
    "paging.page": ("Seite {page} von {pages}", "Page {page} of {pages}"),
    # the answer editor
    "editor.title": ("Antwort für Eintrag {id}", "Answer for entry {id}"),
    "editor.heading": ("Eintrag #{id}: {title}", "Entry #{id}: {title}"),
    "editor.meta": ("{size} Fragen · Status {status}", "{size} questions · status {status}"),
    "editor.see_entry": ("Eintrag ansehen", "See the entry"),
    "editor.answer": ("Antwort (Markdown)", "Answer (Markdown)"),
    "editor.preview": ("Vorschau", "Preview"),
    "editor.preview_hint": ("Die Vorschau zeigt die Antwort so, wie Lesende sie sehen.", "The preview shows the answer as readers see it."),
    "editor.status.draft": ("Entwurf", "Draft"),
    "editor.status.published": ("Veröffentlicht", "Published"),
    "editor.save": ("Fassung speichern", "Save revision"),
    "editor.public_note": ("Entwürfe erscheinen nicht auf der FAQ-Seite und nicht in Antworten der Moderation, aber jede "
                           "Fassung (auch Entwürfe, mit Ihrem Kontonamen) steht in der öffentlichen Tabelle "
                           "<code>answers</code>: schreiben Sie nichts, was Sie nicht veröffentlichen würden.",
                           "Drafts stay off the FAQ page and out of moderators' replies, but every revision (drafts too, "
                           "with your account name) is part of the public <code>answers</code> table: write nothing you "
                           "would not publish."),
    "editor.sources": ("Was das Forum schon geantwortet hat", "What the forum already answered"),
    "editor.sources_hint": ("Akzeptierte Antworten und die passendsten Beiträge aus den Quellthreads (Namen pseudonymisiert). "
                            "Auswählen und einen Entwurf mit Quellenangaben beginnen.",
                            "Accepted answers and the most relevant replies of the source threads (authors pseudonymized). "
                            "Select some and start a draft with citations."),
    "editor.no_sources": ("Die Quellthreads haben noch keine Antworten.", "The source threads have no replies yet."),
    "editor.accepted": ("akzeptierte Antwort", "accepted answer"),
    "editor.likes": ("{count} Likes", "{count} likes"),
    "editor.draft_from": ("Entwurf aus Auswahl beginnen", "Start a draft from the selection"),
    "editor.cite": ("Quelle: Thread „{title}“", "Source: thread “{title}”"),
    "editor.correct": ("Eintrag korrigieren", "Correct this entry"),
    "editor.new_title": ("Neuer Titel", "New title"),
    "editor.rename": ("Umbenennen", "Rename"),
    "editor.merge_into": ("Diesen Eintrag zusammenlegen mit Eintrag #", "Merge this entry into entry #"),
    "editor.merge": ("Zusammenlegen", "Merge"),
    "editor.not_faq": ("Kein FAQ-Eintrag", "Not a FAQ entry"),
    "editor.confirm": ("Ja, wirklich", "Yes, really"),
    "editor.confirm_needed": ("Bitte bestätigen Sie „{action}“ mit dem Häkchen „Ja, wirklich“.",
                              "Please confirm “{action}” with the “Yes, really” tick."),
    "editor.section": ("In Abschnitt verschieben", "Move to section"),
    "editor.section_move": ("Verschieben", "Move"),
    "editor.section_rename": ("Abschnitt umbenennen", "Rename section"),
    "editor.questions": ("Fragen", "Questions"),
    "editor.move_question": ("Frage verschieben", "Move question"),
    "editor.to_entry": ("in Eintrag #", "to entry #"),
    "editor.move": ("Verschieben", "Move"),
    "editor.revisions": ("Fassungen", "Revisions"),
    "editor.revision_by": ("{status} von {editor} am {date}", "{status} by {editor} on {date}"),
    # moderators' lookup
    "lookup.title": ("Nachschlagen für die Moderation", "Lookup for moderators"),
    "lookup.heading": ("Welcher FAQ-Eintrag beantwortet das?", "Which FAQ entry answers this?"),
    "lookup.thread_url": ("Thread-URL", "Thread URL"),
    "lookup.text": ("oder der Text der Frage", "or the question text"),
    "lookup.find": ("Einträge finden", "Find entries"),
    "lookup.score": ("Ähnlichkeit", "score"),
    "lookup.shared": ("Gemeinsame Begriffe", "Shared terms"),
    "lookup.no_answer": ("Noch keine veröffentlichte Antwort: die Antwort verlinkt nur den Eintrag.",
                         "No published answer yet: the reply only links the entry."),
    "lookup.reply": ("Antwort zum Einfügen:", "Reply to paste:"),
    "lookup.record": ("Vermerken: Thread mit #{id} beantwortet", "Record: thread answered with #{id}"),
    "lookup.nothing_fits_well": ("Kein FAQ-Eintrag passt gut genug. Die nächsten Einträge stehen nur zur Orientierung "
                                 "da, ohne Antwort zum Einfügen.",
                                 "No FAQ entry fits well enough. The closest entries are shown for orientation only, "
                                 "without a reply to paste."),
    "lookup.weak_fit": ("Passt nicht gut genug für eine Antwort.", "Not a good enough fit for a reply."),
    "lookup.none": ("Kein Eintrag passt.", "No entry matches."),
    "lookup.bad_url": ("{url} sieht nicht nach der Thread-URL eines bekannten Forums aus (…/t/slug/123, "
                       "viewtopic.php?t=123, /threads/titel.123/, /d/123-titel, …).",
                       "{url} does not look like a thread URL of a known forum (…/t/slug/123, viewtopic.php?t=123, "
                       "/threads/titel.123/, /d/123-titel, …)."),
    "lookup.fetch_failed": ("Der Thread konnte nicht geladen werden: {error}", "Could not fetch the thread: {error}"),
    "lookup.not_stored": ("Dieser Thread ist nicht in der Datenbank (geladen werden nur Threads der erfassten Foren): "
                          "bitte seinen Text einfügen.",
                          "This thread is not in the database (only threads of the scraped forums are fetched): paste its text."),
    "lookup.empty": ("Bitte die Frage oder eine Thread-URL einfügen.", "Paste the question or a thread URL."),
    "lookup.links_from_page": ("Verknüpfungen werden von der Nachschlageseite gesendet.", "Links are sent from the lookup page."),
    "lookup.linked": ("Verknüpfung gespeichert.", "Link recorded."),
    "lookup.already_linked": ("Dieser Thread war schon mit diesem Eintrag verknüpft.",
                              "This thread was already linked to that entry."),
    # login
    "login.title": ("Anmelden", "Log in"),
    "login.account": ("Konto", "Account"),
    "login.password": ("Passwort", "Password"),
    "login.submit": ("Anmelden", "Log in"),
    "login.wrong": ("Unbekanntes Konto oder falsches Passwort.", "Unknown account or wrong password."),
    "login.no_accounts": ("Es sind keine Konten eingerichtet. Siehe README: Konten (MINER_ACCOUNTS oder die Kontendatei).",
                          "No accounts are configured. See README: accounts (MINER_ACCOUNTS or the accounts file)."),
    "msg.not_a_number": ("{what} muss eine Zahl sein, nicht {value!r}.", "{what} must be a number, got {value!r}."),
    # messages after actions, errors
    "msg.answer_saved": ("Antwort für Eintrag {id} gespeichert ({status}).", "Answer for entry {id} saved ({status})."),
    "msg.correction_saved": ("Korrektur „{action}“ gespeichert.", "Correction “{action}” saved."),
    "msg.section_saved": ("Abschnitt gespeichert.", "Section saved."),
    "msg.unknown_correction": ("Unbekannte Korrektur {action!r}.", "Unknown correction {action!r}."),
    "msg.corrections_from_page": ("Korrekturen werden von der Antwortseite gesendet.", "Corrections are sent from the answer page."),
    "msg.back": ("Zurück", "Back"),
    "msg.forbidden": ("Dafür müssen Sie mit der passenden Rolle angemeldet sein (Redaktion bearbeitet, Moderation verknüpft).",
                      "You need to log in with the right role for this (editors edit, moderators link)."),
    "msg.no_entry": ("Es gibt keinen FAQ-Eintrag {id}.", "There is no FAQ entry {id}."),
    # moderators in the terminal (miner suggest)
    "mod.shared": ("gemeinsame Begriffe: {terms}", "shared terms: {terms}"),
    "mod.similar": ("ähnliche Formulierung (kein einzelner gemeinsamer Begriff)", "similar wording (no single shared term)"),
    "mod.thread": ("Thread: {title} <{url}>", "Thread: {title} <{url}>"),
    "mod.text": ("Text: {text}", "Text: {text}"),
    "mod.nothing_fits": ("Kein FAQ-Eintrag passt. (Ist die FAQ noch nicht gebaut: `miner mine DB`.)",
                     "No FAQ entry fits. (Run `miner mine DB` if the FAQ has not been built yet.)"),
    "mod.nothing_fits_well": ("Kein FAQ-Eintrag passt gut genug: die nächsten Einträge nur zur Orientierung, "
                              "ohne Antwort zum Kopieren.",
                              "No FAQ entry fits well enough: the closest entries for orientation only, "
                              "without a reply to copy."),
    "mod.weak_fit": ("   (passt nicht gut genug)", "   (not a good enough fit)"),
    "mod.entry": ("{rank}. [FAQ {faq_id}] {title}  (Wert {score:.2f}; {reason})",
              "{rank}. [FAQ {faq_id}] {title}  (score {score:.2f}; {reason})"),
    "mod.answer": ("   Antwort: ", "   Answer: "),
    "mod.answer_draft": ("   Antwort (Entwurf, noch nicht veröffentlicht): ", "   Answer (draft, not published yet): "),
    "mod.no_answer": ("   Antwort: noch keine", "   Answer: none yet"),
    "mod.reply_with": ("Antwort mit FAQ {faq_id} (zum Kopieren):", "Reply with FAQ {faq_id} (copy and paste):"),
    "mod.links_only": ("(FAQ {faq_id} hat noch keine veröffentlichte Antwort: die Antwort verweist nur auf den Eintrag.)",
                   "(FAQ {faq_id} has no published answer yet: the reply only links the entry.)"),
    # the exported FAQ (miner export)
    "export.title": ("FAQ: Messenger an Schulen", "FAQ: messengers at schools"),
    "export.intro": ("Fragen, die Lehrkräfte und Eltern in Foren immer wieder stellen, mit den Antworten der Redaktion. "
              "Stand: {date}, Einträge: {count}.",
              "Questions teachers and parents ask again and again in forums, with the editors' answers. "
              "As of {date}; entries: {count}."),
    "export.contents": ("Inhalt", "Contents"),
    "export.single_section": ("Fragen und Antworten", "Questions and answers"),
    "export.unsorted": ("Weitere Fragen", "Other questions"),
    "export.answered_on": ("Antwort vom {date}", "Answer of {date}"),
    "export.asked_like": ("So wurde gefragt", "Asked like this"),
    "export.sources": ("Quellthreads im Forum", "Source threads in the forum"),
    "export.entry_page": ("Eintrag öffnen", "Open entry"),
    "export.back": ("Zurück zur Übersicht", "Back to the contents"),
    "export.entries": ("{count} Einträge", "{count} entries"),
    "export.entries_one": ("1 Eintrag", "1 entry"),
    "export.live": ("Aktuelle Fassung", "Current version"),
    "export.footer": ("Erstellt mit miner aus öffentlichen Forenbeiträgen (Namen pseudonymisiert).",
               "Made with miner from public forum posts (authors pseudonymized)."),
}

CORRECTION_NAMES = {
    "rename": ("Umbenennen", "rename"), "merge": ("Zusammenlegen", "merge"), "move": ("Frage verschieben", "move"),
    "not_faq": ("Kein FAQ-Eintrag", "not a FAQ entry"), "section": ("Abschnitt", "section"),
}
STATUS_NAMES = {"draft": ("Entwurf", "draft"), "published": ("veröffentlicht", "published"),
                "active": ("aktiv", "active"), "retired": ("aufgelöst", "retired"), "not_faq": ("kein FAQ-Eintrag", "not a FAQ entry")}
# faq_history.event codes (stored as they are: researchers query them) -> how the entry page names them
EVENT_NAMES = {
    "birth": ("entstanden", "birth"), "split": ("aufgeteilt", "split"), "merge": ("zusammengeführt", "merge"),
    "retire": ("aufgelöst", "retire"), "revive": ("zurückgebracht", "revive"),
    "reattach": ("Antworten übertragen", "reattach"), "rename": ("umbenannt", "rename"),
    "move": ("Frage verschoben", "move"), "section": ("Abschnitt", "section"),
    "section_rename": ("Abschnitt umbenannt", "section rename"), "not_faq": ("kein FAQ-Eintrag", "not a FAQ entry"),
    "not_faq_question": ("Frage kein FAQ-Eintrag", "question not a FAQ entry"), "erasure": ("Löschung", "erasure"),
}


def language(lang: str | None) -> str:
    """A supported language code; ``None`` is the process's language (``use_language``, else env
    MINER_LANG), anything else the default (German)."""
    if lang is None:
        lang = _process_language or os.environ.get("MINER_LANG")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


_process_language: str | None = None


def use_language(lang: str | None) -> str:
    """Set the language of this process's messages (the command line's ``--lang``); returns it."""
    global _process_language
    _process_language = lang if lang in LANGUAGES else None
    return language(None)


class Bilingual(str):
    """A German text (its ``str`` value, the default) that also carries its English wording, so
    library code can raise an error once and each reader sees it in their language."""

    english: str

    def __new__(cls, german: str, english: str) -> "Bilingual":
        value = super().__new__(cls, german)
        value.english = english
        return value

    def __add__(self, other: str) -> "Bilingual":
        return Bilingual(str(self) + str(other), self.english + localized(other, "en"))


def both(german: str, english: str) -> Bilingual:
    """A message in both languages; shown with ``localized``."""
    return Bilingual(german, english)


def localized(value: object, lang: str | None = None) -> str:
    """A message (plain, ``both`` or an error raised with one) in ``lang``; ``None`` means the process's language."""
    if isinstance(value, BaseException) and value.args and isinstance(value.args[0], Bilingual):
        value = value.args[0]
    if isinstance(value, Bilingual) and language(lang) == "en":
        return value.english
    return "" if value is None else str(value)


def say(german: str, english: str, lang: str | None = None) -> str:
    """The text in ``lang`` (the process's language when ``None``): for labels shown at once."""
    return english if language(lang) == "en" else german


def text(key: str, lang: str | None = DEFAULT_LANGUAGE, **values) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in (``key_one`` when count is 1 and it exists)."""
    if values.get("count") == 1 and f"{key}_one" in MESSAGES:
        key = f"{key}_one"
    german, english = MESSAGES[key]
    template = english if language(lang) == "en" and english else german
    return template.format(**values) if values else template


def name(table: dict[str, tuple[str, str]], value: str | None, lang: str | None = DEFAULT_LANGUAGE) -> str:
    """A status or correction name in ``lang`` (the stored value when it has no translation)."""
    pair = table.get(value or "")
    return (pair[1] if language(lang) == "en" else pair[0]) if pair else (value or "")


def format_date(value: str | None, lang: str | None = DEFAULT_LANGUAGE) -> str:
    """A stored ISO timestamp as readers write dates: 25.09.2026 (German) or 2026-09-25 (English);
    '' for nothing, the text unchanged when it is no date."""
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return day.strftime("%d.%m.%Y") if language(lang) == "de" else day.isoformat()


def translator(lang: str | None):
    """``t(key, **values)`` bound to one language, for templates."""
    lang = language(lang)

    def t(key: str, **values) -> str:
        return text(key, lang, **values)

    return t
