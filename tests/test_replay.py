"""miner.replay: a snapshot served like a real Discourse (paging, pinned topics, chunks, faults)."""

import json
from pathlib import Path

import pytest
import requests

from forumgen import write_forum
from miner.replay import Fault, ReplayServer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def forum(tmp_path_factory):
    directory = tmp_path_factory.mktemp("forum")
    info = write_forum(directory, threads=70, pinned=2, seed=5)
    return directory, info


def get(server, path):
    return requests.get(server.url + path, timeout=5)


def test_latest_pages_pinned_first_then_bumped_order(forum):
    directory, info = forum
    with ReplayServer(directory) as server:
        pages, path = [], "/latest.json"
        while path:
            response = get(server, path)
            assert response.headers["Content-Type"] == "application/json; charset=utf-8"
            assert response.headers["X-Discourse-Route"] == "list/latest"
            body = response.json()["topic_list"]
            pages.append(body["topics"])
            more = body.get("more_topics_url")
            path = more.replace("/latest?", "/latest.json?") if more else None
    assert [len(p) for p in pages] == [30, 30, 10]
    assert pages[0][0]["pinned"] and pages[0][1]["pinned"] and not pages[0][2]["pinned"]
    ids = [t["id"] for page in pages for t in page]
    assert sorted(ids) == sorted(info["sizes"]) and len(ids) == len(set(ids)) == 70
    unpinned = [t["bumped_at"] for page in pages for t in page if not t["pinned"]]
    assert unpinned == sorted(unpinned, reverse=True)
    assert not any(t["pinned"] for page in pages[1:] for t in page)


def test_topic_is_cut_to_20_posts_with_the_full_stream(forum):
    directory, info = forum
    big = max(info["sizes"], key=info["sizes"].get)
    with ReplayServer(directory) as server:
        body = get(server, f"/t/thema-{big}/{big}.json").json()
        assert len(body["post_stream"]["posts"]) == 20 and body["chunk_size"] == 20
        stream = body["post_stream"]["stream"]
        assert len(stream) == info["sizes"][big] == 180
        chunk = get(server, f"/t/{big}/posts.json?post_ids[]={stream[40]}&post_ids[]={stream[179]}").json()
        assert chunk["id"] == big and [p["id"] for p in chunk["post_stream"]["posts"]] == [stream[40], stream[179]]
        missing = get(server, "/t/999999.json")
        assert missing.status_code == 404 and missing.json()["error_type"] == "not_found"
        assert get(server, "/nothing/here").status_code == 404


def test_categories_robots_about(forum):
    directory, info = forum
    with ReplayServer(directory) as server:
        categories = get(server, "/categories.json").json()["category_list"]["categories"]
        assert [c["slug"] for c in categories] == ["messenger", "technik", "moderation"]
        listed = get(server, "/c/technik/7/l/latest.json").json()["topic_list"]["topics"]
        assert listed and all(t["category_id"] == 7 for t in listed)
        assert get(server, "/c/moderation/9/l/latest.json").status_code == 404  # private
        robots = get(server, "/robots.txt").text
        assert "Disallow: /u/" in robots and "Disallow: /search" in robots
        assert get(server, "/about.json").json()["about"]["title"] == "Testforum Schule"
        assert server.request_log[-1] == "/about.json"


def test_fault_rules_fire_on_the_nth_match_and_a_callable_hook(forum):
    directory, _ = forum
    with ReplayServer(directory, faults=[Fault("503", path=r"^/t/", nth=2, times=1)]) as server:
        assert [get(server, "/t/100.json").status_code for _ in range(3)] == [200, 503, 200]
    with ReplayServer(directory, faults=lambda target, n: "not_logged_in" if "latest" in target else None) as server:
        response = get(server, "/latest.json")
        assert response.status_code == 403 and response.json()["error_type"] == "not_logged_in"
        assert get(server, "/t/100.json").status_code == 200
    with pytest.raises(ValueError):
        Fault("teapot")


def test_reload_serves_changes(tmp_path):
    write_forum(tmp_path, threads=3)
    with ReplayServer(tmp_path) as server:
        path = tmp_path / "topics" / "100.json"
        topic = json.loads(path.read_text())
        topic["title"] = "Neu"
        path.write_text(json.dumps(topic))
        server.reload()
        assert get(server, "/t/100.json").json()["title"] == "Neu"


def test_serves_the_bundled_dataset():
    with ReplayServer(ROOT / "datasets" / "lehrerforum" / "snapshot") as server:
        body = get(server, "/latest.json").json()
        assert body["topic_list"]["topics"]
        first = body["topic_list"]["topics"][0]["id"]
        assert get(server, f"/t/{first}.json").json()["id"] == first


def test_posts_json_without_ids_pages_like_discourse(forum):
    directory, info = forum
    big = max(info["sizes"], key=info["sizes"].get)
    with ReplayServer(directory) as server:
        first = get(server, f"/t/{big}/posts.json").json()["post_stream"]["posts"]
        before = get(server, f"/t/{big}/posts.json?post_number=41").json()["post_stream"]["posts"]
    assert [p["post_number"] for p in first] == list(range(1, 21))
    assert [p["post_number"] for p in before] == list(range(40, 20, -1))  # as in t_2108_posts_pn_41.json
