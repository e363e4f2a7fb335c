"""One writer per database: every command and web route that writes takes this exclusive lock.

The long runs (scrape, mine, forget) refuse at once when another writer holds it; the short writes
(FAQ corrections, suggest storing a thread, link, reply, the Datasette write routes) wait for it
with a timeout (``wait``), so a correction made during ``mine`` is applied after that run instead
of being overwritten by it.

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
import time
from pathlib import Path
from typing import Callable

from miner.errors import UsageError
from miner.i18n import both


class Busy(UsageError):
    """Another miner command is writing this database."""


@contextlib.contextmanager
def exclusive(db_path: str | os.PathLike, command: str, *, wait: float = 0.0,
              on_wait: Callable[[str], None] | None = None):
    """Hold the database's writer lock while the block runs; when another writer has it, wait up
    to ``wait`` seconds (``on_wait(holder)`` is called once, e.g. to tell the user), then fail with
    a clear message."""
    path = Path(f"{db_path}.lock")
    try:
        handle = open(path, "a+", encoding="utf-8")
    except OSError as error:  # the database opened, so this is rare: a folder others own, a full disk
        raise UsageError(both(f"Die Sperrdatei {path} lässt sich nicht anlegen ({error.strerror.lower()}).",
                              f"Cannot create the lock file {path} ({error.strerror.lower()})."),
                         hint=both("miner muss neben der Datenbank schreiben können; prüfen Sie die Rechte des Ordners.",
                                   "miner needs to write beside the database; check the folder's permissions.")) from None
    with handle:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another miner command"
                if time.monotonic() >= deadline:
                    waited = both(f" ({wait:g} s gewartet)" if wait else "", f" (waited {wait:g} s)" if wait else "")
                    raise Busy(both(f"{db_path} ist belegt: {holder} schreibt gerade hinein{waited}.",
                                    f"{db_path} is busy: {holder} is writing it{waited.english}."),
                               hint=both("Warten Sie, bis es fertig ist (oder beenden Sie es mit Strg+C), und führen Sie "
                                         "diesen Befehl dann erneut aus.",
                                         "Wait for it to finish (or stop it with Ctrl-C), then run this command again.")) from None
                if on_wait and not told:
                    on_wait(holder)
                    told = True
                time.sleep(min(0.1, max(deadline - time.monotonic(), 0.0)))
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
