"""Datasette in-process: pages answer, anonymous users cannot write, editors and moderators can."""

from __future__ import annotations

import asyncio
import time
import re
import html
import sqlite3
from http.cookies import SimpleCookie

import pytest
from click.testing import CliRunner

from miner import publish
from miner.accounts import hash_password
from miner.cli import cli
from miner.errors import DatabaseError
from miner.plugins import signin, workbench
from publish_db import FORUM, RAW_USERNAMES, build_db

READ_QUERIES = {
    "search_posts": "q=DSGVO-konform",
    "search_questions": "q=DSGVO-konform",
    "search_faqs": "q=Datenschutzerklärung",
    "most_asked": "",
    "unanswered_by_demand": "",
    "answer_may_need_update": "",
    "entry_questions": "faq_id=1",
    "entry_threads": "faq_id=1",
    "questions_per_month": "faq_id=1",
}
WRITE_QUERIES = {  # removed in favour of the routes: they must stay gone
    "save_answer": {"faq_id": "1", "body": "anonymous answer", "status": "published"},
    "link_thread": {"thread_url": f"https://{FORUM}/t/t1/1", "faq_id": "1"},
}
WRITE_ROUTES = {
    "/-/answer/1": {"body": "anonymous answer", "status": "published"},
    "/-/correct": {"action": "rename", "faq_id": "1", "title": "hijacked"},
    "/-/link": {"thread_url": f"https://{FORUM}/t/t1/1", "faq_id": "1"},
}
FAST_HASH = {"iterations": 1000}


def run(coro):
    return asyncio.run(coro)


@pytest.fixture
def db_path(tmp_path):
    return build_db(tmp_path / "forum.db")


@pytest.fixture
def accounts(monkeypatch):
    monkeypatch.setenv(
        "MINER_ACCOUNTS",
        f"erika editor {hash_password('erika-pw', **FAST_HASH)};"
        f"moritz moderator {hash_password('moritz-pw', **FAST_HASH)}",
    )


@pytest.fixture
def ds(db_path, accounts):
    return publish.make_datasette(db_path)


def snapshot(db_path) -> dict:
    conn = sqlite3.connect(db_path)
    try:
        return {
            table: conn.execute(f"select * from {table} order by 1").fetchall()
            for table in ("answers", "corrections", "thread_links", "faqs", "questions", "faq_months")
        }
    finally:
        conn.close()


def cookie_header(**cookies) -> dict:
    return {"cookie": "; ".join(f"{k}={v}" for k, v in cookies.items() if v)}


async def csrf(ds) -> str:
    response = await ds.client.get("/-/login")
    cookie = SimpleCookie(response.headers["set-cookie"])
    return cookie["ds_csrftoken"].value


def actor_cookie(ds, name: str, roles: list[str]) -> str:
    """A session as the login sets it (the roles come from the account, not the cookie)."""
    account = workbench._config(ds)["book"].current()[name]
    assert list(account.roles) == roles
    return signin.session_cookie(ds, account)


async def post(ds, path, data, *, actor=None, with_token=True):
    token = await csrf(ds)
    headers = cookie_header(ds_csrftoken=token, ds_actor=actor)
    if with_token:
        data = {**data, "csrftoken": token}
    return await ds.client.post(path, data=data, headers=headers)


def test_every_page_and_read_query_answers(ds, db_path):
    name = publish.database_name(db_path)
    tables = sorted(publish.yaml.safe_load(publish.METADATA_FILE.read_text())["databases"]["miner"]["tables"])
    paths = ["/", "/faq", "/faq?q=DSGVO-konform", "/faq?page=2", f"/{name}", "/-/login", "/-/metadata.json"]
    paths += [f"/{name}/{table}" for table in tables] + [f"/{name}/{table}.json" for table in tables]
    paths += [f"/{name}/{query}?{params}" for query, params in READ_QUERIES.items()]
    paths += [f"/{name}/posts/{FORUM}~3A11", f"/{name}/faqs/1"]

    async def fetch():
        return {path: (await ds.client.get(path)).status_code for path in paths}

    statuses = run(fetch())
    assert {p: s for p, s in statuses.items() if s != 200} == {}


