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


@cli.command()
@click.argument("db_path", metavar="DB", type=click.Path(dir_okay=False))
@click.argument("base_url")
@click.option("--category", "categories", multiple=True, metavar="SLUG_OR_ID",
              help="Only this category (slug or id); repeat for several. Default: the whole forum.")
@click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Seconds between requests (robots.txt Crawl-delay wins if larger).")
@click.option("--max-threads", type=click.IntRange(min=1), default=None,
              help="Fetch at most N new or changed threads this run (resume later).")
@click.option("--full", is_flag=True, help="Re-fetch every thread and post to catch edits and deletions.")
@click.option("--user-agent", default=None, help="Replace the User-Agent (default: miner/VERSION (+contact)).")
@click.option("--contact", default=None, help="URL or e-mail put into the User-Agent so operators can reach you.")
@click.option("--quiet", is_flag=True, help="No progress bar and no summary.")
@friendly_errors
def scrape(db_path, base_url, categories, delay, max_threads, full, user_agent, contact, quiet):
    """Scrape a Discourse forum into DB: every thread and post, politely and resumably.

    Example: miner scrape forum.db https://ask.linuxmuster.net --category messenger

    Obeys robots.txt, waits --delay seconds between requests, retries rate limits and errors with
    backoff. A re-run fetches only new or changed threads; an interrupted run resumes where it
    stopped. Authors are stored as keyed pseudonyms, e-mails and phone numbers are masked.
    Exit code 2 when the site is not Discourse, needs a login or forbids crawling.
    """
    from miner import store
    from miner.scrape import describe_summary, scrape_forum

    db = store.open_db(db_path)
    try:
        summary = scrape_forum(db, base_url, categories=categories, delay=delay, max_threads=max_threads,
                               full=full, user_agent=user_agent, contact=contact, progress=not quiet)
    except KeyboardInterrupt:
        click.echo("Interrupted: finished threads are stored; run the same command to resume.", err=True)
        raise SystemExit(130)
    if not quiet:
        click.echo(describe_summary(summary), err=True)
        click.echo(f"Database: {db_path}", err=True)


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


@cli.command()
@click.argument("snapshot", type=click.Path(exists=True, file_okay=False))
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8080, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@friendly_errors
def replay(snapshot, port, host):
    """Serve a forum snapshot as a read-only Discourse forum until Ctrl-C.

    Example: miner replay datasets/forum --port 8080, then in another shell
    miner scrape replay.db http://127.0.0.1:8080 --delay 0

    A snapshot is a folder with site.json, categories.json and topics/<id>.json (all posts of each
    topic). Lists, pages, pinned topics, posts chunks and robots.txt behave like a real Discourse.
    """
    from miner.replay import ReplayServer

    server = ReplayServer(snapshot, port=port, host=host).start()
    snap = server.snapshot
    click.echo(f"Serving {snapshot} ({len(snap.topics)} threads, {len(snap.posts)} posts) at {server.url}", err=True)
    click.echo("Press Ctrl-C to stop.", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.stop()
        click.echo("Stopped.", err=True)


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



