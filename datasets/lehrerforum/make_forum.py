#!/usr/bin/env python3
"""Write the synthetic "Lehrerzimmer digital" forum: a Discourse snapshot plus its labels.

Everything is generated from the hand-written phrase pools in ``source/`` with one fixed seed, so
running the script again reproduces ``snapshot/`` and ``labels.json`` byte for byte. Standard
library only, so the dataset can be rebuilt without the project installed.

Usage: python datasets/lehrerforum/make_forum.py [--out DIR]   (default: next to this script)

Modules: forum_threads.py writes the threads, forum_habits.py applies how members write and keeps
the question markers, forum_cooked.py renders Discourse HTML; this file dates the threads, numbers
topics and posts, and writes the JSON.

Pool markup: [[...]] a question, recorded verbatim in labels.json (markers stripped; [[~...]] no FAQ
topic, [[=key=...]] another topic than the thread's); {op} {opname} {me} {land} {schulform} {city}
{email} {phone} filled per thread and author; blank line = new paragraph, newline = <br>, "1. "
lines = ordered list, "- " lines = list, a paragraph that is a known bare URL = onebox, :emoji:
codes, **bold**, @user mentions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
from pathlib import Path

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE / "source")]

import common  # noqa: E402
import faq_pools  # noqa: E402
import special  # noqa: E402
from forum_cooked import LINK_TITLES, fancy, render_post, slugify  # noqa: E402
from forum_habits import strip_markers  # noqa: E402
from forum_threads import Forum, build_special_threads, plan_threads_lazy  # noqa: E402

SEED = 20190401
FIRST_DAY = dt.datetime(2019, 1, 14, tzinfo=dt.timezone.utc)
LAST_DAY = dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc)

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}")


def sample_created(rng: random.Random) -> dt.datetime:
    years = [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]
    weights = [0.55, 1.5, 1.45, 1.1, 1.0, 0.95, 0.9, 0.75]
    month_w = [1.0, 1.0, 0.9, 0.9, 0.9, 0.8, 0.45, 0.7, 1.5, 1.1, 1.1, 0.8]
    while True:
        y = rng.choices(years, weights)[0]
        m = rng.choices(range(1, 13), month_w)[0]
        d = rng.randint(1, 28)
        hour = rng.choices(range(24), [0.2, 0.1, 0, 0, 0, 0.1, 0.5, 1, 1, 1, 1, 1.1, 1.2, 1.6, 1.8, 1.8, 1.6, 1.6,
                                       1.8, 2.2, 2.4, 2.2, 1.5, 0.6])[0]
        when = dt.datetime(y, m, d, hour, rng.randrange(60), rng.randrange(60), rng.randrange(1000) * 1000,
                           tzinfo=dt.timezone.utc)
        if FIRST_DAY <= when <= LAST_DAY - dt.timedelta(days=4):
            return when


def next_time(rng: random.Random, prev: dt.datetime, n: int, long: bool) -> dt.datetime:
    """Replies come fast at first, then trail off; long threads stretch over months."""
    if long == "years":
        gap = rng.expovariate(1 / (60 * 60 * 24 * 17))
    elif long:
        gap = rng.expovariate(1 / (60 * 60 * 30))
    elif n < 4:
        gap = rng.expovariate(1 / (60 * 60 * 5))
    else:
        gap = rng.expovariate(1 / (60 * 60 * 20))
    gap = max(gap, 90 + rng.random() * 400)
    when = prev + dt.timedelta(seconds=gap)
    return min(when, LAST_DAY + dt.timedelta(days=5, seconds=rng.randrange(3600)))


def iso(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def generate(seed: int = SEED) -> tuple[dict, dict, dict[int, dict], dict]:
    forum = Forum(seed)
    rng = forum.rng
    LINK_TITLES.clear()
    LINK_TITLES.update(common.LINK_TITLES)
    # Threads are built in chronological order, topic ids given as they are created, so moderators
    # can link to earlier threads on the same question.
    specials = build_special_threads(forum)
    builders = plan_threads_lazy(forum)
    dates = sorted(rng.sample(sorted(sample_created(rng) for _ in range(4000)), len(builders)))
    agenda = [(when, i, build) for i, (when, build) in enumerate(zip(dates, builders))]
    for j, t in enumerate(specials):
        when = dt.datetime.fromisoformat(t["created"].replace("Z", "+00:00"))
        agenda.append((when, len(builders) + j, t))
    agenda.sort(key=lambda a: (a[0], a[1]))
    threads = []
    tid = 131
    for when, _, item in agenda:
        t = item if isinstance(item, dict) else item()
        tid += rng.choice((1, 1, 1, 1, 2, 2, 3, 5))
        t["created_dt"] = when
        t["topic_id"] = tid
        t["slug"] = slugify(t["title"])
        forum.threads.append(t)
        threads.append(t)

    # Timestamps for every post, then global post ids in time order like Discourse.
    all_posts = []
    for t in threads:
        when = t["created_dt"]
        for n, p in enumerate(t["posts"]):
            if n:
                when = next_time(rng, when, n, t.get("long", False))
            p["created"] = when
            p["topic"] = t
            p["post_number"] = n + 1
            all_posts.append(p)
    all_posts.sort(key=lambda p: (p["created"], p["topic"]["topic_id"], p["post_number"]))
    pid = 402
    for p in all_posts:
        pid += rng.choice((1, 1, 1, 2, 3))
        p["id"] = pid

    categories = {c["slug"]: c for c in common.CATEGORIES}
    topics = {}
    labels_threads = {}
    labels_posts = []
    contacts = []
    for t in threads:
        topic_json, post_labels, post_contacts = topic_to_json(forum, t, categories)
        topics[t["topic_id"]] = topic_json
        labels_threads[str(t["topic_id"])] = {
            "faq_topic": t["faq_topic"], "relevant": t["relevant"], "category": t["category"],
            "kind": t["kind"], "subject": t.get("subject"), "lang": t["lang"]}
        labels_posts += post_labels
        contacts += post_contacts

    cat_list = []
    for c in common.CATEGORIES:
        mine = [t for t in threads if t["category"] == c["slug"]]
        cat_list.append({
            "id": c["id"], "name": c["name"], "color": c["color"], "text_color": "FFFFFF", "slug": c["slug"],
            "topic_count": len(mine), "post_count": sum(len(t["posts"]) for t in mine), "position": c["position"],
            "description": c["description"], "description_text": c["description"],
            "description_excerpt": c["description"], "topic_url": None, "read_restricted": False,
            "permission": None, "notification_level": 1, "topic_template": None, "has_children": False,
            "sort_order": None, "sort_ascending": None, "show_subcategory_list": False, "num_featured_topics": 3,
            "default_view": None, "subcategory_list_style": "rows_with_featured_topics",
            "default_top_period": "all", "default_list_filter": "all", "minimum_required_tags": 0,
            "navigate_to_first_post_after_read": False, "topics_day": 0, "topics_week": 0, "topics_month": 0,
            "topics_year": 0, "topics_all_time": len(mine), "is_uncategorized": False,
            "subcategory_ids": [], "uploaded_logo": None, "uploaded_background": None,
            "parent_category_id": None,
        })
    categories_json = {"category_list": {"can_create_category": False, "can_create_topic": False,
                                          "categories": cat_list}}
    site = dict(special.SITE)

    used_users = sorted({p["user"]["username"] for p in all_posts})
    labels = {
        "about": "Labels for datasets/lehrerforum/snapshot (synthetic). Never served by miner replay.",
        "seed": seed,
        "faq_topics": {k: {"title": v["title"], "category": v["category"]} for k, v in faq_pools.TOPICS.items()},
        "threads": labels_threads,
        "posts": labels_posts,
        "privacy": {
            "usernames": used_users,
            "names": sorted({forum.users[u]["name"] for u in used_users if forum.users[u]["name"]}),
            "emails": sorted({e for c in contacts for e in c["emails"]}),
            "phones": sorted({ph for c in contacts for ph in c["phones"]}),
            "posts_with_contact_data": contacts,
        },
    }
    return site, categories_json, topics, labels


def topic_to_json(forum: Forum, t: dict, categories: dict) -> tuple[dict, list, list]:
    rng = forum.rng
    tid = t["topic_id"]
    posts = t["posts"]
    n_posts = len(posts)
    # Accepted answer (discourse-solved): in about 55% of answered question threads.
    accepted_i = None
    if t["kind"] in ("faq", "offtopic") and rng.random() < 0.55:
        cands = [i for i, p in enumerate(posts) if p.get("answer") and i > 0]
        if cands:
            accepted_i = cands[0] if rng.random() < 0.6 else rng.choice(cands)
    views = int(n_posts * rng.uniform(18, 70) + rng.randrange(20, 200))
    post_json = []
    labels = []
    contacts = []
    replies_to: dict[int, int] = {}
    for p in posts:
        if p.get("reply_to"):
            replies_to[p["reply_to"]] = replies_to.get(p["reply_to"], 0) + 1
    total_likes = 0
    for i, p in enumerate(posts):
        u = p["user"]
        md_texts = []
        blocks = []
        questions = []
        for b in p["blocks"]:
            if b[0] == "md":
                clean, qs = strip_markers(b[1])
                questions += qs
                md_texts.append(clean)
                blocks.append(("md", clean))
            else:
                blocks.append(("quote", b[1], b[2], strip_markers(b[3])[0]))
        cooked = render_post(blocks, tid, forum.users, forum.usernames)
        likes = rng.choices([0, 0, 0, 1, 1, 2, 3, 5, 8], k=1)[0] + (3 if i == accepted_i else 0)
        total_likes += likes
        created = p["created"]
        edited = rng.random() < 0.08
        updated = created + dt.timedelta(seconds=rng.randrange(60, 7200)) if edited else created
        reply_to = p.get("reply_to")
        body = {
            "id": p["id"], "name": u["name"], "username": u["username"], "avatar_template": u["avatar_template"],
            "created_at": iso(created), "cooked": cooked, "post_number": i + 1, "post_type": 1,
            "posts_count": n_posts, "updated_at": iso(updated), "reply_count": replies_to.get(i + 1, 0),
            "reply_to_post_number": reply_to, "quote_count": sum(1 for b in blocks if b[0] == "quote"),
            "incoming_link_count": rng.choice((0, 0, 0, 1, 2)), "reads": max(1, int(views * rng.uniform(0.2, 0.6))),
            "readers_count": max(0, int(views * rng.uniform(0.15, 0.5))), "score": round(rng.uniform(0.2, 60), 1),
            "yours": False, "topic_id": tid, "topic_slug": t["slug"], "display_username": u["name"],
            "primary_group_name": None, "flair_name": None, "flair_url": None, "flair_bg_color": None,
            "flair_color": None, "flair_group_id": None, "badges_granted": [], "version": 2 if edited else 1,
            "can_edit": False, "can_delete": False, "can_recover": False, "can_see_hidden_post": False,
            "can_wiki": False, "read": True, "user_title": "Moderator" if u.get("moderator") else None,
            "bookmarked": False, "actions_summary": [{"id": 2, "count": likes}] if likes else [],
            "like_count": likes, "moderator": bool(u.get("moderator")), "admin": bool(u.get("admin")),
            "staff": bool(u.get("moderator")), "user_id": u["id"], "hidden": False,
            "trust_level": 4 if u.get("moderator") else u.get("trust", 2), "deleted_at": None,
            "user_deleted": False, "edit_reason": None, "can_view_edit_history": True, "wiki": False,
            "mentioned_users": [], "post_url": f"/t/{t['slug']}/{tid}/{i + 1}",
            "can_accept_answer": False, "can_unaccept_answer": False,
            "accepted_answer": i == accepted_i, "topic_accepted_answer": accepted_i is not None,
        }
        if reply_to:
            ru = posts[reply_to - 1]["user"]
            body["reply_to_user"] = {"id": ru["id"], "username": ru["username"], "name": ru["name"],
                                     "avatar_template": ru["avatar_template"]}
        post_json.append(body)
        labels.append({"topic_id": tid, "post_number": i + 1, "questions": [q for q, _ in questions],
                       "question_topics": [question_topic(t, prefix) for _, prefix in questions]})
        text = "\n".join(md_texts)
        emails = EMAIL_RE.findall(text)
        phones = [ph for ph in common.PHONES if ph in text]
        if emails or phones:
            contacts.append({"topic_id": tid, "post_number": i + 1, "emails": emails, "phones": phones})

    first, last = posts[0], posts[-1]
    creator = first["user"]
    participants = {}
    for p in posts:
        participants.setdefault(p["user"]["username"], [p["user"], 0])[1] += 1
    accepted = None
    if accepted_i is not None:
        au = posts[accepted_i]["user"]
        excerpt = re.sub(r"<[^>]+>", "", post_json[accepted_i]["cooked"])
        excerpt = re.sub(r"\s+", " ", excerpt).strip()
        accepted = {"post_number": accepted_i + 1, "username": au["username"], "name": au["name"],
                    "excerpt": excerpt[:200] + ("…" if len(excerpt) > 200 else ""),
                    "accepter_username": creator["username"], "accepter_name": creator["name"]}
    pinned = bool(t.get("pinned"))
    topic = {
        "post_stream": {"posts": post_json, "stream": [p["id"] for p in posts]},
        "timeline_lookup": [], "suggested_topics": [], "tags": t.get("tags", []), "tags_descriptions": {},
        "id": tid, "title": t["title"], "fancy_title": fancy(t["title"]), "posts_count": n_posts,
        "created_at": iso(first["created"]), "views": views, "reply_count": sum(1 for p in posts[1:] if p.get("reply_to")),
        "like_count": total_likes, "last_posted_at": iso(last["created"]), "visible": True,
        "closed": bool(t.get("closed")), "archived": False, "has_summary": n_posts > 50, "archetype": "regular",
        "slug": t["slug"], "category_id": categories[t["category"]]["id"],
        "word_count": sum(len(re.sub(r"<[^>]+>", " ", p["cooked"]).split()) for p in post_json),
        "deleted_at": None, "user_id": creator["id"], "featured_link": None, "pinned_globally": False,
        "pinned_at": iso(first["created"]) if pinned else None, "pinned_until": None, "image_url": None,
        "slow_mode_seconds": 0, "draft": None, "draft_key": f"topic_{tid}", "draft_sequence": None,
        "unpinned": None, "pinned": pinned, "current_post_number": 1, "highest_post_number": n_posts,
        "deleted_by": None, "has_deleted": False, "chunk_size": 20, "bookmarked": False, "topic_timer": None,
        "participant_count": len(participants), "show_read_indicator": False, "thumbnails": None,
        "bumped_at": iso(last["created"]), "has_accepted_answer": accepted is not None, "accepted_answer": accepted,
        "details": {
            "can_edit": False, "notification_level": 1,
            "participants": [{"id": u["id"], "username": u["username"], "name": u["name"],
                              "avatar_template": u["avatar_template"], "post_count": c,
                              "primary_group_name": None, "trust_level": u.get("trust", 2)}
                             for u, c in sorted(participants.values(), key=lambda x: -x[1])[:24]],
            "created_by": {"id": creator["id"], "username": creator["username"], "name": creator["name"],
                           "avatar_template": creator["avatar_template"]},
            "last_poster": {"id": last["user"]["id"], "username": last["user"]["username"],
                            "name": last["user"]["name"], "avatar_template": last["user"]["avatar_template"]},
        },
    }
    return topic, labels, contacts


def question_topic(t: dict, prefix: str) -> str | None:
    if prefix == "~" or t["faq_topic"] is None:
        return None
    return prefix.strip("=") if prefix else t["faq_topic"]


def dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def write(out: Path, seed: int = SEED) -> dict:
    site, categories_json, topics, labels = generate(seed)
    snap = out / "snapshot"
    if (snap / "topics").exists():
        shutil.rmtree(snap / "topics")
    (snap / "topics").mkdir(parents=True, exist_ok=True)
    (snap / "site.json").write_text(dump(site) + "\n", encoding="utf-8")
    (snap / "categories.json").write_text(dump(categories_json) + "\n", encoding="utf-8")
    for tid, topic in topics.items():
        (snap / "topics" / f"{tid}.json").write_text(dump(topic) + "\n", encoding="utf-8")
    (out / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    n_posts = sum(t["posts_count"] for t in topics.values())
    return {"threads": len(topics), "posts": n_posts}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write snapshot/ and labels.json into")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    counts = write(args.out, args.seed)
    print(f"wrote {counts['threads']} threads, {counts['posts']} posts to {args.out / 'snapshot'}")


if __name__ == "__main__":
    main()
