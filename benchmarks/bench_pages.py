"""Benchmark: the reader's and editor's pages on the demo database, through HTTP.

    python benchmarks/bench_pages.py [DEMO_DB]

Builds the demo database (or uses DEMO_DB), serves it with `miner serve` as a real process, logs in a
benchmark editor and times sequential requests: /faq, /faq?q=..., /faq/ID, /-/answer/ID.
Target: every page under 300 ms.
"""

from __future__ import annotations

import http.cookiejar
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from local_server import miner_serve  # noqa: E402
from miner.accounts import hash_password  # noqa: E402

QUERIES = ["DSGVO", "DSGVO-konform", "Datenschutz", "WhatsApp Eltern", "Threema Work Lizenz"]


def timed(opener, url: str, data: bytes | None = None) -> float:
    start = time.perf_counter()
    with opener.open(url, data=data, timeout=30) as response:
        response.read()
    return (time.perf_counter() - start) * 1000


def summary(values: list[float]) -> str:
    values = sorted(values)
    return f"median {statistics.median(values):6.1f} ms   p95 {values[int(len(values) * 0.95) - 1]:6.1f} ms   max {values[-1]:6.1f} ms"


def main() -> None:
    if len(sys.argv) > 1:
        db_path = Path(sys.argv[1])
    else:
        from miner.demo import build_demo_db

        db_path = Path(tempfile.mkdtemp()) / "demo.db"
        build_demo_db(db_path, progress=False)
    import sqlite3

    conn = sqlite3.connect(db_path)
    entries = [r[0] for r in conn.execute("select id from faqs where status = 'active' order by size desc")]
    conn.close()
    accounts = {"MINER_ACCOUNTS": f"bench editor {hash_password('bench-pw', iterations=1000)}"}
    with miner_serve(db_path, accounts) as base:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(base + "/-/login", timeout=30).read()
        token = next(c.value for c in jar if c.name == "ds_csrftoken")
        opener.open(base + "/-/login", data=urllib.parse.urlencode(
            {"csrftoken": token, "username": "bench", "password": "bench-pw", "next": "/faq"}).encode()).read()
        anonymous = urllib.request.build_opener()
        rows = {
            "/faq (contents, anonymous)": [timed(anonymous, base + "/faq") for _ in range(30)],
            "/faq (editor)": [timed(opener, base + "/faq") for _ in range(30)],
            "/faq?q=... (5 queries x 6)": [timed(anonymous, base + "/faq?" + urllib.parse.urlencode({"q": q}))
                                           for q in QUERIES for _ in range(6)],
            "/faq/ID (every entry)": [timed(anonymous, f"{base}/faq/{i}") for i in entries],
            "/-/answer/ID (editor, every entry)": [timed(opener, f"{base}/-/answer/{i}") for i in entries],
        }
        print(f"{db_path.name}: {len(entries)} active entries")
        for name, values in rows.items():
            print(f"{name:38s} {summary(values)}")


if __name__ == "__main__":
    main()
