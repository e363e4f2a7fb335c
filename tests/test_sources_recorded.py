"""Every engine against real recorded pages: each expected post's author, date and text is found,
quotes are kept apart from the author's own words, signatures are gone."""

from __future__ import annotations

import importlib

import lxml.html
import pytest

from html_forums import (gold_authors, load_page, normalise, quote_texts, same_moment,
                         segments, text_not_in_gold, unexplained_gold_text)
from miner.sources import markup

# engine, fixture, what the engine's own markup calls a signature, forum time zone
RECORDED = [
    ("phpbb", "phpbb3/viewtopic-de-mein-schoener-garten-t4825193.gold.json", ".signature", "Europe/Berlin"),
    ("phpbb", "phpbb3/viewtopic-en-ebaumsworld-t42095-page48.gold.json", ".signature", "Europe/Berlin"),
    ("phpbb", "phpbb3/viewtopic-en-openoffice-t82202.gold.json", ".signature", "Europe/Berlin"),
    ("phpbb", "phpbb3/viewtopic-en-videolan-t145604.gold.json", ".signature", "Europe/Berlin"),
    ("phpbb", "phpbb3/viewtopic-en-videolan-t92075.gold.json", ".signature", "Europe/Berlin"),
    ("xenforo", "xenforo2/thread-de-computerbase-1940201.gold.json", ".message-signature", "Europe/Berlin"),
    ("xenforo", "xenforo2/thread-de-uhrforum-414009.gold.json", ".message-signature", "Europe/Berlin"),
    ("xenforo", "xenforo2/thread-en-statcounter-44340.gold.json", ".message-signature", "Europe/Berlin"),
    ("vbulletin", "vbulletin4/showthread-de-drwindows-16340.gold.json", ".signaturecontainer", "Europe/Berlin"),
    ("vbulletin", "vbulletin4/showthread-de-worldofplayers-1553036.gold.json", ".signaturecontainer", "Europe/Berlin"),
    ("vbulletin", "vbulletin4/showthread-en-msworld-145403.gold.json", ".signaturecontainer", "Europe/Berlin"),
    ("vbulletin", "vbulletin3/showthread-en-skyscraperpage-242165.gold.json", ".signaturecontainer", "Europe/Berlin"),
    ("woltlab", "woltlab/thread-de-med1-969551.gold.json", ".messageSignature", "Europe/Berlin"),
    ("woltlab", "woltlab/thread-de-med1-972190.gold.json", ".messageSignature", "Europe/Berlin"),
    ("smf", "smf/topic-en-bpdfamily-smf1-343886.gold.json", ".signature", "Europe/Berlin"),
]
ATTRIBUTION_ALLOWANCE = 80  # "lemmiwinx wrote: ↑ Sat Jan 18, 2020 4:06 pm" and page chrome around code


def _engine(name):
    return importlib.import_module(f"miner.sources.{name}").ENGINE


@pytest.mark.parametrize("engine, fixture, signature, tz", RECORDED, ids=[row[1] for row in RECORDED])
def test_every_gold_post_is_found_with_author_date_and_text(engine, fixture, signature, tz):
    html, url, gold = load_page(fixture)
    page = _engine(engine).parse_thread(html, url)
    doc = lxml.html.document_fromstring(html)
    machine_dates = bool(doc.xpath("//time[@datetime] | //*[@data-time] | //*[@data-timestamp]"))
    assert len(page.posts) == len(gold)
    assert len({post.post_id for post in page.posts}) == len(page.posts)
    for expected, post in zip(gold, page.posts):
        assert post.author in gold_authors(doc, expected["user"]["surface_form"])
        assert same_moment(post.created_at, expected["datetime"]["surface_form"], tz, machine_dates), \
            (post.created_at, expected["datetime"]["surface_form"])
        extra = text_not_in_gold(post.body, expected["post_text"]["surface_form"])
        own_length = sum(map(len, segments(post.body)))
        assert len(extra) <= max(20, own_length // 10), f"post {post.post_id}: text not in the gold: {extra[:80]}"
        leftover = unexplained_gold_text(post.body, expected["post_text"]["surface_form"])
        allowance = ATTRIBUTION_ALLOWANCE * (1 + post.body.count("<aside") + post.body.count("<pre"))
        assert len(leftover) <= allowance, f"post {post.post_id} misses gold text: {leftover[:120]}"


@pytest.mark.parametrize("engine, fixture, signature, tz", RECORDED, ids=[row[1] for row in RECORDED])
def test_quotes_are_apart_and_signatures_gone(engine, fixture, signature, tz):
    html, url, _ = load_page(fixture)
    page = _engine(engine).parse_thread(html, url)
    doc = lxml.html.document_fromstring(html)
    signatures = [normalise(node.text_content()) for node in markup.select(doc, signature)]
    signatures = [text for text in signatures if len(text) >= 12]
    for post in page.posts:
        body = normalise(markup.plain_text(post.body))
        for text in signatures:
            assert text not in body, f"signature text in post {post.post_id}: {text[:60]}"
        own = "".join(segments(post.body))
        for quoted in quote_texts(post.body):
            if len(quoted) >= 30:
                assert quoted not in own, f"quote repeated in the own text of post {post.post_id}"
        assert 'class="signature' not in post.body and "<script" not in post.body


def test_recorded_pages_have_quotes_with_their_authors_moved_out():
    quoted_authors = set()
    for engine, fixture, _, _ in RECORDED:
        html, url, _ = load_page(fixture)
        for post in _engine(engine).parse_thread(html, url).posts:
            root = lxml.html.fragment_fromstring(post.body or "<p></p>", create_parent="div")
            for aside in markup.select(root, "aside.quote"):
                quoted_authors.add((engine, aside.get("data-username")))
                assert not normalise(aside.text_content()).startswith(normalise(aside.get("data-username") or "x") + "wrote")
    engines = {engine for engine, _ in quoted_authors}
    assert engines == {row[0] for row in RECORDED}
    assert all(any(name for e, name in quoted_authors if e == engine) for engine in engines)
