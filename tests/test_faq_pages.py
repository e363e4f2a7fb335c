"""The reader's and editor's pages in-process: German by default, sections, entry pages, search, sources."""

from __future__ import annotations

import re
import sqlite3

import pytest
from bs4 import BeautifulSoup

from miner import i18n, publish
from publish_db import FORUM, RAW_USERNAMES, build_db
from test_publish import actor_cookie, cookie_header, post, run


def add_sections(path):
    """Two sections over publish_db's three entries, and an accepted reply in thread 1."""
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany("insert into faq_sections (id, title, position) values (?, ?, ?)",
                         [(1, "Whatsapp, Dsgvo", 1), (2, "Signal, Threema", 2)])
        conn.executemany("update faqs set section_id = ? where id = ?", [(1, 1), (2, 2), (2, 3)])
        # an accepted reply in thread 1 for the editor's sources
        conn.execute("update posts set is_accepted_answer = 1, like_count = 4 where id = ?", [f"{FORUM}:12"])
    conn.close()
    return path


@pytest.fixture
def db_path(tmp_path):
    return add_sections(build_db(tmp_path / "forum.db"))


@pytest.fixture
def ds(db_path, monkeypatch):
    from miner.accounts import hash_password

    monkeypatch.setenv("MINER_ACCOUNTS", f"erika editor {hash_password('erika-pw', iterations=1000)}")
    return publish.make_datasette(db_path)


def get(ds, path, actor=None):
    return run(ds.client.get(path, headers=cookie_header(ds_actor=actor)))


def test_messages_are_german_first_with_english_as_the_alternative():
    assert i18n.text("search.button") == "Suchen" and i18n.text("search.button", "en") == "Search"
    assert i18n.text("faq.intro", "xx", count=2).startswith("2 Einträge")  # unknown language: German
    assert i18n.format_date("2026-09-25T14:04:21.607Z") == "25.09.2026"
    assert i18n.format_date("2026-09-25T14:04:21Z", "en") == "2026-09-25"
    assert i18n.format_date(None) == "" and i18n.format_date("gestern") == "gestern"
    with pytest.raises(KeyError):
        i18n.text("no.such.key")


def test_faq_page_is_german_with_a_table_of_contents_by_section(ds):
    page = get(ds, "/faq").text
    assert '<html lang="de">' in page
    assert "Einträge durchsuchen" in page and "3 Einträge, die meistgefragten zuerst" in page
    assert "Search entries" not in page and "No answer yet" not in page
    toc = re.search(r'<nav class="miner-toc".*?</nav>', page, re.S).group(0)
    assert re.findall(r'#section-(\d+)">([^<]+)</a> <span class="miner-meta">\((\d+)\)', toc) == [
        ("1", "Whatsapp, Dsgvo", "1"), ("2", "Signal, Threema", "2")]
    assert page.index('id="section-1"') < page.index('id="faq-1"') < page.index('id="section-2"') < page.index('id="faq-2"')
    assert "01.03.2023 – 03.03.2024" in page and "2023-03-01" not in page
    assert '<a href="/faq/1">' in page


def test_english_pages_with_lang_en(db_path, monkeypatch):
    monkeypatch.setenv("MINER_ACCOUNTS", "")
    page = run(publish.make_datasette(db_path, lang="en").client.get("/faq")).text
    assert '<html lang="en">' in page and "Search entries" in page and "Einträge durchsuchen" not in page


def test_entry_history_names_events_in_the_page_language(db_path, monkeypatch):
    monkeypatch.setenv("MINER_ACCOUNTS", "")
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("insert into faq_history (run, faq_id, event, other_faqs, detail, at) values "
                     "(2, 1, 'merge', '[2]', 'zusammengelegt', '2024-06-01T00:00:00Z')")
    conn.close()
    german = run(publish.make_datasette(db_path).client.get("/faq/1")).text
    assert "01.06.2024</span> zusammengeführt: zusammengelegt" in german and "merge:" not in german
    english = run(publish.make_datasette(db_path, lang="en").client.get("/faq/1")).text
    assert "2024-06-01</span> merge: zusammengelegt" in english and "zusammengeführt" not in english
    stored = sqlite3.connect(db_path).execute("select event from faq_history where run = 2").fetchone()
    assert stored == ("merge",)  # the stored code stays as researchers query it