def test_read_queries_return_rows(ds, db_path):
    name = publish.database_name(db_path)

    async def fetch(query, params):
        return (await ds.client.get(f"/{name}/{query}.json?_shape=array&{params}")).json()

    assert [r["id"] for r in run(fetch("most_asked", ""))] == [1, 2, 3]
    assert [r["id"] for r in run(fetch("unanswered_by_demand", ""))] == [1, 3]  # 2 has a published answer
    stale = run(fetch("answer_may_need_update", ""))
    assert [(r["id"], r["questions_since"]) for r in stale] == [(2, 1)]  # one question after 2024-03-10
    months = run(fetch("questions_per_month", "faq_id=1"))
    assert months == [{"month": "2023-03", "questions": 1}, {"month": "2024-03", "questions": 2}]
    assert len(run(fetch("entry_questions", "faq_id=1"))) == 3


@pytest.mark.parametrize(
    "query, expected",
    [
        ("DSGVO-konform", 3),  # hyphen: a phrase, not the FTS5 NOT operator
        ("dsgvo konform", 3),
        ("Datenschutzerklärung", 3),
        ("Datenschutzerklarung", 3),  # remove_diacritics 2
        ('"Klasse 1', 1),  # stray quote
        ("NOT OR * ( -", 0),  # FTS syntax is taken literally / dropped, no error
        ("", 0),
    ],
)
def test_ranked_search_takes_plain_words(ds, db_path, query, expected):
    name = publish.database_name(db_path)

    async def fetch():
        return await ds.client.get(f"/{name}/search_posts.json", params={"q": query, "_shape": "array"})

    response = run(fetch())
    assert response.status_code == 200, response.text
    rows = response.json()
    assert len(rows) == expected
    assert rows == sorted(rows, key=lambda r: r["score"])  # bm25: best (lowest) first


def test_fts_query_quotes_every_word():
    assert workbench.fts_query('DSGVO-konform "AND" NOT *') == '"DSGVO-konform" "AND" "NOT"'
    assert workbench.fts_query("  ") == '""'


def test_anonymous_cannot_write_anything(ds, db_path):
    name = publish.database_name(db_path)
    before = snapshot(db_path)

    async def attempts():
        statuses = {}
        for query, data in WRITE_QUERIES.items():
            statuses[f"GET {query}"] = (await ds.client.get(f"/{name}/{query}")).status_code
            statuses[query] = (await post(ds, f"/{name}/{query}", data)).status_code
            statuses[f"{query} no cookies"] = (await ds.client.post(f"/{name}/{query}", data=data)).status_code
        for path, data in WRITE_ROUTES.items():
            statuses[path] = (await post(ds, path, data)).status_code
            statuses[f"{path} no cookies"] = (await ds.client.post(path, data=data)).status_code
            statuses[f"{path} no token"] = (await post(ds, path, data, with_token=False)).status_code
        for action in ("merge", "move", "not_faq"):
            data = {"action": action, "faq_id": "1", "into": "2", "question": "q1"}
            statuses[action] = (await post(ds, "/-/correct", data)).status_code
        statuses["GET lookup"] = (await ds.client.get("/-/lookup")).status_code
        return statuses

    statuses = run(attempts())
    gone = {k for k in statuses if k.split()[-1] in WRITE_QUERIES or k.split()[0] in WRITE_QUERIES}
    assert {k: s for k, s in statuses.items() if k not in gone and s != 403} == {}
    assert {k: s for k, s in statuses.items() if k in gone and s not in (403, 404, 405)} == {}
    assert snapshot(db_path) == before


def test_login_sets_actor_with_roles(ds):
    async def login(password):
        token = await csrf(ds)
        return await ds.client.post(
            "/-/login",
            data={"username": "erika", "password": password, "csrftoken": token},
            headers=cookie_header(ds_csrftoken=token),
        )

    wrong = run(login("nope"))
    assert wrong.status_code == 400 and "ds_actor" not in wrong.headers.get("set-cookie", "")
    right = run(login("erika-pw"))
    assert right.status_code == 302
    cookie = SimpleCookie(right.headers["set-cookie"])["ds_actor"].value
    session = ds.unsign(cookie, "actor")
    assert session["a"] == {"id": "erika", "roles": ["editor"]}
    assert 12 * 3600 - 60 < session["exp"] - time.time() <= 12 * 3600


def test_password_hashes_are_not_published(ds):
    body = run(ds.client.get("/-/metadata.json")).text + run(ds.client.get("/-/plugins.json")).text
    assert "pbkdf2" not in body


