"""The keyed Discourse client: posts a moderator's reply, nothing else.

Reading stays anonymous in ``miner.discourse``; this is the one place that sends an API key.
The key and username come only from the environment (``MINER_DISCOURSE_API_KEY``,
``MINER_DISCOURSE_API_USERNAME``): never from arguments (they end up in shell history), files in
the repository, the database or logs. Discourse allows 60 keyed requests per minute per key;
``KeyedBudget`` keeps timestamps (no secrets) in a file under the miner home so that
consecutive commands share that budget.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

import requests

from miner import __version__
from miner.errors import DiscourseWriteError, MissingCredentials
from miner.keys import miner_home
from miner.i18n import both
from miner.urls import thread_url

log = logging.getLogger(__name__)

KEY_ENV = "MINER_DISCOURSE_API_KEY"
USERNAME_ENV = "MINER_DISCOURSE_API_USERNAME"
BUDGET_FILE = "discourse_keyed_requests.json"
PER_MINUTE = 60


def credentials_from_env() -> tuple[str, str]:
    """(api_key, api_username) from the environment, or a clear error naming what is missing."""
    key = os.environ.get(KEY_ENV, "").strip()
    username = os.environ.get(USERNAME_ENV, "").strip()
    missing = [name for name, value in ((KEY_ENV, key), (USERNAME_ENV, username)) if not value]
    if missing:
        raise MissingCredentials(
            both(f"Posten nicht möglich: {' und '.join(missing)} nicht gesetzt.",
                 f"Cannot post: {' and '.join(missing)} not set."),
            hint=both(f"Legen Sie in der Forenverwaltung einen API-Schlüssel an (Admin > API, Bereich 'posts: write'), "
                      f"dann in Ihrer Shell `export {KEY_ENV}=...` und `export {USERNAME_ENV}=ihr-moderationsname`. "
                      "miner liest beides nie aus Argumenten oder Dateien.",
                      f"Create an API key in the forum's admin (Admin > API, scope 'posts: write'), then "
                      f"`export {KEY_ENV}=...` and `export {USERNAME_ENV}=your-moderator-name` in your "
                      "shell. miner never reads them from arguments or files."),
        )
    return key, username


class KeyedBudget:
    """A sliding 60-second window of keyed requests per forum host, shared through a locked file.

    ``acquire`` waits until a request fits; ``hold_until`` records a wait Discourse asked for (429)
    so that the next command waits too.
    """

    def __init__(self, path: Path | None = None, per_minute: int = PER_MINUTE,
                 clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep):
        self.path = Path(path) if path else miner_home() / BUDGET_FILE
        self.per_minute = per_minute
        self.clock = clock
        self.sleep = sleep

    @contextmanager
    def _locked_state(self) -> Iterator[dict]:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        with os.fdopen(fd, "r+") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                state = json.loads(f.read() or "{}")
            except ValueError:
                state = {}
            yield state
            f.seek(0)
            f.truncate()
            f.write(json.dumps(state))

    def _wait_needed(self, entry: dict, now: float) -> float:
        stamps = [t for t in entry.get("requests", []) if now - t < 60]
        entry["requests"] = stamps
        wait = max(0.0, entry.get("not_before", 0) - now)
        if len(stamps) >= self.per_minute:
            wait = max(wait, stamps[-self.per_minute] + 60 - now)
        return wait

    def acquire(self, site: str) -> float:
        """Block until one more keyed request to ``site`` fits the budget; returns seconds waited."""
        waited = 0.0
        while True:
            with self._locked_state() as state:
                entry = state.setdefault(site, {})
                now = self.clock()
                wait = self._wait_needed(entry, now)
                if wait <= 0:
                    entry["requests"].append(now)
                    return waited
            log.warning("Keyed request budget for %s used up: waiting %.0f s", site, wait)
            self.sleep(wait)
            waited += wait

    def hold_until(self, site: str, seconds: float) -> None:
        with self._locked_state() as state:
            entry = state.setdefault(site, {})
            entry["not_before"] = max(entry.get("not_before", 0), self.clock() + seconds)


def _errors_of(response: requests.Response) -> tuple[list[str], dict]:
    try:
        body = response.json()
    except ValueError:
        return [], {}
    if not isinstance(body, dict):
        return [], {}
    errors = body.get("errors") or ([body["error"]] if body.get("error") else [])
    return [str(e) for e in errors], body


def _wait_seconds(response: requests.Response, body: dict) -> float | None:
    extras = body.get("extras") or {}
    for value in (extras.get("wait_seconds"), response.headers.get("Retry-After")):
        try:
            if value is not None:
                return float(value)
        except (TypeError, ValueError):
            continue
    return None


def error_for(response: requests.Response) -> DiscourseWriteError:
    """Discourse's answer to a refused write, as a plain message (no key, no headers)."""
    status = response.status_code
    errors, body = _errors_of(response)
    said = "; ".join(e.strip().rstrip(".") for e in errors)
    if status == 403:
        return DiscourseWriteError(
            both(f"Discourse hat den API-Schlüssel abgelehnt (403){': ' + said if said else ''}.",
                 f"Discourse refused the API key (403){': ' + said if said else ''}."), status,
            hint=both(f"Prüfen Sie {KEY_ENV} und {USERNAME_ENV}: der Schlüssel muss aktiv sein und Beiträge anlegen dürfen, "
                      "und das Konto muss in diesem Thema antworten dürfen.",
                      f"Check {KEY_ENV} and {USERNAME_ENV}: the key must be active, allowed to create posts, "
                      "and the user must be allowed to reply in this topic."))
    if status == 422:
        return DiscourseWriteError(
            both(f"Discourse hat die Antwort nicht angenommen (422): {said or 'Prüfung fehlgeschlagen'}.",
                 f"Discourse did not accept the reply (422): {said or 'validation failed'}."), status,
            hint=both("Es wurde nichts gepostet. Beheben Sie, was Discourse nennt (z.B. ein geschlossenes Thema oder "
                      "einen zu ähnlichen Beitrag).",
                      "Nothing was posted. Fix what Discourse names (e.g. a closed topic or a too similar post)."))
    if status == 429:
        wait = _wait_seconds(response, body)
        when = f"wait {wait:.0f} seconds" if wait is not None else "wait a minute"
        wann = f"{wait:.0f} Sekunden warten" if wait is not None else "eine Minute warten"
        return DiscourseWriteError(
            both(f"Discourse bittet um Geduld (429): vor dem nächsten Beitrag {wann}.",
                 f"Discourse asks to slow down (429): {when} before posting again."), status,
            hint=both("Es wurde nichts gepostet. Nach der Wartezeit denselben Befehl erneut ausführen.",
                      "Nothing was posted. Run the same command again after the wait."), wait_seconds=wait)
    if status == 404:
        return DiscourseWriteError(both("Discourse kennt dieses Thema nicht (404).", "Discourse does not know this topic (404)."),
                                   status, hint=both("Prüfen Sie die Thread-Adresse: das Thema ist vielleicht gelöscht, "
                                                     "verschoben oder privat.",
                                                     "Check the thread URL: it may be deleted, moved or private."))
    return DiscourseWriteError(
        both(f"Discourse ist mit HTTP {status} gescheitert{': ' + said if said else ''}.",
             f"Discourse failed with HTTP {status}{': ' + said if said else ''}."), status,
        hint=both("Später erneut versuchen; bleibt der Fehler, die Verwaltung des Forums fragen.",
                  "Try again later; if it persists, ask the forum's admins."),
        created=False if status < 500 else None)


