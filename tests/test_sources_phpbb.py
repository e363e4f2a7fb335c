"""phpBB pages built from the 3.3 prosilver templates: lists, pagination, flags, thread details."""


from html_forums import built_page
from miner.sources.base import Board
from miner.sources.phpbb import ENGINE

BASE = "https://forum.example.org/"


def test_topic_list_with_flags_moved_stub_and_next_page():
    page = ENGINE.parse_list(built_page("phpbb33-viewforum-page1.html"), BASE + "viewforum.php?f=4")
    assert page.boards == [Board(BASE + "viewforum.php?f=9", "Datenschutz und DSGVO")]
    assert [(t.thread_id, t.pinned, t.replies, t.moved_to) for t in page.threads] == [
        (3, True, 0, None), (41, True, 27, None), (57, False, 4, None),
        (52, False, None, BASE + "viewtopic.php?t=52"), (33, False, 11, None)]
    assert page.threads[1].url == BASE + "viewtopic.php?t=41"  # the session id is gone
    assert page.threads[1].last_posted_at == "2024-03-12T13:02:00.000Z"
    assert page.threads[4].last_posted_at == "2024-02-09T16:45:00.000Z"  # text date, Berlin time
    # the next page of the list, not a topic row's own page links
    assert page.next_url == BASE + "viewforum.php?f=4&start=25"
    assert not page.login_required


def test_private_board_is_refused_as_login_required():
    page = ENGINE.parse_list(built_page("phpbb33-viewforum-login.html"), BASE + "viewforum.php?f=12")
    assert page.login_required and page.threads == []


def test_thread_page_two_of_three():
    page = ENGINE.parse_thread(built_page("phpbb33-viewtopic-page2.html"), BASE + "viewtopic.php?t=57&start=10")
    assert (page.thread_id, page.page, page.page_count) == (57, 2, 3)
    assert page.url == BASE + "viewtopic.php?t=57"
    assert page.next_url == BASE + "viewtopic.php?t=57&start=20"
    assert page.board == "Messenger im Unterricht" and page.closed
    first, deleted = page.posts
    assert (first.post_id, first.number, first.author, first.created_at) == (
        805, 11, "lehrerin_b", "2024-03-13T08:05:00.000Z")
    assert first.body.startswith('<aside class="quote" data-username="klasse7b"><blockquote>')
    assert "hat geschrieben" not in first.body and "↑" not in first.body
    assert "<pre><code>Einwilligung: Elternchat (freiwillig, jederzeit widerrufbar)</code></pre>" in first.body
    assert "Alles auswählen" not in first.body
    assert "Zuletzt geändert" not in first.body and "Grüße aus dem Lehrerzimmer" not in first.body
    assert deleted.deleted and deleted.body == "" and deleted.post_id == 806


def test_last_page_has_no_next_url_and_urls_round_trip():
    page = ENGINE.parse_thread(built_page("phpbb33-viewtopic-page2.html").replace(
        '<li class="active"><span>2</span></li>', '<li class="active"><span>3</span></li>'),
        BASE + "viewtopic.php?t=57&start=20")
    assert page.page == 3 and page.next_url is None
    assert ENGINE.thread_id(BASE + "viewtopic.php?f=4&t=57&sid=abc") == 57
    assert ENGINE.thread_id(BASE + "viewtopic.php?p=805") is None
    assert ENGINE.thread_id(BASE + "elternchat-t57.html") == 57
    assert ENGINE.thread_url(BASE + "index.php", 57) == BASE + "viewtopic.php?t=57"
    assert ENGINE.thread_url(BASE, 57, page=3) == BASE + "viewtopic.php?t=57&start=20"


def test_detection():
    assert ENGINE.detect(BASE, built_page("phpbb33-viewforum-page1.html"), {})
    assert ENGINE.detect(BASE, "<html></html>", {"Set-Cookie": "phpbb3_abcde_sid=123; path=/"})
    assert not ENGINE.detect(BASE, "<html><body>Hallo</body></html>", {})
