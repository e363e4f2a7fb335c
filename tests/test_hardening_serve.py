"""Issue 14, the server side: bounded SQL functions, the file path kept private, security headers,
one writer lock for every write (CLI and web), read-only commands that really only read."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import sqlite3
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from click.testing import CliRunner

from faqdb import mined_dev_db
from miner import publish, store
from miner.accounts import hash_password
from miner.cli import cli
from miner.lock import exclusive
from miner.plugins import signin, workbench
from miner.urls import thread_id_for_url
from publish_db import build_db


def run(coro):
    return asyncio.run(coro)


@pytest.fixture
def served(tmp_path, monkeypatch):
    monkeypatch.setenv("MINER_ACCOUNTS", f"erika editor {hash_password('erika-pw', iterations=1000)}")
    path = build_db(tmp_path / "forum.db")
    return path, publish.make_datasette(path, sql_time_limit_ms=300)


# ---------------------------------------------------------------- SQL functions open to visitors


def test_a_200_kb_argument_to_miner_thread_id_is_answered_at_once(served):
    path, ds = served
    name = publish.database_name(path)
    huge = "https://f.example/t/" + "a" * 200_000
    started = time.perf_counter()
    assert thread_id_for_url(huge) is None
    assert time.perf_counter() - started < 0.05
    started = time.perf_counter()
    response = run(ds.client.get(f"/{name}.json", params={  # the 200 KB argument built in SQL, as a visitor would
        "sql": "select miner_thread_id(:u || replace(hex(zeroblob(100000)), '0', 'a')) as t, "
               "miner_fts_query(replace(hex(zeroblob(100000)), '0', 'a ')) as q",
        "u": "https://f.example/t/", "_shape": "array"}))
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 200 and response.json()[0]["t"] is None
    assert len(response.json()[0]["q"]) < 1100  # bounded, whatever the input


def test_the_sql_time_limit_applies_to_queries_calling_the_functions(served):
    path, ds = served
    name = publish.database_name(path)
    sql = ("with recursive n(i) as (select 1 union all select i + 1 from n) "
           "select count(miner_thread_id('https://f.example/t/x/' || i)) from n")
    started = time.perf_counter()
    response = run(ds.client.get(f"/{name}.json", params={"sql": sql}))
    assert time.perf_counter() - started < 3
    assert response.status_code == 400 and "interrupted" in response.text.lower()


def test_functions_take_any_sql_value(served):
    path, ds = served
    name = publish.database_name(path)
    response = run(ds.client.get(f"/{name}.json", params={
        "sql": "select miner_thread_id(3), miner_thread_id(x'00'), miner_fts_query(42), miner_fts_query(null)",
        "_shape": "array"}))
    assert response.status_code == 200
    assert list(response.json()[0].values()) == [None, None, '"42"', '""']


# ---------------------------------------------------------------- what visitors learn about the server


def test_the_file_path_is_not_shown_to_visitors(served):
    path, ds = served
    name = publish.database_name(path)
    folder = str(path.resolve().parent)
    pragma = run(ds.client.get(f"/{name}.json", params={"sql": "select * from pragma_database_list", "_shape": "array"}))
    assert pragma.status_code == 200 and pragma.json()[0]["file"] is None and pragma.json()[0]["name"] == "main"
    databases = run(ds.client.get("/-/databases.json"))
    assert databases.status_code == 200 and databases.json()[0]["name"] == name
    for response in (pragma, databases, run(ds.client.get("/-/databases"))):
        assert folder not in response.text


def test_security_headers(served):
    path, ds = served
    name = publish.database_name(path)
    for page in ("/faq", "/-/login", f"/{name}/faqs", "/"):
        response = run(ds.client.get(page))
        assert response.headers["x-frame-options"] == "DENY", page
        assert response.headers["x-content-type-options"] == "nosniff", page
    csp = run(ds.client.get("/faq")).headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    # Datasette's own table pages carry inline scripts: no CSP there (it would break them)
    assert "content-security-policy" not in run(ds.client.get(f"/{name}/faqs")).headers


def test_miner_templates_have_no_inline_script():
    for template in publish.TEMPLATES_DIR.glob("*.html"):
        if template.name == "base.html":
            continue  # Datasette's own chrome, checked below
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\ssrc=\"/-/miner/)", text), template  # only miner's static script
        assert not re.search(r"<script[^>]*>[^<]", text), template
        assert not re.search(r"<[^>]*\son[a-z]+\s*=", text), template


def test_base_template_is_datasettes_with_a_lang_attribute():
    import datasette

    original = (Path(datasette.__file__).parent / "templates" / "base.html").read_text()
    ours = (publish.TEMPLATES_DIR / "base.html").read_text()
    assert ours.replace('<html{% if miner_lang %} lang="{{ miner_lang }}"{% endif %}>', "<html>", 1) == original


# ---------------------------------------------------------------- one writer lock (CLI and web)


@pytest.fixture
def mined(tmp_path):
    return mined_dev_db(tmp_path / "m.db")


def test_a_web_write_during_mine_waits_then_answers_503(served, monkeypatch):
    path, ds = served
    monkeypatch.setattr(workbench, "WEB_WRITE_WAIT", 0.3)
    editor = signin.session_cookie(ds, workbench._config(ds)["book"].current()["erika"])

    async def rename():
        csrf = SimpleCookie((await ds.client.get("/-/login")).headers["set-cookie"])["ds_csrftoken"].value
        return await ds.client.post("/-/correct", data={"action": "rename", "faq_id": "1", "title": "Neu",
                                                        "csrftoken": csrf},
                                    cookies={"ds_actor": editor, "ds_csrftoken": csrf})

    with exclusive(path, "mine"):
        busy = run(rename())
    assert busy.status_code == 503 and "Die Datenbank wird gerade aktualisiert" in busy.text
    assert sqlite3.connect(path).execute("select title from faqs where id = 1").fetchone()[0] != "Neu"
    assert run(rename()).status_code == 302
    assert sqlite3.connect(path).execute("select title from faqs where id = 1").fetchone()[0] == "Neu"


SLOW_MINE = """
import sys, time
import miner.faqs
update = miner.faqs.update_faqs
def slow(*args, **kwargs):
    print("mining", flush=True)
    time.sleep(2)
    return update(*args, **kwargs)