def test_editor_saves_answer_and_it_is_current(ds, db_path):
    editor = actor_cookie(ds, "erika", ["editor"])

    async def flow():
        form = await ds.client.get("/-/answer/1", headers=cookie_header(ds_actor=editor))
        assert form.status_code == 200 and "<textarea" in form.text
        first = await post(ds, "/-/answer/1", {"body": "## Kurz\n\n**Nein**, nur mit *AV-Vertrag*.", "status": "published"}, actor=editor)
        assert first.status_code == 302
        public = await ds.client.get("/faq")
        second = await post(ds, "/-/answer/1", {"body": "Entwurf: noch prüfen", "status": "draft"}, actor=editor)
        assert second.status_code == 302
        public_after = await ds.client.get("/faq")
        as_editor = await ds.client.get("/faq", headers=cookie_header(ds_actor=editor))
        no_token = await post(ds, "/-/answer/1", {"body": "x", "status": "draft"}, actor=editor, with_token=False)
        return public.text, public_after.text, as_editor.text, no_token.status_code

    public, public_after, as_editor, no_token_status = run(flow())
    assert "<strong>Nein</strong>, nur mit <em>AV-Vertrag</em>." in public
    assert "<strong>Nein</strong>" in public_after and "Entwurf: noch prüfen" not in public_after  # drafts stay private
    assert "Entwurf: noch prüfen" in as_editor
    assert no_token_status == 403
    rows = sqlite3.connect(db_path).execute("select faq_id, status, editor, created_at from answers where faq_id = 1 order by id").fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [(1, "published", "erika"), (1, "draft", "erika")]
    assert all(r[3].endswith("Z") for r in rows)


def test_the_writable_canned_queries_are_gone(ds, db_path):
    """They bypassed the routes' validation and the writer lock; the routes do the same."""
    name = publish.database_name(db_path)
    editor = actor_cookie(ds, "erika", ["editor"])
    response = run(post(ds, f"/{name}/save_answer", {"faq_id": "3", "body": "Ja.", "status": "published"}, actor=editor))
    assert response.status_code == 405
    linked = run(post(ds, f"/{name}/link_thread", {"thread_url": "kein Link", "faq_id": "999"}, actor=editor))
    assert linked.status_code == 405
    assert sqlite3.connect(db_path).execute("select count(*) from thread_links").fetchone()[0] == 0


def test_moderator_can_link_but_not_edit(ds, db_path, monkeypatch):
    moderator = actor_cookie(ds, "moritz", ["moderator"])
    calls = []

    def fake_rank(path, text, top=3, context=None):
        calls.append(text)
        return [{"faq_id": 2, "title": "Signal für Eltern?", "score": 0.8, "shared_terms": ["signal"]}]

    monkeypatch.setattr(workbench, "rank_entries", fake_rank)
    url = f"https://{FORUM}/t/t2/2"
    before_answers = snapshot(db_path)["answers"]

    async def flow():
        found = await post(ds, "/-/lookup", {"thread_url": url, "text": ""}, actor=moderator)
        pasted = await post(ds, "/-/lookup", {"thread_url": "", "text": "Darf ich Signal nutzen?"}, actor=moderator)
        links = [await post(ds, "/-/link", {"thread_url": url, "faq_id": "2"}, actor=moderator) for _ in range(2)]
        edit = await post(ds, "/-/answer/2", {"body": "x", "status": "published"}, actor=moderator)
        correct = await post(ds, "/-/correct", {"action": "not_faq", "faq_id": "2"}, actor=moderator)
        return found, pasted, links, edit, correct

    found, pasted, links, edit, correct = run(flow())
    # the stored thread's questions from the DB, as `miner suggest` matches them, then the pasted text
    assert found.status_code == 200 and {c.split("?")[0] for c in calls[:3]} == {
        "Ist WhatsApp für Klassenchats DSGVO-konform", "Darf ich Eltern über Signal kontaktieren",
        "Kann ich Signal für Elternkontakt nutzen"}
    assert calls[3:] == ["Darf ich Signal nutzen?"]
    # the same reply `miner suggest` prints (one function, miner.moderation_text.reply_markdown)
    reply = html.unescape(pasted.text.split('<textarea readonly rows="6" style="width: 100%">')[1].split("</textarea>")[0])
    assert reply.startswith("Hallo,\n\nvielen Dank für die Frage! Dazu gibt es bereits einen Eintrag in unserer FAQ:")
    assert "> **Nein**, nicht ohne AV-Vertrag." in reply and "steht hier: http://localhost/faq/2\n" in reply
    assert "<strong>Nein</strong>" in pasted.text  # the published answer, rendered safely
    assert [r.status_code for r in links] == [200, 200] and "schon mit diesem Eintrag verknüpft" in links[1].text
    assert (edit.status_code, correct.status_code) == (403, 403)
    conn = sqlite3.connect(db_path)
    assert conn.execute("select thread, faq_id, linked_by from thread_links").fetchall() == [(f"{FORUM}:2", 2, "moritz")]
    post_url = f"https://{FORUM}/t/2/3?u=x"  # another form of the same thread's URL
    assert run(post(ds, "/-/link", {"thread_url": post_url, "faq_id": "1"}, actor=moderator)).status_code == 200
    assert conn.execute("select thread from thread_links where faq_id = 1").fetchall() == [(f"{FORUM}:2",)]
    assert snapshot(db_path)["answers"] == before_answers


