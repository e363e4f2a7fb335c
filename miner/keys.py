"""Secrets that must never reach the database or the repository: the pseudonymization key.

The key lives in the environment (``MINER_PSEUDONYM_KEY``) or in a file with 0600 permissions
under the miner home directory (``MINER_HOME``, default ``~/.config/miner``). It is created on
first use. Losing it means new pseudonyms for everybody on the next scrape; leaking it lets
anyone who can guess a username confirm their pseudonym, so keep it out of backups you share.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import stat
from pathlib import Path

from miner.errors import InsecureSecret
from miner.i18n import both

log = logging.getLogger(__name__)

KEY_ENV = "MINER_PSEUDONYM_KEY"
HOME_ENV = "MINER_HOME"
KEY_FILE = "pseudonym.key"
PSEUDONYM_FORM = r"user-[0-9a-f]{10}"  # what ``pseudonymize`` returns; the one spelling of that form
PSEUDONYM = re.compile(rf"\b{PSEUDONYM_FORM}\b")  # a pseudonym inside a text
PSEUDONYM_WORD = re.compile(rf"{PSEUDONYM_FORM}\Z")  # a word that is a pseudonym (use with .match)


def miner_home() -> Path:
    """Where miner keeps secrets and private files; outside every repository and database."""
    return Path(os.environ.get(HOME_ENV) or Path.home() / ".config" / "miner")


def secret_file(name: str) -> Path:
    """Read (or create, 0600) a random secret in the miner home; returns its path."""
    path = miner_home() / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    check_private(path)
    return path


def check_private(path: Path) -> None:
    """Refuse a secret file that other users could read or change (anything beyond 0600).

    A readable pseudonymization key lets anyone who guesses a username confirm their pseudonym.
    A folder open to others only gets a warning: the file's own mode is what protects it.
    """
    if os.name != "posix":
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise InsecureSecret(
            both(f"Die geheime Datei {path} ist für andere Benutzer lesbar oder schreibbar (Modus {mode:04o}).",
                 f"The secret file {path} is readable or writable by other users (mode {mode:04o})."),
            hint=both(f"Führen Sie `chmod 600 {path}` aus (und halten Sie die Datei aus geteilten Sicherungen heraus), "
                      "dann erneut versuchen.",
                      f"Run `chmod 600 {path}` (and keep it out of shared backups), then try again."),
        )
    folder_mode = stat.S_IMODE(path.parent.stat().st_mode)
    if folder_mode & 0o022:
        log.warning("The folder %s with secrets is writable by other users (mode %04o); run chmod 700 on it.",
                    path.parent, folder_mode)


def load_secret(env_name: str, file_name: str) -> str:
    """The environment wins; otherwise the file in the miner home, created on first use."""
    value = os.environ.get(env_name)
    if value:
        return value
    return secret_file(file_name).read_text().strip()


def pseudonym_key() -> bytes:
    return load_secret(KEY_ENV, KEY_FILE).encode()


def pseudonymize(username: str | None, key: bytes) -> str | None:
    """A stable keyed pseudonym: the same user always maps to the same ``user-xxxxxxxxxx``."""
    if not username:
        return None
    digest = hmac.new(key, username.strip().lower().encode(), hashlib.sha256).hexdigest()
    return "user-" + digest[:10]


class Pseudonymizer:
    """Callable bound to one key, so pure parsing code can take ``pseudonymize`` as an argument."""

    def __init__(self, key: bytes):
        self.key = key

    def __call__(self, username: str | None) -> str | None:
        return pseudonymize(username, self.key)


def erasure_key(pseudonym: str, key: bytes) -> str:
    """What the public ``erasures`` table stores instead of an erased person's pseudonym.

    A keyed hash (domain-separated from the pseudonyms): anyone can run SQL on the served
    database, and the plain pseudonym would join the erasure to the person's posts in older
    exports or in forums the erasure did not cover. Only the key holder can recompute it.
    """
    return "erased-" + hmac.new(key, b"erasure\0" + pseudonym.encode(), hashlib.sha256).hexdigest()[:16]


class ErasedPeople:
    """The erased pseudonyms as the scraper needs them: ``pseudonym in erased`` hashes the
    pseudonym with the key and looks it up among the stored erasure keys."""

    def __init__(self, erasure_keys: set[str], key: bytes):
        self.erasure_keys = set(erasure_keys)
        self.key = key
        self._seen: dict[str, bool] = {}

    def __contains__(self, pseudonym: object) -> bool:
        if not isinstance(pseudonym, str) or not pseudonym:
            return False
        if pseudonym not in self._seen:
            self._seen[pseudonym] = erasure_key(pseudonym, self.key) in self.erasure_keys
        return self._seen[pseudonym]

    def __bool__(self) -> bool:
        return bool(self.erasure_keys)

    def __len__(self) -> int:
        return len(self.erasure_keys)
