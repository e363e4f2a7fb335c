"""miner.parse on real recorded Discourse responses (tests/fixtures/discourse, see PROVENANCE.md)."""

import json
import re
from pathlib import Path

import pytest

from miner import parse
from miner.keys import Pseudonymizer

FIXTURES = Path(__file__).parent / "fixtures" / "discourse"
PSEUDO = Pseudonymizer(b"test-key")


def load(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_modern_topic_with_446_ids_in_its_stream():
    topic = load("t_2108_post_452.json")
    stream, posts = parse.post_stream(topic)
    assert len(stream) == 446 and len(set(stream)) == 446
    assert [p["post_number"] for p in posts] == list(range(433, 453))
    row = parse.parse_topic(topic, forum="cf", base_url="https://cf.example", pseudonymize=PSEUDO)
    assert row["id"] == "cf:2108" and row["topic_id"] == 2108
    assert row["posts_count"] == 446 and row["highest_post_number"] == 452
    assert row["url"] == "https://cf.example/t/comments-on-the-boyfriends-introduction-to-feminism/2108"
    assert json.loads(row["tags"]) == ["bot", "curiosity-blog"]
    assert row["category"] == "cf:13"
    assert row["starter"] == PSEUDO("Elliot") and row["starter"].startswith("user-")


def test_modern_posts_become_pseudonymized_rows_with_quotes_apart():
    topic = load("t_2108_post_452.json")
    stream, posts = parse.post_stream(topic)
    known = parse.topic_usernames(topic, posts)
    rows = [parse.parse_post(p, forum="cf", thread_id="cf:2108", pseudonymize=PSEUDO, known_usernames=known)
            for p in posts]
    first = rows[0]
    assert first["id"] == "cf:19902" and first["post_number"] == 433 and first["reply_to_post_number"] == 428
    assert first["author"] == PSEUDO("ActiveMind")
    assert first["like_count"] == 1  # from actions_summary
    assert first["text"] == ("I just recently got told by a friend that lobbies would either want to marry her "
                             "or be nasty towards her.")
    assert first["quoted"].startswith("its odd though, over time I’ve noticed two reactions")
    assert f'data-username="{PSEUDO("Eternity")}"' in first["html"]
    raw_names = {p["username"] for p in posts} | {"Eternity"}
    for row in rows:
        for field in ("text", "quoted", "html"):
            for name in raw_names:
                assert not re.search(rf"(?<![\w/.-]){re.escape(name)}(?![\w])", row[field] or ""), (name, field)
        assert "user_avatar" not in row["html"]
        assert "  " not in row["text"] and "\n\n\n" not in row["text"]


@pytest.mark.parametrize("name, numbers", [("t_2108_posts.json", list(range(1, 21))),
                                           ("t_2108_posts_pn_41.json", list(range(40, 20, -1)))])
def test_posts_chunks_in_either_order(name, numbers):
    body = load(name)
    posts = body["post_stream"]["posts"]
    assert body["id"] == 2108 and [p["post_number"] for p in posts] == numbers
    rows = [parse.parse_post(p, forum="cf", thread_id="cf:2108", pseudonymize=PSEUDO) for p in posts]
    assert all(r["thread"] == "cf:2108" and r["author"].startswith("user-") for r in rows)
    assert sum(1 for r in rows if r["text"]) >= 18


def test_old_topic_and_posts_shapes():
    topic = load("gem_topic.json")
    stream, posts = parse.post_stream(topic)
    assert len(stream) == 4 and len(posts) == 4
    row = parse.parse_topic(topic, forum="try", base_url="https://try.example", pseudonymize=PSEUDO)
    assert row["topic_id"] == 57 and row["posts_count"] == 4
    chunk = load("gem_topic_posts.json")
    assert chunk["id"] == 57 and [p["id"] for p in chunk["post_stream"]["posts"]] == [123456]


def test_topic_lists_old_shapes_with_pinned_topics():
    topics, more = parse.parse_topic_list(load("gem_latest.json"))
    assert more == "/latest.json?page=1" and len(topics) == 3
    assert [t["pinned"] for t in topics] == [True, False, False]
    topics, more = parse.parse_topic_list(load("gem_category_latest_topics.json"))
    assert more is None and len(topics) == 2


def test_categories():
    categories = parse.flatten_categories(load("gem_categories.json")["category_list"]["categories"])
    rows = [parse.parse_category(c, forum="try") for c in categories]
    assert [(r["id"], r["slug"], r["read_restricted"]) for r in rows] == [
        ("try:1", "test1", 0), ("try:2", "test2", 0), ("try:3", "test3", 0)]
    assert rows[0]["description"] == "Test category #1."


def test_clean_cooked_handles_code_oneboxes_images_mentions_lists():
    cooked = (
        '<p>Hallo <a class="mention" href="/u/matthias">@matthias</a>, siehe <img src="/images/emoji/twitter/smile.png" '
        'class="emoji" alt=":smile:"> hier:</p>\n'
        '<pre><code class="lang-bash">curl https://x?y=1\n</code></pre>\n'
        '<aside class="onebox allowlistedgeneric" data-onebox-src="https://www.freie-messenger.de/bildungstraeger/">'
        '<header class="source"><a href="https://www.freie-messenger.de/">freie-messenger.de</a></header>'
        '<article class="onebox-body"><h3>Titel</h3><p>Lange Beschreibung</p></article></aside>\n'
        '<ol>\n<li>Frage:<br>\nGibt es legale Alternativen?</li>\n<li>Kooperiert eine Schule?</li>\n</ol>\n'
        '<div class="lightbox-wrapper"><a class="lightbox" href="/uploads/x.png"><img src="/uploads/x.png" alt="x">'
        '<div class="meta"><span class="filename">x.png</span><span class="informations">800×600 12 KB</span>'
        '</div></a></div>\n'
        '<p>tobias schrieb: Mail an tobias.meyer@schule.de oder 0171 2345678. '
        'Profil: <a href="https://forum.example/u/tobias/summary">hier</a></p>'
    )
    result = parse.clean_cooked(cooked, PSEUDO, known_usernames={"tobias"})
    m, t = PSEUDO("matthias"), PSEUDO("tobias")
    assert result["text"] == (
        f"Hallo @{m}, siehe hier:\n\n[code]\n\nhttps://www.freie-messenger.de/bildungstraeger/\n\n"
        "1. Frage:\nGibt es legale Alternativen?\n\n2. Kooperiert eine Schule?\n\n[image]\n"
        f"{t} schrieb: Mail an [email] oder [phone]. Profil: hier"
    )
    assert result["masked"] == 2
    assert f'href="/u/{m}"' in result["html"] and f"/u/{t}/summary" in result["html"]
    assert "matthias" not in result["html"] and "tobias" not in result["html"]
    assert result["quoted"] == ""


@pytest.mark.parametrize("text, expected, count", [
    ("Ruf an: +49 30 1234567!", "Ruf an: [phone]!", 1),
    ("030/1234567 oder (030) 12345-67", "[phone] oder [phone]", 2),
    ("am 01.02.2023 um 10:15, Version 0.12.3, PLZ 24103, Raum 0815", "am 01.02.2023 um 10:15, Version 0.12.3, PLZ 24103, Raum 0815", 0),
    ("Kontakt: a.b-c@schule.example.org.", "Kontakt: [email].", 1),
    ("IP 10.0.0.1 und 2023-04-05", "IP 10.0.0.1 und 2023-04-05", 0),
])
def test_mask_identifiers(text, expected, count):
    assert parse.mask_identifiers(text) == (expected, count)


def test_titles_and_category_descriptions_are_masked_too():
    topic = {"id": 1, "title": "Frage an @MatthiasK: Nummer 0171 2345678 ok?", "slug": "x", "posts_count": 1}
    row = parse.parse_topic(topic, forum="f", base_url="https://f", pseudonymize=PSEUDO)
    assert row["title"] == f"Frage an @{PSEUDO('MatthiasK')}: Nummer [phone] ok?"
    category = parse.parse_category({"id": 3, "description": "<p>Kontakt: admin@schule.example</p>"}, forum="f")
    assert category["description"] == "Kontakt: [email]"


def test_known_usernames_replaced_in_running_text_but_not_everyday_words():
    cooked = "<p>Wie Elliot sagt, ist das System gut. Danke elliot!</p>"
    result = parse.clean_cooked(cooked, PSEUDO, known_usernames={"Elliot", "system"})
    alias = PSEUDO("elliot")
    assert result["text"] == f"Wie {alias} sagt, ist das System gut. Danke {alias}!"
