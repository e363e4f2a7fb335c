"""`miner demo --no-serve` end to end: replay -> scrape over HTTP -> mine -> Datasette answers."""

import asyncio
import collections
import html
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from miner import publish, store
from miner.cli import cli
from miner.demo import bundled_snapshot

LABELS = bundled_snapshot().parent / "labels.json"


@pytest.fixture
def demo_db(mined_demo):
    """Built by `miner demo --no-serve` once per run (tests/conftest.py)."""
    return mined_demo


def snapshot_counts() -> tuple[int, int]:
    topics = list((bundled_snapshot() / "topics").glob("*.json"))
    posts = sum(len(json.loads(p.read_text())["post_stream"]["posts"]) for p in topics)
    return len(topics), posts


@pytest.mark.slow
def test_demo_stores_every_thread_and_post(demo_db):
    db = store.open_db(demo_db)
    threads, posts = snapshot_counts()
    assert db["threads"].count == threads
    assert db["posts"].count == posts
    assert db["questions"].count > threads  # titles plus questions in posts
    assert db.execute("select count(*) from scrape_runs where status = 'finished'").fetchone()[0] == 1


@pytest.mark.slow
def test_top_entries_are_the_topics_the_forum_was_written_around(demo_db):
    labels = json.loads(LABELS.read_text())
    thread_topic = {int(k): v["faq_topic"] for k, v in labels["threads"].items()}
    db = store.open_db(demo_db)
    members = collections.defaultdict(collections.Counter)
    for faq_id, topic_id in db.execute(
        "select q.faq_id, t.topic_id from questions q join threads t on t.id = q.thread where q.faq_id is not null"
    ):
        members[faq_id][thread_topic[topic_id]] += 1
    top = [row[0] for row in db.execute(
        "select id from faqs where status = 'active' order by threads desc, size desc limit 10")]
    majorities = [members[f].most_common(1)[0] for f in top]
    purity = sum(n for _, n in majorities) / sum(sum(members[f].values()) for f in top)
    # The ten most discussed labelled topics, by thread count.
    by_threads = collections.Counter(t for t in thread_topic.values() if t)
    common = {t for t, _ in by_threads.most_common(10)}
    hits = {t for t, _ in majorities if t in common}
    print(f"top-10 purity {purity:.2f}, common topics hit {len(hits)}")
    assert None not in {t for t, _ in majorities}, "an off-topic group made the top ten"
    assert purity >= 0.75, purity
    assert len(hits) >= 6, (majorities, common)


@pytest.mark.slow
def test_datasette_answers_on_the_demo_db(demo_db):
    ds = publish.make_datasette(demo_db)
    db = store.open_db(demo_db)
    title = db.execute("select title from faqs where status = 'active' order by threads desc limit 1").fetchone()[0]

    async def fetch():
        name = publish.database_name(demo_db)
        return (await ds.client.get("/faq"), await ds.client.get(f"/{name}/questions.json?_size=5"))

    faq, questions = asyncio.run(fetch())
    assert faq.status_code == 200 and html.escape(title, quote=False) in faq.text
    assert questions.status_code == 200 and len(questions.json()["rows"]) == 5


def test_demo_refuses_without_the_bundled_forum(tmp_path, monkeypatch):
    from miner import demo

    monkeypatch.setattr(demo, "bundled_snapshot", lambda: (_ for _ in ()).throw(
        demo.UsageError("The bundled forum is missing: x", hint="Install from a clone.")))
    result = CliRunner().invoke(cli, ["demo", "--no-serve", "--db", str(tmp_path / "d.db")])
    assert result.exit_code == 2 and "bundled forum is missing" in result.output
    assert not Path(tmp_path / "d.db").exists()


@pytest.mark.slow
def test_the_forum_has_a_stable_name_and_no_replay_port_is_stored(demo_db):
    from miner.demo import DEMO_FORUM_URL

    db = store.open_db(demo_db)
    assert [tuple(r) for r in db.execute("select id, base_url from forums")] == [
        ("lehrerzimmer-digital.example", DEMO_FORUM_URL)]
    dump = "\n".join(db.conn.iterdump())
    assert "127.0.0.1" not in dump and "localhost" not in dump
    assert db.execute("select count(*) from threads where url not like ?", [DEMO_FORUM_URL + "/t/%"]).fetchone()[0] == 0


