"""What of erased text is still on disk: the WAL, readers holding old snapshots, raw file bytes.

Why: SQLite in WAL mode keeps the old page images in the main file while any connection (a
visitor's slow query in ``miner serve``) reads a snapshot from before the erasure; the checkpoint
that would overwrite them cannot run until that reader is done. A ``DELETE`` that SQL no longer
sees can therefore still be readable with ``strings forum.db``. ``miner forget`` waits here until
it has the file to itself, and then reads the raw bytes, not SQL, to prove the text is gone.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Iterable

from miner.errors import UsageError
from miner.i18n import both

CHUNK = 16 * 1024 * 1024
WAL_SUFFIXES = ("", "-wal", "-shm")


class DatabaseInUse(UsageError):
    """Another connection keeps an old snapshot of the database open, so old pages cannot be overwritten."""


def other_processes(db_path: str | os.PathLike) -> list[str]:
    """Other processes with the database (or its -wal/-shm) open, as ``"miner serve forum.db (pid 12)"``.

    A scan of ``/proc/*/fd`` (Linux; elsewhere, or without permission, it finds nothing): cheap for
    the few hundred processes of a server, and the only way to name a reader that holds no lock file.
    """
    base = os.path.realpath(db_path)
    targets = {base + suffix for suffix in WAL_SUFFIXES}
    found = []
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid()]
    except OSError:
        return []
    for pid in pids:
        try:
            links = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
        except OSError:
            continue
        if links & targets:
            found.append(f"{_command_line(pid)} (pid {pid})")
    return found


def _command_line(pid: str) -> str:
    """``miner serve forum.db`` rather than ``/opt/venv/bin/python3 /opt/venv/bin/miner serve /srv/forum.db``."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return "a process"
    words = [os.path.basename(a) for a in argv if a]
    if words and words[0].startswith("python") and len(words) > 1:
        if words[1] == "-c":
            return "a Python program"
        words = words[2:] if words[1] == "-m" else words[1:]
    return " ".join(words[:4])[:120] or "a process"


def checkpoint_alone(db, db_path: str | os.PathLike, timeout: float) -> None:
    """Write every page of the WAL into the main file and empty the WAL, waiting up to ``timeout``
    seconds for other readers to let go of older snapshots; else raise ``DatabaseInUse``."""
    wal = Path(f"{db_path}-wal")
    deadline = time.monotonic() + max(timeout, 0.0)
    while True:
        remaining = deadline - time.monotonic()
        db.execute(f"PRAGMA busy_timeout = {int(min(max(remaining, 0.0), 1.0) * 1000)}")
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if not busy and (not wal.exists() or wal.stat().st_size == 0):
            db.execute("PRAGMA busy_timeout = 5000")
            return
        if time.monotonic() >= deadline:
            break
        time.sleep(0.05)
    db.execute("PRAGMA busy_timeout = 5000")
    holders = other_processes(db_path)
    who = ", ".join(holders) if holders else "another program (miner serve?)"
    raise DatabaseInUse(
        both(f"{who} hat {db_path} mit einem älteren Stand geöffnet, daher lässt sich der gelöschte Text in der Datei "
             f"nicht überschreiben ({timeout:g} s gewartet).",
             f"{who} has {db_path} open with an older snapshot, so the erased text cannot be overwritten in the file "
             f"(waited {timeout:g} s)."),
        hint=both("Beenden Sie das Programm (oder warten Sie, bis seine Abfragen fertig sind) und führen Sie denselben "
                  "`miner forget`-Befehl erneut aus; --wait SEKUNDEN wartet länger.",
                  "Stop it (or wait until its queries finish) and run the same `miner forget` command again; "
                  "--wait SECONDS waits longer."),
    )


def raw_traces(db_path: str | os.PathLike, needles: Iterable[str]) -> set[str]:
    """The needles (case-insensitive) found anywhere in the raw bytes of the main file or its WAL.

    Reads the files, not SQL: a freed page, an old page image or a WAL frame holds text that no
    query returns. Read in chunks that overlap by the longest needle, so files larger than memory work.
    """
    wanted = {n.lower() for n in needles if n}
    if not wanted:
        return set()
    overlap = max(len(n.encode()) for n in wanted)
    found: set[str] = set()
    for suffix in ("", "-wal"):
        path = Path(f"{db_path}{suffix}")
        if not path.exists():
            continue
        with open(path, "rb") as handle:
            tail = b""
            while wanted - found:
                chunk = handle.read(CHUNK)
                if not chunk:
                    break
                text = (tail + chunk).decode("utf-8", errors="replace").lower()
                found |= {n for n in wanted - found if n in text}
                tail = chunk[-overlap:]
    return found
