"""Flarum JSON:API documents built from the 1.x serializers: discussion (page 1), posts (page 2),
discussion list, tags, a permission error."""

import pytest

from html_forums import built_page
from miner.sources.base import Board
from miner.i18n import localized
from miner.sources.flarum import ENGINE, FlarumError

ROOT = "https://community.example.org/"


def test_discussion_document_is_page_one_with_its_included_posts():
    page = ENGINE.parse_thread(built_page("flarum-api-discussion-57.json"), ROOT + "api/discussions/57")
    assert (page.thread_id, page.page, page.page_count) == (57, 1, 2)
    assert page.url == ROOT + "d/57-elternchat-uber-whatsapp-durfen-wir-das"
    assert page.next_url == ROOT + "api/posts?filter%5Bdiscussion%5D=57&sort=number&page%5Boffset%5D=20&page%5Blimit%5D=20"
    assert (page.board, page.pinned, page.closed) == ("Messenger", True, True)
    # the "discussionRenamed" event is not a post; the hidden post stays as a stub without text
    assert [(p.post_id, p.number, p.author, p.deleted) for p in page.posts] == [
        (801, 1, "klasse7b", False), (802, 2, "lehrerin_b", False), (804, 4, "klasse7b", False), (805, 5, None, True)]
    first, reply, quoting, hidden = page.posts
    assert first.created_at == "2024-03-11T06:30:00.000Z"
    assert reply.updated_at == "2024-03-11T07:10:00.000Z" and reply.likes == 2
    assert reply.body.startswith('<p><a class="mention" href="/u/klasse7b">@klasse7b</a> Kurz gesagt')
    assert '<aside class="quote"><blockquote><p>Die Teilnahme' in reply.body
    assert quoting.body.startswith('<aside class="quote" data-username="lehrerin_b"><blockquote><p>So steht')
    assert "wrote:" not in quoting.body and "<pre><code>Einwilligung: Elternchat (freiwillig)</code></pre>" in quoting.body
    assert hidden.body == ""


def test_posts_document_is_a_later_page():
    url = ROOT + "api/posts?filter%5Bdiscussion%5D=57&sort=number&page%5Boffset%5D=20&page%5Blimit%5D=20"
    page = ENGINE.parse_thread(built_page("flarum-api-posts-57-offset20.json"), url)
    assert (page.thread_id, page.page, page.title) == (57, 2, "Elternchat über WhatsApp – dürfen wir das?")
    assert [(p.post_id, p.number, p.author) for p in page.posts] == [(821, 21, "lehrerin_b"), (822, 22, "klasse7b")]
    assert page.next_url.endswith("page%5Boffset%5D=40&page%5Blimit%5D=20")
    assert ENGINE.thread_url(ROOT, 57, 2) == url


def test_discussion_list_and_tags():
    page = ENGINE.parse_list(built_page("flarum-api-discussions.json"), ROOT + "api/discussions?sort=-lastPostedAt")
    assert [(t.thread_id, t.replies, t.pinned, t.last_posted_at) for t in page.threads] == [
        (41, 1027, True, "2024-03-12T13:02:00.000Z"), (57, 22, False, "2024-03-13T09:30:00.000Z"),
        (33, 11, False, "2024-02-09T16:45:00.000Z")]
    assert page.threads[0].url == ROOT + "d/41-welcher-messenger-ist-an-schulen-erlaubt"
    assert page.next_url == ROOT + "api/discussions?sort=-lastPostedAt&page%5Boffset%5D=20"
    tags = ENGINE.parse_list(built_page("flarum-api-tags.json"), ROOT + "api/tags")
    assert tags.boards == [Board(ROOT + "api/discussions?filter%5Btag%5D=unterricht", "Unterricht"),
                           Board(ROOT + "api/discussions?filter%5Btag%5D=messenger", "Messenger")]


def test_permission_errors_mean_login_required_and_other_answers_a_clear_error():
    assert ENGINE.parse_thread(built_page("flarum-api-401.json"), ROOT + "api/discussions/9").login_required
    assert ENGINE.parse_list(built_page("flarum-api-401.json"), ROOT + "api/discussions").login_required
    with pytest.raises(FlarumError, match="keine Antwort der Flarum-API") as refused:
        ENGINE.parse_thread("<html></html>", ROOT + "d/9")
    assert localized(refused.value, "en").startswith("not a Flarum API answer (no JSON)")
    with pytest.raises(FlarumError, match="404"):
        ENGINE.parse_thread('{"errors": [{"status": "404", "code": "not_found"}]}', ROOT + "api/discussions/9")


def test_urls_and_detection():
    assert ENGINE.thread_id(ROOT + "d/57-elternchat/3") == 57
    assert ENGINE.thread_id(ROOT + "api/discussions/57") == 57
    assert ENGINE.thread_id(ROOT + "api/posts?filter%5Bdiscussion%5D=57&page%5Boffset%5D=20") == 57
    assert ENGINE.thread_id(ROOT + "t/messenger") is None
    assert ENGINE.thread_url(ROOT + "d/57-elternchat", 57) == ROOT + "api/discussions/57"
    assert ENGINE.detect(ROOT + "api/discussions", built_page("flarum-api-discussions.json"), {})
    assert ENGINE.detect(ROOT, '<div id="flarum-loading" style="display: none">', {})
    assert not ENGINE.detect(ROOT, "<html><body>x</body></html>", {})
