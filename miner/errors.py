"""Typed errors: library code raises these, `cli.py` turns them into clear messages.

Messages and hints are German, or ``miner.i18n.both(German, English)`` so that ``miner --lang en``
and English pages can show them in English (``error.text(lang)``, ``error.hint_text(lang)``).
"""

from __future__ import annotations


class MinerError(Exception):
    """Base class: a message for the user, an optional hint on what to try, an exit code."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint

    def text(self, lang: str | None = None) -> str:
        """The message in ``lang`` (the process's language when ``None``)."""
        from miner.i18n import localized

        return localized(self.args[0] if self.args else "", lang)

    def hint_text(self, lang: str | None = None) -> str | None:
        from miner.i18n import localized

        return localized(self.hint, lang) if self.hint else None


class UsageError(MinerError):
    """The user asked for something that cannot work (bad file, bad id, missing setup)."""

    exit_code = 2


class NotDiscourse(UsageError):
    """The site does not answer like a Discourse forum."""


class LoginRequired(UsageError):
    """The forum (or category) needs a login; miner only reads what is public."""


class DisallowedByRobots(UsageError):
    """robots.txt forbids what we would need to fetch."""


class FetchError(MinerError):
    """A request failed for good after retries (network, 5xx, bad body)."""

    def __init__(self, message: str, url: str | None = None, status: int | None = None, hint: str | None = None):
        super().__init__(message, hint)
        self.url = url
        self.status = status


class NotFound(FetchError):
    """404/410: deleted, moved or private."""


class InsecureSecret(UsageError):
    """A secret file (key, password hashes) is readable by other users; miner refuses to use it."""


class DatabaseError(UsageError):
    """The database is missing, not a miner database, or not ready for this step."""


class RateLimited(FetchError):
    """The forum asks us to wait longer than we are willing to; stop and resume later."""


class OffSite(FetchError):
    """A redirect or next-page link leads away from the forum's scheme, host and port (never followed)."""


class ResponseTooLarge(FetchError):
    """A body grew past the cap (counted after decompression): a broken or hostile server."""


class DeadlineExceeded(FetchError):
    """A request took longer than its total deadline (e.g. a server sending one byte every few seconds)."""


class MalformedRecord(MinerError):
    """A thread's JSON cannot be stored as it is (wrong types, ids out of range, another topic's id).

    The scraper records the thread as failed with this reason and goes on with the others.
    """


class DiskFull(MinerError):
    """SQLite or the file system ran out of space; the run is marked interrupted."""


# ---------------------------------------------------------------- moderators


class UnknownFaq(UsageError):
    """No FAQ entry with that id (or it is retired / not an FAQ)."""


class UnknownForum(UsageError):
    """A thread URL of a forum the database has never scraped."""


class MissingCredentials(UsageError):
    """The Discourse API key or username is not set in the environment."""


class AlreadyPosted(UsageError):
    """A reply for this thread and FAQ entry was already posted (or an attempt was interrupted)."""


class DiscourseWriteError(MinerError):
    """Discourse refused or failed a keyed write; ``status`` is the HTTP status (None: no answer)."""

    def __init__(self, message: str, status: int | None = None, hint: str | None = None,
                 wait_seconds: float | None = None, created: bool | None = False):
        super().__init__(message, hint)
        self.status = status
        self.wait_seconds = wait_seconds
        # False: Discourse certainly created nothing; None: unknown (e.g. timeout after sending)
        self.created = created