@pytest.mark.slow
def test_demo_source_links_open_the_stored_threads(demo_db):
    import re

    ds = publish.make_datasette(demo_db)

    async def fetch():
        faq = await ds.client.get("/faq")
        texts = [faq.text]  # the FAQ page and every entry page it links to (/faq/ID) may list source threads
        for entry in sorted(set(re.findall(r'href="(/faq/\d+)"', faq.text))):
            texts.append((await ds.client.get(entry)).text)
        hrefs = [html.unescape(h) for text in texts for h in re.findall(r'href="([^"]+)"', text)]
        links = sorted({h for h in hrefs if h.startswith("/-/thread/")})
        pages = [await ds.client.get(link) for link in links]
        return hrefs, links, pages

    hrefs, links, pages = asyncio.run(fetch())
    assert len(links) >= 20, links
    assert [p.status_code for p in pages] == [200] * len(links)
    db = store.open_db(demo_db)
    thread = links[0].rsplit("/", 1)[1]
    title, first = db.execute("select threads.title, posts.text from threads join posts on posts.thread = threads.id"
                              " where threads.id = ? order by post_number limit 1", [thread]).fetchone()
    assert f"<h1>{html.escape(title, quote=False)}</h1>" in pages[0].text
    assert html.escape(first.split("\n")[0], quote=False)[:40] in pages[0].text
    assert not [h for h in hrefs if h.startswith("https://lehrerzimmer-digital.example")]  # no link to the replay's name


@pytest.mark.slow
def test_demo_publishes_the_example_answers_on_their_topics_and_mining_keeps_them(mined_demo_copy, tmp_path):
    from miner.demo import EXAMPLE_ANSWERS, entries_by_topic

    examples = json.loads((bundled_snapshot().parent / EXAMPLE_ANSWERS).read_text())
    labels = json.loads(LABELS.read_text())
    copy = mined_demo_copy
    db = store.open_db(copy)
    published = {r[0]: r[1] for r in db.execute("select faq_id, body from answers where status = 'published'")}
    assert len(published) == len(examples["answers"]) == 3
    by_topic = entries_by_topic(db, labels)
    assert {by_topic[e["topic"]]: e["body"] for e in examples["answers"]} == published
    assert db.execute("select distinct created_at from answers").fetchall() == [("2026-09-25T09:00:00Z",)]
    titles = {by_topic[e["topic"]]: e["title"] for e in examples["answers"]}
    assert {r[0]: r[1] for r in db.execute("select id, title from faqs where title_by_editor = 1")} == titles
    db.conn.close()

    async def faq_page():
        return (await publish.make_datasette(copy).client.get("/faq")).text

    page = asyncio.run(faq_page())
    assert "Die Kultusministerien und Landesdatenschutzbeauftragten raten von WhatsApp" in page
    # a second mining run keeps every answer on a live entry of the same topic
    result = CliRunner().invoke(cli, ["mine", str(copy), "--quiet"])
    assert result.exit_code == 0, result.output
    db = store.open_db(copy)
    after = entries_by_topic(db, labels)
    for faq_id, body in published.items():
        status = db.execute("select status from faqs where id = ?", [faq_id]).fetchone()[0]
        assert status == "active"
        topic = next(e["topic"] for e in examples["answers"] if e["body"] == body)
        assert after[topic] == faq_id
        assert db.execute("select title from faqs where id = ?", [faq_id]).fetchone()[0] == titles[faq_id]
    # and the export of the demo is the finished product a newcomer can host
    out = tmp_path / "site"
    assert CliRunner().invoke(cli, ["export", str(copy), "--format", "html", str(out)]).exit_code == 0
    assert len(list(out.glob("faq-*.html"))) == 3


@pytest.mark.slow
def test_every_column_of_the_mined_demo_database_is_described(demo_db):
    import sqlite3

    from test_metadata import undescribed_columns

    assert undescribed_columns(sqlite3.connect(demo_db)) == []