def test_lookup_offers_no_reply_for_a_weak_match(ds, db_path, monkeypatch):
    """A printer question is shown its closest entries for orientation, without a reply to paste."""
    moderator = actor_cookie(ds, "moritz", ["moderator"])
    monkeypatch.setattr(workbench, "rank_entries", lambda path, text, top=3, context=None: [
        {"faq_id": 2, "title": "Signal für Eltern?", "score": 0.3, "shared_terms": [], "fits": False}])
    page = run(post(ds, "/-/lookup", {"thread_url": "", "text": "Der Drucker druckt nicht, was tun?"}, actor=moderator))
    assert page.status_code == 200 and "Kein FAQ-Eintrag passt gut genug" in page.text
    assert "#2 " in page.text and "<textarea readonly" not in page.text and "Passt nicht gut genug" in page.text


def test_corrections_are_recorded_and_applied(ds, db_path):
    editor = actor_cookie(ds, "erika", ["editor"])

    async def flow():
        return [
            (await post(ds, "/-/correct", data, actor=editor)).status_code
            for data in (
                {"action": "rename", "faq_id": "1", "title": "WhatsApp und DSGVO"},
                {"action": "move", "question": "q6", "into": "1"},
                {"action": "not_faq", "faq_id": "2"},  # destructive: refused without the "Ja, wirklich" tick
                {"action": "merge", "faq_id": "3", "into": "1", "confirm": "yes"},
                {"action": "not_faq", "faq_id": "2", "confirm": "yes"},
                {"action": "merge", "faq_id": "1", "into": "1", "confirm": "yes"},
            )
        ]

    assert run(flow()) == [302, 302, 400, 302, 302, 400]
    conn = sqlite3.connect(db_path)
    # Recorded with the FAQ step's meaning (miner.constraints replays them): faq_id is the entry that
    # receives the question / keeps its id, other_faq_id the one it came from / that retires.
    assert conn.execute("select kind, faq_id, other_faq_id, question, editor from corrections order by id").fetchall() == [
        ("rename", 1, None, None, "erika"),
        ("move", 1, 3, "q6", "erika"),
        ("merge", 1, 3, None, "erika"),
        ("not_faq", 2, None, None, "erika"),
    ]
    assert conn.execute("select id, title, title_by_editor, size, status from faqs order by id").fetchall() == [
        (1, "WhatsApp und DSGVO", 1, 4, "active"),
        (2, conn.execute("select title from faqs where id = 2").fetchone()[0], None, 2, "not_faq"),
        (3, "Braucht Threema eine Datenschutzerklärung?", None, 0, "retired"),
    ]
    assert conn.execute("select month, questions from faq_months where faq_id = 1 order by month").fetchall() == [
        ("2023-03", 1), ("2024-03", 3)
    ]
    page = run(ds.client.get("/faq")).text
    assert "WhatsApp und DSGVO" in page and "faq-2" not in page and "faq-3" not in page


