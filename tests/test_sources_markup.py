"""The shared body surgery: attributions, nested quotes, chrome and attributes removed."""

import lxml.html
import pytest

from miner.sources import markup as m


@pytest.mark.parametrize("attribution, name", [
    ("Zitat von klasse7b", "klasse7b"),
    ("Zitat von: klasse7b am 12. März 2024, 20:11:00", "klasse7b"),
    ("klasse7b schrieb:", "klasse7b"),
    ("klasse7b hat geschrieben: ↑ Di 12. Mär 2024, 20:11", "klasse7b"),
    ("Quote from: Frau M. on May 05, 2020, 05:14:07 AM", "Frau M."),
    ("Originally Posted by herr_k", "herr_k"),
    ("Robert Paul said:", "Robert Paul"),
    ("Zitat", None),
])
def test_attribution_names(attribution, name):
    node = lxml.html.fragment_fromstring(f"<cite>{attribution}</cite>")
    assert m.attribution_name(node) == name


def test_attribution_prefers_the_profile_link():
    node = lxml.html.fragment_fromstring('<cite><a href="./memberlist.php?mode=viewprofile&u=5">Frau M.</a> '
                                         'wrote: <a href="./viewtopic.php?p=3#p3">↑</a></cite>')
    assert m.attribution_name(node) == "Frau M."


def _read_blockquote(node):
    return m.strip_attribution(node, "cite"), node


def test_canonical_body_nests_quotes_drops_chrome_and_attributes():
    html = ('<div class="content" style="x"><!-- ad --><blockquote><cite>A schrieb:</cite>'
            '<blockquote><cite>B schrieb:</cite>innen</blockquote>außen</blockquote>'
            '<p class="x" onclick="evil()">Antwort <a href="/u/1" class="user" rel="nofollow">Link</a>'
            '<img src="/smilies/smile.gif" alt=":)" class="smilie" width="16"></p>'
            '<script>track()</script><button>Zitieren</button><div class="sig">Signatur</div></div>')
    body = m.canonical_body(lxml.html.fragment_fromstring(html), "https://forum.example.org/t/1",
                            drop=".sig", quotes="blockquote", read_quote=_read_blockquote)
    assert body == ('<aside class="quote" data-username="A"><blockquote><aside class="quote" data-username="B">'
                    '<blockquote>innen</blockquote></aside>außen</blockquote></aside>'
                    '<p>Antwort <a href="https://forum.example.org/u/1">Link</a>'
                    '<img src="https://forum.example.org/smilies/smile.gif" alt=":)"></p>')
    assert m.without_quotes(body) == "Antwort Link"


def test_page_error_for_empty_bodies_and_url_helpers():
    with pytest.raises(m.PageError, match="leere Seite"):
        m.parse_html("  \n")
    assert m.without_params("https://x.example/showthread.php?123-titel&s=abc", ("s",)) == \
        "https://x.example/showthread.php?123-titel"
    assert m.without_params("https://x.example/viewtopic.php?f=1&t=2&sid=abc", ("sid",)) == \
        "https://x.example/viewtopic.php?f=1&t=2"
    assert m.root_url("https://x.example/forum/threads/a.1/page-2", ("/threads/",)) == "https://x.example/forum/"
    assert m.folder_url("https://x.example/forum/viewtopic.php?t=1") == "https://x.example/forum/"
