"""The `miner` command line: thin click commands that wire the modules together.

This is the only module that prints or exits; library code raises typed errors (``miner.errors``)
and the commands turn them into messages that say what to try next.
"""

from __future__ import annotations

import functools
import logging

import click

from miner import __version__
from miner.errors import MinerError


def friendly_errors(func):
    """Turn library errors into a one-line message and exit code (2 for refusals, 1 otherwise)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except MinerError as error:
            click.secho(f"Error: {error}", fg="red", err=True)
            if error.hint:
                click.echo(error.hint, err=True)
            raise SystemExit(error.exit_code)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="miner")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
def cli(verbose: int) -> None:
    """Turn forum threads about messengers into a living FAQ.

    Typical flow: `miner scrape forum.db URL`, then `miner mine forum.db`, then
    `miner serve forum.db`. Try `miner demo` first: it does all three on a bundled forum.
    """
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


# ---------------------------------------------------------------- scrape (issue 2)



# ---------------------------------------------------------------- mine (issues 3 and 4)



# ---------------------------------------------------------------- FAQ corrections (issue 4)


def _open_existing(path: str):
    """Open a miner database that must already exist (corrections need mined entries)."""
    from pathlib import Path

    from miner import store
    from miner.errors import DatabaseError

    if not Path(path).exists():
        raise DatabaseError(f"No database at {path}.", hint="Run `miner scrape DB URL` and `miner mine DB` first.")
    return store.open_db(path)


@cli.group("faq")
def faq_group() -> None:
    """Look at FAQ entries and correct them (rename, move, merge, split, not an FAQ).

    Every correction is recorded in the `corrections` table, applied at once, and honoured by
    every later `miner mine`.
    """


@faq_group.command("list")
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--all", "include_retired", is_flag=True, help="Also show retired and not-an-FAQ entries.")
@click.option("--id", "faq_id", type=int, help="Show one entry with its questions.")
@friendly_errors
def faq_list(db: str, include_retired: bool, faq_id: int | None) -> None:
    """List FAQ entries (largest first) with size, threads and keywords."""
    from miner import store

    database = _open_existing(db)
    if faq_id is not None:
        entry = store.load_faqs(database).get(faq_id)
        if entry is None:
            raise MinerError(f"There is no FAQ entry #{faq_id}.", hint="Run `miner faq list DB` to see the ids.")
        click.echo(f"#{entry['id']} [{entry['status']}] {entry['title']}")
        click.echo(f"  keywords: {entry['keywords'] or '-'}; {entry['size']} questions in {entry['threads']} threads")
        for row in database.query("select id, text from questions where faq_id = ? order by id", [faq_id]):
            click.echo(f"  {row['id']}  {row['text']}")
        return
    for row in store.list_faqs(database, include_retired=include_retired):
        extra = f" [{row['status']}" + (f" -> {row['successors']}" if row["status"] == "retired" else "") + "]" if row["status"] != "active" else ""
        click.echo(f"#{row['id']:<5} {row['size'] or 0:>4} q {row['threads'] or 0:>4} t  {row['title']}{extra}")
        if row["keywords"]:
            click.echo(f"{'':>19}{row['keywords']}")


@faq_group.command("rename")
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("faq_id", type=int)
@click.argument("title")
@click.option("--editor", help="Your name, recorded with the correction.")
@friendly_errors
def faq_rename(db: str, faq_id: int, title: str, editor: str | None) -> None:
    """Give entry FAQ_ID the title TITLE (kept on every re-run)."""
    from miner.editing import rename_faq

    result = rename_faq(_open_existing(db), faq_id, title, editor=editor)
    click.echo(f"Renamed #{result['faq_id']}: {result['title']}")


@faq_group.command("move")
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("question_id")
@click.argument("faq_id", type=int)
@click.option("--editor", help="Your name, recorded with the correction.")
@friendly_errors
def faq_move(db: str, question_id: str, faq_id: int, editor: str | None) -> None:
    """Move question QUESTION_ID into entry FAQ_ID (kept on every re-run)."""
    from miner.editing import move_question

    result = move_question(_open_existing(db), question_id, faq_id, editor=editor)
    click.echo(f"Moved {result['question']} from #{result['from']} to #{result['to']}")


@faq_group.command("merge")
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("faq_id", type=int)
@click.argument("other_id", type=int)
@click.option("--editor", help="Your name, recorded with the correction.")
@friendly_errors
def faq_merge(db: str, faq_id: int, other_id: int, editor: str | None) -> None:
    """Merge entry OTHER_ID into FAQ_ID; OTHER_ID is retired and points to FAQ_ID."""
    from miner.editing import merge_faqs

    result = merge_faqs(_open_existing(db), faq_id, other_id, editor=editor)
    click.echo(f"Merged #{result['merged']} into #{result['faq_id']} ({result['questions']} questions moved)")
    if result["answers_reattached"]:
        click.echo(f"{result['answers_reattached']} answer(s) of #{result['merged']} are now shown under #{result['faq_id']} (see faq_history)")


@faq_group.command("split")
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("faq_id", type=int)
@click.argument("question_ids", nargs=-1, required=True)
@click.option("--editor", help="Your name, recorded with the correction.")
@friendly_errors
def faq_split(db: str, faq_id: int, question_ids: tuple[str, ...], editor: str | None) -> None:
    """Split the questions QUESTION_IDS off entry FAQ_ID into a new entry."""
    from miner.editing import split_faq

    result = split_faq(_open_existing(db), faq_id, list(question_ids), editor=editor)
    click.echo(f"Split {result['questions']} question(s) off #{result['faq_id']} into new entry #{result['new_faq_id']}")


@faq_group.command("not-faq")
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("faq_id", type=int, required=False)
@click.option("--question", help="Mark only this question (id) as not an FAQ.")
@click.option("--editor", help="Your name, recorded with the correction.")
@friendly_errors
def faq_not_faq(db: str, faq_id: int | None, question: str | None, editor: str | None) -> None:
    """Mark entry FAQ_ID, or one question with --question, as not an FAQ (hidden on every re-run)."""
    from miner.editing import mark_not_faq

    result = mark_not_faq(_open_existing(db), faq_id, question=question, editor=editor)
    if question:
        click.echo(f"Question {question} is no longer part of the FAQ (was in #{result['from']})")
    else:
        click.echo(f"Entry #{result['faq_id']} is marked as not an FAQ ({result['questions']} questions)")




# ---------------------------------------------------------------- serve and accounts (issue 5)



# ---------------------------------------------------------------- replay and demo (issue 6)



# ---------------------------------------------------------------- moderators (issue 7)



# ---------------------------------------------------------------- privacy (issue 8)



