"""MyBB 1.8: pages built from the default theme's templates (forumdisplay, showthread page 2 of 3)."""

import datetime as dt

from html_forums import built_page
from miner.sources.base import Board
from miner.sources.mybb import ENGINE, MyBB

BASE = "https://schulforum.example.org/"
NOW = dt.datetime(2024, 3, 14, 10, 30, tzinfo=dt.timezone.utc)


def test_forum_page_with_sticky_moved_and_next_page():
    page = MyBB(now=NOW).parse_list(built_page("mybb18-forumdisplay.html"), BASE + "forumdisplay.php?fid=4")
    assert page.boards == [Board(BASE + "forumdisplay.php?fid=9", "Datenschutz und DSGVO")]
    assert [(t.thread_id, t.pinned, t.replies, t.last_posted_at, t.moved_to) for t in page.threads] == [
        (41, True, 1027, "2024-03-12T13:02:00.000Z", None),
        (57, False, 12, "2024-03-14T09:30:00.000Z", None),  # "Vor 1 Stunde" with the exact date in title
        (88, False, None, "2024-02-20T10:00:00.000Z", BASE + "showthread.php?tid=88")]
    assert page.next_url == BASE + "forumdisplay.php?fid=4&page=2"


def test_thread_page_two_of_three():
    page = MyBB(now=NOW).parse_thread(built_page("mybb18-showthread-page2.html"), BASE + "showthread.php?tid=57&page=2")
    assert (page.thread_id, page.page, page.page_count, page.closed) == (57, 2, 3, True)
    assert page.url == BASE + "showthread.php?tid=57" and page.next_url == BASE + "showthread.php?tid=57&page=3"
    assert page.title == "Elternchat über WhatsApp – dürfen wir das?" and page.board == "Messenger im Unterricht"
    first, deleted, guest = page.posts
    assert (first.post_id, first.number, first.author, first.created_at) == (
        805, 11, "lehrerin_b", "2024-03-13T08:05:00.000Z")
    assert first.body.startswith('<aside class="quote" data-username="klasse7b"><blockquote>Gilt das')
    assert "<pre><code>Einwilligung: Elternchat (freiwillig, jederzeit widerrufbar)</code></pre>" in first.body
    for chrome in ("schrieb", "12.03.2024", "Code:", "zuletzt bearbeitet", "Grüße aus dem Lehrerzimmer"):
        assert chrome not in first.body
    assert deleted.deleted and deleted.body == "" and deleted.post_id == 806
    assert (guest.author, guest.number, guest.created_at) == ("Gast", 13, "2024-03-14T09:30:00.000Z")


def test_urls_detection_and_login():
    assert ENGINE.thread_id(BASE + "showthread.php?tid=57&page=2") == 57
    assert ENGINE.thread_id(BASE + "showthread.php?mode=linear&tid=57") == 57
    assert ENGINE.thread_id(BASE + "thread-57-page-2.html") == 57
    assert ENGINE.thread_id(BASE + "forumdisplay.php?fid=4") is None
    assert ENGINE.thread_url(BASE + "index.php", 57, 3) == BASE + "showthread.php?tid=57&page=3"
    assert ENGINE.detect(BASE, built_page("mybb18-forumdisplay.html"), {})
    assert not ENGINE.detect(BASE, "<html><body>x</body></html>", {})
    login = ('<html><body><form action="member.php" method="post"><input type="text" name="username">'
             '<input type="password" name="password"></form></body></html>')
    assert ENGINE.parse_thread(login, BASE + "showthread.php?tid=5").login_required
    assert ENGINE.parse_list(login, BASE + "forumdisplay.php?fid=3").login_required


def test_an_empty_forum_with_the_guest_login_modal_is_not_a_login_wall():
    empty = ('<html><body><div id="quick_login" class="modal" style="display: none;"><form method="post" '
             'action="member.php"><input name="quick_password" id="quick_login_password" type="password"></form></div>'
             '<table class="tborder"><tr><td class="trow1">Es gibt keine Themen in diesem Forum.</td></tr></table>'
             '</body></html>')
    page = ENGINE.parse_list(empty, BASE + "forumdisplay.php?fid=5")
    assert not page.login_required and page.threads == []
