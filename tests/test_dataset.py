"""The bundled forum (datasets/lehrerforum): size, snapshot format, labels, and that it regenerates byte for byte."""

import html
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "datasets" / "lehrerforum"
SNAPSHOT = DATASET / "snapshot"
ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

TOPIC_FIELDS = {
    "id", "title", "fancy_title", "slug", "category_id", "tags", "created_at", "last_posted_at", "bumped_at",
    "posts_count", "highest_post_number", "views", "like_count", "reply_count", "pinned", "closed", "archived",
    "visible", "has_accepted_answer", "accepted_answer", "chunk_size", "details", "post_stream",
}
POST_FIELDS = {
    "id", "name", "username", "avatar_template", "created_at", "updated_at", "cooked", "post_number", "post_type",
    "reply_to_post_number", "topic_id", "topic_slug", "reads", "score", "version", "like_count", "actions_summary",
    "accepted_answer", "deleted_at", "user_id", "yours",
}


@pytest.fixture(scope="module")
def topics() -> dict[int, dict]:
    return {int(p.stem): json.loads(p.read_text(encoding="utf-8")) for p in (SNAPSHOT / "topics").glob("*.json")}


@pytest.fixture(scope="module")
def labels() -> dict:
    return json.loads((DATASET / "labels.json").read_text(encoding="utf-8"))


