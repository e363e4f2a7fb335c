"""The privacy layer gives a forum read through its pages (phpBB) the same guarantees as Discourse."""

import json
import sqlite3

import pytest
from click.testing import CliRunner

import privacy_forum as forum_data
from test_privacy import file_bytes, hits
from miner import crawl, privacy, store
from miner.cli import cli
from miner.keys import pseudonym_key, pseudonymize
from miner.replay_phpbb import PhpbbReplayServer

ANNA = forum_data.PEOPLE["anna"]




def write_snapshot(directory):
    """The privacy test forum as a snapshot, which the replay renders as phpBB pages."""
    (directory / "topics").mkdir(parents=True)
    (directory / "site.json").write_text(json.dumps({"title": "Testforum Schule"}))
    (directory / "categories.json").write_text(json.dumps({"category_list": {"categories": [forum_data.CATEGORY]}}))
    for topic in forum_data.TOPICS:
        body = forum_data.topic_json(topic["id"])
        body["post_stream"]["posts"][-1]["version"] = 2  # shows phpBB's "Zuletzt geändert von NAME" line
        (directory / "topics" / f"{topic['id']}.json").write_text(json.dumps(body))


@pytest.fixture
def scraped(tmp_path):
    write_snapshot(tmp_path / "snapshot")
    server = PhpbbReplayServer(tmp_path / "snapshot").start()
    path = tmp_path / "scraped.db"
    db = store.open_db(path)
    summary = crawl.scrape(db, server.url, delay=0, progress=False)
    db.conn.close()
    yield path, server, summary
    server.stop()


def test_the_phpbb_pages_carry_the_identities_the_layer_must_remove(scraped):
    _, server, _ = scraped
    page = server.route("/viewtopic.php?t=101")[1]
    for shown in (ANNA["username"], "hat geschrieben:", "memberlist.php?mode=viewprofile", "file.php?avatar=",
                  'class="signature"', "Zuletzt geändert von", ANNA["email"], ANNA["phone"]):
        assert shown in page or shown in server.route("/viewtopic.php?t=102")[1], shown


def test_a_scraped_phpbb_forum_holds_no_identity_in_any_column_fts_or_byte(scraped):
    path, _, summary = scraped
    assert summary["engine"] == "phpbb"
    assert sqlite3.connect(path).execute("select count(*) from posts").fetchone()[0] == len(forum_data.POSTS)
    assert hits(path, forum_data.IDENTIFIERS) == []
    db = store.open_db(path)
    quoted = db.execute("select quoted, html from posts where post_id = 1012").fetchone()
    assert forum_data.MARKER in quoted[0] and f'data-username="{pseudonymize(ANNA["username"], pseudonym_key())}"' in quoted[1]
    assert db.execute("select count(*) from posts_fts where posts_fts match 'Kxmueller OR qz_schmidt_b'").fetchone() == (0,)
    assert db.execute("select sum(masked) from posts").fetchone()[0] == 4  # two e-mail addresses, two phone numbers
    from miner import extract

    extract.extract_questions_into(db, progress=False, embedder="none")
    db.conn.close()
    assert hits(path, forum_data.IDENTIFIERS) == []


def test_forget_then_a_full_rescrape_of_the_pages_does_not_bring_her_back(scraped):
    path, server, _ = scraped
    result = CliRunner().invoke(cli, ["forget", str(path), ANNA["username"], "--yes"])
    assert result.exit_code == 0, result.output
    db = store.open_db(path)
    crawl.scrape(db, server.url, delay=0, full=True, progress=False)
    anna = pseudonymize(ANNA["username"], pseudonym_key())
    assert db.execute("select count(*) from posts where author = ?", [anna]).fetchone()[0] == 0
    db.conn.close()
    assert forum_data.MARKER.lower().encode() not in file_bytes(path).lower()


def test_leftovers_of_classic_forum_markup_are_pseudonymized_too():
    key = pseudonym_key()
    alias = pseudonymize("Bernd_Q", key)
    html = ('<blockquote cite="Bernd_Q"><p>Zitat von Bernd_Q: wir nutzen Threema.</p></blockquote>'
            '<blockquote><cite>Bernd_Q hat geschrieben:</cite>Ja.</blockquote>'
            '<p>Siehe <a href="./memberlist.php?mode=viewprofile&amp;u=12">Bernd_Q</a> und '
            '<a href="https://forum.example.org/members/bernd_q.12/">Profil</a>'
            '<img class="x" src="./download/file.php?avatar=12_1.png"> oder <img src="/data/avatars/m/0/12.jpg"></p>'
            "<p>Zitat aus dem Protokoll bleibt, Zitat von Unbekannt_7 im Text bleibt.</p>")
    cleaned = privacy.clean_cooked(html, lambda name: pseudonymize(name, key))
    every = cleaned["html"] + cleaned["text"] + cleaned["quoted"]
    assert "Bernd_Q" not in every and "bernd_q" not in every and "avatar" not in cleaned["html"]
    assert f'cite="{alias}"' in cleaned["html"] and f"Zitat von {alias}:" in cleaned["quoted"]
    assert f"{alias} hat geschrieben:" in cleaned["quoted"] and f'href="/u/{alias}"' in cleaned["html"]
    assert "Zitat aus dem Protokoll" in cleaned["text"] and "Zitat von Unbekannt_7" in cleaned["text"]
