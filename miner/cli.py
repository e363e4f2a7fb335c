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


@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.option("--port", "-p", default=8001, show_default=True, help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on; 0.0.0.0 makes it reachable from other machines.")
@friendly_errors
def serve(db_path: str, port: int, host: str) -> None:
    """Publish a mined database through Datasette: FAQ page, search, editors' workbench.

    Anonymous visitors can read and search; editors and moderators log in at /-/login with
    accounts from MINER_ACCOUNTS or the accounts file in the miner home (see README).
    """
    from miner import publish
    from miner.accounts import load_accounts

    counts = publish.check_database(db_path)
    click.echo(f"{counts['faqs']} FAQ entries, {counts['questions']} questions, {counts['posts']} posts.", err=True)
    accounts = load_accounts()
    if accounts:
        click.echo(f"{len(accounts)} editor/moderator accounts; log in at /-/login.", err=True)
    else:
        click.echo("No editor or moderator accounts yet: read-only for everyone (see `miner hash-password`).", err=True)
    click.echo(f"Serving {db_path} at http://{host}:{port}/faq  (Ctrl+C stops)")
    publish.serve(db_path, host=host, port=port)


@cli.command("hash-password")
@click.password_option(help="The new password (asked twice if not given).")
@friendly_errors
def hash_password(password: str) -> None:
    """Print a password hash for a new editor or moderator account.

    Put it into MINER_ACCOUNTS or the accounts file as `name role hash`; the password is not stored.
    """
    from miner.accounts import hash_password as make_hash

    click.echo(make_hash(password))



# ---------------------------------------------------------------- replay and demo (issue 6)



# ---------------------------------------------------------------- moderators (issue 7)



# ---------------------------------------------------------------- privacy (issue 8)



