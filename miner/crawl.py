"""Which crawler reads a forum: Discourse through its JSON API, every other engine through its pages.

``scrape`` detects the engine unless one is given: Discourse is asked first (/about.json, as
before, so a Discourse forum costs no extra request), then the start page is shown to every engine
that is available (generator meta tag, known paths, cookies). Nothing is written before the
engine is known and the forum has accepted us.
"""

from __future__ import annotations

from typing import Any

from miner.discourse import DiscourseClient
from miner.errors import FetchError, NotDiscourse, UsageError
from miner.http import MAX_BODY_BYTES
from miner.scrape import scrape_forum
from miner.scrape_html import scrape_html_forum, start_page
from miner.sources import registry
from miner.sources.base import Engine
from miner.i18n import both

HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"


def scrape(db, base_url: str, *, engine: str | Engine | None = None, categories: tuple | list = (),
           delay: float = 1.0, user_agent: str | None = None, contact: str | None = None,
           max_body: int = MAX_BODY_BYTES, client: DiscourseClient | None = None, **options: Any) -> dict:
    """Scrape the forum at `base_url` with the given engine (a name, an Engine) or the detected one.

    `client`: a ready polite client (the demo routes its stable address to a local replay)."""
    chosen = registry.load_engine(engine) if isinstance(engine, str) else engine
    client = client or DiscourseClient(base_url, delay=delay, user_agent=user_agent, contact=contact,
                                       max_body=max_body)
    if chosen is None or chosen.name == "discourse":
        try:
            return scrape_forum(db, base_url, categories=categories, client=client, delay=client.delay, **options)
        except NotDiscourse as not_discourse:
            if chosen is not None:
                raise
            first, chosen = _detect_html(client, not_discourse)
    else:
        first = None
    if categories:
        raise UsageError(both("--category geht nur bei Discourse-Foren.", "--category works for Discourse forums only."),
                         hint=both(f"{client.base_url} läuft mit {chosen.name}: ohne --category werden alle öffentlichen "
                                   "Foren gelesen.",
                                   f"{client.base_url} runs {chosen.name}: leave --category out to read every public board."))
    client.session.headers["Accept"] = HTML_ACCEPT
    return scrape_html_forum(db, base_url, chosen, client=client, first=first, delay=client.delay, **options)


def _detect_html(client: DiscourseClient, not_discourse: NotDiscourse):
    """(start page, engine) from the start page's markers; NotDiscourse saying what to do when none fits."""
    page = None
    try:
        page = start_page(client)
    except FetchError:
        pass
    engine = registry.detect(page.url, page.text, dict(page.headers)) if page is not None else None
    if engine is None or engine.name == "discourse":
        names = ", ".join(n for n in registry.available() if n != "discourse")
        raise NotDiscourse(
            both(f"{client.base_url} antwortet nicht wie ein Discourse-Forum, und seine Startseite zeigt keine andere "
                 f"Forensoftware, die miner kennt ({names}).",
                 f"{client.base_url} does not answer like a Discourse forum, and its start page shows no other "
                 f"forum software miner knows ({names})."),
            hint=both("Wenn es ein Forum ist, nennen Sie seine Software mit --engine NAME oder beschreiben Sie seine Seiten "
                      "in einem YAML-Profil mit --profile forum.yml (siehe README).",
                      "If it is a forum, name its software with --engine NAME, or describe its pages in a YAML "
                      "profile with --profile forum.yml (see the README)."),
        ) from not_discourse
    return page, engine
