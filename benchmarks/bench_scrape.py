"""Scrape benchmark: 2,000 threads / ~25,000 posts served by `miner replay` in a separate process.

    python benchmarks/bench_scrape.py [--threads 2000] [--keep DIR]

Prints threads/s, thread requests per thread, peak RSS of the scraping process, and the time of
an unchanged re-run. Target: >= 150 threads/s and <= 1.15 thread requests per thread on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from forumgen import write_forum  # noqa: E402
from local_server import free_port, wait_for  # noqa: E402
from miner import store  # noqa: E402
from miner.scrape import scrape_forum  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2000)
    parser.add_argument("--keep", help="folder to keep the snapshot and DB in")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="bench-scrape-"))
    snapshot = work / "forum"
    os.environ.setdefault("MINER_HOME", str(work / "home"))
    t0 = time.perf_counter()
    # 10% of threads longer than 20 posts (21..60, one of 180), the rest 1..20: ~25,000 posts
    info = write_forum(snapshot, threads=args.threads, seed=42, pinned=3, long_share=0.1, long_max=60)
    print(f"generated {info['threads']} threads / {info['posts']} posts in {time.perf_counter() - t0:.1f} s")
    long_threads = sum(1 for n in info["sizes"].values() if n > 20)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-m", "miner", "replay", str(snapshot), "--port", str(port)],
                              env=env, stderr=subprocess.DEVNULL)
    try:
        wait_for(port)
        db_path = work / "bench.db"
        if db_path.exists():
            db_path.unlink()
        db = store.open_db(db_path)
        start = time.perf_counter()
        cpu_start = time.process_time()
        summary = scrape_forum(db, f"http://127.0.0.1:{port}", delay=0, progress=False)
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        rerun_start = time.perf_counter()
        again = scrape_forum(db, f"http://127.0.0.1:{port}", delay=0, progress=False)
        rerun = time.perf_counter() - rerun_start
    finally:
        server.terminate()
        server.wait()
    server_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu = server_cpu.ru_utime + server_cpu.ru_stime
    threads = summary["threads_new"]
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"threads: {threads} ({long_threads} with > 20 posts), posts stored: {summary['posts_saved']}")
    print(f"complete: {db['threads'].count == info['threads'] and db['posts'].count == info['posts']}")
    print(f"elapsed: {elapsed:.2f} s -> {threads / elapsed:.0f} threads/s, {summary['posts_saved'] / elapsed:.0f} posts/s")
    print(f"thread requests: {summary['thread_requests']} -> {summary['thread_requests'] / threads:.3f} per thread "
          f"(all requests incl. lists and robots: {summary['requests']})")
    print(f"unchanged re-run: {again['thread_requests']} thread requests, {again['requests']} requests, {rerun:.2f} s")
    print(f"peak RSS of the scraping process: {peak_kb / 1024:.0f} MB")
    print(f"CPU: scraper {cpu:.2f} s, replay server {server_cpu:.2f} s (whole life incl. loading); "
          f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"scraper CPU per thread: {cpu / threads * 1000:.2f} ms -> {threads / cpu:.0f} threads per CPU-second "
          "(the wall-clock rate on idle cores is bounded by this and the server's share)")


if __name__ == "__main__":
    main()
