"""What `miner forget` and the scraper's privacy checks read and write: erasures, one person's rows,
residue scans and compaction (so deleted text leaves the file)."""

from __future__ import annotations

from typing import Callable, Iterable

import sqlite_utils

from miner.keys import ErasedPeople, erasure_key
from miner.store.rows import insert_row
from miner.store.schema import FTS, migrate_erasures


def erased_people(db: sqlite_utils.Database, key: bytes, forum: str | None = None) -> ErasedPeople:
    """People a scrape of ``forum`` (None: any) must leave out: the latest decision per person and
    scope, where an erasure without forum covers every forum. ``pseudonym in result`` checks one."""
    migrate_erasures(db, key)
    rows = db.execute(
        """
        select person, forum, allow_return from erasures
        where id in (select max(id) from erasures group by person, coalesce(forum, ''))
        """
    ).fetchall()
    return ErasedPeople({
        person
        for person, erased_forum, allow_return in rows
        if not allow_return and (forum is None or erased_forum is None or erased_forum == forum)
    }, key)


def was_erased(db: sqlite_utils.Database, pseudonym: str, key: bytes) -> bool:
    """Whether any erasure (returning allowed or not) names this pseudonym."""
    migrate_erasures(db, key)
    return db.execute("select 1 from erasures where person = ? limit 1",
                      [erasure_key(pseudonym, key)]).fetchone() is not None


def load_by_author(
    db: sqlite_utils.Database, table: str, column: str, author: str, forum: str | None = None
) -> list[dict]:
    """Rows of one pseudonym: ``posts`` by ``author``, ``threads`` by ``starter`` (optionally one forum)."""
    sql = f"select * from [{table}] where [{column}] = ?" + (" and forum = ?" if forum else "")
    return list(db.query(sql, [author, forum] if forum else [author]))


def iter_posts_with_text(db: sqlite_utils.Database, forum: str | None = None) -> Iterable[dict]:
    """Posts that could quote or mention someone: id, text, quoted, html (one forum or all)."""
    sql = "select id, forum, thread, text, quoted, html from posts"
    yield from db.query(sql + (" where forum = ?" if forum else ""), [forum] if forum else [])


def save_erasure(db: sqlite_utils.Database, row: dict) -> int:
    """Record an erasure (erasure key and counts, never the name or pseudonym); returns its id."""
    return insert_row(db, "erasures", row)


def find_residue(db: sqlite_utils.Database, needles_for: Callable[[str], list[str]]) -> dict[str, int]:
    """Cells of any table (FTS shadow tables aside) that still contain one of its needles.

    A safety net after an erasure: tables added later (raw JSON caches, revisions, ...) that
    ``forget`` does not know about show up here instead of silently keeping someone's words.
    ``needles_for(table)`` says what to look for in each table (empty: skip it).
    Returns ``{"table.column": rows}`` for the non-empty ones.
    """
    found: dict[str, int] = {}
    for table in db.tables:
        needles = [n.lower() for n in needles_for(table.name) if n]
        if "_fts" in table.name or not needles:
            continue
        for column, kind in table.columns_dict.items():
            if kind is not str:
                continue
            test = " or ".join(f"instr(lower([{column}]), ?) > 0" for _ in needles)
            count = db.execute(f"select count(*) from [{table.name}] where {test}", needles).fetchone()[0]
            if count:
                found[f"{table.name}.{column}"] = count
    return found


def term_in_corpus(db: sqlite_utils.Database, term: str) -> bool:
    """Whether any stored post or question still contains a word starting with ``term`` (FTS)."""
    query = '"' + term.replace('"', '""') + '"*'
    for table in ("posts", "questions"):
        if db[f"{table}_fts"].exists() and db.execute(
            f"select 1 from [{table}_fts] where [{table}_fts] match ? limit 1", [query]
        ).fetchone():
            return True
    return False


def compact(db: sqlite_utils.Database) -> dict:
    """Rebuild full-text indexes, VACUUM and truncate the WAL, so deleted text leaves the file.

    FTS5 keeps deleted tokens in its segments until they are merged, and freed pages keep their
    bytes until VACUUM rewrites the file; the WAL keeps old page images until a checkpoint.
    Returns ``{"wal_busy": bool}``: True when another connection kept the WAL from being emptied.
    """
    db.execute("PRAGMA secure_delete = ON")
    with db.conn:
        for name in FTS:
            if db[f"{name}_fts"].exists():
                db.execute(f"insert into [{name}_fts]([{name}_fts]) values('rebuild')")
    db.execute("VACUUM")
    busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return {"wal_busy": bool(busy)}
