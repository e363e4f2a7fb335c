"""metadata.yml names only tables, columns and queries that work on a real miner database."""

import asyncio
import sqlite3

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
