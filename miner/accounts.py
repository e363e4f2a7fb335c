"""Editor and moderator accounts for Datasette: password hashes and roles, never in the repo or DB.

Accounts come from the environment variable ``MINER_ACCOUNTS`` or from the file ``accounts``
(mode 0600) in the miner home (``miner.keys.miner_home()``). One account per line (or separated by
``;`` in the variable)::

    alice editor pbkdf2_sha256$480000$...$...
    bob moderator pbkdf2_sha256$480000$...$...

Hashes use datasette-auth-passwords' scheme (PBKDF2-SHA256), so its ``/-/login`` page checks them;
``miner hash-password`` prints one. The Datasette cookie secret (``DATASETTE_SECRET`` or the 0600
file ``datasette.secret``) stays stable so a restart does not log editors out.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from datasette_auth_passwords.utils import hash_password as _hash_password

from miner.errors import UsageError
from miner.keys import check_private, load_secret, miner_home
from miner.i18n import both

ACCOUNTS_ENV = "MINER_ACCOUNTS"
ACCOUNTS_FILE = "accounts"
SECRET_ENV = "DATASETTE_SECRET"
SECRET_FILE = "datasette.secret"
ROLES = ("editor", "moderator")
NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


@dataclass(frozen=True)
class Account:
    name: str
    roles: tuple[str, ...]
    password_hash: str = field(repr=False)

    @property
    def actor(self) -> dict:
        return {"id": self.name, "roles": list(self.roles)}


def hash_password(password: str, iterations: int = 480_000) -> str:
    """A PBKDF2 hash datasette-auth-passwords accepts; the password itself is never stored."""
    if not password:
        raise UsageError(both("Ein leeres Passwort lässt sich nicht hashen.", "An empty password cannot be hashed."),
                         hint=both("Bitte ein Passwort mit mindestens 8 Zeichen eingeben.", "Type a password of at least 8 characters."))
    return _hash_password(password, iterations=iterations)


def parse_accounts(text: str, source: str) -> list[Account]:
    """Lines of ``name role[,role] hash``; blank lines and ``#`` comments are skipped."""
    accounts = []
    for number, line in enumerate(re.split(r"[;\n]", text), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 3:
            raise UsageError(
                both(f"{source}: Eintrag {number} sollte `name rolle hash` sein, hat aber {len(parts)} Felder.",
                     f"{source}: entry {number} should be `name role hash`, found {len(parts)} fields."),
                hint=both("Den Hash erzeugt `miner hash-password`.", "Create the hash with `miner hash-password`."),
            )
        name, roles, password_hash = parts
        roles_list = tuple(r for r in roles.split(",") if r)
        unknown = set(roles_list) - set(ROLES)
        if not NAME.match(name) or unknown or not password_hash.startswith("pbkdf2_sha256$"):
            raise UsageError(
                both(f"{source}: Eintrag {number} ist ungültig (Name {name!r}, Rollen {roles!r}).",
                     f"{source}: entry {number} is not valid (name {name!r}, roles {roles!r})."),
                hint=both(f"Rollen sind {', '.join(ROLES)}; Hashes kommen von `miner hash-password`.",
                          f"Roles are {', '.join(ROLES)}; hashes come from `miner hash-password`."),
            )
        accounts.append(Account(name, roles_list, password_hash))
    return accounts


def accounts_file() -> Path:
    return miner_home() / ACCOUNTS_FILE


def load_accounts() -> list[Account]:
    """Accounts from the environment, else from the 0600 file in the miner home, else none."""
    text = os.environ.get(ACCOUNTS_ENV)
    if text:
        return parse_accounts(text, ACCOUNTS_ENV)
    path = accounts_file()
    if not path.exists():
        return []
    check_private(path)  # it holds password hashes
    return parse_accounts(path.read_text(), str(path))


class AccountBook:
    """The current accounts for a running server: the environment variable or the accounts file,
    read again whenever it changes, so removing an account (or changing a password) takes effect
    on the next request without a restart. A file that turns invalid means no accounts (fail closed)."""

    def __init__(self, accounts: list[Account] | None = None):
        self._fixed = {a.name: a for a in accounts} if accounts is not None else None
        self._seen: object = None
        self._accounts: dict[str, Account] = {}

    def current(self) -> dict[str, Account]:
        if self._fixed is not None:
            return self._fixed
        text = os.environ.get(ACCOUNTS_ENV)
        path = accounts_file()
        try:
            stat = path.stat()
            seen = (text, stat.st_mtime_ns, stat.st_size)
        except OSError:
            seen = (text, None, None)
        if seen != self._seen:
            try:
                self._accounts = {a.name: a for a in load_accounts()}
            except UsageError as error:
                logging.getLogger(__name__).error("no accounts until this is fixed: %s", error)
                self._accounts = {}
            self._seen = seen
        return self._accounts


def datasette_secret() -> str:
    """The cookie-signing secret: environment first, else a 0600 file created once."""
    return load_secret(SECRET_ENV, SECRET_FILE)