def plain_text(cooked: str) -> str:
    """What a reader sees, without quoted posts (labels only count the author's own questions)."""
    cooked = re.sub(r'<aside class="quote.*?</aside>', " ", cooked, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", cooked))


def test_size_and_shape_of_the_forum(topics):
    posts = [p for t in topics.values() for p in t["post_stream"]["posts"]]
    assert len(topics) >= 300
    assert len(posts) >= 2000
    lengths = sorted(t["posts_count"] for t in topics.values())
    assert lengths[-1] > 100
    assert sum(1 for n in lengths if n > 20) >= 4
    years = Counter(t["created_at"][:4] for t in topics.values())
    assert set(years) >= {str(y) for y in range(2019, 2027)}
    assert sum(1 for t in topics.values() if t["pinned"]) >= 2
    assert len({p["username"] for p in posts}) >= 60
    assert len({p["id"] for p in posts}) == len(posts), "post ids are unique across the forum"
    size = sum(f.stat().st_size for f in SNAPSHOT.rglob("*.json"))
    assert size < 6_000_000


def test_every_topic_file_matches_the_snapshot_format(topics):
    categories = json.loads((SNAPSHOT / "categories.json").read_text())["category_list"]["categories"]
    category_ids = {c["id"] for c in categories}
    assert sorted(p.name for p in SNAPSHOT.iterdir()) == ["categories.json", "site.json", "topics"], "labels stay outside"
    site = json.loads((SNAPSHOT / "site.json").read_text())
    assert site["title"] and site["description"]
    for tid, t in topics.items():
        assert TOPIC_FIELDS <= set(t), tid
        posts = t["post_stream"]["posts"]
        assert t["id"] == tid and t["category_id"] in category_ids
        assert t["post_stream"]["stream"] == [p["id"] for p in posts]
        assert t["posts_count"] == len(posts) == t["highest_post_number"]
        assert [p["post_number"] for p in posts] == list(range(1, len(posts) + 1))
        assert t["chunk_size"] == 20 and t["details"]["created_by"]["username"] == posts[0]["username"]
        assert t["created_at"] == posts[0]["created_at"] and t["last_posted_at"] == posts[-1]["created_at"]
        times = [p["created_at"] for p in posts]
        assert times == sorted(times) and all(ISO_MS.match(x) for x in times + [t["bumped_at"]])
        accepted = [p["post_number"] for p in posts if p["accepted_answer"]]
        assert t["has_accepted_answer"] == bool(accepted)
        assert (t["accepted_answer"] or {}).get("post_number") == (accepted[0] if accepted else None)
        for p in posts:
            assert POST_FIELDS <= set(p), (tid, p["post_number"])
            assert p["topic_id"] == tid and p["topic_slug"] == t["slug"] and p["post_type"] == 1
            assert p["reply_to_post_number"] is None or 1 <= p["reply_to_post_number"] < p["post_number"]
            assert p["like_count"] == sum(a["count"] for a in p["actions_summary"] if a["id"] == 2)
            assert p["cooked"].strip()
    for c in categories:
        mine = [t for t in topics.values() if t["category_id"] == c["id"]]
        assert c["topic_count"] == len(mine) and c["post_count"] == sum(t["posts_count"] for t in mine)


def test_cooked_html_has_the_markup_a_parser_must_handle(topics):
    cooked = "\n".join(p["cooked"] for t in topics.values() for p in t["post_stream"]["posts"])
    assert cooked.count('<aside class="quote no-group" data-username=') >= 100
    assert '<div class="title">' in cooked and "<blockquote>" in cooked
    assert cooked.count('<a class="mention" href="/u/') >= 20
    assert cooked.count('class="emoji') >= 20
    assert cooked.count('<aside class="onebox') >= 10
    assert "<ol>" in cooked and "<pre><code" in cooked and "<br>" in cooked


def test_labels_cover_every_thread_and_the_faq_topics(topics, labels):
    threads = labels["threads"]
    assert set(threads) == {str(t) for t in topics}
    faq = labels["faq_topics"]
    assert len(faq) >= 18 and all(v["title"] for v in faq.values())
    used = Counter(v["faq_topic"] for v in threads.values() if v["faq_topic"])
    assert set(used) == set(faq)
    assert max(used.values()) >= 3 * min(used.values()), "topics are unevenly frequent, like a real forum"
    off_topic = sum(1 for v in threads.values() if not v["relevant"])
    assert off_topic / len(threads) >= 0.25
    assert sum(1 for v in threads.values() if v["lang"] == "en") >= 3
    category_slugs = {c["slug"] for c in json.loads((SNAPSHOT / "categories.json").read_text())["category_list"]["categories"]}
    assert all(v["category"] in category_slugs for v in threads.values())


def test_labelled_questions_are_written_verbatim_in_their_posts(topics, labels):
    by_key = {(p["topic_id"], p["post_number"]): p for t in topics.values() for p in t["post_stream"]["posts"]}
    assert {(x["topic_id"], x["post_number"]) for x in labels["posts"]} == set(by_key)
    n_questions = 0
    openers: dict[str, set[str]] = {}
    for entry in labels["posts"]:
        text = re.sub(r"\s+", " ", plain_text(by_key[entry["topic_id"], entry["post_number"]]["cooked"]))
        assert len(entry["questions"]) == len(entry["question_topics"])
        assert all(k is None or k in labels["faq_topics"] for k in entry["question_topics"])
        for q in entry["questions"]:
            assert q in text, (entry["topic_id"], entry["post_number"], q)
            n_questions += 1
        topic = labels["threads"][str(entry["topic_id"])]["faq_topic"]
        if topic and entry["post_number"] == 1:
            openers.setdefault(topic, set()).update(entry["questions"])
    assert n_questions >= 700
    no_mark = sum(1 for e in labels["posts"] for q in e["questions"] if not q.endswith("?"))
    assert no_mark >= 100, "many questions are written without a question mark"
    assert min(len(v) for v in openers.values()) >= 5


def test_every_question_mark_in_a_post_belongs_to_a_labelled_question(topics, labels):
    """Labels are complete: a correct extractor is never penalised for a question we forgot to label."""
    by_key = {(e["topic_id"], e["post_number"]): e["questions"] for e in labels["posts"]}
    unlabelled = []
    for t in topics.values():
        for p in t["post_stream"]["posts"]:
            cooked = re.sub(r'<aside class="onebox.*?</aside>', " ", p["cooked"], flags=re.S)
            cooked = re.sub(r"<a [^>]*>.*?</a>", " ", cooked)  # link titles are not the author's words
            rest = re.sub(r"\s+", " ", plain_text(cooked))
            for q in sorted(by_key[t["id"], p["post_number"]], key=len, reverse=True):
                rest = rest.replace(q, " ")
            if "?" in rest:
                unlabelled.append((t["id"], p["post_number"], rest.strip()[:80]))
    assert unlabelled == []


def test_contact_data_for_privacy_tests_is_listed_where_it_appears(topics, labels):
    privacy = labels["privacy"]
    assert len(privacy["emails"]) >= 3 and len(privacy["phones"]) >= 3
    assert len(privacy["posts_with_contact_data"]) >= 5
    for entry in privacy["posts_with_contact_data"]:
        post = topics[entry["topic_id"]]["post_stream"]["posts"][entry["post_number"] - 1]
        for value in entry["emails"] + entry["phones"]:
            assert value in html.unescape(post["cooked"])
    usernames = {p["username"] for t in topics.values() for p in t["post_stream"]["posts"]}
    assert set(privacy["usernames"]) == usernames


def test_generator_is_deterministic(tmp_path):
    env = dict(os.environ, PYTHONHASHSEED="4242")
    subprocess.run([sys.executable, str(DATASET / "make_forum.py"), "--out", str(tmp_path)], check=True,
                   env=env, capture_output=True)
    assert (tmp_path / "labels.json").read_bytes() == (DATASET / "labels.json").read_bytes()
    ours = sorted(p.relative_to(SNAPSHOT) for p in SNAPSHOT.rglob("*.json"))
    fresh = sorted(p.relative_to(tmp_path / "snapshot") for p in (tmp_path / "snapshot").rglob("*.json"))
    assert ours == fresh
    for rel in ours:
        assert (SNAPSHOT / rel).read_bytes() == (tmp_path / "snapshot" / rel).read_bytes(), rel


def test_readme_counts_match_the_data(topics):
    readme = (DATASET / "README.md").read_text(encoding="utf-8")
    n_posts = sum(t["posts_count"] for t in topics.values())
    assert f"| threads | {len(topics)} " in readme
    assert f"| posts | {n_posts:,}" in readme
    assert "CC0" in readme and "synthetic" in readme and "make_forum.py" in readme
