"""vBulletin 3/4: thread lists (built vB4 page), a recorded ISO-8859-1 page 34 of 40, URLs."""

import datetime as dt

from html_forums import built_page, load_page
from miner.sources.base import Board
from miner.sources.vbulletin import ENGINE, VBulletin

BASE = "https://lehrer.example.org/forum/"


def test_thread_list_with_sticky_moved_and_next_page():
    engine = VBulletin(now=dt.datetime(2024, 3, 14, 12, 0, tzinfo=dt.timezone.utc))
    html = built_page("vbulletin4-forumdisplay.html")
    page = engine.parse_list(html, BASE + "forumdisplay.php?4-Messenger-im-Unterricht")
    assert page.boards == [Board(BASE + "forumdisplay.php?12-Elternkommunikation", "Elternkommunikation")]
    assert [(t.thread_id, t.pinned, t.replies, t.moved_to) for t in page.threads] == [
        (41, True, 1027, None), (57, False, 4, None), (52, False, None, BASE + "showthread.php?52-Threema-Lizenzen")]
    assert page.threads[0].url == BASE + "showthread.php?41-Welcher-Messenger-ist-erlaubt"  # no session id
    assert [t.last_posted_at for t in page.threads] == [
        "2024-03-12T13:02:00.000Z", "2024-03-14T08:05:00.000Z", "2024-02-20T10:00:00.000Z"]  # "Heute, 09:05"
    assert page.next_url == BASE + "forumdisplay.php?4-Messenger-im-Unterricht/page2"


def test_recorded_latin1_page_34_of_40():
    html, _, _ = load_page("vbulletin4/showthread-de-pocketpc-page34.html")
    url = "https://www.pocketpc.ch/windows-phone-7-allgemein/122760-microsoft-beginnt-auslieferung-vorbereitungsupdate-34.html"
    page = ENGINE.parse_thread(html, url)
    assert (page.thread_id, page.page, page.page_count, len(page.posts)) == (122760, 34, 40, 20)
    assert page.url == url.replace("-34.html", ".html")
    assert page.next_url == url.replace("-34.html", "-35.html")
    assert page.title == "Microsoft beginnt mit der Auslieferung des Vorbereitungsupdate!"
    assert [post.number for post in page.posts] == list(range(661, 681))
    first = page.posts[0]
    assert (first.post_id, first.author, first.created_at) == (949757, "Predator", "2011-03-03T13:17:00.000Z")
    assert first.body.startswith("<div>\n\t<aside class=\"quote\" data-username=\"TheFreeman\"><blockquote>")
    assert all("Ã" not in post.body for post in page.posts)  # decoded as Latin-1, not as UTF-8


def test_urls_and_detection():
    assert ENGINE.thread_id(BASE + "showthread.php?t=57&page=2") == 57
    assert ENGINE.thread_id(BASE + "showthread.php?57-Elternchat-ueber-WhatsApp/page2") == 57
    assert ENGINE.thread_id("https://x.example/forum/threads/1553036-Wie-aufwendig") == 1553036
    assert ENGINE.thread_id("https://x.example/board/122760-titel-34.html") == 122760
    assert ENGINE.thread_id(BASE + "forumdisplay.php?f=4") is None
    assert ENGINE.thread_url(BASE + "forum.php", 57, 2) == BASE + "showthread.php?t=57&page=2"
    html = built_page("vbulletin4-forumdisplay.html")
    assert ENGINE.detect(BASE, html, {}) and not ENGINE.detect(BASE, "<html><body>x</body></html>", {})
    login = '<html><body><form action="login.php?do=login"><input type="password" name="vb_login_password"></form></body></html>'
    assert ENGINE.parse_thread(login, BASE + "showthread.php?t=9").login_required
    assert ENGINE.parse_list(login, BASE + "forumdisplay.php?f=9").login_required


def test_vbulletin5_thread_page_two_of_three():
    html = built_page("vbulletin5-thread.html")
    url = "https://vb5.example.org/forum/unterricht/messenger/57-elternchat-ueber-whatsapp/page2"
    page = ENGINE.parse_thread(html, url)
    assert (page.thread_id, page.page, page.page_count) == (57, 2, 3)
    assert page.url == url.rsplit("/page2", 1)[0] and page.next_url == url.replace("page2", "page3")
    assert page.title == "Elternchat über WhatsApp – dürfen wir das?" and page.board == "Messenger im Unterricht"
    first, deleted = page.posts
    assert (first.post_id, first.number, first.author, first.created_at) == (
        805, 11, "lehrerin_b", "2024-03-13T08:05:00.000Z")
    assert '<aside class="quote" data-username="klasse7b"><blockquote>Gilt das auch für Klassenfahrten?' in first.body
    assert "<pre><code>Einwilligung: Elternchat (freiwillig, jederzeit widerrufbar)</code></pre>" in first.body
    for chrome in ("Zitat von", "Code:", "Zuletzt geändert", "Grüße aus dem Lehrerzimmer"):
        assert chrome not in first.body
    assert deleted.deleted and deleted.body == "" and deleted.number == 12


def test_an_empty_forum_with_the_navbar_login_is_not_a_login_wall():
    empty = ('<html><body><ul id="navbar_login"><li><form id="navbar_loginform" action="login.php?do=login" '
             'method="post"><input type="password" name="vb_login_password"></form></li></ul>'
             '<div id="threadlist"><ol id="threads" class="threads"></ol></div></body></html>')
    page = ENGINE.parse_list(empty, BASE + "forumdisplay.php?f=5")
    assert not page.login_required and page.threads == []