def test_search_finds_questions_answers_and_compounds_and_says_why(ds):
    dsgvo = get(ds, "/faq?q=DSGVO").text
    assert re.findall(r'<section class="miner-entry" id="faq-(\d+)"', dsgvo)[0] == "1"
    assert "Ist WhatsApp für Klassenchats <mark>DSGVO</mark>-konform?" in dsgvo
    konform = get(ds, "/faq?q=DSGVO-konform").text
    assert re.findall(r'id="faq-(\d+)"', konform)[0] == "1"
    assert "<mark>DSGVO-konform</mark>" in konform
    assert "1 Eintrag zu „AV-Vertrag“" in get(ds, "/faq?q=AV-Vertrag").text
    compound = get(ds, "/faq?q=Datenschutz").text  # finds "Datenschutzerklärung" (prefix), title hits first
    assert re.findall(r'<section class="miner-entry" id="faq-(\d+)"', compound)[0] == "3"
    assert "Treffer in Titel oder Stichworten" in compound
    answer = get(ds, "/faq?q=AV-Vertrag").text  # only in entry 2's published answer
    assert re.findall(r'<section class="miner-entry" id="faq-(\d+)"', answer) == ["2"] and "Treffer in der Antwort" in answer
    nothing = get(ds, "/faq?q=Fahrrad").text
    assert "Keine Einträge zu „Fahrrad“." in nothing


def test_search_keeps_forum_text_inert(ds):
    page = get(ds, "/faq?q=Signal").text
    assert "<mark>Signal</mark>" in page
    tags = BeautifulSoup(page, "html.parser").find_all(True)
    assert not [t for t in tags if t.name == "iframe" or any(a.startswith("on") for a in t.attrs)]
    assert not [t for t in tags if t.name == "a" and t.get("href", "").startswith("javascript")]


def test_drafts_are_not_found_by_anonymous_search(ds, db_path):
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("insert into answers (faq_id, body, status, editor, created_at) values (3, 'Geheimentwurf Zebrafisch', 'draft', 'erika', '2024-05-01T00:00:00Z')")
    conn.close()
    assert "faq-3" not in get(ds, "/faq?q=Zebrafisch").text
    editor = actor_cookie(ds, "erika", ["editor"])
    assert 'id="faq-3"' in get(ds, "/faq?q=Zebrafisch", editor).text


def test_entry_page_shows_questions_answer_chart_sources_history(ds, db_path):
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("insert into faq_history (run, faq_id, event, other_faqs, detail, at) values (1, 1, 'birth', '[]', 'neuer Eintrag mit 3 Fragen', '2024-05-01T00:00:00Z')")
    conn.close()
    response = get(ds, "/faq/1")
    page = response.text
    assert response.status_code == 200 and "content-security-policy" in response.headers
    assert '<html lang="de">' in page and "<h1 id=\"faq-1\">Ist WhatsApp DSGVO-konform?</h1>" in page
    questions = re.search(r'<ol class="miner-questions".*?</ol>', page, re.S).group(0)
    assert questions.count("<li>") == 3 and "Ist WhatsApp an Schulen DSGVO-konform?" in questions and "03.03.2024" in questions
    assert "Abschnitt: <a href=\"/faq#section-1\">Whatsapp, Dsgvo</a>" in page
    assert 'class="miner-chart miner-chart-large"' in page and ">Fragen</text>" in page
    assert re.search(r'<svg class="miner-chart miner-chart-large".*?</svg>', page, re.S).group(0).count("<rect") == 36
    assert f'href="https://{FORUM}/t/t1/1"' in page
    assert "01.05.2024</span> entstanden: neuer Eintrag mit 3 Fragen" in page
    assert "Noch keine Antwort." in page
    missing = get(ds, "/faq/99")
    assert missing.status_code == 404 and "Es gibt keinen FAQ-Eintrag 99." in missing.text


