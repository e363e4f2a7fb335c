"""Write a generated Discourse forum snapshot (the format `miner replay` serves) for tests and benchmarks.

Deterministic for a given seed. Threads of 1..180 posts, pinned topics, categories, German text with
usernames, @mentions, quotes, e-mail addresses and phone numbers (so privacy can be checked).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

USERNAMES = ["lehrerin_anna", "MatthiasK", "tobias.schulz", "frau-meyer", "Schulleiter42", "oskar_w",
             "medienberaterin", "jens.h", "Elternbeirat_SH", "petra99", "nils-it", "Kollegin_B"]
SENTENCES = [
    "Darf ich WhatsApp für die Kommunikation mit Eltern nutzen?",
    "Wir nutzen an unserer Schule seit letztem Jahr Threema Work.",
    "Gibt es einen datenschutzkonformen Messenger für Klassenchats",
    "Der Schulträger hat uns dazu leider nichts gesagt.",
    "Kann mir jemand sagen, ob das Landesmessenger-Angebot kostenlos ist?",
    "Ich habe das mit dem Datenschutzbeauftragten besprochen.",
    "Die Eltern wollen unbedingt eine Gruppe für die Klasse 7b.",
    "Muss ich nach 18 Uhr noch erreichbar sein?",
    "Bei uns läuft ein eigener Matrix-Server, das klappt gut.",
    "Frage: Wie holt ihr die Einwilligung bei Schülern unter 16 ein?",
]


def _ts(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def make_post(rng: random.Random, post_id: int, topic: dict, number: int, when: dt.datetime,
              previous: list[dict]) -> dict:
    user = rng.choice(USERNAMES)
    paragraphs = [" ".join(rng.sample(SENTENCES, 2))]
    roll = rng.random()
    if previous and roll < 0.2:
        quoted = rng.choice(previous)
        paragraphs.insert(0, None)  # placeholder for the quote
        quote = (f'<aside class="quote no-group" data-username="{quoted["username"]}" data-post="{quoted["post_number"]}" '
                 f'data-topic="{topic["id"]}">\n<div class="title">\n<div class="quote-controls"></div>\n'
                 f'<img alt="" width="24" height="24" src="/user_avatar/forum.test/{quoted["username"].lower()}/48/1_2.png" '
                 f'class="avatar"> {quoted["username"]}:</div>\n<blockquote>\n<p>Zitat aus Beitrag {quoted["post_number"]}'
                 f'</p>\n</blockquote>\n</aside>')
    else:
        quote = None
    if roll > 0.85:
        other = rng.choice(USERNAMES)
        paragraphs.append(f'Danke <a class="mention" href="/u/{other.lower()}">@{other}</a>, das hilft.')
    if roll > 0.93:
        paragraphs.append(f"Schreibt mir an {user.lower().replace('.', '_')}@schule-beispiel.de oder ruft an: 030 1234567{number % 10}")
    cooked = "\n".join(quote if p is None else f"<p>{p}</p>" for p in paragraphs)
    return {
        "id": post_id, "name": user.title(), "username": user,
        "avatar_template": f"/user_avatar/forum.test/{user.lower()}/{{size}}/1_2.png",
        "created_at": _ts(when), "updated_at": _ts(when), "cooked": cooked, "post_number": number,
        "post_type": 1, "reply_to_post_number": None if number == 1 else rng.choice([None, number - 1]),
        "topic_id": topic["id"], "topic_slug": topic["slug"], "reads": 3, "score": 1.0, "version": 1,
        "like_count": number % 3, "actions_summary": [{"id": 2, "count": number % 3}] if number % 3 else [],
        "accepted_answer": False, "deleted_at": None, "user_id": USERNAMES.index(user) + 1, "yours": False,
    }


def thread_sizes(rng: random.Random, threads: int, long_share: float = 0.1, max_posts: int = 180,
                 long_max: int = 90) -> list[int]:
    """Mostly short threads (1..20 posts); `long_share` of them longer (21..long_max), one at max_posts."""
    sizes = []
    n_long = max(1, round(threads * long_share)) if threads >= 5 else 0
    for index in range(threads):
        if index < n_long:
            sizes.append(max_posts if index == 0 else rng.randint(21, min(max_posts, long_max)))
        else:
            sizes.append(rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20]))
    rng.shuffle(sizes)
    return sizes


def write_forum(directory: str | Path, *, threads: int = 60, seed: int = 0, pinned: int = 2,
                long_share: float = 0.1, max_posts: int = 180, long_max: int = 90,
                robots_txt: str | None = None, sizes: list[int] | None = None) -> dict:
    """Write the snapshot; returns {"threads", "posts", "sizes": {topic_id: posts}, "usernames"}."""
    rng = random.Random(seed)
    root = Path(directory)
    (root / "topics").mkdir(parents=True, exist_ok=True)
    site = {"title": "Testforum Schule", "description": "Generiertes Forum für Tests", "discourse_version": "3.2.0"}
    if robots_txt is not None:
        site["robots_txt"] = robots_txt
    (root / "site.json").write_text(json.dumps(site, ensure_ascii=False), encoding="utf-8")
    categories = [
        {"id": 5, "name": "Messenger & Kommunikation", "slug": "messenger", "description": "Messenger an Schulen",
         "read_restricted": False, "parent_category_id": None},
        {"id": 7, "name": "Technik", "slug": "technik", "description": "Server, Drucker, WLAN",
         "read_restricted": False, "parent_category_id": None},
        {"id": 9, "name": "Moderation", "slug": "moderation", "description": "intern",
         "read_restricted": True, "parent_category_id": None},
    ]
    sizes = sizes or thread_sizes(rng, threads, long_share, max_posts, long_max)
    start = dt.datetime(2021, 1, 4, 8, 0, 0, 123000)
    post_id = 1000
    counts: dict[int, int] = {}
    topic_count = {5: 0, 7: 0}
    for index, size in enumerate(sizes):
        topic_id = 100 + index
        category = 5 if index % 3 else 7
        topic_count[category] += 1
        created = start + dt.timedelta(hours=7 * index)
        slug = f"thema-{topic_id}"
        topic = {"id": topic_id, "slug": slug}
        posts: list[dict] = []
        when = created
        for number in range(1, size + 1):
            posts.append(make_post(rng, post_id, topic, number, when, posts))
            post_id += 1
            when += dt.timedelta(minutes=37)
        last = posts[-1]
        starter = posts[0]["username"]
        topic.update({
            "title": f"Frage {topic_id}: {SENTENCES[index % len(SENTENCES)]}", "fancy_title": f"Frage {topic_id}",
            "category_id": category, "tags": ["messenger"] if category == 5 else [],
            "created_at": posts[0]["created_at"], "last_posted_at": last["created_at"],
            "bumped_at": last["created_at"], "posts_count": size, "highest_post_number": size,
            "views": 10 * size, "like_count": sum(p["like_count"] for p in posts), "reply_count": size - 1,
            "pinned": index < pinned, "closed": False, "archived": False, "visible": True,
            "has_accepted_answer": False, "accepted_answer": None, "chunk_size": 20,
            "details": {"created_by": {"id": USERNAMES.index(starter) + 1, "username": starter,
                                       "name": starter.title(), "avatar_template": posts[0]["avatar_template"]}},
            "post_stream": {"posts": posts, "stream": [p["id"] for p in posts]},
        })
        if size > 2 and index % 4 == 0:
            posts[1]["accepted_answer"] = True
            topic["has_accepted_answer"] = True
            topic["accepted_answer"] = {"post_number": 2, "username": posts[1]["username"]}
        (root / "topics" / f"{topic_id}.json").write_text(json.dumps(topic, ensure_ascii=False), encoding="utf-8")
        counts[topic_id] = size
    for category in categories:
        category["topic_count"] = topic_count.get(category["id"], 0)
    (root / "categories.json").write_text(json.dumps({"category_list": {"categories": categories}},
                                                     ensure_ascii=False), encoding="utf-8")
    return {"threads": len(counts), "posts": sum(counts.values()), "sizes": counts, "usernames": USERNAMES}


def grow_thread(directory: str | Path, topic_id: int, extra: int, seed: int = 1) -> list[int]:
    """Append `extra` posts to a topic (bumping it); returns the new post ids."""
    rng = random.Random(seed)
    path = Path(directory) / "topics" / f"{topic_id}.json"
    topic = json.loads(path.read_text(encoding="utf-8"))
    posts = topic["post_stream"]["posts"]
    next_id = 900_000 + topic_id * 1000 + len(posts)
    when = dt.datetime(2030, 1, 1, 12, 0, 0)
    new_ids = []
    for offset in range(extra):
        number = len(posts) + 1
        post = make_post(rng, next_id + offset, topic, number, when + dt.timedelta(minutes=offset), posts)
        posts.append(post)
        new_ids.append(post["id"])
    topic["post_stream"]["stream"] = [p["id"] for p in posts]
    topic["posts_count"] = topic["highest_post_number"] = len(posts)
    topic["bumped_at"] = topic["last_posted_at"] = posts[-1]["created_at"]
    path.write_text(json.dumps(topic, ensure_ascii=False), encoding="utf-8")
    return new_ids
