"""`miner export`: the published FAQ only, as Markdown, a Discourse wiki body, static HTML and JSON."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from miner import store
from miner.cli import cli
from miner.export import formats
from publish_db import build_db

ANSWER_3 = ("Ja, **Threema** braucht eine eigene Datenschutzerklärung:\n\n- Zweck der Verarbeitung\n"
            "- Speicherdauer\n\n## Vorlage\n\nFragen Sie @datenschutz nach der [Vorlage](https://example.org/vorlage).")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def db_path(tmp_path):
    """publish_db: entry 2 has a hostile published answer; entry 3 gets a published answer and then a
    newer draft; entry 1 only a draft (it must not be exported at all)."""
    path = build_db(tmp_path / "forum.db")
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany("insert into answers (faq_id, body, status, editor, created_at) values (?, ?, ?, 'redaktion', ?)", [
            (1, "GEHEIMER ENTWURF eins", "draft", "2024-04-01T08:00:00Z"),
            (3, ANSWER_3, "published", "2026-09-25T14:04:21.607Z"),
            (3, "GEHEIMER ENTWURF drei", "draft", "2026-10-01T08:00:00Z"),
        ])
    conn.close()
    return path


def add_sections(path: Path) -> None:
    """The FAQ step's sections (table faq_sections, faqs.section_id), made here as a fixture."""
    db = store.open_db(path)
    if "faq_sections" not in db.table_names():
        db["faq_sections"].create({"id": int, "title": str, "title_by": str, "position": int, "updated_at": str}, pk="id")
    if "section_id" not in db["faqs"].columns_dict:
        db["faqs"].add_column("section_id", int)
        db["faqs"].add_column("section_by", str)
    with db.conn:
        db["faq_sections"].insert_all([{"id": 7, "title": "Datenschutz & Verträge", "position": 1},
                                       {"id": 8, "title": "Elternkontakt", "position": 0}], pk="id", replace=True)
        db.execute("update faqs set section_id = 7 where id = 3")
        db.execute("update faqs set section_id = 8 where id = 2")
    db.conn.close()


def test_markdown_has_only_published_answers_with_dates_and_sources(db_path, tmp_path):
    out = tmp_path / "faq.md"
    result = run("export", db_path, "--format", "md", out)
    assert result.exit_code == 0, result.output
    assert "1 Datei(en) geschrieben" in result.output
    text = out.read_text()
    assert "ENTWURF" not in text and "Ist WhatsApp DSGVO-konform" not in text  # entry 1 has no published answer
    assert text.startswith("# FAQ: Messenger an Schulen\n")
    # one section without the sections table; both answered entries, largest first
    assert text.count("\n## Fragen und Antworten\n") == 1
    assert text.index("### Darf ich Eltern über Signal") < text.index("### Braucht Threema eine Datenschutzerklärung?")
    assert "*Antwort vom 25.09.2026*" in text and "*Antwort vom 10.03.2024*" in text
    assert "Quellthreads im Forum: [Datenschutzerklärung für Threema](https://forum.example.org/t/t3/3)" in text
    # the answer keeps its Markdown, its heading sits below the entry's heading
    assert "- Zweck der Verarbeitung\n- Speicherdauer\n\n#### Vorlage" in text
    # the hostile answer: no raw HTML, no javascript: link survives; the title's HTML is literal text
    assert "<script" not in text and "onerror=" not in text.replace('onerror="window.\\_\\_pwned', "")
    assert "javascript:" not in text and "[harmlos]" not in text and "harmlos" in text
    assert "\\<img src=" in text


def test_discourse_wiki_body_uses_details_blocks_and_defuses_mentions(db_path, tmp_path):
    out = tmp_path / "wiki.md"
    assert run("export", db_path, "--format", "md", out, "--discourse-wiki").exit_code == 0
    body = out.read_text()
    assert '[details="Braucht Threema eine Datenschutzerklärung?"]\nJa, **Threema**' in body
    assert body.count("[details=") == body.count("[/details]") == 2
    assert "@\u200bdatenschutz" in body and "@datenschutz" not in body
    assert not body.startswith("#")  # a topic has its own title
    assert len(body) < formats.DISCOURSE_MAX_CHARS
    assert "ENTWURF" not in body


