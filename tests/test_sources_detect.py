"""Each engine recognises its own pages and no other engine's; no engine trips over junk pages."""

import importlib

import pytest

from html_forums import FIXTURES, load_page
from miner.sources.markup import PageError

NAMES = ["phpbb", "xenforo", "woltlab", "vbulletin", "smf", "mybb", "flarum"]
ENGINES = {name: importlib.import_module(f"miner.sources.{name}").ENGINE for name in NAMES}
FOLDER_ENGINE = {"phpbb3": "phpbb", "xenforo2": "xenforo", "woltlab": "woltlab", "vbulletin4": "vbulletin",
                 "vbulletin3": "vbulletin", "smf": "smf"}
PAGES = sorted(str(path.relative_to(FIXTURES)) for path in FIXTURES.glob("*/*")
               if path.suffix in (".html", ".json") and "401" not in path.name)


def _expected(relative):
    folder, name = relative.split("/", 1)
    return FOLDER_ENGINE.get(folder) or next(engine for engine in NAMES if name.startswith(engine))


@pytest.mark.parametrize("relative", PAGES)
def test_exactly_the_right_engine_detects_each_page(relative):
    if relative.startswith("built/") and relative.endswith(".json"):
        body, url = (FIXTURES / relative).read_text(encoding="utf-8"), "https://community.example.org/api"
    else:
        body, url, _ = load_page(relative)
    assert [name for name, engine in ENGINES.items() if engine.detect(url or "https://x.example/", body, {})] \
        == [_expected(relative)]


@pytest.mark.parametrize("name", [name for name in NAMES if name != "flarum"])
def test_html_engines_refuse_an_empty_page_clearly_and_read_a_foreign_page_as_empty(name):
    engine = ENGINES[name]
    with pytest.raises(PageError, match="leere Seite"):
        engine.parse_thread("", "https://x.example/t/1")
    page = engine.parse_thread("<html><body><p>Wartungsarbeiten</p></body></html>", "https://x.example/t/1")
    assert page.posts == [] and not page.login_required and page.next_url is None
    listing = engine.parse_list("<html><body><p>Wartungsarbeiten</p></body></html>", "https://x.example/f/1")
    assert listing.threads == [] and listing.next_url is None
