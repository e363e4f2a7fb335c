"""XenForo 2: thread lists (built page), pagination and URLs on recorded pages, login pages."""


from html_forums import built_page, load_page
from miner.sources.base import Board
from miner.sources.xenforo import ENGINE

BASE = "https://schul-it.example.org/"


def test_thread_list_with_sticky_moved_and_next_page():
    html = built_page("xenforo2-forum-view-page2.html")
    page = ENGINE.parse_list(html, BASE + "forums/messenger-datenschutz.7/page-2")
    assert page.boards == [Board(BASE + "forums/elternkommunikation.12/", "Elternkommunikation")]
    assert [(t.thread_id, t.title, t.pinned, t.replies, t.moved_to) for t in page.threads] == [
        (118, "Zugelassene Messenger – Liste 2024", True, 1204, None),  # the prefix label is not the title
        (207, "Elternchat über WhatsApp?", False, 23, None),
        (190, "Threema-Lizenzen für das Kollegium", False, None, BASE + "threads/threema-lizenzen.190/"),
        (171, "Schul-Cloud: Zugang für Referendare", False, 11, None)]
    assert page.threads[1].url == BASE + "threads/elternchat-ueber-whatsapp.207/"
    assert page.threads[0].last_posted_at == "2024-03-13T18:40:00.000Z"  # data-time, not "Gestern um"
    assert page.next_url == BASE + "forums/messenger-datenschutz.7/page-3"


def test_last_list_page_has_no_next_url():
    html = built_page("xenforo2-forum-view-page2.html")
    html = html.replace('<a href="/forums/messenger-datenschutz.7/page-3" class="pageNav-jump pageNav-jump--next">Weiter</a>', "")
    html = html.replace('<link rel="next" href="https://schul-it.example.org/forums/messenger-datenschutz.7/page-3" />', "")
    html = html.replace("pageNav-page pageNav-page--current ", "pageNav-page ").replace(
        '<li class="pageNav-page "><a href="/forums/messenger-datenschutz.7/page-4">',
        '<li class="pageNav-page pageNav-page--current "><a href="/forums/messenger-datenschutz.7/page-4">')
    page = ENGINE.parse_list(html, BASE + "forums/messenger-datenschutz.7/page-4")
    assert page.next_url is None and len(page.threads) == 4


def test_recorded_thread_page_one_of_53():
    html, url, _ = load_page("xenforo2/thread-de-android-hilfe-904645-page1.raw.json")
    page = ENGINE.parse_thread(html, url)
    assert (page.thread_id, page.page, page.page_count, len(page.posts)) == (904645, 1, 53, 20)
    assert page.next_url == url.replace(".904645.html", ".904645-page-2.html")
    assert page.url == url
    assert [post.number for post in page.posts] == list(range(1, 21))
    assert page.board == "Samsung Allgemein"
    assert all(post.created_at and post.author for post in page.posts)


def test_recorded_pages_without_gold_parse_every_message():
    for fixture, thread_url, count in [
        ("xenforo2/thread-de-katzen-forum.html",
         "https://www.katzen-forum.net/threads/jede-nacht-verliert-pepe-soviel-dreck-aus-dem-fell.230143/", 18),
        ("xenforo2/thread-villagersandheroes-patchnotes.html",
         "https://villagersandheroes.com/forums/threads/patchnotes-4-47-4-tagundnachtgleiche-bugfix-build.3976/", 9),
    ]:
        html, _, _ = load_page(fixture)
        page = ENGINE.parse_thread(html, thread_url)
        assert len(page.posts) == count == html.count('<article class="message message--post')
        assert page.url == thread_url and page.next_url is None
        quoted = [post for post in page.posts if '<aside class="quote" data-username=' in post.body]
        assert quoted and all("Zum Vergrößern anklicken" not in post.body for post in page.posts)


def test_login_page_and_urls():
    login = ('<html id="XF" data-template="login"><body><form action="/login/login" method="post">'
             '<input type="text" name="login"><input type="password" name="password"></form></body></html>')
    assert ENGINE.parse_thread(login, BASE + "threads/intern.5/").login_required
    assert ENGINE.parse_list(login, BASE + "forums/intern.3/").login_required
    assert ENGINE.thread_id(BASE + "threads/elternchat-ueber-whatsapp.207/page-3") == 207
    assert ENGINE.thread_id(BASE + "threads/207/") == 207
    assert ENGINE.thread_id(BASE + "forums/messenger-datenschutz.7/") is None
    assert ENGINE.thread_url(BASE + "forums/messenger-datenschutz.7/", 207, 3) == BASE + "threads/207/page-3"
    assert ENGINE.detect(BASE, login, {}) and not ENGINE.detect(BASE, "<html><body></body></html>", {})