def test_answer_check_flag_on_faq_entry_page_and_editor(ds, db_path):
    conn = sqlite3.connect(db_path)
    with conn:  # entry 1 answered in 2023; two of its questions were asked in 2024
        conn.execute("insert into answers (faq_id, body, status, editor, created_at) values (1, 'Kommt drauf an.', 'published', 'erika', '2023-06-01T00:00:00Z')")
    conn.close()
    editor = actor_cookie(ds, "erika", ["editor"])
    flag = "Antwort prüfen: 2 neue Fragen seit der Antwort vom 01.06.2023"
    for path in ("/faq", "/faq/1", "/-/answer/1"):
        page = get(ds, path, editor).text
        assert flag in page, path
    assert "Antwort prüfen: 1 neue Frage seit der Antwort vom 10.03.2024" in get(ds, "/faq/2").text
    assert "Antwort prüfen" not in get(ds, "/faq/3").text  # no answer, nothing to check


def test_editor_shows_forum_sources_and_starts_a_draft_with_citations(ds):
    editor = actor_cookie(ds, "erika", ["editor"])
    page = get(ds, "/-/answer/1", editor).text
    sources = re.search(r'<form action="/-/answer/1" method="get" id="cite-form">.*?</form>', page, re.S).group(0)
    assert "akzeptierte Antwort" in sources and "Wir nutzen Signal, das ist datenschutzfreundlich." in sources
    assert f'href="https://{FORUM}/t/t1/1/2"' in sources
    tags = BeautifulSoup(sources, "html.parser").find_all(True)
    assert not [t for t in tags if t.name in ("script", "iframe", "svg") or any(a.startswith("on") for a in t.attrs)]
    assert not any(name in page for name in RAW_USERNAMES)
    assert 'id="answer-preview"' in page and 'src="/-/miner/editor.js"' in page
    assert re.search(r'<input type="text" id="new-title" name="title"', page)
    cited = get(ds, f"/-/answer/1?cite={FORUM}:12", editor).text
    body = re.search(r'<textarea id="answer-body" name="body" rows="16">(.*?)</textarea>', cited, re.S).group(1)
    assert body.startswith("&gt; Wir nutzen Signal, das ist datenschutzfreundlich.")
    assert f"&gt; [Quelle: Thread „Ist WhatsApp DSGVO-konform?" in body and f"](https://{FORUM}/t/t1/1/2)" in body
    assert '<input type="radio" name="status" value="draft" checked>' in cited
    untouched = get(ds, "/-/answer/1?cite=nonsense", editor).text
    assert re.search(r'<textarea id="answer-body" name="body" rows="16"></textarea>', untouched)


