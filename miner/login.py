"""The rules of the editors' login, free of Datasette: redirects, sessions, throttling, equal timing.

Why each exists: ``next=/\\evil.example`` sent a fresh login off-site; a removed account's
cookie kept working forever; 50 guesses a second went unnoticed; an unknown user name answered much
faster than a known one, which tells an attacker which names to guess passwords for.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from typing import Callable, Mapping
from urllib.parse import urlsplit

from datasette_auth_passwords.utils import verify_password

SESSION_HOURS = 12.0
ACCOUNT_FAILURES = 5  # wrong passwords for one account name before it is locked for a while
IP_FAILURES = 20  # wrong passwords from one address (several editors may share a school's address)
FIRST_LOCK_SECONDS = 30.0  # doubled with every further failure ...
MAX_LOCK_SECONDS = 3600.0  # ... up to an hour
DEFAULT_ITERATIONS = 480_000
THROTTLE_MESSAGE = ("Zu viele fehlgeschlagene Anmeldungen. Bitte in {minutes} erneut versuchen.")


def safe_next(target: str | None, default: str = "/faq") -> str:
    """``target`` when it is a path on this site, else ``default``.

    Parsed, not prefix-checked: browsers treat ``\\`` like ``/``, so ``/\\evil.example`` and
    ``//evil.example`` both leave the site; a scheme, a host or control characters are refused too.
    """
    if not target or len(target) > 2000 or "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def csrf_matches(form_token: str | None, cookie_token: str | None) -> bool:
    """A form's CSRF token equals the token cookie (both present); constant-time."""
    return bool(form_token) and bool(cookie_token) and secrets.compare_digest(str(form_token), str(cookie_token))


def minutes_text(seconds: float) -> str:
    """German: "1 Minute", "5 Minuten" (rounded up, at least one)."""
    minutes = max(1, int(-(-seconds // 60)))
    return "1 Minute" if minutes == 1 else f"{minutes} Minuten"


class Throttle:
    """Failed attempts per key (an account name or an address) with an exponential lockout.

    After ``limit`` failures the key is locked for FIRST_LOCK_SECONDS, doubling with each further
    failure up to MAX_LOCK_SECONDS; a success clears it. In memory (a restart forgets, which is
    fine for a guard against online guessing); at most ``max_keys`` keys, oldest dropped first.
    """

    def __init__(self, limit: int, *, first: float = FIRST_LOCK_SECONDS, cap: float = MAX_LOCK_SECONDS,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = 10_000):
        self.limit, self.first, self.cap, self.clock, self.max_keys = limit, first, cap, clock, max_keys
        self._failures: OrderedDict[str, tuple[int, float]] = OrderedDict()  # key -> (count, locked until)
        self._mutex = threading.Lock()

    def retry_after(self, key: str) -> float:
        """Seconds until ``key`` may try again (0: now)."""
        with self._mutex:
            _, until = self._failures.get(key, (0, 0.0))
        return max(0.0, until - self.clock())

    def failed(self, key: str) -> None:
        with self._mutex:
            count = self._failures.pop(key, (0, 0.0))[0] + 1
            until = 0.0
            if count >= self.limit:
                until = self.clock() + min(self.cap, self.first * 2 ** (count - self.limit))
            self._failures[key] = (count, until)
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)

    def succeeded(self, key: str) -> None:
        with self._mutex:
            self._failures.pop(key, None)


class PasswordCheck:
    """Verify a password in the same time whether the account exists or not.

    An unknown name is checked against a dummy hash with the iteration count real hashes use, so
    the answer time does not tell which names exist.
    """

    def __init__(self):
        self._dummies: dict[int, str] = {}

    def _dummy(self, iterations: int) -> str:
        """A well-formed hash no password matches: verifying it costs the full PBKDF2 work, making
        it costs nothing (so the first unknown name is not slower either)."""
        if iterations not in self._dummies:
            self._dummies[iterations] = f"pbkdf2_sha256${iterations}${secrets.token_hex(16)}$not-a-hash"
        return self._dummies[iterations]

    def verify(self, password: str, password_hash: str | None, known_hashes: list[str]) -> bool:
        if password_hash is None:
            iterations = max((_iterations(h) for h in known_hashes), default=DEFAULT_ITERATIONS)
            verify_password(password, self._dummy(iterations))
            return False
        return verify_password(password, password_hash)


def _iterations(password_hash: str) -> int:
    try:
        return int(password_hash.split("$")[1])
    except (IndexError, ValueError):
        return DEFAULT_ITERATIONS


def fingerprint(password_hash: str) -> str:
    """Ties a session to the account's current password: a new hash ends the old sessions."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def session(actor: dict, password_hash: str, hours: float, now: float) -> dict:
    """What the signed ``ds_actor`` cookie holds: the actor, its expiry (epoch seconds) and the fingerprint."""
    return {"a": actor, "exp": int(now + hours * 3600), "h": fingerprint(password_hash)}


def actor_for(payload, accounts: Mapping, now: float) -> dict | None:
    """The actor of a (signature-checked) session cookie, or None when it expired, its account is
    gone, or the account's password changed. Roles come from the current account, not the cookie."""
    if not isinstance(payload, dict) or not isinstance(payload.get("a"), dict):
        return None
    expires = payload.get("exp")
    if not isinstance(expires, int) or now >= expires:
        return None
    account = accounts.get(payload["a"].get("id"))
    if account is None or not secrets.compare_digest(str(payload.get("h")), fingerprint(account.password_hash)):
        return None
    return account.actor
