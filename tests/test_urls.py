"""One parser for thread URLs: scraper, moderator commands and the browser lookup agree."""

import pytest

from miner.errors import UsageError
from miner.urls import parse_thread_url, thread_id_for_url


@pytest.mark.parametrize("url, base, topic", [
    ("https://f.example.org/t/signal-an-der-schule/101", "https://f.example.org", 101),
    ("https://f.example.org/t/101", "https://f.example.org", 101),
    ("https://f.example.org/t/signal-an-der-schule/101/7?u=someone#reply", "https://f.example.org", 101),
    ("https://f.example.org/t/101/7", "https://f.example.org", 101),  # post 7 of topic 101, not topic 7
    ("https://F.example.org/t/2024-zeugnisse/9/", "https://F.example.org", 9),
    ("http://127.0.0.1:8080/forum/t/x/55", "http://127.0.0.1:8080/forum", 55),
])
def test_parse_thread_url(url, base, topic):
    address = parse_thread_url(url)
    assert (address.base_url, address.topic_id) == (base, topic)
    assert thread_id_for_url(url) == f"{base.split('://')[1].lower()}:{topic}"


@pytest.mark.parametrize("url", ["https://f.example.org/c/allgemein/4", "https://f.example.org/t/slug",
                                 "f.example.org/t/x/1", "ftp://f.example.org/t/x/1", "not a url", ""])
def test_a_non_thread_url_is_a_clear_error(url):
    with pytest.raises(UsageError, match="ist keine Adresse eines Discourse-Threads"):
        parse_thread_url(url)
    assert thread_id_for_url(url) is None


def test_thread_url_is_written_in_one_form():
    from miner.urls import thread_url

    assert thread_url("https://f.example/", 12) == "https://f.example/t/12"
    assert thread_url("https://f.example", 12, "titel") == "https://f.example/t/titel/12"
    assert thread_url("https://f.example/forum", 12, "titel", 3) == "https://f.example/forum/t/titel/12/3"
