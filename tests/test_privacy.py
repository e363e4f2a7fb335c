"""Privacy promises, checked on the data: no raw identities in the database, `miner forget`
leaves no byte of the person's words in the file, secrets stay out of the DB, logs and output."""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import privacy_forum as forum_data
from miner import accounts, demo, extract, publish, scrape, store
from miner.cli import cli
from miner.faqs import update_faqs
from miner.errors import InsecureSecret
from miner.keys import KEY_ENV, erasure_key, pseudonym_key, pseudonymize

ANNA = forum_data.PEOPLE["anna"]["username"]
FORUM = forum_data.FORUM


def file_bytes(path: Path) -> bytes:
    """The database file plus its WAL (if any): everything on disk that holds rows."""
    data = path.read_bytes()
    wal = Path(str(path) + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def readable(value) -> str:
    """A cell as a visitor could read it: text as text; a blob as text only if it is text (the
    float32 vectors in ``embeddings`` are not, and their repr holds byte runs like 'tIm' by chance)."""
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return ""
    return str(value)


def all_cells(db_path: Path) -> list[tuple[str, str]]:
    """(table, cell text) for every cell of every table and view, as a `?sql=` visitor could read."""
    conn = sqlite3.connect(db_path)
    names = [r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")]
    cells = []
    for name in names:
        if name.endswith("_fts_data"):
            # FTS5 segments store each term after the prefix it shares with the previous one ("gute"
            # after "g..." as "ute"): read as text they hold word fragments nobody wrote. The terms
            # themselves, which a visitor can list with fts5vocab, are what to check.
            table = name[: -len("_data")]
            conn.execute(f"create virtual table temp.[{table}_terms] using fts5vocab(main, [{table}], row)")
            cells += [(name, term) for (term,) in conn.execute(f"select term from temp.[{table}_terms]")]
            continue
        for row in conn.execute(f"select * from [{name}]"):
            cells += [(name, readable(value)) for value in row if value is not None]
    conn.close()
    return cells


def hits(db_path: Path, needles: list[str]) -> list[str]:
    """Every identifier found in a cell or in the raw file bytes (case-insensitive)."""
    found = [f"{table}: {needle}" for table, cell in all_cells(db_path) for needle in needles
             if needle.lower() in cell.lower()]
    raw = file_bytes(db_path).lower()
    found += [f"raw bytes: {needle}" for needle in needles if needle.lower().encode() in raw]
    return found


@pytest.fixture
def key():
    return pseudonym_key()


@pytest.fixture
def forum_db(tmp_path, key):
    """The synthetic forum stored as scrape + mine would store it (no scraper needed)."""
    path = tmp_path / "forum.db"
    db = store.open_db(path)
    forum_data.insert_pseudonymized(db, key)
    db.conn.close()
    return path


def forget(path: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(cli, ["forget", str(path), *args], input=input)


# ---------------------------------------------------------------- miner forget on stored rows


def test_forget_leaves_no_byte_of_the_person_in_the_file(forum_db, key, caplog):
    caplog.set_level(logging.DEBUG)
    anna = pseudonymize(ANNA, key)
    marker = forum_data.MARKER.lower().encode()
    assert marker in file_bytes(forum_db).lower()  # the check below can fail

    result = forget(forum_db, ANNA, "--yes")

    assert result.exit_code == 0, result.output
    assert ANNA.lower() not in (result.output + caplog.text).lower()
    assert "4 Beiträge" in result.output and "6 Fragen" in result.output
    raw = file_bytes(forum_db).lower()
    assert raw.count(marker) == 0
    for words in ["nutze das", "in der schublade", "ist threema work auch", "mit signal kombinieren",
                  anna.encode().decode()]:
        if words != anna:
            assert words.encode() not in raw, words
    assert not [c for t, c in all_cells(forum_db) if anna in c]  # erasures too: it keeps a keyed hash only


def test_forget_blanks_only_where_the_thread_would_break(forum_db, key):
    anna = pseudonymize(ANNA, key)
    assert forget(forum_db, ANNA, "--yes").exit_code == 0
    db = store.open_db(forum_db)
    posts = {r["id"]: r for r in db.query("select * from posts")}
    # first post of 101 and 102:2 (carla replied to it) stay as placeholders; 101:3 and thread 103 go
    assert posts[f"{FORUM}:1011"] == {**posts[f"{FORUM}:1011"], "author": None, "text": "[gelöscht]",
                                      "html": "", "quoted": "", "masked": 0}
    assert posts[f"{FORUM}:1022"]["text"] == "[gelöscht]"
    assert f"{FORUM}:1013" not in posts and f"{FORUM}:1031" not in posts
    assert len(posts) == 7
    assert [r["id"] for r in db.query("select id from threads order by id")] == [f"{FORUM}:101", f"{FORUM}:102"]
    t101 = db["threads"].get(f"{FORUM}:101")
    assert (t101["title"], t101["starter"], t101["slug"], t101["url"]) == (
        "[gelöscht]", None, None, f"https://{FORUM}/t/101")
    assert db["threads"].get(f"{FORUM}:102")["title"] == "Welcher Messenger ist datenschutzkonform?"
    # bernd's quote of anna and his mention of her are gone, his own words stay
    bernd = posts[f"{FORUM}:1012"]
    assert bernd["quoted"] == ""
    assert "<aside" not in bernd["html"] and "Welche Alternative nutzt eure Schule?" in bernd["html"]
    assert bernd["text"].startswith("Nein, WhatsApp ist") and "@[gelöscht]" in bernd["text"]
    assert anna not in bernd["html"] and "@[gelöscht]" in bernd["html"]
    # links to the removed thread go, links to the kept one stay
    assert [r["thread"] for r in db.query("select thread from thread_links")] == [f"{FORUM}:101"]
    # full-text search finds nothing of her
    assert list(db.query("select * from posts_fts where posts_fts match ?", [forum_data.MARKER])) == []
    assert list(db.query("select * from questions_fts where questions_fts match 'kombinieren'")) == []


def test_forget_removes_questions_and_recounts_faqs(forum_db):
    assert forget(forum_db, ANNA, "--yes").exit_code == 0
    db = store.open_db(forum_db)
    assert sorted(r["text"] for r in db.query("select text from questions")) == [
        "Welche Alternative nutzt eure Schule?",
        "Welcher Messenger ist an Schulen datenschutzkonform?",
        "Welcher Messenger ist datenschutzkonform?",
    ]
    faq1, faq2 = db["faqs"].get(1), db["faqs"].get(2)
    assert (faq1["size"], faq1["threads"], faq1["first_asked"], faq1["last_asked"]) == (
        1, 1, "2024-03-12T09:00:00.000Z", "2024-03-12T09:00:00.000Z")
    assert faq1["title"] == "Welche Alternative nutzt eure Schule?"  # her question was the title
    assert faq1["medoid_question"] == f"{FORUM}:1012:1"
    assert faq1["keywords"] == "whatsapp, eltern"  # others still use these words; only hers went
    assert (faq2["size"], faq2["threads"], faq2["last_asked"]) == (2, 1, "2024-04-11T09:00:00.000Z")
    assert faq2["title"] == "Welcher Messenger ist datenschutzkonform?"
    months = {(r["faq_id"], r["month"]): r["questions"] for r in db.query("select * from faq_months")}
    assert months == {(1, "2024-03"): 1, (2, "2024-04"): 2}
    assert db.execute("select count(*) from faq_history where event = 'erasure'").fetchone()[0] == 2


def test_forget_records_the_erasure_without_the_name(forum_db, key):
    result = forget(forum_db, ANNA.upper(), "--yes")  # usernames are case-insensitive
    assert result.exit_code == 0, result.output
    db = store.open_db(forum_db)
    rows = list(db.query("select * from erasures"))
    assert len(rows) == 1
    row = rows[0]
    assert (row["person"], row["forum"], row["posts"], row["questions"], row["threads"], row["allow_return"]) == (
        erasure_key(pseudonymize(ANNA, key), key), None, 4, 6, 1, 0)
    assert row["quotes"] == 1 and row["mentions"] == 1
    assert ANNA.lower() not in str(row).lower() and pseudonymize(ANNA, key) not in str(row)  # cannot be joined
    assert pseudonymize(ANNA, key) in store.erased_people(db, key)
    assert pseudonymize(ANNA, key) in store.erased_people(db, key, forum="other.example")
    assert pseudonymize("someone else", key) not in store.erased_people(db, key)


def test_forget_allow_return_and_forum_scope(forum_db, key):
    result = forget(forum_db, ANNA, "--forum", f"https://{FORUM}/", "--allow-return", "--yes")
    assert result.exit_code == 0, result.output
    db = store.open_db(forum_db)
    assert db["erasures"].get(1)["forum"] == FORUM
    assert not store.erased_people(db, key)
    db.conn.close()
    wrong = forget(forum_db, "qz_schmidt_b", "--forum", "https://elsewhere.example", "--yes")
    assert wrong.exit_code == 2 and "kein Forum elsewhere.example" in wrong.output


def test_forget_unknown_person_changes_nothing(forum_db):
    before = sqlite3.connect(forum_db).execute("select count(*), sum(length(text)) from posts").fetchone()
    result = forget(forum_db, "nobody_here_xyz", "--yes")
    assert result.exit_code == 1
    assert "Niemand dieses Namens" in result.output and "nobody_here_xyz" not in result.output
    assert sqlite3.connect(forum_db).execute("select count(*), sum(length(text)) from posts").fetchone() == before
    assert forget(forum_db, ANNA, "--yes").exit_code == 0
    again = forget(forum_db, ANNA, "--yes")
    assert again.exit_code == 1 and "schon entfernt" in again.output


def test_forget_asks_first_and_stops_on_no(forum_db):
    result = forget(forum_db, ANNA, input="n\n")
    assert result.exit_code == 1 and "Das alles endgültig löschen?" in result.output
    assert ANNA.lower() not in result.output.lower().replace(ANNA.lower() + "\n", "")
    assert forum_data.MARKER.encode() in file_bytes(forum_db)
    assert sqlite3.connect(forum_db).execute("select count(*) from erasures").fetchone()[0] == 0


def test_forget_missing_database(tmp_path):
    result = forget(tmp_path / "missing.db", ANNA, "--yes")
    assert result.exit_code == 2 and "Keine Datenbank" in result.output
    assert not (tmp_path / "missing.db").exists()


# ---------------------------------------------------------------- end to end through the scraper


@pytest.fixture
def scraped(tmp_path, httpserver, key):
    """Scrape the synthetic forum with the real scraper."""
    httpserver.expect_request(re.compile(".*")).respond_with_handler(forum_data.handler)
    path = tmp_path / "scraped.db"
    db = store.open_db(path)
    summary = scrape.scrape_forum(db, httpserver.url_for("/").rstrip("/"), delay=0, progress=False)
    db.conn.close()
    return path, httpserver.url_for("/").rstrip("/"), summary


def test_scraped_forum_holds_no_raw_identities(scraped):
    path, _, _ = scraped
    assert sqlite3.connect(path).execute("select count(*) from posts").fetchone()[0] == len(forum_data.POSTS)
    assert hits(path, forum_data.IDENTIFIERS) == []
    db = store.open_db(path)
    extract.extract_questions_into(db)
    db.conn.close()
    assert hits(path, forum_data.IDENTIFIERS) == []


def test_forget_after_scrape_and_a_rescrape_does_not_bring_her_back(scraped, key):
    path, url, _ = scraped
    result = forget(path, ANNA, "--yes")
    assert result.exit_code == 0, result.output
    assert forum_data.MARKER.lower().encode() not in file_bytes(path).lower()
    db = store.open_db(path)
    scrape.scrape_forum(db, url, delay=0, full=True, progress=False)
    anna = pseudonymize(ANNA, key)
    assert db.execute("select count(*) from posts where author = ?", [anna]).fetchone()[0] == 0
    db.conn.close()
    assert forum_data.MARKER.lower().encode() not in file_bytes(path).lower()


# ---------------------------------------------------------------- secrets


def test_key_file_is_created_private_and_refused_when_readable(miner_home):
    key = pseudonym_key()
    path = miner_home / "pseudonym.key"
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    assert key == path.read_text().strip().encode()
    os.chmod(path, 0o644)
    with pytest.raises(InsecureSecret, match="für andere Benutzer lesbar oder schreibbar") as error:
        pseudonym_key()
    assert "chmod 600" in error.value.hint
    os.chmod(path, 0o600)
    assert pseudonym_key() == key


def test_readable_key_file_stops_forget_with_a_clear_message(forum_db, miner_home):
    os.chmod(miner_home / "pseudonym.key", 0o640)
    result = forget(forum_db, ANNA, "--yes")
    assert result.exit_code == 2 and "chmod 600" in result.output and "Traceback" not in result.output
    assert forum_data.MARKER.encode() in file_bytes(forum_db)


API_KEY_VARS = ["DISCOURSE_API_KEY", "MINER_DISCOURSE_API_KEY", "MINER_API_KEY"]


def test_secrets_stay_out_of_db_logs_and_output(tmp_path, monkeypatch, caplog, httpserver):
    """Key and API key set in the environment during a run: not in the DB file, logs or output."""
    secret_key = "pseudokey-" + secrets.token_hex(12)  # made up per run: no literal secret in the repo
    api_key = "apikey-" + secrets.token_hex(12)
    monkeypatch.setenv(KEY_ENV, secret_key)
    for name in API_KEY_VARS:
        monkeypatch.setenv(name, api_key)
    monkeypatch.setenv("DISCOURSE_API_USERNAME", "system")
    caplog.set_level(logging.DEBUG)
    path = tmp_path / "secret.db"
    outputs = []
    httpserver.expect_request(re.compile(".*")).respond_with_handler(forum_data.handler)
    db = store.open_db(path)
    outputs.append(str(scrape.scrape_forum(db, httpserver.url_for("/").rstrip("/"), delay=0, progress=False)))
    db.conn.close()
    runner = CliRunner()
    outputs.append(runner.invoke(cli, ["-vv", "mine", str(path)]).output)
    result = runner.invoke(cli, ["-vv", "forget", str(path), ANNA, "--yes"])
    assert result.exit_code == 0, result.output
    outputs.append(result.output)
    raw = file_bytes(path)
    for secret in (secret_key, api_key):
        assert secret.encode() not in raw
        assert secret not in caplog.text
        assert not [o for o in outputs if secret in o]
    # the key was really used: the stored pseudonyms are the ones this key gives
    assert pseudonymize(ANNA, secret_key.encode()) in store.erased_people(store.open_db(path), secret_key.encode())


def test_forget_warns_about_traces_in_tables_it_does_not_know(forum_db, key):
    anna = pseudonymize(ANNA, key)
    sentence = "Ich bin Lehrerin und nutze das Zebrafinkenprotokoll für die Elternkommunikation."
    conn = sqlite3.connect(forum_db)
    conn.execute("create table raw_cache (id integer primary key, body text)")
    conn.execute("insert into raw_cache (body) values (?), (?), ('nichts')", [f'{{"author": "{anna}"}}', sentence])
    conn.commit()
    conn.close()
    result = forget(forum_db, ANNA, "--yes")
    assert result.exit_code == 0
    assert "stehen noch in raw_cache.body (2 Zeilen)" in result.output


def test_forget_reads_the_name_from_stdin(forum_db, key):
    result = forget(forum_db, "-", "--yes", input=ANNA + "\n")
    assert result.exit_code == 0, result.output
    assert ANNA.lower() not in result.output.lower()
    assert pseudonymize(ANNA, key) in store.erased_people(store.open_db(forum_db), key)


def served_pages(db_path: Path, extra: tuple[str, ...] = ()) -> dict[str, str]:
    """Every table and view as an anonymous Datasette visitor gets it: HTML, JSON and `?sql=`."""
    import asyncio

    ds = publish.make_datasette(db_path)
    name = db_path.stem
    conn = sqlite3.connect(db_path)
    tables = [r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")]
    conn.close()
    paths = ["/", f"/{name}", "/faq", *extra]
    for table in tables:
        paths += [f"/{name}/{table}", f"/{name}/{table}.json?_shape=array&_size=max",
                  f"/{name}.json?sql=select+*+from+[{table}]&_shape=array"]

    async def fetch_all() -> dict[str, str]:
        pages = {}
        for path in paths:
            response = await ds.client.get(path)
            pages[path] = f"{response.status_code} {response.text}"
        return pages

    return asyncio.run(fetch_all())


def test_anonymous_datasette_visitor_sees_no_identities_and_nothing_after_forget(scraped):
    """The issue's target: zero raw usernames, e-mails, phones via pages, JSON and ?sql=."""
    path, _, _ = scraped
    db = store.open_db(path)
    extract.extract_questions_into(db)
    update_faqs(db, min_size=1)
    db.conn.close()
    pages = served_pages(path)
    assert sum(text.startswith("200") for text in pages.values()) >= len(pages) - 3
    assert any(forum_data.MARKER in text for text in pages.values())  # the scan can see post text
    leaks = [f"{p}: {needle}" for p, text in pages.items() for needle in forum_data.IDENTIFIERS
             if needle.lower() in text.lower()]
    assert leaks == []
    assert forget(path, ANNA, "--yes").exit_code == 0
    pages = served_pages(path)
    assert [p for p, text in pages.items() if forum_data.MARKER.lower() in text.lower()] == []


def test_datasette_secret_and_password_hashes_are_never_served(forum_db, monkeypatch, caplog):
    """Cookie secret and account hashes set in the environment: not in any page, the DB or logs."""
    secret = "dssecret-" + secrets.token_hex(12)
    password_hash = accounts.hash_password("correct horse battery", iterations=1000)
    monkeypatch.setenv("DATASETTE_SECRET", secret)
    monkeypatch.setenv("MINER_ACCOUNTS", f"redakteurin editor {password_hash}")
    caplog.set_level(logging.DEBUG)
    pages = served_pages(forum_db, ("/-/metadata.json", "/-/settings.json", "/-/plugins.json", "/-/config.json",
                                    "/-/actor.json", "/-/databases.json", "/-/login"))
    hash_tail = password_hash.split("$")[-1]
    for value in (secret, hash_tail):
        assert [p for p, text in pages.items() if value in text] == []
        assert value.encode() not in file_bytes(forum_db)
        assert value not in caplog.text


# ---------------------------------------------------------------- real names in the bundled forum

# Persona name words that are also ordinary words: replaced only where they name someone
# (after Herr/Frau, in greetings and signatures, as part of the full name), so "weiß", "im Keller",
# "im Sommer", "lang", "/dev/null" and "eine kleine Grundschule" stay and are not counted here.
ORDINARY_WORDS = {"weiß", "keller", "sommer", "lang", "dev", "grundschule", "winter", "graf", "engel", "busch",
                  "richter", "sauer", "max", "mark", "kaiser", "otto"}


@pytest.mark.slow
def test_no_persona_name_of_the_bundled_forum_is_served_after_demo(mined_demo):
    """Display names, first and last names of the bundled forum's people: none in any served table."""
    import json

    from miner.demo import bundled_snapshot

    labels = json.loads((bundled_snapshot().parent / "labels.json").read_text(encoding="utf-8"))
    full = labels["privacy"]["names"]
    words = {w for n in full for w in n.split() if len(w) >= 3} - {w.title() for w in ORDINARY_WORDS}
    raw = " ".join(p.read_text(encoding="utf-8") for p in (bundled_snapshot() / "topics").glob("*.json"))
    cooked = " ".join(re.findall(r'"cooked":"((?:[^"\\]|\\.)*)"', raw))
    assert sum(bool(re.search(rf"\b{re.escape(w)}\b", cooked)) for w in words) >= 40  # the scan can fail

    path = mined_demo
    names = "|".join(re.escape(w) for w in sorted([*full, *words], key=len, reverse=True))
    # the ordinary-word names may stay as words, never capitalised after a title or as a full name
    titled = "|".join(w.title() for w in ORDINARY_WORDS)
    needle = re.compile(rf"(?i:(?<!\w)(?:{names})(?!\w))|\b(?:Herrn?|Frau)\s+(?:{titled})\b")
    leaks = [f"{table}: {m.group(0)}" for table, cell in all_cells(path) for m in needle.finditer(cell)]
    assert leaks == []
    masked = sqlite3.connect(path).execute("select sum(masked) from posts").fetchone()[0]
    assert masked > 1000  # about 1,290 names, e-mails and phones


def snapshot_topics() -> dict[int, dict]:
    return {t["id"]: t for t in (json.loads(p.read_text(encoding="utf-8"))
                                 for p in (demo.bundled_snapshot() / "topics").glob("*.json"))}


def assert_no_persona_and_forget_leaves_no_byte(path, tmp_path) -> None:
    """A demo forum read through any engine: no persona name in any cell or byte, and `forget` on a
    copy removes the most active author's rows and words from the file."""
    labels = json.loads((demo.bundled_snapshot().parent / "labels.json").read_text(encoding="utf-8"))
    full = labels["privacy"]["names"]
    words = {w for n in full for w in n.split() if len(w) >= 3} - {w.title() for w in ORDINARY_WORDS}
    names = "|".join(re.escape(w) for w in sorted([*full, *words], key=len, reverse=True))
    titled = "|".join(w.title() for w in ORDINARY_WORDS)
    needle = re.compile(rf"(?i:(?<!\w)(?:{names})(?!\w))|\b(?:Herrn?|Frau)\s+(?:{titled})\b")
    assert [f"{table}: {m.group(0)}" for table, cell in all_cells(path) for m in needle.finditer(cell)] == []
    usernames = {p["username"] for t in snapshot_topics().values() for p in t["post_stream"]["posts"]}
    assert not [u for u in usernames if len(u) >= 5 and u.lower().encode() in file_bytes(path).lower()]

    copy = tmp_path / "copy.db"
    sqlite3.connect(path).backup(target := sqlite3.connect(copy))
    target.close()
    db = store.open_db(copy)
    author = db.execute("select author from posts group by author order by count(*) desc limit 1").fetchone()[0]
    username = next(u for u in usernames if pseudonymize(u, pseudonym_key()) == author)
    own = db.execute("select text from posts where author = ? and length(text) > 60 limit 1", [author]).fetchone()[0]
    db.conn.close()
    result = CliRunner().invoke(cli, ["forget", str(copy), username, "--yes"])
    assert result.exit_code == 0, result.output
    db = store.open_db(copy)
    assert db.execute("select count(*) from posts where author = ?", [author]).fetchone() == (0,)
    assert own[:60].encode() not in file_bytes(copy)
