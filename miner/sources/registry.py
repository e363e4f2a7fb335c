"""Which engines exist, loading them by name, and telling them apart from a start page.

An engine is a module ``miner.sources.<name>`` with a module-level ``ENGINE`` (``base.Engine``).
Engines are imported lazily, so a forum software whose parser is not there yet is simply not
offered; ``register`` adds one at run time (a YAML profile, a test's stand-in).
"""

from __future__ import annotations

import importlib
import re

from miner.errors import UsageError
from miner.sources.base import Engine

# Detection order: the most specific markers first; Discourse last (its own JSON check runs earlier).
ENGINE_NAMES = ("phpbb", "xenforo", "woltlab", "vbulletin", "smf", "mybb", "flarum", "discourse")
GENERATOR = re.compile(
    r"""<meta\b[^>]*?\bname\s*=\s*["']?generator["']?[^>]*?\bcontent\s*=\s*["']([^"']*)["']"""
    r"""|<meta\b[^>]*?\bcontent\s*=\s*["']([^"']*)["'][^>]*?\bname\s*=\s*["']?generator\b""",
    re.I,
)
from miner.i18n import both

_registered: dict[str, Engine] = {}


def meta_generator(body: str) -> str:
    """The content of a page's <meta name="generator"> ("" when there is none)."""
    match = GENERATOR.search(body[:200_000])
    return (match.group(1) or match.group(2) or "") if match else ""


def register(engine: Engine) -> None:
    """Offer `engine` under its name (replacing a module of that name) for this process."""
    _registered[engine.name] = engine


def unregister(name: str) -> None:
    _registered.pop(name, None)


def _module_engine(name: str) -> Engine:
    return importlib.import_module(f"miner.sources.{name}").ENGINE


def available() -> dict[str, Engine]:
    """Engines by name, in detection order (ones registered at run time first)."""
    found: dict[str, Engine] = dict(_registered)
    for name in ENGINE_NAMES:
        if name not in found:
            found[name] = _module_engine(name)
    return found


def load_engine(name: str) -> Engine:
    """The engine called `name`; a clear UsageError for a name miner does not know."""
    key = (name or "").strip().lower()
    engines = available()
    if key in engines:
        return engines[key]
    known = ", ".join(engines)
    raise UsageError(both(f"Unbekannte Engine {name!r}.", f"Unknown engine {name!r}."),
                     hint=both(f"Bitte eine davon nehmen: {known}; oder das Forum mit --profile forum.yml beschreiben.",
                               f"Use one of: {known}; or describe the forum with --profile forum.yml."))


def detect(url: str, body: str, headers: dict[str, str]) -> Engine | None:
    """The first engine that recognises the page fetched from `url`, or None."""
    for engine in available().values():
        if engine.detect(url, body, headers):
            return engine
    return None
