"""SMF: pages built from the 2.1 templates (message index, topic page 2 of 3) and URLs; the recorded
SMF 1.1 page is checked against its gold annotations in test_sources_recorded."""

import datetime as dt

from html_forums import built_page, load_page
from miner.sources.base import Board
from miner.sources.smf import ENGINE, SMF

BASE = "https://forum.example.org/index.php"
NOW = dt.datetime(2024, 3, 14, 12, 0, tzinfo=dt.timezone.utc)


def test_message_index_with_sticky_moved_and_next_page():
    page = SMF(now=NOW).parse_list(built_page("smf21-messageindex.html"),
                                   BASE + "?board=4.0")
    assert page.boards == [Board(BASE + "?board=9.0", "Datenschutz und DSGVO")]
    assert [(t.thread_id, t.pinned, t.replies, t.last_posted_at) for t in page.threads] == [
        (41, True, 27, "2024-03-12T13:02:00.000Z"), (57, False, 21, "2024-03-14T09:30:00.000Z"),
        (52, False, None, "2024-02-20T10:00:00.000Z")]
    assert page.threads[2].moved_to == BASE + "?topic=52.0"
    assert page.next_url == BASE + "?board=4.20"  # not a topic row's own page links


def test_topic_page_two_of_three():
    page = SMF(now=NOW).parse_thread(built_page("smf21-topic-page2.html"),
                                     BASE + "?topic=57.20")
    assert (page.thread_id, page.page, page.page_count) == (57, 2, 3)
    assert page.url == BASE + "?topic=57.0" and page.next_url == BASE + "?topic=57.40"
    assert page.board == "Messenger im Unterricht"
    first, guest = page.posts
    assert (first.post_id, first.number, first.author, first.created_at) == (
        805, 21, "lehrerin_b", "2024-03-13T08:05:00.000Z")
    assert first.body.startswith('<aside class="quote" data-username="klasse7b"><blockquote>Gilt das')
    assert '<a class="mention" href="/u/klasse7b">@klasse7b</a>' in first.body
    assert "<pre><code>Einwilligung: Elternchat (freiwillig, jederzeit widerrufbar)</code></pre>" in first.body
    assert "Zitat von" not in first.body and "Auswählen" not in first.body
    assert "Grüße aus dem Lehrerzimmer" not in first.body and "Letzte Bearbeitung" not in first.body
    assert (guest.author, guest.number, guest.created_at) == ("Gast", 22, "2024-03-14T09:30:00.000Z")


def test_recorded_smf1_page_pagination_ignores_the_next_topic_link():
    html, url, _ = load_page("smf/topic-en-bpdfamily-smf1-343886.gold.json")
    page = ENGINE.parse_thread(html, url)
    assert (page.page, page.page_count, len(page.posts)) == (1, 2, 30)
    assert page.next_url == "https://bpdfamily.com/message_board/index.php?topic=343886.30"  # no PHPSESSID
    assert [post.number for post in page.posts] == list(range(1, 31))


def test_urls_detection_and_login():
    assert ENGINE.thread_id(BASE + "?topic=57.20") == 57
    assert ENGINE.thread_id(BASE + "?topic=57.msg805#msg805") == 57
    assert ENGINE.thread_id("https://forum.example.org/index.php/topic,57.0.html") == 57
    assert ENGINE.thread_id(BASE + "?board=4.0") is None
    assert ENGINE.thread_url(BASE + "?board=4.0", 57, 3) == BASE + "?topic=57.40"
    assert ENGINE.detect(BASE, built_page("smf21-messageindex.html"), {})
    assert not ENGINE.detect(BASE, "<html><body>x</body></html>", {})
    login = ('<html><body><form action="index.php?action=login2" id="frmLogin"><input type="text" name="user">'
             '<input type="password" name="passwrd"></form></body></html>')
    assert ENGINE.parse_thread(login, BASE + "?topic=5.0").login_required
    assert ENGINE.parse_list(login, BASE + "?board=3.0").login_required
