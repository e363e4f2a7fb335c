"""miner suggest / link / reply / queue end to end on a small database, with fakes for the
parts that other branches provide, and a local Discourse stand-in for posting."""

import asyncio
import json
import logging

import pytest
from click.testing import CliRunner

from miner import store
from miner.cli import cli
from moderator_db import BASE, FORUM, install_fakes, make_db

KEY = "k3y-that-must-never-leak-7f9c2e"


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "forum.db"
    make_db(path)
    return path


@pytest.fixture
def fakes(monkeypatch):
    return install_fakes(monkeypatch, new_posts={
        201: "Hallo zusammen. Dürfen Lehrkräfte Signal für die Schule dienstlich nutzen? Danke!"})


def run(*args, env=None):
    result = CliRunner().invoke(cli, [str(a) for a in args], env=env)
    return result


# ---------------------------------------------------------------- suggest


def test_suggest_text_json_shape_and_ranking(db_path, fakes, monkeypatch):
    monkeypatch.setenv("MINER_FAQ_URL", "https://faq.example.org/faq")
    result = run("suggest", db_path, "--text", "Darf ich Signal dienstlich nutzen?", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["source"] == {"kind": "text", "text": "Darf ich Signal dienstlich nutzen?"}
    best = data["suggestions"][0]
    assert best["faq_id"] == 1 and best["rank"] == 1
    assert set(fakes["rankers"][-1].contexts) == {None}  # pasted text has no thread
    assert best["shared_terms"] == ["dienstlich", "nutzen", "signal"]
    assert best["reason"] == "gemeinsame Begriffe: dienstlich, nutzen, signal"
    assert best["faq_page_url"] == "https://faq.example.org/faq/1"
    # the published answer, not the newer draft
    assert best["answer_status"] == "published"
    assert best["answer_excerpt"].startswith("**Ja**, mit Einschränkungen: Signal ist *dienstlich* nur mit [Einwilligung](https://x.example/e)")
    assert "ENTWURF" not in result.output
    assert "**[Dürfen Lehrkräfte Signal dienstlich nutzen?](https://faq.example.org/faq/1)**" in best["reply"]
    assert all(0 <= s["score"] <= 1 for s in data["suggestions"])


def test_suggest_thread_fetches_extracts_and_ranks(db_path, fakes):
    url = f"{BASE}/t/neu/201"
    result = run("suggest", db_path, url, "--top", "2", "--faq-url", "https://faq.example.org/faq")
    assert result.exit_code == 0, result.output
    assert fakes["fetched"] == [url]
    assert fakes["extracted"] == [f"{FORUM}:201"]
    assert "Thread: Hallo zusammen. Dürfen Lehrkräfte Signal für die Schule dienstlich nutzen?" in result.output
    assert "1. [FAQ 1] Dürfen Lehrkräfte Signal dienstlich nutzen?" in result.output
    assert "Antwort mit FAQ 1 (zum Kopieren):" in result.output
    assert "Viele Grüße" in result.output
    # matched with the thread's context as the FAQ step sees its questions (no reply yet: the title)
    assert set(fakes["rankers"][-1].contexts) == {"Hallo zusammen. Dürfen Lehrkräfte Signal für die Schule dienstlich nutzen?"}
    data = json.loads(run("suggest", db_path, url, "--json", "--no-fetch").output)
    assert data["source"]["kind"] == "thread"
    assert data["source"]["thread"] == f"{FORUM}:201"
    assert data["source"]["questions"] == [
        "Hallo zusammen. Dürfen Lehrkräfte Signal für die Schule dienstlich nutzen?"]
    assert len(fakes["fetched"]) == 1  # --no-fetch used the stored copy


def test_suggest_needs_exactly_one_of_url_and_text(db_path, fakes):
    result = run("suggest", db_path)
    assert result.exit_code == 2 and "entweder eine THREAD_URL oder --text" in result.output
    result = run("suggest", db_path, f"{BASE}/t/x/1", "--text", "Signal?")
    assert result.exit_code == 2


def test_suggest_for_a_forum_not_in_the_db_is_a_clear_error(db_path, fakes):
    result = run("suggest", db_path, "https://other.example.net/t/frage/5")
    assert result.exit_code == 2
    assert "kein Thread eines Forums in dieser Datenbank (Foren: https://forum.example.org)" in result.output
    assert "miner scrape" in result.output and "--text" in result.output
    assert fakes["fetched"] == []


def test_missing_database_is_not_created(tmp_path, fakes):
    result = run("queue", tmp_path / "typo.db")
    assert result.exit_code == 2 and "gibt es nicht" in result.output
    assert not (tmp_path / "typo.db").exists()


# ---------------------------------------------------------------- link


def test_link_is_recorded_once_whatever_url_form(db_path, fakes):
    first = run("link", db_path, f"{BASE}/t/signal-an-der-schule/101", 1, "--by", "anna")
    assert first.exit_code == 0, first.output
    again = run("link", db_path, f"{BASE}/t/101/3?u=x", 1, "--by", "bert")
    assert again.exit_code == 0, again.output
    rows = list(store.open_db(db_path).query("select * from thread_links"))
    assert len(rows) == 1
    row = rows[0]
    assert (row["thread_url"], row["thread"], row["faq_id"], row["linked_by"]) == (
        f"{BASE}/t/signal-an-der-schule/101", f"{FORUM}:101", 1, "anna")
    assert row["linked_at"].endswith("Z") and row["reply_url"] is None
    # another entry for the same thread is a second link
    assert run("link", db_path, f"{BASE}/t/101", 2, "--by", "anna").exit_code == 0
    assert store.open_db(db_path)["thread_links"].count == 2


def test_save_thread_link_repeats_are_harmless(db_path):
    db = store.open_db(db_path)
    url = f"{BASE}/t/neu/555"  # a thread not stored yet
    a = store.save_thread_link(db, url, 2, "anna")
    b = store.save_thread_link(db, url, 2, "bert", reply_url=f"{BASE}/t/neu/555/2")
    c = store.save_thread_link(db, url, 2, "carl")
    assert a == b == c
    row = db["thread_links"].get(a)
    assert (row["linked_by"], row["reply_url"], row["reply_status"]) == ("anna", f"{BASE}/t/neu/555/2", "posted")


def test_link_unknown_or_retired_faq(db_path, fakes):
    result = run("link", db_path, f"{BASE}/t/101", 99)
    assert result.exit_code == 2 and "Es gibt keinen FAQ-Eintrag 99" in result.output
    result = run("link", db_path, f"{BASE}/t/101", 4)
    assert result.exit_code == 2 and "Der FAQ-Eintrag 4 ist aufgelöst (Nachfolger: [1])" in result.output
    assert store.open_db(db_path)["thread_links"].count == 0


# ---------------------------------------------------------------- reply


@pytest.fixture
def local_forum(tmp_path, httpserver):
    """The database's forum is the local Discourse stand-in."""
    base = httpserver.url_for("/").rstrip("/")
    path = tmp_path / "local.db"
    make_db(path, base_url=base)
    return path, base


def post_env():
    return {"MINER_DISCOURSE_API_KEY": KEY, "MINER_DISCOURSE_API_USERNAME": "moderatorin"}


def test_reply_prints_without_posting(local_forum, httpserver):
    path, base = local_forum
    result = run("reply", path, f"{base}/t/signal-an-der-schule/101", 1, "--faq-url", "https://faq.example.org/faq",
                 env=post_env())
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Hallo,\n\nvielen Dank für die Frage!")
    assert "https://faq.example.org/faq/1" in result.output
    assert httpserver.log == []
    assert store.open_db(path)["thread_links"].count == 0


def test_reply_post_once_records_url_and_never_leaks_the_key(local_forum, httpserver, caplog):
    caplog.set_level(logging.DEBUG)
    path, base = local_forum
    url = f"{base}/t/signal-an-der-schule/101"
    expected_raw = run("reply", path, url, 1).stdout
    httpserver.expect_oneshot_request(
        "/posts.json", method="POST", headers={"Api-Key": KEY, "Api-Username": "moderatorin"},
        json={"topic_id": 101, "raw": expected_raw},
    ).respond_with_json({"id": 5000, "post_number": 2, "topic_id": 101, "topic_slug": "signal-an-der-schule"})
    result = run("-vv", "reply", path, url, 1, "--post", env=post_env())
    assert result.exit_code == 0, result.output
    httpserver.check_assertions()
    assert f"Gepostet: {base}/t/signal-an-der-schule/101/2" in result.output
    row = store.open_db(path)["thread_links"].get(1)
    assert (row["faq_id"], row["linked_by"], row["reply_url"], row["reply_status"]) == (
        1, "moderatorin", f"{base}/t/signal-an-der-schule/101/2", "posted")

    # no double posting, whatever URL form
    again = run("reply", path, f"{base}/t/101/2", 1, "--post", env=post_env())
    assert again.exit_code == 2
    assert "in diesem Thread schon gepostet" in again.output and "Es wurde nichts erneut gepostet" in again.output
    assert len(httpserver.log) == 1

    # the key is nowhere: not in the database, the output, the logs, the miner home
    dump = "\n".join(store.open_db(path).conn.iterdump())
    assert "moderatorin" in dump and KEY not in dump
    assert KEY not in result.output + again.output + caplog.text
    for file in path.parent.rglob("*"):
        if file.is_file():
            assert KEY.encode() not in file.read_bytes(), file


def test_reply_post_refused_by_discourse_can_be_retried(local_forum, httpserver):
    path, base = local_forum
    url = f"{base}/t/threema-work-lizenzen/102"
    httpserver.expect_oneshot_request("/posts.json", method="POST").respond_with_json(
        {"action": "create_post", "errors": ["Topic is closed"]}, status=422)
    failed = run("reply", path, url, 2, "--post", env=post_env())
    assert failed.exit_code == 1
    assert "Fehler: Discourse hat die Antwort nicht angenommen (422): Topic is closed." in failed.output
    assert "Es wurde nichts gepostet" in failed.output
    httpserver.expect_oneshot_request("/posts.json", method="POST").respond_with_json(
        {"id": 7, "post_number": 3, "topic_id": 102, "topic_slug": "threema-work-lizenzen"})
    ok = run("reply", path, url, 2, "--post", env=post_env())
    assert ok.exit_code == 0, ok.output
    rows = list(store.open_db(path).query("select reply_url from thread_links"))
    assert rows == [{"reply_url": f"{base}/t/threema-work-lizenzen/102/3"}]


def test_interrupted_attempt_blocks_until_forced(local_forum, httpserver):
    path, base = local_forum
    url = f"{base}/t/threema-work-lizenzen/102"
    httpserver.expect_oneshot_request("/posts.json", method="POST").respond_with_data("oops", status=502)
    assert run("reply", path, url, 2, "--post", env=post_env()).exit_code == 1
    blocked = run("reply", path, url, 2, "--post", env=post_env())
    assert blocked.exit_code == 2 and "vielleicht gepostet" in blocked.output and "--force" in blocked.output
    assert len(httpserver.log) == 1
    httpserver.expect_oneshot_request("/posts.json", method="POST").respond_with_json(
        {"id": 8, "post_number": 2, "topic_id": 102, "topic_slug": "threema-work-lizenzen"})
    assert run("reply", path, url, 2, "--post", "--force", env=post_env()).exit_code == 0


def test_reply_post_without_credentials_records_nothing(local_forum, httpserver):
    path, base = local_forum
    result = run("reply", path, f"{base}/t/101", 1, "--post",
                 env={"MINER_DISCOURSE_API_KEY": "", "MINER_DISCOURSE_API_USERNAME": ""})
    assert result.exit_code == 2
    assert "MINER_DISCOURSE_API_KEY und MINER_DISCOURSE_API_USERNAME nicht gesetzt" in result.output
    assert httpserver.log == [] and store.open_db(path)["thread_links"].count == 0


def test_reply_post_needs_a_published_answer(local_forum, httpserver):
    path, base = local_forum
    result = run("reply", path, f"{base}/t/101", 3, "--post", env=post_env())
    assert result.exit_code == 2 and "keine veröffentlichte Antwort" in result.output
    assert httpserver.log == []
    printed = run("reply", path, f"{base}/t/101", 3)
    assert printed.exit_code == 0 and "Noch in Arbeit" not in printed.output


# ---------------------------------------------------------------- queue


def test_queue_lists_unlinked_matches_with_published_answers_best_first(db_path, fakes):
    data = json.loads(run("queue", db_path, "--json").output)
    assert [(r["thread_url"], r["faq_id"], r["score"]) for r in data] == [
        (f"{BASE}/t/signal-datenschutz/103", 1, 0.9),
        (f"{BASE}/t/signal-an-der-schule/101", 1, 0.81),
        (f"{BASE}/t/threema-work-lizenzen/102", 2, 0.62),
    ]  # FAQ 3 (draft only) never appears although its match is the best
    assert data[0]["best_question"] == "Signal dienstlich nutzen, geht das?"
    recent = json.loads(run("queue", db_path, "--since", "2024-01-01", "--json").output)
    assert [r["thread_url"].rsplit("/", 1)[1] for r in recent] == ["101", "102"]
    assert run("link", db_path, f"{BASE}/t/101", 1).exit_code == 0
    text = run("queue", db_path, "--since", "2024-01-01")
    assert "signal-an-der-schule" not in text.output
    assert "0.62  FAQ 2: Wie bekommen Schulen Lizenzen für Threema Work?" in text.output
    assert run("queue", db_path, "--since", "gestern").exit_code == 2


def test_queue_sql_works_as_a_datasette_canned_query(db_path):
    from datasette.app import Datasette

    sql = store.load_sql("moderator_queue")
    ds = Datasette([str(db_path)], metadata={"databases": {"forum": {"queries": {"moderator_queue": {"sql": sql}}}}})

    async def fetch(query):
        response = await ds.client.get(f"/forum/moderator_queue.json?_shape=array{query}")
        assert response.status_code == 200, response.text
        return response.json()

    assert len(asyncio.run(fetch(""))) == 3
    assert [r["faq_id"] for r in asyncio.run(fetch("&since=2024-06-01"))] == [2]


@pytest.mark.parametrize("status, body, message", [
    (403, {"errors": ["The API username or key is invalid."], "error_type": "invalid_access"},
     "Fehler: Discourse hat den API-Schlüssel abgelehnt (403): The API username or key is invalid."),
    (429, {"errors": ["Please wait 37 seconds before trying again."], "error_type": "rate_limit",
           "extras": {"wait_seconds": 37}},
     "Fehler: Discourse bittet um Geduld (429): vor dem nächsten Beitrag 37 Sekunden warten."),
])
def test_reply_post_reports_refusals_and_records_no_reply(local_forum, httpserver, status, body, message):
    path, base = local_forum
    httpserver.expect_oneshot_request("/posts.json", method="POST").respond_with_json(body, status=status)
    result = run("reply", path, f"{base}/t/101", 1, "--post", env=post_env())
    assert result.exit_code == 1
    assert message in result.output and KEY not in result.output
    rows = list(store.open_db(path).query("select reply_url, reply_status from thread_links"))
    assert rows == [{"reply_url": None, "reply_status": None}]  # free to try again later


@pytest.mark.parametrize("command", [["link"], ["reply"], ["reply", "--post"]])
def test_thread_of_an_unknown_forum_is_refused(db_path, command):
    args = [command[0], db_path, "https://other.example.net/t/x/5", 1, *command[1:]]
    result = run(*args, env=post_env())
    assert result.exit_code == 2 and "ist kein Thread eines Forums in dieser Datenbank" in result.output


def test_suggest_shows_a_draft_but_never_puts_it_in_the_reply(db_path, fakes):
    result = run("suggest", db_path, "--text", "Ist WhatsApp für die Elternkommunikation erlaubt?", "--top", "1")
    assert result.exit_code == 0, result.output
    assert "1. [FAQ 3] Ist WhatsApp für Elternkommunikation erlaubt?" in result.output
    assert "Antwort (Entwurf, noch nicht veröffentlicht): Noch in Arbeit." in result.output
    assert "(FAQ 3 hat noch keine veröffentlichte Antwort: die Antwort verweist nur auf den Eintrag.)" in result.output
    reply = result.output.split("(zum Kopieren):", 1)[1]
    assert "Noch in Arbeit" not in reply and "http://127.0.0.1:8001/faq/3" in reply
    english = run("suggest", db_path, "--text", "Ist WhatsApp für die Elternkommunikation erlaubt?", "--top", "1",
                  "--lang", "en").output
    assert "(score " in english and "Answer (draft, not published yet): Noch in Arbeit." in english
    assert "(FAQ 3 has no published answer yet: the reply only links the entry.)" in english
    assert "Reply with FAQ 3 (copy and paste):" in english and "the FAQ links point to" in english
