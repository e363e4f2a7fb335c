"""`miner forget` while another connection reads: it never reports success while the file still holds
the erased words. Checked on the raw bytes of the main file and its WAL."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import privacy_forum as forum_data
from miner import store
from miner.cli import cli
from miner.file_traces import other_processes, raw_traces
from miner.keys import pseudonym_key

ANNA = forum_data.PEOPLE["anna"]["username"]
MARKER = forum_data.MARKER.lower().encode()


def raw(path: Path) -> bytes:
    wal = Path(f"{path}-wal")
    return (path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")).lower()


@pytest.fixture
def forum_db(tmp_path):
    path = tmp_path / "forum.db"
    db = store.open_db(path)
    forum_data.insert_pseudonymized(db, pseudonym_key())
    db.conn.close()
    return path


def hold_reader(path: Path, seconds: float) -> threading.Event:
    """A visitor's slow query: a read transaction open on another connection for ``seconds``."""
    started = threading.Event()

    def read():
        conn = sqlite3.connect(path, check_same_thread=False)
        conn.execute("begin")
        conn.execute("select count(*) from posts").fetchone()
        started.set()
        time.sleep(seconds)
        conn.rollback()
        conn.close()

    threading.Thread(target=read, daemon=True).start()
    started.wait(5)
    return started


def test_a_reader_that_stays_stops_forget_with_exit_2_and_nothing_changed(forum_db):
    hold_reader(forum_db, 3)
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["forget", str(forum_db), ANNA, "--yes", "--wait", "0.5"])
    assert result.exit_code == 2, result.output
    assert 0.5 <= time.monotonic() - started < 3
    assert "(miner serve?) hat" in result.output and "Es wurde nichts geändert." in result.output
    assert "Traceback" not in result.output
    assert sqlite3.connect(forum_db).execute("select count(*) from erasures").fetchone()[0] == 0
    time.sleep(3)  # the reader goes away: the same command now erases, and the bytes are gone
    result = CliRunner().invoke(cli, ["forget", str(forum_db), ANNA, "--yes", "--wait", "2"])
    assert result.exit_code == 0, result.output
    assert raw(forum_db).count(MARKER) == 0


def test_forget_waits_for_a_reader_to_close_and_leaves_no_byte(forum_db):
    assert MARKER in raw(forum_db)
    hold_reader(forum_db, 1.0)
    result = CliRunner().invoke(cli, ["forget", str(forum_db), ANNA, "--yes", "--wait", "10"])
    assert result.exit_code == 0, result.output
    assert raw(forum_db).count(MARKER) == 0
    assert not Path(f"{forum_db}-wal").exists() or Path(f"{forum_db}-wal").stat().st_size == 0


def test_a_reader_in_another_process_is_named(forum_db):
    reader = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys, time\n"
         f"c = sqlite3.connect({str(forum_db)!r}); c.execute('begin'); c.execute('select * from posts').fetchall()\n"
         "print('reading', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "reading"
        assert f"a Python program (pid {reader.pid})" in other_processes(forum_db)
        result = CliRunner().invoke(cli, ["forget", str(forum_db), ANNA, "--yes", "--wait", "0.3"])
        assert result.exit_code == 2
        assert f"(pid {reader.pid}) hat {forum_db} mit einem älteren Stand geöffnet" in result.output
    finally:
        reader.kill()
        reader.wait(10)


def test_a_reader_arriving_during_the_erasure_is_waited_for(forum_db, monkeypatch):
    """The worst moment: the rows are deleted, then a visitor's query pins the old snapshot."""
    from miner import forget as forgetting

    erase = forgetting.erase

    def erase_then_reader(*args, **kwargs):
        result = erase(*args, **kwargs)
        hold_reader(forum_db, 5)
        return result

    monkeypatch.setattr(forgetting, "erase", erase_then_reader)
    result = CliRunner().invoke(cli, ["forget", str(forum_db), ANNA, "--yes", "--wait", "0.3"])
    assert result.exit_code == 2, result.output
    assert "Die Zeilen sind gelöscht" in result.output and "denselben `miner forget`-Befehl erneut aus" in result.output
    time.sleep(5)
    monkeypatch.setattr(forgetting, "erase", erase)
    again = CliRunner().invoke(cli, ["forget", str(forum_db), ANNA, "--yes", "--wait", "2"])
    assert again.exit_code == 1 and "die Datei ist verdichtet" in again.output
    assert raw(forum_db).count(MARKER) == 0


def test_raw_traces_reads_the_main_file_and_the_wal(tmp_path):
    path = tmp_path / "t.db"
    path.write_bytes(b"SQLite format 3\0" + "…ein Zebrafinkenprotokoll-Satz".encode() + b"\0" * 100)
    Path(f"{path}-wal").write_bytes(b"\0" * 50 + "user-abcdef0123 übrig".encode())
    assert raw_traces(path, ["ZEBRAFINKENprotokoll", "USER-abcdef0123", "nirgends", ""]) == {
        "zebrafinkenprotokoll", "user-abcdef0123"}


def test_an_empty_username_is_a_clear_error(forum_db):
    for name in ("", "   "):
        result = CliRunner().invoke(cli, ["forget", str(forum_db), name, "--yes"])
        assert result.exit_code == 2 and "Der Benutzername ist leer." in result.output
        assert "Traceback" not in result.output
