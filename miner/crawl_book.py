"""The bookkeeping both crawlers share (Discourse's JSON API and page-read engines).

A thread either lands with its crawl state in one transaction or is settled here: gone and
robots-disallowed threads are final, other failures are retried on the next run, and a run of
failures stops the crawl so a forum in trouble is not hammered.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Callable

from tqdm import tqdm

from miner import __version__, store
from miner.errors import DisallowedByRobots, DiskFull, FetchError, MinerError, NotFound
from miner.i18n import both, localized, say
from miner.keys import pseudonym_key

log = logging.getLogger(__name__)

MAX_FAILURES_IN_A_ROW = 10  # then the forum is in trouble or blocks us: stop instead of going on


class CrawlBook:
    """Counters, crawl states and the progress bar of one run over one forum."""

    unit = "thread"  # how log lines and the run's error list name a thread

    def __init__(self, db, client, *, full: bool, progress: bool, total: int | None,
                 pseudonymize: Callable[[str | None], str | None]):
        self.db = db
        self.client = client
        self.forum = store.forum_id_for(client.base_url)
        self.full = full
        self.pseudonymize = pseudonymize
        self.states = store.load_crawl_states(db, self.forum)
        self.erased = store.erased_people(db, getattr(pseudonymize, "key", None) or pseudonym_key(), self.forum)
        self.counts = {"threads_new": 0, "threads_updated": 0, "threads_unchanged": 0, "threads_failed": 0,
                       "threads_gone": 0, "posts_saved": 0}
        self.errors: list[str] = []
        self.fetched = 0
        self.failures_in_a_row = 0
        self.bar = tqdm(total=total, unit=say("Threads", "thread"), desc=say("Threads", "threads"), file=sys.stderr,
                        disable=not progress, dynamic_ncols=True, leave=False)

    def note(self) -> None:
        self.bar.set_postfix({say("Beiträge", "posts"): self.counts["posts_saved"],
                              say("Anfragen", "requests"): self.client.requests,
                              say("Wiederholungen", "retries"): self.client.retries,
                              say("Fehler", "errors"): len(self.errors)}, refresh=False)
        self.bar.update(1)

    def list_error(self, message: str) -> None:
        """A list the walk could not read (to its end): kept for the run's record, the crawl goes on."""
        self.errors.append(message)
        log.warning("%s", message)

    def stopped_by(self, error: BaseException) -> str:
        """The run's status when `error` ends it; the error is kept for the run's record."""
        if isinstance(error, MinerError):
            self.errors.append(localized(error))
        return "interrupted" if isinstance(error, (KeyboardInterrupt, DiskFull)) else "failed"

    def record_failure(self, thread_id: int, crawl: dict, error: Exception) -> None:
        """Gone (404/private) and robots-disallowed threads are settled; other errors retried next run."""
        if isinstance(error, DisallowedByRobots):
            status = "disallowed"
        elif isinstance(error, NotFound):
            status = "gone"
            self.counts["threads_gone"] += 1
            if self.full:
                store.mark_thread_deleted(self.db, store.qualify(self.forum, thread_id))
        else:
            status = "error"
            self.counts["threads_failed"] += 1
            self.errors.append(f"{say('Thread', self.unit)} {thread_id}: {localized(error)}")
            log.warning("%s %s failed: %s", self.unit, thread_id, error)
        reason = localized(error).encode("utf-8", "replace").decode("utf-8")  # storable whatever the server sent
        store.save_crawl_state(self.db, {**crawl, "status": status, "error": reason})
        self.states[thread_id] = {**crawl, "status": status}
        self.note()
        self.failures_in_a_row = self.failures_in_a_row + 1 if status == "error" else 0
        if self.failures_in_a_row >= MAX_FAILURES_IN_A_ROW:
            raise FetchError(
                both(f"{self.failures_in_a_row} Threads hintereinander sind gescheitert (zuletzt: {error}); miner hört auf, "
                     "um ein Forum mit Problemen nicht weiter zu belasten.",
                     f"{self.failures_in_a_row} threads in a row failed (last: {localized(error, 'en')}); stopping so as not "
                     "to hammer a forum in trouble."),
                hint=both("Fertige Threads sind gespeichert; denselben Befehl später erneut ausführen, um weiterzumachen.",
                          "Finished threads are stored; run the same command later to go on."),
            )


def start_run(db, forum: str, started_at: str, options: dict, *, scope: str, full: bool) -> int:
    """Open the run's provenance row; runs a killed process left open are marked interrupted first."""
    store.close_stale_runs(db, forum)
    return store.start_scrape_run(db, {"forum": forum, "started_at": started_at, "status": "running",
                                       "options": json.dumps(options), "miner_version": __version__,
                                       "scope": scope, "full": int(full)})


def finish_run(db, run_id: int, status: str, run: dict, forum: dict) -> None:
    """Close the run's provenance row. On a full disk this may fail too: then a run that is already
    stopping keeps its own error, and the next run marks this one interrupted (close_stale_runs)."""
    try:
        with store.disk_full_as_error():
            store.finish_scrape_run(db, run_id, run)
            store.save_forum(db, forum)
    except DiskFull:
        if status == "finished":
            raise
        log.warning("scrape run %s could not be closed: the disk is full", run_id)
