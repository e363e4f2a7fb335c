"""extract_questions_into on a real database: rows, relevance, idempotence, incrementality."""

import json

from miner import store
from miner.mining import extract_questions_into

FORUM = "forum.example"

ON_TOPIC = [
    ("WhatsApp-Gruppe mit Eltern erlaubt?", [
        "Hallo zusammen,\n\nich bin Klassenlehrerin einer 5. Klasse.\nDarf ich einer WhatsApp-Gruppe der Eltern beitreten?\n\nViele Grüße\nAnna",
        "Dienstlich ist WhatsApp bei uns verboten. Nehmt lieber den Schulmessenger.",
    ]),
    ("Threema Work oder schul.cloud", [
        "Wir müssen einen Messenger für das Kollegium auswählen.\n1. Frage:\nWelche Erfahrungen habt ihr mit Threema Work gemacht\n\nLG",
        "Wir nutzen schul.cloud, die Eltern sind fast alle im Elternchat.",
    ]),
    ("Signal im Kollegium", [
        "Ist Signal für die Kommunikation im Kollegium erlaubt?",
        "Signal ist verschlüsselt, aber ohne AV-Vertrag. Threema Work hat einen.",
    ]),
]
OFF_TOPIC = [
    ("Drucker druckt nur Zeichensalat", [
        "Moin,\n\nseit dem Update druckt der Drucker nur Zeichensalat.\nHat jemand eine Idee, woran das liegt?",
        "Prüf mal den Treiber in CUPS.",
    ]),
    ("WLAN bricht ab", ["Reicht ein Access Point pro Flur für 30 Tablets?", "Nein, einer pro Raum."]),
]


def fill(db, threads, start=1):
    """Store threads and posts the way the scraper does (store functions only)."""
    with db.conn:
        store.save_rows(db, "forums", [{"id": FORUM, "base_url": "https://forum.example"}])
        for offset, (title, posts) in enumerate(threads):
            topic = start + offset
            thread_id = store.qualify(FORUM, topic)
            store.save_rows(db, "threads", [{"id": thread_id, "forum": FORUM, "topic_id": topic, "title": title,
                                             "starter": f"user-{topic}", "created_at": "2024-01-01T00:00:00Z"}])
            store.save_rows(db, "posts", [{
                "id": store.qualify(FORUM, topic * 100 + n), "forum": FORUM, "post_id": topic * 100 + n,
                "thread": thread_id, "post_number": n, "author": f"user-{topic}" if n == 1 else f"user-x{n}",
                "created_at": f"2024-01-0{n}T00:00:00Z", "text": text, "quoted": "", "deleted": 0,
            } for n, text in enumerate(posts, start=1)])


def snapshot(db):
    return (list(db.query("select * from questions order by id")),
            list(db.query("select id, relevant, relevance, relevance_reason, messengers from threads order by id")))


def test_extracts_questions_with_kinds_and_relevance(tmp_path):
    db = store.open_db(tmp_path / "m.db")
    fill(db, ON_TOPIC + OFF_TOPIC)
    summary = extract_questions_into(db)
    assert summary["threads_extracted"] == 5
    rows = {r["text"]: r for r in db.query("select * from questions")}
    ask = rows["Darf ich einer WhatsApp-Gruppe der Eltern beitreten?"]
    assert ask["kind"] == "explicit" and ask["asked_by_starter"] == 1 and ask["in_first_post"] == 1
    assert ask["in_reply"] == 0 and ask["relevant"] == 1 and "whatsapp" in ask["relevance_reason"]
    assert ask["id"].startswith(f"{FORUM}:101:")
    assert rows["Welche Erfahrungen habt ihr mit Threema Work gemacht"]["kind"] == "implicit"
    assert rows["WhatsApp-Gruppe mit Eltern erlaubt?"]["kind"] == "title"
    assert rows["WhatsApp-Gruppe mit Eltern erlaubt?"]["position"] == -1
    assert not any(t.startswith(("Hallo", "Viele Grüße", "Anna", "LG")) for t in rows)
    printer = rows["Hat jemand eine Idee, woran das liegt?"]
    assert printer["relevant"] == 0
    threads = {r["id"]: r for r in db.query("select * from threads")}
    assert threads[f"{FORUM}:1"]["relevant"] == 1 and threads[f"{FORUM}:4"]["relevant"] == 0
    assert json.loads(threads[f"{FORUM}:2"]["messengers"]) == ["Threema", "schul.cloud"]
    assert threads[f"{FORUM}:1"]["relevance"] > threads[f"{FORUM}:5"]["relevance"]


