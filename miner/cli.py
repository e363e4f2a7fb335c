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

@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.option("--min-size", default=3, show_default=True, type=click.IntRange(min=2),
              help="Smallest number of questions that makes an FAQ entry.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed for every random step (same seed, same FAQ).")
@click.option("--quiet", is_flag=True, help="No progress bars and no summary.")
@friendly_errors
def mine(db_path: str, min_size: int, seed: int, quiet: bool) -> None:
    """Find the questions in stored posts, decide which threads are about messengers, then build the FAQ.

    Reads the posts `miner scrape` stored in DB, writes one row per question into `questions`
    (title / explicit "?" / implicit), scores each thread's messenger relevance from the editable
    vocabulary miner/data/messenger_terms.txt plus a model learned from the corpus, and then runs the
    FAQ step on the relevant questions. Safe to run again: only new or edited posts are processed.

    Example: miner mine forum.db --min-size 3
    """
    import logging as _logging
    from pathlib import Path

    from miner import store
    from miner.errors import DatabaseError
    from miner.mining import extract_questions_into

    if not Path(db_path).exists():
        raise DatabaseError(f"No database at {db_path}.", hint="Run `miner scrape DB URL` first to fill it.")
    db = store.open_db(db_path)
    summary = extract_questions_into(db, progress=not quiet)
    if not quiet:
        click.echo(f"Questions: {summary['threads_extracted']} threads (re)read, {summary['questions_added']} new, "
                   f"{summary['questions_removed']} removed, {summary['questions_unchanged']} unchanged; "
                   f"relevance changed for {summary['threads_relevance_changed']} threads.", err=True)
    try:
        from miner.faqs import update_faqs
    except ImportError:
        _logging.getLogger("miner.cli").warning("miner.faqs is not available: FAQ step skipped")
        return
    faq_summary = update_faqs(db, min_size=min_size, seed=seed, progress=not quiet)
    if not quiet:
        click.echo(f"FAQ: {faq_summary}", err=True)




# ---------------------------------------------------------------- FAQ corrections (issue 4)



# ---------------------------------------------------------------- serve and accounts (issue 5)



# ---------------------------------------------------------------- replay and demo (issue 6)



# ---------------------------------------------------------------- moderators (issue 7)



# ---------------------------------------------------------------- privacy (issue 8)



