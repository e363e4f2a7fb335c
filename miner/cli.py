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



# ---------------------------------------------------------------- serve and accounts (issue 5)



# ---------------------------------------------------------------- replay and demo (issue 6)



# ---------------------------------------------------------------- moderators (issue 7)



# ---------------------------------------------------------------- privacy (issue 8)


@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.argument("username")
@click.option("--forum", "forum_url", metavar="URL", help="Erase only from this forum (default: every forum in DB).")
@click.option("--allow-return", is_flag=True,
              help="Let a later scrape store the person's posts again (default: scrapes keep leaving them out).")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@friendly_errors
def forget(db_path: str, username: str, forum_url: str | None, allow_return: bool, yes: bool) -> None:
    """Erase everything one person wrote from DB (right to be forgotten).

    USERNAME is the forum username as the person gave it; miner turns it into the same keyed
    pseudonym the scraper stored and never prints or logs the name. Give `-` to type it on stdin
    instead (keeps it out of your shell history). Removes their posts (a `[gelöscht]` placeholder
    stays only where a thread would otherwise break), titles of threads they started, questions
    mined from their posts, quotes of them and mentions in other posts; re-counts the FAQ entries,
    records the erasure by pseudonym, then VACUUMs so the text is gone from the file.
    Exit code 1 (nothing changed) when nobody of that name is in DB.

    \b
    Example:
      miner forget forum.db some_username --forum https://forum.example.org
    """
    from miner import forget as forgetting
    from miner import store
    from miner.keys import pseudonym_key, pseudonymize

    if username == "-":
        username = click.prompt("Username", hide_input=True, err=True)
    db = forgetting.open_existing(db_path)
    forum = forgetting.resolve_forum(db, forum_url)
    pseudonym = pseudonymize(username, pseudonym_key())
    del username
    plan = forgetting.plan_erasure(db, pseudonym, forum)
    scope = f"forum {forum}" if forum else "all forums"
    if plan.empty:
        again = " (an earlier erasure already removed them)" if plan.already_erased else ""
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
    result = forgetting.erase(db, plan, allow_return=allow_return, progress=True)
    compacted = store.compact(db)
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
    if compacted["wal_busy"]:
        click.secho("Warning: another program has the database open, so its WAL file still holds old pages. "
                    f"Close it (e.g. miner serve) and run: sqlite3 {db_path} 'PRAGMA wal_checkpoint(TRUNCATE)'",
                    fg="yellow", err=True)