def test_preview_is_sanitized_and_only_for_editors_with_a_token(ds):
    editor = actor_cookie(ds, "erika", ["editor"])
    body = {"body": "**fett** <img src=x onerror=alert(1)> [x](javascript:alert(1))"}
    ok = run(post(ds, "/-/preview", body, actor=editor))
    assert ok.status_code == 200 and "<strong>fett</strong>" in ok.text and "onerror" not in ok.text and "javascript" not in ok.text
    assert run(post(ds, "/-/preview", body, actor=editor, with_token=False)).status_code == 403
    assert run(post(ds, "/-/preview", body)).status_code == 403
    script = get(ds, "/-/miner/editor.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("application/javascript")


def test_sections_can_be_renamed_and_entries_moved_from_the_editor(ds, db_path):
    editor = actor_cookie(ds, "erika", ["editor"])
    moved = run(post(ds, "/-/correct", {"action": "section", "faq_id": "1", "section_id": "2"}, actor=editor))
    renamed = run(post(ds, "/-/correct", {"action": "rename_section", "section_id": "2", "faq_id": "1",
                                           "title": "Andere Messenger"}, actor=editor))
    assert (moved.status_code, renamed.status_code) == (302, 302)
    conn = sqlite3.connect(db_path)
    assert conn.execute("select section_id, section_by from faqs where id = 1").fetchone() == (2, "erika")
    assert conn.execute("select title, title_by from faq_sections where id = 2").fetchone() == ("Andere Messenger", "erika")
    page = get(ds, "/faq").text
    assert "Andere Messenger</a> <span class=\"miner-meta\">(3)" in page and "Whatsapp, Dsgvo" not in page


def test_entry_ids_in_tables_and_canned_queries_link_to_entry_pages(ds):
    name = publish.database_name(ds.databases[next(n for n in ds.databases if n != "_internal")].path)
    assert '<a href="/faq/1">Ist WhatsApp DSGVO-konform?</a>' in get(ds, f"/{name}/faqs").text
    assert '<a href="/faq/2">Darf ich Eltern über Signal kontaktieren? &lt;img' in get(ds, f"/{name}/faqs").text
    assert '<a href="/faq/1">1</a>' in get(ds, f"/{name}/most_asked").text
    assert '<a href="/faq/1">1</a>' in get(ds, f"/{name}/search_faqs?q=WhatsApp").text
    assert '<a href="/faq/1">1</a>' in get(ds, f"/{name}/search_questions?q=WhatsApp").text  # its faq_id column
    assert '<a href="/faq/' not in get(ds, f"/{name}/search_posts?q=WhatsApp").text  # post ids are no entries


def test_serve_passes_the_language_on(monkeypatch, db_path):
    from click.testing import CliRunner

    from miner.cli import cli

    seen = {}
    monkeypatch.setattr(publish, "serve", lambda path, **kw: seen.update(kw))
    monkeypatch.setattr(publish, "check_address", lambda host, port: None)
    assert CliRunner().invoke(cli, ["serve", str(db_path), "--lang", "en"]).exit_code == 0
    assert seen["lang"] == "en"
    assert CliRunner().invoke(cli, ["serve", str(db_path)]).exit_code == 0 and seen["lang"] == "de"
    wrong = CliRunner().invoke(cli, ["serve", str(db_path), "--lang", "fr"])
    assert wrong.exit_code == 2 and "'fr' is not one of 'de', 'en'" in wrong.output


def test_a_merged_entry_page_points_to_its_successor(ds):
    editor = actor_cookie(ds, "erika", ["editor"])
    assert run(post(ds, "/-/correct", {"action": "merge", "faq_id": "3", "into": "1", "confirm": "yes"}, actor=editor)).status_code == 302
    page = get(ds, "/faq/3").text
    assert "Dieser Eintrag wurde zusammengelegt oder aufgelöst." in page and '<a href="/faq/1">Weiter zu Eintrag #1</a>' in page
    assert 'id="faq-3"' not in get(ds, "/faq").text


def test_matches_are_marked_as_the_index_matches_them():
    from miner.faq_search import mark_matches, query_terms

    assert mark_matches("Ist WhatsApp DSGVO-konform? <b>", query_terms("dsgvo")) == \
        "Ist WhatsApp <mark>DSGVO</mark>-konform? &lt;b&gt;"
    assert mark_matches("DSGVO-Konformität und Datenschutzerklärung, ÄRGER", query_terms("DSGVO-konform Datenschutz arger")) == \
        "<mark>DSGVO-Konformität</mark> und <mark>Datenschutzerklärung</mark>, <mark>ÄRGER</mark>"
    assert mark_matches("Die App", query_terms("ap")) == "Die App"  # short words match whole words only
    long = " ".join(f"w{i}" for i in range(50)) + " Signal " + " ".join(f"v{i}" for i in range(50))
    assert mark_matches(long, query_terms("signal"), window=2) == "… w48 w49 <mark>Signal</mark> v0 v1 …"
