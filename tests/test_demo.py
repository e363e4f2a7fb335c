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