miner.faqs.update_faqs = slow
from miner.cli import cli
cli(["mine", sys.argv[1], "--quiet"])
"""


@pytest.mark.slow
def test_faq_rename_during_mine_waits_and_stays_in_effect(mined):
    entry = store.open_db(mined).execute("select id from faqs where status = 'active' order by size desc").fetchone()[0]
    miner_run = subprocess.Popen([sys.executable, "-c", SLOW_MINE, str(mined)], stdout=subprocess.PIPE, text=True,
                                 env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    try:
        assert miner_run.stdout.readline().strip() == "mining"  # mine holds the lock now
        assert "miner mine" in Path(f"{mined}.lock").read_text()
        started = time.monotonic()
        result = CliRunner().invoke(cli, ["faq", "rename", str(mined), str(entry), "Von Hand benannt"])
        assert result.exit_code == 0, result.output
        assert f"Warte, bis miner mine (pid {miner_run.pid})" in result.output
        assert time.monotonic() - started > 0.5
        assert miner_run.wait(60) == 0  # mine had finished before the rename was written
    finally:
        miner_run.kill()
    assert store.open_db(mined).execute("select title from faqs where id = ?", [entry]).fetchone()[0] == "Von Hand benannt"


def test_a_cli_write_gives_up_with_a_clear_message(mined, monkeypatch):
    from miner import access

    monkeypatch.setattr(access, "WRITE_WAIT", 0.2)
    with exclusive(mined, "mine"):
        result = CliRunner().invoke(cli, ["link", str(mined), "https://x.example/t/a/1", "1"])
    assert result.exit_code == 2 and "ist belegt: miner mine" in result.output and "0.2 s gewartet" in result.output


# ---------------------------------------------------------------- read-only commands


def fingerprint(path: Path) -> tuple:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def schema(path: Path) -> list:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("select type, name from sqlite_master order by name").fetchall()
    finally:
        conn.close()


READ_COMMANDS = (["faq", "list"], ["faq", "list", "--id", "1"], ["queue"],
                 ["suggest", "--no-fetch", "--text", "Darf ich WhatsApp mit Eltern nutzen?"])


def test_read_only_commands_work_on_a_read_only_file_and_change_nothing(mined, monkeypatch):
    def no_write_open(*args, **kwargs):
        raise AssertionError("a read-only command opened the database for writing")

    monkeypatch.setattr(store, "open_db", no_write_open)
    os.chmod(mined, 0o444)
    before, tables = fingerprint(mined), schema(mined)
    for command in READ_COMMANDS:
        result = CliRunner().invoke(cli, [command[0], *command[1:2], str(mined), *command[2:]]
                                    if command[0] == "faq" else [command[0], str(mined), *command[1:]])
        assert result.exit_code == 0, (command, result.output)
        assert "readonly" not in result.output
    assert (fingerprint(mined), schema(mined)) == (before, tables)


def test_read_only_commands_refuse_a_foreign_database_in_one_line(tmp_path):
    other = tmp_path / "notes.db"
    conn = sqlite3.connect(other)
    conn.execute("create table notes (text)")
    conn.commit()
    conn.close()
    text = tmp_path / "notes.txt"
    text.write_text("kein SQLite\n" * 100)
    for path in (other, text):
        before = fingerprint(path)
        for command in (["faq", "list", str(path)], ["queue", str(path)],
                        ["suggest", str(path), "--no-fetch", "--text", "Signal?"]):
            result = CliRunner().invoke(cli, command)
            assert result.exit_code == 2, (command, result.output)
            assert f"Fehler: {path} ist keine miner-Datenbank" in result.output.splitlines()[0]
            assert "Traceback" not in result.output
        assert fingerprint(path) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db", "notes.txt"]
    assert schema(other) == [("table", "notes")]


def test_writers_refuse_a_foreign_database_too(tmp_path):
    other = tmp_path / "notes.db"
    conn = sqlite3.connect(other)
    conn.execute("create table notes (text)")
    conn.commit()
    conn.close()
    before = fingerprint(other)
    for command in (["mine", str(other)], ["forget", str(other), "someone", "--yes"],
                    ["faq", "rename", str(other), "1", "x"], ["link", str(other), "https://x.example/t/a/1", "1"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 2 and f"{other} ist keine miner-Datenbank" in result.output, command
    assert fingerprint(other) == before and schema(other) == [("table", "notes")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]
