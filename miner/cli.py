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


def _open_existing_db(path: str):
    """Moderator commands work on a scraped database; a typo must not create an empty one."""
    from pathlib import Path

    from miner import store
    from miner.errors import DatabaseError

    if not Path(path).is_file():
        raise DatabaseError(f"Database {path} does not exist.",
                            hint="Give the file you scraped into, e.g. `miner scrape forum.db URL` made forum.db.")
    return store.open_db(path)


def _faq_url_option(func):
    return click.option(
        "--faq-url", envvar="MINER_FAQ_URL", default="http://127.0.0.1:8001/faq", show_default=True,
        help="Public address of the FAQ page; entries are linked as URL#faq-ID (env MINER_FAQ_URL).",
    )(func)


def _print_json(data) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("thread_url", required=False)
@click.option("--text", help="Match this text (pasted from anywhere) instead of a thread.")
@click.option("--top", default=3, show_default=True, type=click.IntRange(1, 20), help="How many entries to show.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON for tools.")
@click.option("--no-fetch", is_flag=True, help="Use the stored copy of the thread; do not fetch it again.")
@_faq_url_option
@friendly_errors
def suggest(db, thread_url, text, top, as_json, no_fetch, faq_url):
    """Find the FAQ entries that answer a new thread, with a ready-to-paste reply.

    Give the URL of a thread of a scraped forum (miner fetches and stores it, extracts its
    questions and ranks the FAQ entries) or --text with a question from anywhere. Shows each
    entry's score, why it fits (shared terms), the current answer, its FAQ page URL and the
    Markdown reply for the best entry.
    """
    from miner import moderate, moderator_actions
    from miner.errors import UsageError

    if bool(thread_url) == bool(text):
        raise UsageError("Give either a THREAD_URL or --text TEXT (exactly one).",
                         hint="Example: miner suggest forum.db https://forum.example.org/t/signal/123")
    database = _open_existing_db(db)
    if text:
        result = moderator_actions.suggest_for_text(database, text, top=top, faq_url=faq_url)
    else:
        result = moderator_actions.suggest_for_thread(database, thread_url, top=top, faq_url=faq_url,
                                                      fetch=not no_fetch)
    if as_json:
        _print_json(result)
    else:
        click.echo(moderate.format_suggestions(result))


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("thread_url")
@click.argument("faq_id", type=int)
@click.option("--by", "linked_by", envvar="MINER_MODERATOR", help="Who links (default: env MINER_MODERATOR or USER).")
@friendly_errors
def link(db, thread_url, faq_id, linked_by):
    """Record that a forum thread is answered by an FAQ entry.

    Stored in the thread_links table (who, when); doing it again changes nothing. The queue
    (`miner queue`) no longer lists a linked thread for that entry.
    """
    import os

    from miner import moderator_actions

    row = moderator_actions.link_thread(_open_existing_db(db), thread_url, faq_id,
                                        linked_by or os.environ.get("USER") or "moderator")
    click.echo(f"Linked {row['thread_url']} to FAQ {faq_id} (by {row['linked_by']} at {row['linked_at']}).")


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("thread_url")
@click.argument("faq_id", type=int)
@click.option("--post", is_flag=True, help="Really post the reply to the thread through the Discourse API.")
@click.option("--force", is_flag=True, help="Post although an earlier attempt was interrupted (check the thread first).")
@click.option("--by", "linked_by", envvar="MINER_MODERATOR", help="Who links (default: the API username).")
@_faq_url_option
@friendly_errors
def reply(db, thread_url, faq_id, post, force, linked_by, faq_url):
    """Print the reply for a thread and FAQ entry; with --post, post it once.

    Posting needs the environment variables MINER_DISCOURSE_API_KEY and
    MINER_DISCOURSE_API_USERNAME (never arguments or files). miner posts at most once per
    thread and entry, stays within Discourse's 60 keyed requests per minute, and records the
    link with the new post's URL.
    """
    from miner import moderator_actions
    from miner.discourse_write import DiscourseWriter

    database = _open_existing_db(db)
    if not post:
        _, suggestion = moderator_actions.reply_for(database, thread_url, faq_id, faq_url)
        if suggestion["answer_status"] != "published":
            click.secho(f"Note: FAQ {faq_id} has no published answer yet; the reply only links the entry.",
                        fg="yellow", err=True)
        click.echo(suggestion["reply"], nl=False)
        return
    result = moderator_actions.post_reply(database, thread_url, faq_id, writer_factory=DiscourseWriter.from_env,
                                          faq_url=faq_url, linked_by=linked_by, force=force)
    click.echo(result["reply"], nl=False)
    click.secho(f"Posted: {result['reply_url']}", fg="green")


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--since", help="Only threads created on or after this date (YYYY-MM-DD).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 500), help="At most this many rows.")
@click.option("--json", "as_json", is_flag=True, help="Print the queue as JSON.")
@friendly_errors
def queue(db, since, limit, as_json):
    """Threads that ask something the FAQ already answers, not linked yet.

    Lists threads whose questions match an FAQ entry with a published answer but no link to
    that thread yet, best matches first. Answer them with `miner reply` or record with
    `miner link`. The same list is the Datasette canned query `moderator_queue`.
    """
    import datetime as dt

    from miner import moderator_actions
    from miner.errors import UsageError

    if since:
        try:
            since = dt.date.fromisoformat(since[:10]).isoformat()
        except ValueError:
            raise UsageError(f"--since {since!r} is not a date.", hint="Use YYYY-MM-DD, e.g. --since 2024-09-01.")
    rows = moderator_actions.queue(_open_existing_db(db), since=since, limit=limit)
    if as_json:
        _print_json(rows)
        return
    if not rows:
        click.echo("Nothing waiting: no unlinked thread matches an entry with a published answer.")
        return
    for row in rows:
        click.echo(f"{row['score']:.2f}  FAQ {row['faq_id']}: {row['faq_title']}")
        click.echo(f"      {row['thread_title']} <{row['thread_url']}> ({(row['thread_created_at'] or '')[:10]})")



# ---------------------------------------------------------------- privacy (issue 8)



