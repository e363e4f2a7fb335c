"""Generic row access shared by the feature modules: chunked ``in (...)`` look-ups, one upsert.

SQLite limits the number of ``?`` in one statement, so every look-up by a list of values goes
through ``chunks``; every write by primary key goes through ``upsert``.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

import sqlite_utils

from miner.store.schema import TABLES


CHUNK = 500  # values per ``in (...)``: below SQLite's oldest host-parameter limit (999)


def chunks(values: Iterable[Any], size: int = CHUNK) -> Iterator[list]:
    """``values`` in lists of at most ``size``, for ``in (...)`` clauses."""
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def marks(values: list) -> str:
    """``?, ?, ?`` for an ``in (...)`` clause over ``values``."""
    return ",".join("?" * len(values))


def upsert(db: sqlite_utils.Database, table: str, rows: Iterable[dict]) -> None:
    """The one write by primary key: insert, or update only the columns each row carries (other
    columns, such as questions.faq_id set by the FAQ step, keep their values). One prepared
    ``insert ... on conflict do update`` per row shape. Caller wraps in a transaction."""
    pk = TABLES[table][1]
    known = TABLES[table][0]
    groups: dict[tuple, list[tuple]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(tuple(
            json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v for v in row.values()))
    for columns, values in groups.items():
        unknown = set(columns) - set(known)
        if unknown:
            raise ValueError(f"{table} has no column(s) {sorted(unknown)}")
        names = ", ".join(f"[{c}]" for c in columns)
        updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c != pk) or f"[{pk}] = excluded.[{pk}]"
        db.conn.executemany(
            f"insert into [{table}] ({names}) values ({', '.join('?' * len(columns))}) "
            f"on conflict([{pk}]) do update set {updates}", values)


save_rows = upsert  # the name most callers know


def load_rows(db: sqlite_utils.Database, table: str, column: str, values: Iterable[Any]) -> list[dict]:
    """Rows of ``table`` whose ``column`` is one of ``values``."""
    rows: list[dict] = []
    for chunk in chunks(values):
        rows.extend(db.query(f"select * from [{table}] where [{column}] in ({marks(chunk)})", chunk))
    return rows


def delete_rows(db: sqlite_utils.Database, table: str, column: str, values: Iterable[Any]) -> int:
    """Delete rows by one column (caller wraps in a transaction); returns how many went."""
    return sum(db.execute(f"delete from [{table}] where [{column}] in ({marks(chunk)})", chunk).rowcount
               for chunk in chunks(values))


def update_row(db: sqlite_utils.Database, table: str, pk_value: Any, changes: dict) -> None:
    """Set some columns of one row by primary key (caller wraps in a transaction)."""
    if changes:
        db[table].update(pk_value, changes)


def insert_row(db: sqlite_utils.Database, table: str, row: dict) -> int:
    """Insert a row into a table with an integer id (history, erasures); returns the new id."""
    return db[table].insert(row).last_pk


def count_rows(db: sqlite_utils.Database, table: str, where: str = "", params: list | None = None) -> int:
    sql = f"select count(*) from [{table}]" + (f" where {where}" if where else "")
    return db.execute(sql, params or []).fetchone()[0]


def first_row(db: sqlite_utils.Database, sql: str, params: Iterable[Any] | dict = ()) -> dict | None:
    """The first row a query returns, or None."""
    rows = list(db.query(sql, params))
    return rows[0] if rows else None
