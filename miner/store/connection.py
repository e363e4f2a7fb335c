"""Opening a miner database: the current schema, WAL, clear errors for missing files and a full disk."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import sqlite3
from pathlib import Path
from typing import Any, Iterator

import sqlite_utils

from miner.errors import DatabaseError, DiskFull
from miner.store.schema import ensure_schema
from miner.i18n import both

Database = sqlite_utils.Database  # for type hints elsewhere, so no other module imports sqlite_utils


def now() -> str:
    """UTC timestamp in ISO 8601, the one format every table uses."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def require_file(path: str | Path) -> Path:
    """The path of an existing database file; a typo names the command that writes one."""
    path = Path(path)
    if not path.is_file():
        raise DatabaseError(both(f"Keine Datenbank unter {path}: die Datei gibt es nicht.",
                                 f"No database at {path}: the file does not exist."),
                            hint=both("Geben Sie die Datei an, die `miner scrape DB URL` geschrieben hat (z.B. forum.db), "
                                      "oder führen Sie das zuerst aus.",
                                      "Give the file `miner scrape DB URL` wrote (e.g. forum.db), or run that first."))
    return path


def open_db(path: str | Path, *, create: bool = True) -> sqlite_utils.Database:
    """Open a miner database with the current schema; ``create=False`` refuses a missing file
    (a typo in a command that reads must not leave an empty database behind)."""
    if not create:
        require_file(path)
    try:
        db = sqlite_utils.Database(path)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        ensure_schema(db)
    except sqlite3.OperationalError as error:
        raise DatabaseError(both(f"{path} lässt sich nicht öffnen ({error}).", f"Cannot open {path} ({error})."),
                            hint=both("Prüfen Sie, ob der Ordner existiert und Sie dort schreiben dürfen.",
                                      "Check that its folder exists and that you may write there.")) from None
    except sqlite3.DatabaseError as error:
        raise DatabaseError(both(f"{path} ist keine miner-Datenbank ({error}).", f"{path} is not a miner database ({error})."),
                            hint=both("Bitte den Dateinamen prüfen: gemeint ist die Datenbank, die `miner scrape` geschrieben hat.",
                                      "Check the file name: give the database `miner scrape` wrote.")) from None
    return db


def database(conn) -> sqlite_utils.Database:
    """A Database around an open sqlite3 connection (Datasette's write thread hands one over)."""
    return sqlite_utils.Database(conn)


def database_path(db: sqlite_utils.Database) -> Path | None:
    """The file behind a connection (None for an in-memory database)."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file)
    return None


def is_disk_full(error: BaseException) -> bool:
    """SQLite's SQLITE_FULL ("database or disk is full") or the file system's ENOSPC."""
    if isinstance(error, sqlite3.Error):
        return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(error)
    return isinstance(error, OSError) and error.errno == errno.ENOSPC

@contextlib.contextmanager
def disk_full_as_error() -> Iterator[None]:
    """Turn a full disk, wherever it strikes, into DiskFull: one clear message instead of a traceback."""
    try:
        yield
    except (sqlite3.Error, OSError) as error:
        if not is_disk_full(error):
            raise
        raise DiskFull(both("Der Datenträger ist voll (die Datenbank kann nicht wachsen); der Lauf wurde angehalten und als "
                            "abgebrochen vermerkt.",
                            "The disk is full (the database cannot grow); the run was stopped and marked interrupted."),
                       hint=both("Schaffen Sie Platz und führen Sie denselben Befehl erneut aus: fertige Arbeit bleibt erhalten.",
                                 "Free some space, then run the same command again: finished work is kept.")) from error


def qualify(forum: str, local_id: Any) -> str:
    """Forum-qualified id of a Discourse topic, post or category."""
    return f"{forum}:{local_id}"


def checkpoint(db: sqlite_utils.Database) -> None:
    """Fold the WAL into the main file, so the database is one self-contained file."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
