"""The whole downstream on a XenForo-like and on a Flarum forum: demo build (scrape -> mine), serve,
suggest, forget; and no persona name of the bundled forum anywhere a visitor can read.

The phpBB-like family has its own module (test_phpbb_end_to_end.py); Discourse is the default demo.
"""

import asyncio
import html
import re
import sqlite3

import pytest

from test_privacy import assert_no_persona_and_forget_leaves_no_byte, snapshot_topics
from test_publish import actor_cookie, post
from miner import demo, publish, scrape_html, store
from miner.app import moderation
from miner.accounts import hash_password
from miner.http import PoliteClient

ENGINES = {
    # engine: (stored thread URL, a thread URL as a moderator pastes it, the replay's thread requests)
    "xenforo": (r"/threads/[a-z0-9-]+\.(\d+)/", "{base}/threads/{slug}.{id}/page-1", r"^/threads/[^/]*?\.?{id}/"),
    "flarum": (r"/d/(\d+)-[a-z0-9-]+", "{base}/d/{id}-{slug}/2", r"^/api/(discussions/{id}$|posts\?filter%5Bdiscussion%5D={id}&)"),
}


@pytest.fixture(scope="module", params=sorted(ENGINES))
def built(request, tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    path = tmp_path_factory.mktemp(request.param) / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MINER_HOME", str(home))
        result = demo.build_demo_db(path, progress=False, embedder="none", engine=request.param)
    return request.param, path, result, home


def test_the_demo_stores_every_thread_and_post_and_builds_the_faq(built):
    engine, path, result, _ = built
    topics = snapshot_topics()
    db = store.open_db(path)
    assert result["scrape"]["engine"] == engine and result["scrape"]["errors"] == 0
    assert db["threads"].count == len(topics)
    assert db.execute("select count(*), count(distinct post_id) from posts").fetchone() == \
        (sum(len(t["post_stream"]["posts"]) for t in topics.values()),) * 2
    assert db.execute("select engine, title from forums").fetchall() == [(engine, "Lehrerzimmer digital")]
    assert db["questions"].count > len(topics) and result["counts"]["faqs"] >= 10
    pattern = re.escape(demo.DEMO_FORUM_URL) + ENGINES[engine][0]
    urls = {topic: url for topic, url in db.execute("select topic_id, url from threads")}
    assert all((m := re.fullmatch(pattern, u)) and int(m.group(1)) == t for t, u in urls.items()), "stable thread URLs"
    assert db.execute("select count(*) from threads where pinned = 1").fetchone()[0] == \
        sum(1 for t in topics.values() if t.get("pinned"))
    texts = " ".join(text for (text,) in db.execute("select text from posts"))
    assert "Lehrerzimmer –" not in texts and "Zuletzt bearbeitet" not in texts and "hat geschrieben" not in texts
    assert db.execute("select count(*) from posts where quoted is not null and quoted != ''").fetchone()[0] > 10


def test_the_faq_page_is_served_with_the_forums_sources(built):
    _, path, _, _ = built
    ds = publish.make_datasette(path)
    title = store.open_db(path).execute(
        "select title from faqs where status = 'active' order by threads desc limit 1").fetchone()[0]

    async def pages():
        page = await ds.client.get("/faq")
        texts = [page.text] + [(await ds.client.get(entry)).text
                               for entry in sorted(set(re.findall(r'href="(/faq/\d+)"', page.text)))[:5]]
        links = sorted({html.unescape(h) for text in texts for h in re.findall(r'href="(/-/thread/[^"]+)"', text)})
        return page, links, (await ds.client.get(links[0])) if links else None

    page, links, stored = asyncio.run(pages())
    assert page.status_code == 200 and html.escape(title, quote=False) in page.text
    assert links and stored.status_code == 200 and "<h1>" in stored.text


def test_suggest_fetches_a_thread_by_its_engine_url_and_ranks_entries(built, monkeypatch):
    engine, path, _, _ = built
    db = store.open_db(path)
    thread = next(iter(db.query("select topic_id, url from threads where relevant = 1 order by topic_id")))
    slug = re.search(r"(?:threads/|d/\d+-)([a-z0-9-]+?)(?:\.\d+)?/?$", thread["url"]).group(1)
    with routed_replay(engine, monkeypatch) as server:
        url = ENGINES[engine][1].format(base=demo.DEMO_FORUM_URL, slug=slug, id=thread["topic_id"])
        result = moderation.suggest_for_thread(db, url, top=3, delay=0)
        asked = [p for p in server.request_log if p != "/robots.txt"]
    assert asked and all(re.match(ENGINES[engine][2].format(id=thread["topic_id"]), p) for p in asked), asked
    assert result["source"]["thread"] == f"lehrerzimmer-digital.example:{thread['topic_id']}" and result["suggestions"]
    assert result["source"]["thread_url"] == thread["url"]
    assert all(s["reply"].startswith("Hallo,") for s in result["suggestions"])


def routed_replay(engine, monkeypatch):
    """The engine's replay, answering the forum's stable address for every polite client, as in the demo."""
    server = demo.public_replay(engine, demo.bundled_snapshot(), demo.DEMO_FORUM_URL)

    def routed(base_url, **options):
        client = PoliteClient(base_url, **options)
        client.session.mount(demo.DEMO_FORUM_URL, demo.ReplayRoute(demo.DEMO_FORUM_URL, server.url))
        return client

    monkeypatch.setattr(scrape_html, "PoliteClient", routed)
    return server


def test_the_lookup_and_miner_thread_id_know_the_engine_s_thread_urls(built, tmp_path, monkeypatch):
    engine, path, _, home = built
    monkeypatch.setenv("MINER_HOME", str(home))
    monkeypatch.setenv("MINER_ACCOUNTS", f"moritz moderator {hash_password('moritz-pw', iterations=1000)}")
    copy = tmp_path / "copy.db"
    sqlite3.connect(path).backup(target := sqlite3.connect(copy))
    target.close()
    db = store.open_db(copy)
    stored, missing = list(db.query("select id, topic_id, url from threads where relevant = 1 order by topic_id limit 2"))
    with db.conn:  # one thread as if it had never been scraped: the lookup must fetch it through the engine
        for table, column in (("questions", "thread"), ("posts", "thread"), ("threads", "id")):
            db.execute(f"delete from {table} where {column} = ?", [missing["id"]])
    db.conn.close()
    pattern = ENGINES[engine][1]

    def pasted(row):
        slug = re.search(r"(?:threads/|d/\d+-)([a-z0-9-]+?)(?:\.\d+)?/?$", row["url"]).group(1)
        return pattern.format(base=demo.DEMO_FORUM_URL, slug=slug, id=row["topic_id"])

    ds = publish.make_datasette(copy)
    moderator = actor_cookie(ds, "moritz", ["moderator"])

    async def flow():
        sql = await ds.client.get(f"/{publish.database_name(copy)}.json", params={
            "sql": "select miner_thread_id(:u) as t", "u": pasted(stored), "_shape": "array"})
        found = await post(ds, "/-/lookup", {"thread_url": pasted(stored), "text": ""}, actor=moderator)
        fetched = await post(ds, "/-/lookup", {"thread_url": pasted(missing), "text": ""}, actor=moderator)
        foreign = await post(ds, "/-/lookup", {"thread_url": pasted(stored).replace("lehrerzimmer-digital", "anderswo"),
                                                "text": ""}, actor=moderator)
        return sql, found, fetched, foreign

    with routed_replay(engine, monkeypatch) as server:
        sql, found, fetched, foreign = asyncio.run(flow())
        asked = [p for p in server.request_log if p != "/robots.txt"]
    assert sql.json() == [{"t": stored["id"]}]
    assert found.status_code == 200 and re.search(r"#\d+ ", found.text), found.text[-2000:]
    assert asked and all(re.match(ENGINES[engine][2].format(id=missing["topic_id"]), p) for p in asked), asked
    assert fetched.status_code == 200 and re.search(r"#\d+ ", fetched.text), fetched.text[-2000:]
    assert "sieht nicht nach der Thread-URL eines bekannten Forums aus" in foreign.text
    assert store.open_db(copy).execute("select count(*) from posts where thread = ?", [missing["id"]]).fetchone()[0] > 0


def test_no_persona_name_is_stored_and_forget_leaves_no_byte(built, tmp_path, monkeypatch):
    _, path, _, home = built
    monkeypatch.setenv("MINER_HOME", str(home))  # the key the demo build pseudonymized with
    assert_no_persona_and_forget_leaves_no_byte(path, tmp_path)