def test_export_groups_by_section_when_the_faq_step_made_them(db_path, tmp_path):
    add_sections(db_path)
    out = tmp_path / "faq.json"
    result = run("export", db_path, "--format", "json", out)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert [(s["id"], s["title"], [e["id"] for e in s["entries"]]) for s in data["sections"]] == [
        (8, "Elternkontakt", [2]), (7, "Datenschutz & Verträge", [3])]
    md = tmp_path / "faq.md"
    assert run("export", db_path, "--format", "md", md).exit_code == 0
    text = md.read_text()
    assert text.index("## Elternkontakt") < text.index("## Datenschutz \\& Verträge")
    assert "- **Elternkontakt** (1 Eintrag)" in text


def test_json_is_the_documented_structure(db_path, tmp_path):
    out = tmp_path / "faq.json"
    assert run("export", db_path, "--format", "json", out, "--lang", "en").exit_code == 0
    data = json.loads(out.read_text())
    assert {k: data[k] for k in ("format", "version", "lang", "title", "faq_url")} == {
        "format": "miner-faq", "version": 1, "lang": "en", "title": "FAQ: messengers at schools", "faq_url": None}
    assert [s["title"] for s in data["sections"]] == ["Questions and answers"]
    entry = {e["id"]: e for e in data["sections"][0]["entries"]}[3]
    assert set(entry) == {"id", "title", "url", "questions", "sources", "answer"}
    assert entry["answer"]["markdown"] == ANSWER_3  # the published revision, not the newer draft
    assert entry["answer"]["published_at"] == "2026-09-25T14:04:21.607Z" and entry["answer"]["date"] == "2026-09-25"
    assert "<li>Zweck der Verarbeitung</li>" in entry["answer"]["html"]
    assert entry["sources"] == [{"title": "Datenschutzerklärung für Threema", "url": "https://forum.example.org/t/t3/3",
                                 "questions": 1}]
    hostile = {e["id"]: e for e in data["sections"][0]["entries"]}[2]["answer"]
    assert "<script" not in hostile["html"] and "<script" not in hostile["markdown"] and "javascript:" not in hostile["markdown"]
    assert "ENTWURF" not in out.read_text()


def test_entry_links_follow_the_stored_faq_address(db_path, tmp_path):
    assert run("settings", db_path, "faq_base_url", "https://schule.example.org/faq").exit_code == 0
    out = tmp_path / "faq.json"
    assert run("export", db_path, "--format", "json", out).exit_code == 0
    data = json.loads(out.read_text())
    assert data["faq_url"] == "https://schule.example.org/faq"
    assert {e["url"] for s in data["sections"] for e in s["entries"]} == {
        "https://schule.example.org/faq/2", "https://schule.example.org/faq/3"}
    # a forum that cannot be opened: sources point to the stored thread view of the served site
    assert run("settings", db_path, "source_links", "stored").exit_code == 0
    assert run("export", db_path, "--format", "json", out).exit_code == 0
    sources = [src["url"] for s in json.loads(out.read_text())["sections"] for e in s["entries"] for src in e["sources"]]
    assert "https://schule.example.org/-/thread/forum.example.org:3" in sources


