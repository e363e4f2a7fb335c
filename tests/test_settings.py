"""Settings stored with the database: `miner settings`, `serve --public-url`, and every reply agreeing on the FAQ address."""

from __future__ import annotations

import asyncio
import json
import sqlite3

import pytest
from click.testing import CliRunner

from miner import publish, settings, store
from miner.cli import cli
from miner.plugins import workbench
from moderator_db import BASE, install_fakes, make_db

PUBLIC = "https://schule.example.org/faq"


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "forum.db"
    make_db(path)
    return path


def test_settings_command_lists_sets_checks_and_unsets(db_path):
    listed = run("settings", db_path)
    assert listed.exit_code == 0
    assert "faq_base_url = (nicht gesetzt: http://127.0.0.1:8001/faq)" in listed.output
    assert "Öffentliche Adresse der FAQ-Seite" in listed.output
    assert "Public address of the FAQ page" in run("settings", db_path, "--lang", "en").output
    stored = run("settings", db_path, "faq_base_url", PUBLIC + "/")
    assert stored.exit_code == 0 and f"faq_base_url = {PUBLIC}\n" in stored.output
    assert json.loads(run("settings", db_path, "--json").output) == {"faq_base_url": PUBLIC}
    assert sqlite3.connect(db_path).execute("select value from settings where key = 'faq_base_url'").fetchone() == (PUBLIC,)
    for bad, message in [(("faq_base_url", "ftp://x.example/faq"), "ist keine Adresse für faq_base_url"),
                         (("faq_base_url", "https://x.example/faq?a=1"), "ist keine Adresse"),
                         (("source_links", "somewhere"), "source_links kann forum oder stored sein"),
                         (("colour", "blue"), "Unbekannte Einstellung 'colour'")]:
        result = run("settings", db_path, *bad)
        assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    assert json.loads(run("settings", db_path, "--json").output) == {"faq_base_url": PUBLIC}  # nothing changed
    assert run("settings", db_path, "faq_base_url", "--unset").exit_code == 0
    assert json.loads(run("settings", db_path, "--json").output) == {}
    missing = run("settings", db_path.parent / "nope.db")
    assert missing.exit_code == 2 and "gibt es nicht" in missing.output


def test_local_addresses_are_recognised():
    assert all(settings.is_local_url(u) for u in ["http://127.0.0.1:8001/faq", "http://localhost/faq",
                                                  "http://[::1]:8001/faq", "http://faq.localhost/faq", "http://0.0.0.0/faq"])
    assert not any(settings.is_local_url(u) for u in [PUBLIC, "http://10.1.2.3/faq", "https://127.0.0.1.example.org/faq"])


def test_suggest_and_reply_link_to_the_stored_address_and_warn_on_localhost(db_path, monkeypatch):
    install_fakes(monkeypatch)
    monkeypatch.delenv("MINER_FAQ_URL", raising=False)
    before = run("suggest", db_path, "--text", "Darf ich Signal dienstlich nutzen?")
    assert "http://127.0.0.1:8001/faq/1" in before.stdout
    assert "Hinweis: Die FAQ-Links zeigen auf http://127.0.0.1:8001/faq, das nur dieser Rechner öffnen kann" in before.stderr
    assert run("settings", db_path, "faq_base_url", PUBLIC).exit_code == 0
    after = run("suggest", db_path, "--text", "Darf ich Signal dienstlich nutzen?", "--json")
    data = json.loads(after.stdout)
    assert data["faq_url"] == PUBLIC and data["suggestions"][0]["faq_page_url"] == f"{PUBLIC}/1"
    assert f"({PUBLIC}/1)" in data["suggestions"][0]["reply"] and after.stderr == ""
    reply = run("reply", db_path, f"{BASE}/t/signal-an-der-schule/101", 1, "--json")
    assert reply.exit_code == 0, reply.output
    shown = json.loads(reply.stdout)
    assert shown["faq_page_url"] == f"{PUBLIC}/1" and shown["posted"] is False
    assert shown["thread_url"] == f"{BASE}/t/signal-an-der-schule/101"
    # an explicit address (flag or MINER_FAQ_URL) still wins for one call
    once = run("suggest", db_path, "--text", "Signal dienstlich?", "--json", "--faq-url", "https://other.example.org/faq")
    assert json.loads(once.stdout)["faq_url"] == "https://other.example.org/faq"


def test_link_json(db_path):
    result = run("link", db_path, f"{BASE}/t/signal-an-der-schule/101?page=2", 1, "--by", "moritz", "--json")
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)
    assert (row["thread_url"], row["faq_id"], row["linked_by"], row["new"]) == (
        f"{BASE}/t/signal-an-der-schule/101", 1, "moritz", True)
    again = json.loads(run("link", db_path, f"{BASE}/t/signal-an-der-schule/101", 1, "--json").output)
    assert again["new"] is False and again["id"] == row["id"]


def test_serve_public_url_is_stored_and_the_lookup_uses_it(db_path, monkeypatch):
    served = []
    monkeypatch.setattr(publish, "serve", lambda path, **kwargs: served.append(path))  # no uvicorn loop in a test
    result = run("serve", db_path, "--public-url", PUBLIC, "--port", "8765")
    assert result.exit_code == 0, result.output
    assert served == [str(db_path)] and "Hinweis" not in result.output
    assert settings.load_setting(store.open_db(db_path), settings.FAQ_BASE_URL) == PUBLIC
    local = run("serve", db_path, "--public-url", "http://localhost:8765/faq", "--port", "8765")
    assert "Hinweis: Die FAQ-Links zeigen auf http://localhost:8765/faq" in local.output
    bad = run("serve", db_path, "--public-url", "schule.example.org", "--port", "8765")
    assert bad.exit_code == 2 and "keine Adresse" in bad.output and len(served) == 2

    run("settings", db_path, "faq_base_url", PUBLIC)
    monkeypatch.setattr(workbench, "rank_entries", lambda path, text, top=3, context=None: [
        {"faq_id": 1, "title": "Signal?", "score": 0.9, "shared_terms": ["signal"]}])
    from test_publish import actor_cookie, post

    from miner.accounts import hash_password

    monkeypatch.setenv("MINER_ACCOUNTS", f"moritz moderator {hash_password('pw', iterations=1000)}")
    ds = publish.make_datasette(db_path)
    page = asyncio.run(post(ds, "/-/lookup", {"thread_url": "", "text": "Darf ich Signal nutzen?"},
                            actor=actor_cookie(ds, "moritz", ["moderator"])))
    assert page.status_code == 200 and f"{PUBLIC}/1" in page.text and "localhost/faq" not in page.text
