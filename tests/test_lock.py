"""One long-running writer per database: a second scrape / mine / forget stops with a clear message."""

import os
import signal
import subprocess
import sys
import time

from click.testing import CliRunner

from faqdb import add_questions, dev_rows
from miner import store
from miner.cli import cli
from miner.lock import Busy, exclusive


def mined_db(path):
    db = store.open_db(path)
    add_questions(db, dev_rows()[:20])
    db.conn.close()
    return path


def snapshot(path):
    db = store.open_db(path)
    rows = {t: db.execute(f"select count(*) from {t}").fetchone()[0] for t in ("threads", "posts", "questions", "faqs")}
    db.conn.close()
    return rows


def test_a_second_writer_is_refused_and_nothing_changes(tmp_path):
    path = mined_db(tmp_path / "forum.db")
    before = snapshot(path)
    with exclusive(path, "scrape"):
        for command in (["mine", str(path)], ["forget", str(path), "someone", "--yes"],
                        ["scrape", str(path), "http://127.0.0.1:9"]):
            result = CliRunner().invoke(cli, command)
            assert result.exit_code == 2, (command, result.output)
            assert f"{path} ist belegt: miner scrape (pid {os.getpid()}) schreibt gerade hinein." in result.output
            assert "Traceback" not in result.output
    assert snapshot(path) == before
    result = CliRunner().invoke(cli, ["mine", str(path), "--quiet"])  # released: the next writer runs
    assert result.exit_code == 0, result.output
    assert snapshot(path)["faqs"] > 0


def test_a_killed_holder_leaves_no_stale_lock(tmp_path):
    path = tmp_path / "forum.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import time; from miner.lock import exclusive\n"
         f"with exclusive({str(path)!r}, 'mine'):\n    print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        try:
            with exclusive(path, "scrape"):
                raise AssertionError("the lock was free while another process held it")
        except Busy as error:
            assert f"pid {holder.pid}" in str(error)
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    finally:
        holder.kill()
    started = time.monotonic()
    with exclusive(path, "scrape"):  # the kernel dropped the dead process's lock
        assert time.monotonic() - started < 1


def test_a_database_in_a_missing_folder_gets_a_clear_error(tmp_path):
    path = tmp_path / "no-such-folder" / "forum.db"
    result = CliRunner().invoke(cli, ["scrape", str(path), "http://127.0.0.1:9"])
    assert result.exit_code == 2 and f"{path} lässt sich nicht öffnen (" in result.output
    assert "Prüfen Sie, ob der Ordner existiert" in result.output
    assert "Traceback" not in result.output and not path.parent.exists()


def test_a_file_that_is_not_a_database_gets_no_lock_file_beside_it(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 20)
    result = CliRunner().invoke(cli, ["scrape", str(text), "http://127.0.0.1:9"])
    assert result.exit_code == 2 and f"{text} ist keine miner-Datenbank" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