def test_html_site_is_self_contained_german_and_safe(db_path, tmp_path):
    out = tmp_path / "site"
    result = run("export", db_path, "--format", "html", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["faq-2.html", "faq-3.html", "index.html"]
    again = json.loads(run("export", db_path, "--format", "html", out, "--json").output)  # a second export replaces the files
    assert again == {"format": "html", "lang": "de", "files": [str(out / n) for n in ("index.html", "faq-2.html", "faq-3.html")]}
    assert sorted(p.name for p in out.iterdir()) == ["faq-2.html", "faq-3.html", "index.html"]  # no temporary files left
    index = (out / "index.html").read_text()
    assert '<html lang="de">' in index and "<h2>Inhalt</h2>" in index
    assert '<a href="faq-3.html">Eintrag öffnen</a>' in index and "Antwort vom 25.09.2026" in index
    assert not re.search(r"<script|<link|src=\"http|onerror=\"", index)  # nothing runs, nothing is loaded
    entry = (out / "faq-3.html").read_text()
    assert "So wurde gefragt" not in entry  # its only question is its title
    other = (out / "faq-2.html").read_text()
    assert "<h2>So wurde gefragt</h2>" in other
    assert "<li>Kann ich Signal für Elternkontakt nutzen? &lt;svg onload=" in other and "<svg" not in other
    assert '<a href="https://forum.example.org/t/t3/3" rel="nofollow noopener noreferrer">' in entry
    assert '<a href="index.html#faq-3">' in entry
    english = tmp_path / "site-en"
    assert run("export", db_path, "--format", "html", english, "--lang", "en").exit_code == 0
    assert '<html lang="en">' in (english / "index.html").read_text() and "Answer of 2026-09-25" in (english / "faq-3.html").read_text()
    conn = sqlite3.connect(db_path)
    with conn:  # entry 3 is retired: its page must not stay online; other files in the folder stay
        conn.execute("update faqs set status = 'retired' where id = 3")
    conn.close()
    (out / "logo.png").write_bytes(b"png")
    assert run("export", db_path, "--format", "html", out).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["faq-2.html", "index.html", "logo.png"]
    assert "Braucht Threema" not in (out / "index.html").read_text()


def test_clear_errors_and_nothing_half_written(tmp_path, db_path):
    unanswered = build_db(tmp_path / "empty.db")
    conn = sqlite3.connect(unanswered)
    with conn:
        conn.execute("update answers set status = 'draft'")
    conn.close()
    result = run("export", unanswered, "--format", "md", tmp_path / "x.md")
    assert result.exit_code == 2 and "Noch keine veröffentlichten Antworten (3 aktive Einträge)" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "x.md").exists()
    result = run("export", db_path, "--format", "md", tmp_path / "missing" / "x.md")
    assert result.exit_code == 2 and "der Ordner" in result.output and "existiert nicht" in result.output
    (tmp_path / "file").write_text("x")
    result = run("export", db_path, "--format", "html", tmp_path / "file", "--lang", "en")
    assert result.exit_code == 2 and "it is a file; for --format html OUT is a folder" in result.output
    assert run("export", db_path, "--format", "json", tmp_path, "--discourse-wiki").exit_code == 2
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        result = run("export", db_path, "--format", "md", locked / "x.md")
        assert result.exit_code == 2 and "keine Schreibrechte" in result.output
    result = run("export", tmp_path / "nope.db", "--format", "md", tmp_path / "x.md")
    assert result.exit_code == 2 and "gibt es nicht" in result.output


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists() and not shutil.which("chromium"),
                    reason="Debian chromium is not installed (CI installs it)")
def test_exported_site_in_a_browser(db_path, tmp_path):
    playwright_api = pytest.importorskip("playwright.sync_api")
    from test_browser import CHROMIUM, CHROMIUM_ARGS

    add_sections(db_path)
    out = tmp_path / "site"
    assert run("export", db_path, "--format", "html", out).exit_code == 0
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")),
                                    args=CHROMIUM_ARGS)
        page = browser.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto((out / "index.html").as_uri())
        assert page.evaluate("document.documentElement.lang") == "de"
        assert page.locator("nav > ul > li > a").all_inner_texts() == ["Elternkontakt", "Datenschutz & Verträge"]
        assert page.evaluate("window.__pwned") is None and page.title() == "FAQ: Messenger an Schulen"
        page.click("text=Eintrag öffnen >> nth=1")
        assert page.url.endswith("/faq-3.html")
        assert page.locator("h1").inner_text() == "Braucht Threema eine Datenschutzerklärung?"
        assert page.locator(".answer li").all_inner_texts() == ["Zweck der Verarbeitung", "Speicherdauer"]
        assert all(url.startswith("file://") for url in requests)  # self-contained: nothing fetched from elsewhere
        browser.close()


def test_safe_markdown_keeps_markdown_and_drops_what_could_run():
    assert formats.safe_markdown("Siehe <https://example.org/a> oder <mailto:a@b.de>.") == \
        "Siehe <https://example.org/a> oder <mailto:a@b.de>."
    assert formats.safe_markdown("[x](javascript:alert(1)) und <javascript:alert(1)>") == "x und javascript:alert(1)"
    assert formats.safe_markdown('[ok](https://e.org/a_(b) "Titel") ![Bild](https://e.org/i.png)') == \
        "[ok](https://e.org/a_(b)) [Bild](https://e.org/i.png)"
    assert formats.safe_markdown('<b>fett</b> <img src=x onerror=y> 1 < 2 <script>boom()</script>\n\n- Punkt') == \
        "fett  1 < 2 \n\n- Punkt"
    assert formats.safe_markdown("[relativ](/faq/2) [daten](data:text/html;base64,eA==)") == "relativ daten"
