"""Parse speed of the forum-engine page parsers on the recorded real thread pages.

    python benchmarks/bench_engines.py [--rounds 5]

Every recorded thread page in tests/fixtures/html-forums (phpBB, XenForo, vBulletin 3/4, SMF 1.1,
WoltLab) is parsed `rounds` times in one process (one core); the figure is pages per CPU-second and
posts per second of `parse_thread` alone: bytes in, records with canonical post markup out.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from html_forums import FIXTURES, load_page  # noqa: E402

FOLDER_ENGINE = {"phpbb3": "phpbb", "xenforo2": "xenforo", "vbulletin4": "vbulletin", "vbulletin3": "vbulletin",
                 "smf": "smf", "woltlab": "woltlab"}


def recorded_pages() -> list[tuple[str, str, str, str]]:
    """(engine, fixture, html, url) of every recorded thread page."""
    pages = []
    for folder, engine in FOLDER_ENGINE.items():
        for path in sorted((FIXTURES / folder).glob("*")):
            if path.suffix not in (".html", ".json"):
                continue
            relative = str(path.relative_to(FIXTURES))
            html, url, _ = load_page(relative)
            pages.append((engine, relative, html, url or f"https://forum.example.org/{path.stem}"))
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    pages = recorded_pages()
    engines = {name: importlib.import_module(f"miner.sources.{name}").ENGINE for name in set(FOLDER_ENGINE.values())}
    per_engine: dict[str, list[float]] = {}
    posts_total, seconds_total, pages_total, bytes_total = 0, 0.0, 0, 0
    for _ in range(args.rounds):
        for engine, _relative, html, url in pages:
            start = time.process_time()  # CPU time: other jobs on the shared cores do not count
            page = engines[engine].parse_thread(html, url)
            elapsed = time.process_time() - start
            per_engine.setdefault(engine, []).append(elapsed)
            posts_total += len(page.posts)
            seconds_total += elapsed
            pages_total += 1
            bytes_total += len(html.encode("utf-8"))
    print(f"{len(pages)} recorded thread pages x {args.rounds} rounds, "
          f"{bytes_total / pages_total / 1024:.0f} KiB per page on average, one process")
    print(f"{'engine':10} {'pages/s':>8} {'median ms':>10}")
    for engine, times in sorted(per_engine.items()):
        print(f"{engine:10} {len(times) / sum(times):8.1f} {statistics.median(times) * 1000:10.1f}")
    print(f"{'all':10} {pages_total / seconds_total:8.1f} {'':>10}   posts/s {posts_total / seconds_total:.0f}")


if __name__ == "__main__":
    main()
