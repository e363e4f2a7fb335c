"""One long-running writer per database: scrape, mine and forget take an exclusive lock.

Why: two scrapes of one database would each mark the other's run as interrupted and fetch the same
threads twice; a scrape that started before `miner forget` could bring an erased person back.
An advisory ``flock`` on ``DB.lock`` (beside the database, like SQLite's ``-wal``) is released by the
kernel when the process dies, so kill -9 never leaves a stale lock behind. SQLite's own locks are
untouched: they live on the database file, this one on a separate file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from miner.errors import UsageError


class Busy(UsageError):
    """Another miner command is writing this database."""


@contextlib.contextmanager
def exclusive(db_path: str | os.PathLike, command: str):
    """Hold the database's writer lock while the block runs, or fail at once with a clear message."""
    path = Path(f"{db_path}.lock")
    try:
        handle = open(path, "a+", encoding="utf-8")
    except OSError as error:  # the database opened, so this is rare: a folder others own, a full disk
        raise UsageError(f"Cannot create the lock file {path} ({error.strerror.lower()}).",
                         hint="miner needs to write beside the database; check the folder's permissions.") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another miner command"
            raise Busy(f"{db_path} is busy: {holder} is writing it.",
                       hint="Wait for it to finish (or stop it with Ctrl-C), then run this command again.") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"miner {command} (pid {os.getpid()})")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
