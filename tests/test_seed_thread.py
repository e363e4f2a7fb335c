"""The seed thread: both numbered questions, without "Frage:", and nothing else from the posts."""

import json
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString

from miner import replay, scrape, store
from miner.mining import extract_questions_into

SNAPSHOT = Path(__file__).parent / "fixtures" / "seed_snapshot"
FIRST = "Gibt es denn sichere und von der “Schulbehörde” legale Alternativen"
SECOND = "Kooperiert schon eine Schule mit dem im Link angegebenen"


def cooked_to_text(cooked: str) -> tuple[str, str]:
    """Tiny stand-in for miner.parse: own words as plain text, quotes apart, oneboxes and code dropped."""
    soup = BeautifulSoup(cooked, "html.parser")
    quoted = []
    for aside in soup.select("aside.quote"):
        quoted.append(aside.blockquote.get_text("\n").strip() if aside.blockquote else "")
        aside.decompose()
    for node in soup.select("aside.onebox, pre"):
        node.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for ol in soup.find_all("ol"):
        for number, li in enumerate(ol.find_all("li", recursive=False), start=1):
            target = li.find("p") or li
            target.insert(0, NavigableString(f"{number}. "))
    blocks: list[str] = []
    for block in soup.find_all(["p", "li"]):
        if block.name == "p" and block.find_parent("li"):
            continue
        text = block.get_text()
        blocks.append("\n".join(" ".join(line.split()) for line in text.strip().split("\n") if line.strip()))
    return "\n\n".join(b for b in blocks if b), "\n\n".join(quoted)


def load_snapshot(db, snapshot: Path = SNAPSHOT) -> str:
    forum = "seed.example"
    topic = json.loads((snapshot / "topics" / "4711.json").read_text())
    thread_id = store.qualify(forum, topic["id"])
    with db.conn:
        store.save_rows(db, "forums", [{"id": forum, "base_url": "https://seed.example"}])
        store.save_rows(db, "threads", [{"id": thread_id, "forum": forum, "topic_id": topic["id"],
                                         "title": topic["title"], "starter": "p-" + topic["details"]["created_by"]["username"],
                                         "created_at": topic["created_at"]}])
        rows = []
        for post in topic["post_stream"]["posts"]:
            text, quoted = cooked_to_text(post["cooked"])
            rows.append({"id": store.qualify(forum, post["id"]), "forum": forum, "post_id": post["id"],
                         "thread": thread_id, "post_number": post["post_number"], "author": "p-" + post["username"],
                         "created_at": post["created_at"], "text": text, "quoted": quoted, "deleted": 0})
        store.save_rows(db, "posts", rows)
    return thread_id


def check_seed_questions(db):
    rows = list(db.query("select * from questions where kind != 'title' order by post, position"))
    texts = [r["text"] for r in rows]
    assert len(rows) == 2, texts
    assert rows[0]["text"].startswith(FIRST) and rows[1]["text"].startswith(SECOND)
    assert rows[0]["text"].endswith("nicht geeignet sind.") and rows[1]["text"].endswith("Anbieter”")
    assert all("Frage" not in t[:10] for t in texts)
    assert all(r["in_first_post"] == 1 and r["asked_by_starter"] == 1 and r["kind"] == "implicit" for r in rows)
    titles = list(db.query("select * from questions where kind = 'title'"))
    assert [t["text"] for t in titles] == ["Freie-Messenger - Dienstliche Nutzung"]
    thread = next(db.query("select * from threads"))
    assert thread["relevant"] == 1 and "WhatsApp" in json.loads(thread["messengers"])
    assert all(r["relevant"] == 1 for r in rows)


def test_seed_thread_from_snapshot(tmp_path):
    db = store.open_db(tmp_path / "seed.db")
    load_snapshot(db)
    post1 = next(db.query("select text from posts where post_number = 1"))["text"]
    assert "1. Frage:" in post1 and "Viele Grüße\nMatthias" in post1
    extract_questions_into(db)
    check_seed_questions(db)
    assert extract_questions_into(db)["threads_extracted"] == 0


def test_seed_thread_end_to_end_through_replay_server(tmp_path):
    """Scrape the snapshot from the local replay server, then `miner mine`, then rows in `questions`."""
    from click.testing import CliRunner

    from miner.cli import cli

    path = tmp_path / "e2e.db"
    with replay.ReplayServer(SNAPSHOT) as server:
        scrape.scrape_forum(store.open_db(path), server.url, delay=0, progress=False)
    result = CliRunner().invoke(cli, ["mine", str(path), "--quiet"])
    assert result.exit_code == 0, result.output
    check_seed_questions(store.open_db(path))