def test_no_raw_username_reaches_anonymous_visitors(ds, db_path):
    name = publish.database_name(db_path)
    tables = [r[0] for r in sqlite3.connect(db_path).execute("select name from sqlite_master where type in ('table', 'view')")]
    paths = ["/", "/faq", f"/{name}", f"/{name}.json"]
    paths += [f"/{name}/{t}.json?_shape=array&_size=max" for t in tables] + [f"/{name}/{t}" for t in tables]
    paths += [f"/{name}.json?sql=select+*+from+[{t}]&_shape=array" for t in tables]
    paths += [f"/{name}/{q}?{p}" for q, p in READ_QUERIES.items()]

    async def crawl():
        bodies = []
        for path in paths:
            response = await ds.client.get(path)
            assert response.status_code == 200, path
            bodies.append(response.text)
        download = await ds.client.get(f"/{name}.db")
        return "\n".join(bodies).lower(), download.content.lower()

    text, raw = run(crawl())
    assert "user-" in text  # the pseudonyms are there ...
    for username in RAW_USERNAMES:  # ... the names are not
        assert username.lower() not in text
        assert username.lower().encode() not in raw


def test_served_html_is_sanitized(ds, db_path):
    name = publish.database_name(db_path)

    async def fetch():
        return [(await ds.client.get(p)).text for p in ("/faq", f"/{name}/posts", f"/{name}/answers", f"/{name}/current_answers")]

    pages = run(fetch())
    assert "<strong>Nein</strong>" in pages[0] and "<strong>Nein</strong>" in pages[2]  # rendered, not escaped
    for page in pages:
        lowered = page.lower()
        assert re.findall(r"<script[^>]*>[^<]*__pwned", lowered) == []
        assert re.findall(r"<[a-z]+[^>]*\son[a-z]+\s*=[^>]*__pwned", lowered) == []
        assert re.findall(r"<[a-z]+[^>]*(?:href|src|xlink:href)\s*=\s*[\"']?\s*javascript:", lowered) == []
        assert "<iframe" not in lowered and "<svg onload" not in lowered


def test_preflight_refuses_bad_databases(tmp_path):
    with pytest.raises(DatabaseError, match="gibt es nicht"):
        publish.check_database(tmp_path / "missing.db")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table things (id integer)").connection.commit()
    with pytest.raises(DatabaseError, match="ist keine miner-Datenbank"):
        publish.check_database(other)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseError, match="ist keine SQLite-Datenbank"):
        publish.check_database(junk)
    unmined = build_db(tmp_path / "unmined.db", mined=False)
    with pytest.raises(DatabaseError, match="noch nicht ausgewertet"):
        publish.check_database(unmined)
    result = CliRunner().invoke(cli, ["serve", str(unmined)])
    assert result.exit_code == 2 and "miner mine" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "missing.db").exists()


def test_lookup_fetches_a_new_thread_of_a_known_forum_only(ds, db_path, monkeypatch):
    moderator = actor_cookie(ds, "moritz", ["moderator"])
    fetched = []

    def fake_fetch(path, url):
        fetched.append(url)
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("insert into threads (id, forum, topic_id, title, url) values (?, ?, 9, 'Threema Lizenz?', ?)",
                         [f"{FORUM}:9", FORUM, url])
        conn.close()
        return f"{FORUM}:9"

    monkeypatch.setattr(workbench, "fetch_thread", fake_fetch)
    ranked, contexts = [], []

    def fake_rank(path, text, top=3, context=None):
        ranked.append(text)
        contexts.append(context)
        return [{"faq_id": 3, "title": "Threema Work?", "score": 0.5, "shared_terms": []}]

    monkeypatch.setattr(workbench, "rank_entries", fake_rank)

    async def flow():
        new = await post(ds, "/-/lookup", {"thread_url": f"https://{FORUM}/t/threema-lizenz/9", "text": ""}, actor=moderator)
        foreign = await post(ds, "/-/lookup", {"thread_url": "https://elsewhere.example.com/t/x/1", "text": ""}, actor=moderator)
        return new, foreign

    new, foreign = run(flow())
    assert fetched == [f"https://{FORUM}/t/threema-lizenz/9"]  # the unknown host was not fetched
    assert ranked == ["Threema Lizenz?"]  # the fetched thread's text was matched
    assert contexts == ["Threema Lizenz?"]  # with its thread's context (no reply yet: the title)
    assert "#3 " in new.text
    assert "nicht in der Datenbank" in foreign.text


