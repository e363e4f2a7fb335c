"""Page-read engines on generated forums: completeness, requests, re-runs, kill -9, parse+store speed.

    python benchmarks/bench_scrape_engines.py [--threads 300] [--keep DIR]

For each engine whose parser is installed and that `miner replay --engine` can render (phpBB,
XenForo 2, Flarum's JSON:API), a generated forum (1-200 posts per thread, several pages per thread, sticky threads, a
moved stub, a login-walled board) is served on 127.0.0.1 by `miner replay` in another process and
scraped with the real crawler. Prints: % of posts stored, duplicates, requests against the minimum
(every list page and every thread page once), thread-page requests of an unchanged re-run, posts
after kill -9 and resume, and thread pages per second for parse + privacy + store alone (pages
rendered in memory, no HTTP). Targets: 100 % posts, 0 duplicates, <= 1.05 x minimum, 0 thread-page
requests when unchanged, nothing lost after kill -9, >= 100 thread pages/s.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from crawling import stored_threads  # noqa: E402
from forumgen import write_forum  # noqa: E402
from local_server import free_port, wait_for  # noqa: E402
from miner import crawl, store  # noqa: E402
from miner.http import Page, PoliteClient  # noqa: E402
from miner.keys import Pseudonymizer, pseudonym_key  # noqa: E402
from miner import replay_flarum, replay_phpbb, replay_xenforo  # noqa: E402
from miner.scrape_html import HtmlCrawler  # noqa: E402
from miner.sources import registry  # noqa: E402

RENDERERS = {"phpbb": replay_phpbb.PhpbbReplayServer, "xenforo": replay_xenforo.XenforoReplayServer,
             "flarum": replay_flarum.FlarumReplayServer}
KILLED = """
import sys
sys.path[:0] = [{root!r}]
from miner import crawl, store
crawl.scrape(store.open_db(sys.argv[1]), sys.argv[2], engine={engine!r}, delay=float(sys.argv[3]), progress=False)
"""


def sizes(threads: int, seed: int) -> list[int]:
    """1-200 posts per thread: most short, a tenth spanning many pages, one of 200."""
    rng = random.Random(seed)
    out = [200] + [rng.randint(21, 200) if rng.random() < 0.1 else rng.randint(1, 20) for _ in range(threads - 1)]
    rng.shuffle(out)
    return out


def minimum(name: str, server) -> tuple[int, int]:
    """(thread pages, list pages) a perfect crawler reads: every public list and thread page once."""
    if name == "flarum":
        per_page = replay_flarum.PER_PAGE
        thread_pages = sum(max(1, math.ceil(len(server.posts(t)) / per_page)) for t in server.listed)
        return thread_pages, max(1, math.ceil(len(server.listed) / per_page))
    posts_per_page, lists_per_page = ((replay_phpbb.POSTS_PER_PAGE, replay_phpbb.TOPICS_PER_PAGE) if name == "phpbb"
                                      else (replay_xenforo.POSTS_PER_PAGE, replay_xenforo.THREADS_PER_PAGE))
    thread_pages = sum(math.ceil(len(t["post_stream"]["posts"]) / posts_per_page) for t in server.snapshot.topics.values())
    list_pages = 1 + sum(max(1, math.ceil(len(server.board_topics(b)[1]) / lists_per_page))
                         for b, board in server.boards.items() if not board.get("read_restricted"))
    return thread_pages, list_pages


def counts(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("select count(*), count(distinct post_id) from posts").fetchone()
    finally:
        conn.close()


def parse_store_rate(name: str, snapshot: Path, engine, work: Path) -> tuple[int, float, float]:
    """Thread pages per second through parse + privacy + store, the pages rendered in memory
    beforehand (a first pass into a scratch database renders every page the crawler asks for)."""
    server = RENDERERS[name](snapshot)  # not started: its pages are rendered by calling route()
    base = "http://127.0.0.1:1"
    server.port = 1
    rendered: dict[str, str] = {}

    def page(url: str, **_) -> Page:
        if url not in rendered:
            parts = urlsplit(url)
            body = server.route(parts.path + (f"?{parts.query}" if parts.query else ""))[1]
            rendered[url] = body.decode() if isinstance(body, bytes) else body if isinstance(body, str) else json.dumps(body)
        return Page(url=url, status=200, text=rendered[url], headers={})

    topics = [t for t in server.snapshot.topics if server.route(urlsplit(engine.thread_url(base, t)).path
                                                                + "?" + urlsplit(engine.thread_url(base, t)).query)[0] == 200]

    def run(db_path: Path) -> tuple[float, float]:
        db_path.unlink(missing_ok=True)
        client = PoliteClient(base, delay=0)
        client.get_page = page
        crawler = HtmlCrawler(store.open_db(db_path), client, engine, full=False, progress=False,
                              pseudonymize=Pseudonymizer(pseudonym_key()))
        started, cpu = time.perf_counter(), time.process_time()
        for topic_id in topics:
            crawler.fetch_thread(topic_id, engine.thread_url(base, topic_id))
        return time.perf_counter() - started, time.process_time() - cpu

    run(work / "render.db")
    seconds, cpu = run(work / "parse.db")
    return len(rendered), seconds, cpu


def bench(name: str, threads: int, work: Path) -> None:
    engine = registry.load_engine(name)
    print(f"== {name} ({engine.__class__.__module__}.{engine.__class__.__name__})")
    snapshot = work / f"{name}-forum"
    info = write_forum(snapshot, threads=threads, seed=11, pinned=3, sizes=sizes(threads, 11))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-m", "miner", "replay", str(snapshot), "--engine", name,
                               "--port", str(port)], env=env, stderr=subprocess.DEVNULL)
    model = RENDERERS[name](snapshot)
    thread_pages, list_pages = minimum(name, model)
    try:
        wait_for(port)
        path = work / f"{name}.db"
        path.unlink(missing_ok=True)
        db = store.open_db(path)
        started = time.perf_counter()
        first = crawl.scrape(db, url, engine=engine, delay=0, progress=False)
        elapsed = time.perf_counter() - started
        again = crawl.scrape(db, url, engine=engine, delay=0, progress=False)
        rows, distinct = counts(path)
        print(f"forum: {info['threads']} threads, {info['posts']} posts, {thread_pages} thread pages, "
              f"{list_pages} list pages (minimum {thread_pages + list_pages} requests)")
        print(f"posts stored: {rows} = {100 * distinct / info['posts']:.1f} %, duplicates: {rows - distinct}")
        print(f"requests: {first['requests']} ({first['thread_requests']} thread pages) = "
              f"{first['requests'] / (thread_pages + list_pages):.3f} x minimum; {elapsed:.1f} s over HTTP "
              f"({first['thread_requests'] / elapsed:.0f} thread pages/s incl. the local server)")
        print(f"unchanged re-run: {again['thread_requests']} thread-page requests, {again['requests']} requests in all")

        killed = work / f"{name}-killed.db"
        killed.unlink(missing_ok=True)
        script = work / "killed.py"
        script.write_text(KILLED.format(root=str(ROOT), engine=name))
        process = subprocess.Popen([sys.executable, str(script), str(killed), url, "0.002"], env=env)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and stored_threads(killed) < threads // 2:
            time.sleep(0.1)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        partial = stored_threads(killed)
        subprocess.run([sys.executable, str(script), str(killed), url, "0"], env=env, check=True)
        rows, distinct = counts(killed)
        print(f"kill -9 after {partial} threads, then resume: {distinct}/{info['posts']} posts, "
              f"{rows - distinct} duplicates")
    finally:
        server.terminate()
        server.wait()
    pages, seconds, cpu = parse_store_rate(name, snapshot, engine, work)
    print(f"parse + privacy + store: {pages} thread pages in {seconds:.1f} s = {pages / seconds:.0f} thread pages/s "
          f"wall, {pages / cpu:.0f} per CPU-second (one process; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=300)
    parser.add_argument("--keep", help="folder to keep snapshots and databases in")
    parser.add_argument("--engine", action="append", choices=sorted(RENDERERS), help="only these engines (repeatable)")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="bench-engines-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("MINER_HOME", str(work / "home"))
    for name in args.engine or RENDERERS:
        bench(name, args.threads, work)


if __name__ == "__main__":
    main()
