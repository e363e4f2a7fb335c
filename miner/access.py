"""How commands open a database: read-only when they only read, under the writer lock when they write.

Why one place: a command that only lists (``faq list``, ``queue``, ``suggest --text``) must work on
a read-only copy and must never add miner's tables to some other SQLite file given by mistake; a
command that writes must not interleave with ``mine`` (which would silently overwrite a correction)
or with ``forget`` (which could be undone). ``open_readonly`` and ``writing`` are those two doors.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import quote

from miner import store
from miner.errors import DatabaseError
from miner.lock import exclusive
from miner.i18n import both

MINER_TABLES = ("threads", "posts", "questions", "faqs")
WRITE_WAIT = 600.0  # seconds a short write waits for a running scrape / mine / forget


def _connect_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, check_same_thread=False)


def _missing_tables(conn: sqlite3.Connection, path: Path, wanted) -> list[str]:
    """The tables of ``wanted`` the file lacks; a file that is not a miner database (or not SQLite) is refused."""
    try:
        names = {row[0] for row in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
    except sqlite3.DatabaseError as error:
        raise DatabaseError(both(f"{path} ist keine miner-Datenbank ({error}).", f"{path} is not a miner database ({error})."),
                            hint=both("Bitte den Dateinamen prüfen: gemeint ist die Datenbank, die `miner scrape` geschrieben hat.",
                                      "Check the file name: give the database `miner scrape` wrote.")) from None
    missing = [t for t in MINER_TABLES if t not in names]
    if missing:
        raise DatabaseError(both(f"{path} ist keine miner-Datenbank (ihr fehlt die Tabelle {', '.join(missing)}).",
                                 f"{path} is not a miner database (it has no {', '.join(missing)} table)."),
                            hint=both("Bitte den Dateinamen prüfen: gemeint ist die Datenbank, die `miner scrape` geschrieben hat.",
                                      "Check the file name: give the database `miner scrape` wrote."))
    return [t for t in wanted if t not in names]


def require_miner_database(path: str | os.PathLike) -> None:
    """Refuse (read-only, before anything writes) a missing file or one that is not a miner database;
    an older miner database passes, its writer upgrades it."""
    path = store.require_file(path)
    conn = _connect_readonly(path)
    try:
        _missing_tables(conn, path, ())
    finally:
        conn.close()


def open_readonly(path: str | os.PathLike) -> store.Database:
    """Open an existing miner database with SQLite's ``mode=ro``: no table, index or journal mode is
    ever written, so a read-only file works and a foreign file stays as it was."""
    path = store.require_file(path)
    conn = _connect_readonly(path)
    try:
        older = _missing_tables(conn, path, store.TABLES)
    except DatabaseError:
        conn.close()
        raise
    if older:
        conn.close()
        raise DatabaseError(both(f"{path} stammt von einer älteren miner-Version (ohne Tabelle {', '.join(older)}).",
                                 f"{path} was written by an older miner (no {', '.join(older)} table)."),
                            hint=both(f"Einmal mit `miner mine {path}` aktualisieren (das braucht Schreibrechte).",
                                      f"Upgrade it once with `miner mine {path}` (that needs write access)."))
    return store.database(conn)


@contextlib.contextmanager
def writing(path: str | os.PathLike, command: str, *, wait: float | None = None,
            on_wait: Callable[[str], None] | None = None) -> Iterator[store.Database]:
    """The database opened for writing while this process holds its writer lock (``miner.lock``).

    Checked read-only first, so a typo or a foreign file gets a clear error and no lock file beside it.
    Waits up to ``wait`` seconds (default WRITE_WAIT) for another writer (``lock.Busy`` after that).
    """
    require_miner_database(path)
    with exclusive(path, command, wait=WRITE_WAIT if wait is None else wait, on_wait=on_wait):
        db = store.open_db(path, create=False)
        try:
            yield db
        finally:
            db.conn.close()
