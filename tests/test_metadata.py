"""metadata.yml names only tables, columns and queries that work on a real miner database."""

import asyncio
import sqlite3

import sqlite_utils
import yaml

from miner import publish, store
from publish_db import build_db


def test_metadata_names_only_existing_tables_and_columns(tmp_path):
    db = store.open_db(tmp_path / "x.db")
    schema = {t: set(db[t].columns_dict) for t in db.table_names()} | {v: set(db[v].columns_dict) for v in db.view_names()}
    metadata = yaml.safe_load(publish.METADATA_FILE.read_text())
    tables = metadata["databases"]["miner"]["tables"]
    problems = []
    for table, config in tables.items():
        if table not in schema:
            problems.append(f"table {table}")
            continue
        named = set(config.get("columns", {}))
        named |= {config[k] for k in ("sort", "sort_desc", "label_column") if k in config}
        named |= {f if isinstance(f, str) else next(iter(f.values())) for f in config.get("facets", [])}
        problems += [f"{table}.{c}" for c in sorted(named - schema[table])]
    assert problems == []
    assert set(store.TABLES) <= set(tables), "every table needs a description"
    assert all(config.get("description") for config in tables.values())


def test_no_canned_query_writes():
    """Writes go through the plugin's routes only: they validate, check roles and take the writer lock."""
    queries = publish.load_metadata("miner")["databases"]["miner"]["queries"]
    assert {name for name, q in queries.items() if q.get("write")} == set()
    assert all("allow" not in q for q in queries.values())


def test_read_queries_run_on_a_mined_database(tmp_path, monkeypatch):
    path = build_db(tmp_path / "forum.db")
    ds = publish.make_datasette(path)
    queries = publish.load_metadata("miner")["databases"]["miner"]["queries"]
    conn = sqlite3.connect(path)
    from miner.plugins.workbench import prepare_connection

    prepare_connection(conn)
    for name, query in queries.items():
        if query.get("write"):
            continue
        conn.execute(query["sql"], {"q": "whatsapp", "faq_id": 1, "since": ""}).fetchall()  # raises on a bad column
    assert asyncio.run(ds.client.get("/forum/most_asked.json")).status_code == 200


def undescribed_columns(conn: sqlite3.Connection) -> list[str]:
    """table.column of every table and view a visitor can open (FTS shadow tables aside) that
    metadata.yml leaves without a description."""
    tables = yaml.safe_load(publish.METADATA_FILE.read_text())["databases"]["miner"]["tables"]
    names = [r[0] for r in conn.execute(
        "select name from sqlite_master where type in ('table', 'view') and name not like 'sqlite_%'"
        " and name not like '%_fts' and name not like '%_fts_%' order by name")]
    missing = []
    for name in names:
        described = (tables.get(name) or {}).get("columns") or {}
        if not (tables.get(name) or {}).get("description"):
            missing.append(f"{name} (table)")
        missing += [f"{name}.{row[1]}" for row in conn.execute(f"pragma table_info([{name}])")
                    if not str(described.get(row[1]) or "").strip()]
    return missing


def test_every_table_and_column_of_a_new_database_is_described(tmp_path):
    path = build_db(tmp_path / "forum.db")
    store.open_db(path).conn.close()
    conn = sqlite3.connect(path)
    assert undescribed_columns(conn) == []


def test_foreign_keys_are_declared_also_on_an_older_database(tmp_path):
    """A database made before a foreign key was declared gets it on the next open, rows and FTS triggers kept."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript("""
        create table faqs (id integer primary key, title text);
        create table faq_history (id integer primary key, run integer, faq_id integer, event text, other_faqs text,
                                  detail text, at text);
        create table posts (id text primary key, forum text, thread text, text text);
        insert into faqs values (1, 'Eins');
        insert into faq_history (run, faq_id, event) values (1, 1, 'birth');
        insert into posts values ('f:1', 'f', 'f:9', 'Signal im Kollegium');
    """)
    conn.close()
    old = sqlite_utils.Database(path)
    old["posts"].enable_fts(["text"], create_triggers=True, tokenize=store.FTS_TOKENIZE)  # posts without its foreign keys
    old.conn.close()
    db = store.open_db(path)
    declared = {(t, fk.column, fk.other_table) for t in store.TABLES for fk in db[t].foreign_keys}
    wanted = {(t, c, o) for t, (_, _, fks) in store.TABLES.items() for c, o, _ in fks}
    assert wanted <= declared
    assert ("faq_history", "faq_id", "faqs") in declared and ("corrections", "other_faq_id", "faqs") in declared
    assert [tuple(r) for r in db.execute("select run, faq_id, event from faq_history")] == [(1, 1, "birth")]
    triggers = {r[0] for r in db.execute("select name from sqlite_master where type = 'trigger'")}
    assert {"posts_ai", "posts_ad", "posts_au", "questions_ai", "faqs_ai"} <= triggers
    with db.conn:  # the rebuilt posts table still feeds its full-text index
        db["posts"].insert({"id": "f:2", "forum": "f", "thread": "f:9", "text": "Threema Lizenzen"})
        db.execute("update posts set text = 'Threema im Kollegium' where id = 'f:1'")
    assert sorted(r[0] for r in db.execute("select rowid from posts_fts where posts_fts match 'threema'")) == [1, 2]


def test_canned_queries_fold_their_sql_and_show_their_title_in_the_tab(tmp_path):
    import re

    path = build_db(tmp_path / "forum.db")
    ds = publish.make_datasette(path)
    queries = publish.load_metadata("forum")["databases"]["forum"]["queries"]
    assert all(q.get("hide_sql") is True and q.get("title") for q in queries.values())

    async def fetch():
        return {name: await ds.client.get(f"/forum/{name}?faq_id=1&q=whatsapp&since=") for name in queries}

    pages = asyncio.run(fetch())
    for name, page in pages.items():
        assert page.status_code == 200, name
        title = re.search(r"<title>(.*?)</title>", page.text, re.S).group(1).strip()
        assert title == queries[name]["title"].replace("&", "&amp;"), (name, title)
        assert "<textarea" not in page.text and "select " not in title.lower()
    assert "_show_sql=1" in pages["most_asked"].text  # researchers unfold it with one click
    shown = asyncio.run(ds.client.get("/forum/most_asked?_show_sql=1"))
    assert shown.status_code == 200 and "left join current_answers" in shown.text
    assert "left join current_answers" not in pages["most_asked"].text
