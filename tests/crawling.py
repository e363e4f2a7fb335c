"""What the crawl tests (and bench_scrape_engines) do to a replayed forum: one quiet crawl without delay,
and counting the threads a running crawl has committed."""

from __future__ import annotations

import sqlite3

from miner import crawl


def scrape(db, server, **options) -> dict:
    return crawl.scrape(db, server.url, delay=0, progress=False, **options)


def stored_threads(path) -> int:
    """Threads committed so far, read without writing (the crawler holds the write lock)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        try:
            return conn.execute("select count(*) from threads").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0  # not created yet
