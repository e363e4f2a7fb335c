"""Cached sentence vectors (kept so re-runs and look-ups do not re-embed every text)."""

from __future__ import annotations

import sqlite_utils

from miner.store.faqs import clear_faq_model
from miner.store.rows import chunks, delete_rows, marks


class EmbeddingCache:
    """Sentence vectors of the embedder, kept so re-runs and `miner suggest` do not re-embed every
    text. Two kinds, pruned apart: ``question`` (the FAQ step's questions and thread contexts) and
    ``thread`` (the topic prior's thread openings). Lookups only read, so a read-only connection
    (Datasette) works."""

    def __init__(self, db: sqlite_utils.Database, kind: str = "question"):
        self.db = db
        self.kind = kind

    def get_many(self, keys: list[str]) -> dict[str, bytes]:
        if not self.db["embeddings"].exists():
            return {}
        found: dict[str, bytes] = {}
        for chunk in chunks(sorted(set(keys))):
            for row in self.db.execute(f"select key, vector from embeddings where key in ({marks(chunk)})", chunk):
                found[row[0]] = row[1]
        return found

    def put_many(self, vectors: dict[str, bytes]) -> None:
        self.db.conn.executemany("insert or replace into embeddings (key, vector, kind) values (?, ?, ?)",
                                 [(k, v, self.kind) for k, v in vectors.items()])

    def keep_only(self, keys) -> int:
        """Drop this kind's vectors of texts no longer mined (edited, deleted, forgotten); returns how many."""
        keep = set(keys)
        stale = [k for (k,) in self.db.execute("select key from embeddings where coalesce(kind, 'question') = ?",
                                               [self.kind]) if k not in keep]
        delete_rows(self.db, "embeddings", "key", stale)
        return len(stale)


def save_embeddings(db: sqlite_utils.Database, vectors: dict[str, bytes], *, keep: set[str], kind: str = "question") -> None:
    """Store a run's new vectors of one kind and drop the others of that kind it did not use."""
    cache = EmbeddingCache(db, kind)
    with db.conn:
        cache.put_many(vectors)
        cache.keep_only(keep)


def clear_embeddings(db: sqlite_utils.Database) -> None:
    """Forget every cached vector and the fitted matcher (after an erasure: both derive from the
    erased texts; the next `miner mine` recomputes them, lookups re-fit until then)."""
    if db["embeddings"].exists():
        db.execute("delete from embeddings")
    clear_faq_model(db)