def test_lookup_uses_the_faq_matcher_contract(ds, monkeypatch):
    """rank_entries calls miner.match.load_matcher(db).rank(text, top=3), caching until the next mining run."""
    import sys
    import types

    loads = []

    class Matcher:
        def __init__(self, db):
            self.db = db

        def rank(self, text, top=3, context=None):
            titles = dict(self.db.execute("select id, title from faqs").fetchall())  # reads through its db
            return [{"faq_id": 1, "title": titles[1], "score": 0.9, "shared_terms": ["whatsapp", "dsgvo"]}][:top]

    def load_matcher(db):
        loads.append(db)
        return Matcher(db)

    monkeypatch.setitem(sys.modules, "miner.match", types.SimpleNamespace(load_matcher=load_matcher))
    workbench._MATCHERS.clear()
    moderator = actor_cookie(ds, "moritz", ["moderator"])

    async def ask():
        return await post(ds, "/-/lookup", {"thread_url": "", "text": "Ist WhatsApp erlaubt?"}, actor=moderator)

    first, second = run(ask()), run(ask())
    assert "Ist WhatsApp DSGVO-konform?" in first.text and "whatsapp, dsgvo" in second.text
    assert len(loads) == 1


def test_miner_serve_runs_a_server_and_prints_the_url(db_path, accounts, tmp_path):
    import os
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    from local_server import free_port

    port = free_port()
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    server = subprocess.Popen([sys.executable, "-m", "miner", "serve", str(db_path), "--port", str(port)],
                              env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline().strip().endswith(f"läuft unter http://127.0.0.1:{port}/faq  (Strg+C beendet)")
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/faq") as response:
                    assert response.status == 200 and "Ist WhatsApp DSGVO-konform?" in response.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("server did not answer")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_editor_and_moderator_pages_open_for_the_right_roles(ds, db_path):
    editor = cookie_header(ds_actor=actor_cookie(ds, "erika", ["editor"]))
    moderator = cookie_header(ds_actor=actor_cookie(ds, "moritz", ["moderator"]))

    async def fetch():
        return {
            (who, path): (await ds.client.get(path, headers=headers)).status_code
            for who, headers in (("editor", editor), ("moderator", moderator))
            for path in ("/-/answer/1", "/-/lookup", "/faq")
        }

    statuses = run(fetch())
    refused = {key for key, status in statuses.items() if status == 403}
    assert refused == {("moderator", "/-/answer/1")}
    assert all(status == 200 for key, status in statuses.items() if key not in refused)


def test_ranked_search_is_exact_below_the_window(tmp_path, accounts):
    """Below 2,000 matches the ranking is plain bm25 over all matches: more occurrences rank first."""
    path = build_db(tmp_path / "forum.db")
    conn = sqlite3.connect(path)
    with conn:
        for n, text in enumerate(["Threema Threema Threema ist gut", "Threema vielleicht", "Threema Threema"], start=90):
            conn.execute("insert into posts (id, forum, post_id, thread, post_number, text) values (?, ?, ?, ?, 1, ?)",
                         [f"{FORUM}:{n}", FORUM, n, f"{FORUM}:1", text])
    conn.close()
    ds = publish.make_datasette(path)
    rows = run(ds.client.get("/forum/search_posts.json", params={"q": "threema", "_shape": "array"})).json()
    assert [r["id"] for r in rows] == [f"{FORUM}:90", f"{FORUM}:92", f"{FORUM}:91"]


def test_only_the_one_database_is_served(ds, db_path):
    assert set(ds.databases) - {"_internal"} == {publish.database_name(db_path)}  # no _memory, no --crossdb
    assert ds.crossdb is False
    assert run(ds.client.get("/_memory")).status_code == 404
    assert run(ds.client.get("/_internal")).status_code in (403, 404)  # Datasette's own, root only


@pytest.mark.parametrize("lang, message", [("de", "Die Antwort ist leer."), ("en", "The answer is empty.")])
def test_an_editing_error_is_shown_in_the_pages_language(db_path, accounts, lang, message):
    ds = publish.make_datasette(db_path, lang=lang)
    editor = actor_cookie(ds, "erika", ["editor"])
    page = run(post(ds, "/-/answer/1", {"body": "   ", "status": "draft"}, actor=editor))
    assert page.status_code == 400 and message in html.unescape(page.text)
