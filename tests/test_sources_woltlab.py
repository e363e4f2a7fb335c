"""WoltLab Suite Forum: board page (built), recorded thread page 1 of 219, URLs, login pages."""


from html_forums import built_page, load_page
from miner.sources.base import Board
from miner.sources.woltlab import ENGINE

BASE = "https://lehrerforum.example.org/forum/"


def test_board_page_with_sticky_moved_and_next_page():
    html = built_page("woltlab5-board-page1.html")
    page = ENGINE.parse_list(html, BASE + "board/4-messenger-im-unterricht/")
    assert page.boards == [Board(BASE + "board/9-datenschutz-und-dsgvo/", "Datenschutz und DSGVO")]
    assert [(t.thread_id, t.pinned, t.replies, t.last_posted_at) for t in page.threads] == [
        (41, True, 1027, "2024-03-12T13:02:00.000Z"), (57, False, 4, "2024-03-13T08:05:00.000Z"),
        (52, False, None, None)]
    assert page.threads[2].moved_to == BASE + "thread/88-threema-lizenzen-fuer-das-kollegium/"
    assert page.next_url == BASE + "board/4-messenger-im-unterricht/?pageNo=2"


def test_next_page_from_the_pagination_template_and_last_page():
    html = built_page("woltlab5-board-page1.html")
    without_link = html.replace('<link rel="next" href="https://lehrerforum.example.org/forum/board/'
                                '4-messenger-im-unterricht/?pageNo=2">', "")
    without_link = without_link.replace(' rel="next"', "")
    page = ENGINE.parse_list(without_link, BASE + "board/4-messenger-im-unterricht/")
    assert page.next_url == BASE + "board/4-messenger-im-unterricht/?pageNo=2"  # from data-link="...%d"
    last = without_link.replace('<li class="active"><span>1</span>', '<li class="active"><span>3</span>')
    assert ENGINE.parse_list(last, BASE + "board/4-messenger-im-unterricht/?pageNo=3").next_url is None


def test_recorded_thread_page_one_of_219():
    html, url, _ = load_page("woltlab/thread-de-med1-972190.gold.json")
    page = ENGINE.parse_thread(html, url)
    assert (page.thread_id, page.page, page.page_count, len(page.posts)) == (972190, 1, 219, 15)
    assert page.next_url == url + "?pageNo=2" and page.url == url
    assert page.title == 'Corona, eine gehypde "Apokalypse"'
    second = page.posts[1]
    assert (second.post_id, second.author, second.created_at) == (25658045, "HasiX", "2020-03-09T20:09:39.000Z")
    quoted = [post for post in page.posts if 'data-username="Barrio"' in post.body]
    assert quoted and all("schrieb:" not in post.body for post in quoted)


def test_urls_detection_and_login():
    assert ENGINE.thread_id(BASE + "thread/57-elternchat-ueber-whatsapp/?pageNo=2") == 57
    assert ENGINE.thread_id(BASE + "index.php?thread/57-elternchat/") == 57
    assert ENGINE.thread_id("https://x.example/wbb/index.php?page=Thread&threadID=57") == 57
    assert ENGINE.thread_id(BASE + "board/4-messenger-im-unterricht/") is None
    assert ENGINE.thread_id(BASE + "board/12-abitur-2024/") is None
    assert ENGINE.thread_url(BASE + "board/4-messenger/", 57, 2) == BASE + "index.php?thread/57/&pageNo=2"
    html = built_page("woltlab5-board-page1.html")
    assert ENGINE.detect(BASE, html, {}) and not ENGINE.detect(BASE, "<html><body>x</body></html>", {})
    login = ('<html><body id="tpl_wcf_login"><form method="post" action="login/"><input type="text" name="username">'
             '<input type="password" name="password"></form></body></html>')
    assert ENGINE.parse_thread(login, BASE + "thread/5-intern/").login_required
    assert ENGINE.parse_list(login, BASE + "board/3-intern/").login_required
