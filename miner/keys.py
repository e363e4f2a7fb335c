"""Secrets that must never reach the database or the repository: the pseudonymization key.

The key lives in the environment (``MINER_PSEUDONYM_KEY``) or in a file with 0600 permissions
under the miner home directory (``MINER_HOME``, default ``~/.config/miner``). It is created on
first use. Losing it means new pseudonyms for everybody on the next scrape; leaking it lets
anyone who can guess a username confirm their pseudonym, so keep it out of backups you share.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_ENV = "MINER_PSEUDONYM_KEY"
HOME_ENV = "MINER_HOME"
KEY_FILE = "pseudonym.key"


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
    return path


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