class DiscourseWriter:
    """Posts replies with an API key; every request counts against the shared keyed budget."""

    def __init__(self, base_url: str, api_key: str, api_username: str, *, budget: KeyedBudget | None = None,
                 session: requests.Session | None = None, timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.site = urlsplit(self.base_url).netloc.lower()
        self._api_key = api_key
        self._api_username = api_username
        self.budget = budget or KeyedBudget()
        self.session = session or requests.Session()
        self.timeout = timeout

    @classmethod
    def from_env(cls, base_url: str, **kwargs) -> "DiscourseWriter":
        key, username = credentials_from_env()
        return cls(base_url, key, username, **kwargs)

    @property
    def api_username(self) -> str:
        """Who posts (not a secret; shown as the link's author)."""
        return self._api_username

    def __repr__(self) -> str:  # never show the key
        return f"DiscourseWriter({self.base_url!r}, api_username={self._api_username!r})"

    def create_post(self, topic_id: int, raw: str) -> dict:
        """POST /posts.json; returns Discourse's post JSON plus ``url`` of the new post."""
        self.budget.acquire(self.site)
        url = f"{self.base_url}/posts.json"
        headers = {
            "Api-Key": self._api_key,
            "Api-Username": self._api_username,
            "Accept": "application/json",
            "User-Agent": f"miner/{__version__} (moderator reply)",
        }
        log.info("Posting a reply to topic %s on %s", topic_id, self.site)
        try:
            response = self.session.post(url, json={"topic_id": int(topic_id), "raw": raw},
                                         headers=headers, timeout=self.timeout)
        except requests.ConnectionError as error:
            if isinstance(error, requests.ConnectTimeout) or "NewConnectionError" in repr(error):
                raise DiscourseWriteError(both(f"{self.base_url} ist nicht erreichbar ({type(error).__name__}).",
                                               f"Could not reach {self.base_url} ({type(error).__name__})."),
                                          hint=both("Prüfen Sie das Netzwerk und die Adresse des Forums.",
                                                    "Check the network and the forum address."), created=False) from None
            raise DiscourseWriteError(
                both(f"Die Verbindung zu {self.base_url} ist abgerissen ({type(error).__name__}); die Antwort ist "
                     "vielleicht gepostet, vielleicht nicht.",
                     f"The connection to {self.base_url} broke ({type(error).__name__}); the reply may or may not "
                     "be posted."),
                hint=both("Sehen Sie vor einem neuen Versuch im Thread nach.", "Look at the thread before trying again."),
                created=None) from None
        except requests.RequestException as error:
            raise DiscourseWriteError(
                both(f"Keine Antwort von {self.base_url} ({type(error).__name__}); die Antwort ist vielleicht gepostet, "
                     "vielleicht nicht.",
                     f"No answer from {self.base_url} ({type(error).__name__}); the reply may or may not be posted."),
                hint=both("Sehen Sie vor einem neuen Versuch im Thread nach.", "Look at the thread before trying again."),
                created=None) from None
        if response.status_code == 429:
            error = error_for(response)
            self.budget.hold_until(self.site, error.wait_seconds or 60)
            raise error
        if response.status_code not in (200, 201):
            raise error_for(response)
        try:
            post = response.json()
        except ValueError:
            raise DiscourseWriteError(both("Discourse hat ohne JSON geantwortet; die Antwort ist vielleicht gepostet.",
                                           "Discourse answered without JSON; the reply may be posted."),
                                      response.status_code,
                                      hint=both("Sehen Sie vor einem neuen Versuch im Thread nach.",
                                                "Look at the thread before trying again."), created=None) from None
        post["url"] = post_url(self.base_url, post, topic_id)
        log.info("Posted %s", post["url"])
        return post


def post_url(base_url: str, post: dict, topic_id: int) -> str:
    """Address of a created post: /t/slug/topic/post_number."""
    return thread_url(base_url, post.get("topic_id") or topic_id, post.get("topic_slug") or "-", post.get("post_number"))
