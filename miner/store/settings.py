"""The ``settings`` table: key/value pairs stored with the database (``miner.settings`` checks them)."""

from __future__ import annotations

import sqlite_utils

from miner.store.connection import now
from miner.store.rows import upsert


def load_settings(db: sqlite_utils.Database) -> dict[str, str]:
    """Every stored setting; an older database without the table has none (read-only opens add no table)."""
    if "settings" not in db.table_names():
        return {}
    return {row["key"]: row["value"] for row in db.query("select key, value from settings")}


def save_setting(db: sqlite_utils.Database, key: str, value: str) -> None:
    with db.conn:
        upsert(db, "settings", [{"key": key, "value": value, "updated_at": now()}])


def delete_setting(db: sqlite_utils.Database, key: str) -> bool:
    with db.conn:
        return db.execute("delete from settings where key = ?", [key]).rowcount > 0