def test_second_run_changes_nothing(tmp_path):
    db = store.open_db(tmp_path / "m.db")
    fill(db, ON_TOPIC + OFF_TOPIC)
    extract_questions_into(db)
    before = snapshot(db)
    summary = extract_questions_into(db)
    assert summary["threads_extracted"] == 0
    assert summary["questions_added"] == summary["questions_removed"] == 0
    assert summary["threads_relevance_changed"] == summary["questions_relevance_changed"] == 0
    assert snapshot(db) == before


def test_only_new_or_edited_posts_are_processed_and_faq_ids_survive(tmp_path):
    db = store.open_db(tmp_path / "m.db")
    fill(db, ON_TOPIC + OFF_TOPIC)
    extract_questions_into(db)
    kept = db.execute("select id from questions where text like 'Darf ich einer WhatsApp%'").fetchone()[0]
    with db.conn:
        db.execute("insert into faqs (id, title) values (7, 'WhatsApp mit Eltern')")
        db.execute("update questions set faq_id = 7 where id = ?", [kept])
    # edit: a new question in a reply of thread 1; delete: the first post of thread 3
    with db.conn:
        db.execute("update posts set text = ? where id = ?",
                   ["Dienstlich ist WhatsApp bei uns verboten. Welches Bundesland ist das?", f"{FORUM}:102"])
        db.execute("update posts set deleted = 1 where id = ?", [f"{FORUM}:301"])
    fill(db, [("Sprachnachrichten im Schulmessenger", ["Kann man Sprachnachrichten in Sdui abschalten?"])], start=9)
    summary = extract_questions_into(db)
    assert summary["threads_extracted"] == 3  # threads 1, 3 and the new 9
    assert summary["posts_processed"] == 2 + 2 + 1
    texts = {r["text"]: r for r in db.query("select * from questions")}
    assert texts["Darf ich einer WhatsApp-Gruppe der Eltern beitreten?"]["faq_id"] == 7
    assert texts["Darf ich einer WhatsApp-Gruppe der Eltern beitreten?"]["id"] == kept
    assert texts["Welches Bundesland ist das?"]["in_reply"] == 1
    assert texts["Welches Bundesland ist das?"]["asked_by_starter"] == 0
    assert "Ist Signal für die Kommunikation im Kollegium erlaubt?" not in texts
    assert "Kann man Sprachnachrichten in Sdui abschalten?" in texts
    assert extract_questions_into(db)["threads_extracted"] == 0


def test_only_selected_threads(tmp_path):
    db = store.open_db(tmp_path / "m.db")
    fill(db, ON_TOPIC + OFF_TOPIC)
    summary = extract_questions_into(db, thread_ids=[f"{FORUM}:1"])
    assert summary["threads_extracted"] == 1
    assert {r["thread"] for r in db.query("select thread from questions")} == {f"{FORUM}:1"}


def test_mine_command(tmp_path):
    from click.testing import CliRunner

    from miner.cli import cli

    path = tmp_path / "m.db"
    fill(store.open_db(path), ON_TOPIC + OFF_TOPIC)
    runner = CliRunner()
    result = runner.invoke(cli, ["mine", str(path), "--quiet"])
    assert result.exit_code == 0, result.output
    assert store.open_db(path)["questions"].count > 5
    before = snapshot(store.open_db(path))
    again = runner.invoke(cli, ["mine", str(path)])
    assert again.exit_code == 0 and "0 Threads (neu) gelesen, 0 neu, 0 entfernt" in again.output
    assert snapshot(store.open_db(path)) == before
    missing = runner.invoke(cli, ["mine", str(tmp_path / "nope.db")])
    assert missing.exit_code == 2 and "miner scrape" in missing.output


def test_parallel_extraction_gives_the_same_rows(tmp_path, monkeypatch):
    from miner import mining

    serial = store.open_db(tmp_path / "serial.db")
    fill(serial, ON_TOPIC + OFF_TOPIC)
    extract_questions_into(serial)
    monkeypatch.setattr(mining, "PARALLEL_FROM_POSTS", 1)
    monkeypatch.setattr(mining.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    parallel = store.open_db(tmp_path / "parallel.db")
    fill(parallel, ON_TOPIC + OFF_TOPIC)
    extract_questions_into(parallel)
    columns = "id, text, kind, relevant, relevance, relevance_reason, position"
    assert list(serial.query(f"select {columns} from questions order by id")) == \
        list(parallel.query(f"select {columns} from questions order by id"))
