"""The whole downstream on a forum read through phpBB pages: demo build (scrape -> mine), serve,
suggest, forget; and no persona name of the bundled forum anywhere a visitor can read."""

import asyncio
import html
import re

import pytest

from test_privacy import assert_no_persona_and_forget_leaves_no_byte, snapshot_topics
from miner import demo, publish, scrape_html, store
from miner.app import moderation
from miner.http import PoliteClient
from miner.replay_phpbb import PhpbbReplayServer


@pytest.fixture(scope="module")
def phpbb_db(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    path = tmp_path_factory.mktemp("phpbb") / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MINER_HOME", str(home))
        result = demo.build_demo_db(path, progress=False, embedder="none", engine="phpbb")
        yield path, result, home


def test_the_phpbb_demo_stores_every_thread_and_post_and_builds_the_faq(phpbb_db):
    path, result, _ = phpbb_db
    topics = snapshot_topics()
    db = store.open_db(path)
    assert result["scrape"]["engine"] == "phpbb" and result["scrape"]["errors"] == 0
    assert db["threads"].count == len(topics)
    assert db.execute("select count(*), count(distinct post_id) from posts").fetchone() == \
        (sum(len(t["post_stream"]["posts"]) for t in topics.values()),) * 2
    assert db.execute("select engine from forums").fetchall() == [("phpbb",)]
    assert db["questions"].count > len(topics) and result["counts"]["faqs"] >= 10
    pattern = re.escape(demo.DEMO_FORUM_URL) + r"/viewtopic\.php\?t=\d+"
    assert all(re.fullmatch(pattern, u) for (u,) in db.execute("select url from threads")), "stable thread URLs"


def test_the_faq_page_is_served_with_phpbb_sources(phpbb_db):
    path, _, _ = phpbb_db
    ds = publish.make_datasette(path)
    title = store.open_db(path).execute(
        "select title from faqs where status = 'active' order by threads desc limit 1").fetchone()[0]

    async def fetch():
        return await ds.client.get("/faq")

    page = asyncio.run(fetch())
    assert page.status_code == 200 and html.escape(title, quote=False) in page.text

    async def thread_view():
        texts = [page.text] + [(await ds.client.get(entry)).text
                               for entry in sorted(set(re.findall(r'href="(/faq/\d+)"', page.text)))[:5]]
        links = sorted({html.unescape(h) for text in texts for h in re.findall(r'href="(/-/thread/[^"]+)"', text)})
        return links, (await ds.client.get(links[0])) if links else None

    links, stored = asyncio.run(thread_view())  # source threads open from the database, as on Discourse
    assert links and stored.status_code == 200 and "<h1>" in stored.text


def test_suggest_fetches_a_phpbb_thread_and_ranks_entries(phpbb_db, monkeypatch):
    path, _, _ = phpbb_db
    db = store.open_db(path)
    thread = next(iter(db.query("select topic_id, url from threads where relevant = 1 order by topic_id")))
    with PhpbbReplayServer(demo.bundled_snapshot()) as server:
        def routed(base_url, **options):  # the forum's stable address answered by the replay, as in the demo
            client = PoliteClient(base_url, **options)
            client.session.mount(demo.DEMO_FORUM_URL, demo.ReplayRoute(demo.DEMO_FORUM_URL, server.url))
            return client

        monkeypatch.setattr(scrape_html, "PoliteClient", routed)
        url = f"{demo.DEMO_FORUM_URL}/viewtopic.php?t={thread['topic_id']}&start=0"
        result = moderation.suggest_for_thread(db, url, top=3, delay=0)
        asked = [p for p in server.request_log if p.startswith("/viewtopic.php")]
    assert asked and all(f"t={thread['topic_id']}" in p for p in asked)
    assert result["source"]["thread"] == f"lehrerzimmer-digital.example:{thread['topic_id']}" and result["suggestions"]
    assert result["source"]["thread_url"] == thread["url"]
    assert all(s["reply"].startswith("Hallo,") for s in result["suggestions"])
    assert db.execute("select count(distinct forum) from threads").fetchone() == (1,)  # stored under its forum


def test_no_persona_name_is_stored_and_forget_leaves_no_byte(phpbb_db, tmp_path, monkeypatch):
    path, _, home = phpbb_db
    monkeypatch.setenv("MINER_HOME", str(home))  # the key the demo build pseudonymized with
    assert_no_persona_and_forget_leaves_no_byte(path, tmp_path)
