"""Sanitizer and chart: hostile HTML and Markdown lose their teeth, good markup survives."""

import re

import pytest

from miner.charts import month_bars_svg, month_range
from miner.render import markdown_to_safe_html, safe_url, sanitize_html
from publish_db import PAYLOADS


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_defused(payload):
    for html in (sanitize_html(payload), markdown_to_safe_html(payload)):
        lowered = html.lower()
        assert "<script" not in lowered and "<svg" not in lowered and "<iframe" not in lowered
        assert not re.search(r"\son[a-z]+\s*=", lowered)
        assert "javascript:" not in lowered


def test_links_get_nofollow_noopener_and_unsafe_schemes_go():
    html = sanitize_html('<a href="https://a.de/x" target="_blank">a</a><a href="data:text/html,x">b</a>')
    assert html == '<a href="https://a.de/x" rel="nofollow noopener noreferrer">a</a><a rel="nofollow noopener noreferrer">b</a>'


def test_markdown_renders_the_usual_things():
    html = markdown_to_safe_html("## Titel\n\n**fett** und *kursiv*\n\n- eins\n- zwei\n\n`code`\n\n> Zitat")
    assert "<h2>Titel</h2>" in html and "<strong>fett</strong>" in html and "<em>kursiv</em>" in html
    assert "<li>eins</li>" in html and "<code>code</code>" in html and "<blockquote>" in html
    assert markdown_to_safe_html("") == "" and sanitize_html(None) == ""


def test_safe_url_only_http():
    assert safe_url("https://forum.example.org/t/1") == "https://forum.example.org/t/1"
    assert safe_url(" javascript:alert(1)") == "" and safe_url(None) == ""


def test_month_chart_counts_and_escapes():
    assert month_range("2024-02", 3) == ["2023-12", "2024-01", "2024-02"]
    svg = month_bars_svg({"2024-01": 2, "2024-02": 4}, months=3, end="2024-02")
    heights = [float(h) for h in re.findall(r'height="([\d.]+)"><title>', svg)]
    assert heights == [0.0, 18.0, 36.0]  # 36 px for the peak month, half for half
    assert "6 questions, peak 4" in svg
    old = month_bars_svg({"2019-05": 1}, months=2, end="2024-02")  # no recent questions: its own months
    assert "2019-04 – 2019-05" in old
