"""Settings stored with the database (table ``settings``, key/value), so every command and the
served pages agree on them without flags repeated on each call.

Why in the database and not in a config file: the FAQ's public address belongs to the deployment
of one database; ``miner serve --public-url`` records it and ``miner suggest``, ``reply``, the
moderators' lookup and ``miner export`` read it back.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from miner import store
from miner.errors import UsageError
from miner.i18n import both

FAQ_BASE_URL = "faq_base_url"
SOURCE_LINKS = "source_links"
DEFAULT_FAQ_URL = "http://127.0.0.1:8001/faq"

# key -> (German description, English description, allowed values or None for a URL)
KNOWN: dict[str, tuple[str, str, tuple[str, ...] | None]] = {
    FAQ_BASE_URL: ("Öffentliche Adresse der FAQ-Seite; Einträge sind ADRESSE/ID (Antworten der Moderation, Export).",
                   "Public address of the FAQ page; entries are URL/ID (moderators' replies, export).", None),
    SOURCE_LINKS: ("Wohin Links auf Quellthreads zeigen: forum (das Forum) oder stored (die gespeicherte "
                   "Fassung in dieser Datenbank, für Foren, die nicht mehr oder nur als Nachbildung erreichbar sind).",
                   "Where source-thread links point: forum (the forum) or stored (the copy in this database, for "
                   "forums that are gone or only replayed).", ("forum", "stored")),
}


def check_value(key: str, value: str) -> str:
    """The value as stored, or a UsageError naming the key and what it accepts."""
    if key not in KNOWN:
        raise UsageError(both(f"Unbekannte Einstellung {key!r}.", f"Unknown setting {key!r}."),
                         hint=both("Bekannt sind: " + ", ".join(sorted(KNOWN)) + ".", "Known: " + ", ".join(sorted(KNOWN)) + "."))
    value = (value or "").strip()
    allowed = KNOWN[key][2]
    if allowed is not None:
        if value not in allowed:
            raise UsageError(both(f"{key} kann {' oder '.join(allowed)} sein, nicht {value!r}.",
                                  f"{key} can be {' or '.join(allowed)}, not {value!r}."))
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise UsageError(both(f"{value!r} ist keine Adresse für {key}.", f"{value!r} is not an address for {key}."),
                         hint=both("Beispiel: https://schule.example.org/faq (http oder https, ohne ?… und #…).",
                                   "Example: https://schule.example.org/faq (http or https, no ?… or #…)."))
    return value.rstrip("/")


def load_settings(db: store.Database) -> dict[str, str]:
    """Every stored setting; an older database without the table has none (read-only opens add no table)."""
    return store.load_settings(db)


def load_setting(db: store.Database, key: str, default: str | None = None) -> str | None:
    return load_settings(db).get(key, default)


def save_setting(db: store.Database, key: str, value: str) -> str:
    """Check and store one setting (replacing the old value); returns what was stored."""
    value = check_value(key, value)
    store.save_setting(db, key, value)
    return value


def delete_setting(db: store.Database, key: str) -> bool:
    if key not in KNOWN:
        check_value(key, "")
    return store.delete_setting(db, key)


def is_local_url(url: str | None) -> bool:
    """True for addresses only this machine can open (localhost, 127.x, ::1, *.localhost)."""
    host = (urlsplit(url or "").hostname or "").lower()
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def faq_base_url(db: store.Database, given: str | None = None) -> str:
    """The FAQ address moderators' replies link to: ``given`` (a flag or MINER_FAQ_URL), else the
    stored setting, else the local default of ``miner serve``."""
    if given:
        return check_value(FAQ_BASE_URL, given)
    return load_setting(db, FAQ_BASE_URL) or DEFAULT_FAQ_URL


def local_url_warning(url: str, lang: str = "de") -> str | None:
    """The warning to print when replies would link to an address nobody else can open."""
    if not is_local_url(url):
        return None
    if lang == "en":
        return (f"Note: the FAQ links point to {url}, which only this computer can open. Record the public address "
                f"once: miner settings DB faq_base_url https://…/faq (or miner serve DB --public-url …).")
    return (f"Hinweis: Die FAQ-Links zeigen auf {url}, das nur dieser Rechner öffnen kann. Die öffentliche Adresse "
            f"einmal speichern: miner settings DB faq_base_url https://…/faq (oder miner serve DB --public-url …).")
