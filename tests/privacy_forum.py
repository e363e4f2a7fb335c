"""A tiny synthetic Discourse forum with known identities, for the privacy tests.

Written for these tests (no third-party content). Three people with distinctive usernames, real
names, e-mail addresses and phone numbers; one of them (Anna) uses a marker word that nobody else
writes, so the tests can grep the raw database file for her words after ``miner forget``.

Two ways to load it: ``handler`` answers Discourse JSON requests (for the scraper, through
pytest-httpserver), ``insert_pseudonymized`` writes the rows a correct parse step would produce
(for testing ``forget`` without the scraper).
"""

from __future__ import annotations

import json
import re

from werkzeug.wrappers import Response

from miner import store
from miner.keys import pseudonymize

MARKER = "Zebrafinkenprotokoll"  # only Anna writes it (others only quote her)

PEOPLE = {
    "anna": {"id": 11, "username": "KxMueller_Anna", "name": "Anna Kxmüller",
             "email": "anna.kxmueller@grundschule-beispiel.de", "phone": "0171 2345678"},
    "bernd": {"id": 12, "username": "qz_schmidt_b", "name": "Bernd Qzschmidt",
              "email": "b.qzschmidt@gymnasium-beispiel.de", "phone": "+49 30 12345678"},
    "carla": {"id": 13, "username": "vw_bauer_c", "name": "Carla Vwbauer",
              "email": "carla@vwbauer-beispiel.de", "phone": "0221 9876543"},
}

CATEGORY = {"id": 5, "name": "Messenger", "slug": "messenger", "description": "Messenger an Schulen",
            "topic_count": 3, "post_count": 9, "read_restricted": False, "parent_category_id": None}

TOPICS = [
    {"id": 101, "title": "Darf ich WhatsApp für Elternkommunikation nutzen?", "slug": "darf-ich-whatsapp-nutzen",
     "month": "2024-03"},
    {"id": 102, "title": "Welcher Messenger ist datenschutzkonform?", "slug": "welcher-messenger", "month": "2024-04"},
    {"id": 103, "title": f"{MARKER} und Signal?", "slug": "zebrafinkenprotokoll-und-signal", "month": "2024-06"},
]

# (topic, post_number, person, reply_to, own text, quote (person, text) or None, mention or None)
POSTS = [
    (101, 1, "anna", None,
     f"Ich bin Lehrerin und nutze das {MARKER} für die Elternkommunikation. Darf ich WhatsApp mit Eltern nutzen? "
     f"Erreichbar unter {PEOPLE['anna']['email']} oder {PEOPLE['anna']['phone']}.", None, None),
    (101, 2, "bernd", 1,
     "Nein, WhatsApp ist für dienstliche Kommunikation nicht erlaubt. Welche Alternative nutzt eure Schule?",
     ("anna", f"Ich bin Lehrerin und nutze das {MARKER} für die Elternkommunikation."), "anna"),
    (101, 3, "anna", 2, f"Danke! Das {MARKER} bleibt bei uns also in der Schublade. Gibt es eine Liste erlaubter Messenger?",
     None, None),
    (101, 4, "carla", 2, f"Threema Work und Signal sind bei uns erlaubt. Ruf mich an: {PEOPLE['carla']['phone']}.",
     None, None),
    (102, 1, "bernd", None,
     f"Welcher Messenger ist an Schulen datenschutzkonform? Wir suchen eine Lösung, Mail an {PEOPLE['bernd']['email']}.",
     None, None),
    (102, 2, "anna", 1, f"Wir nutzen seit dem {MARKER} nur noch Threema. Ist Threema Work auch für Eltern geeignet?",
     None, None),
    (102, 3, "carla", 2, "Threema Work geht auch für Eltern, die Lizenz zahlt die Schule.", None, "bernd"),
    (102, 4, "bernd", 1, "Danke für die vielen Antworten.", None, None),
    (103, 1, "anna", None, f"Kann ich das {MARKER} mit Signal kombinieren? Ist Signal für Lehrkräfte erlaubt?",
     None, None),
]

# (post key, position, text, faq id) as the questions step would find them
QUESTIONS = [
    ((101, 1), -1, "Darf ich WhatsApp für Elternkommunikation nutzen?", 1),
    ((101, 1), 1, "Darf ich WhatsApp mit Eltern nutzen?", 1),
    ((101, 2), 1, "Welche Alternative nutzt eure Schule?", 1),
    ((101, 3), 2, "Gibt es eine Liste erlaubter Messenger?", None),
    ((102, 1), -1, "Welcher Messenger ist datenschutzkonform?", 2),
    ((102, 1), 0, "Welcher Messenger ist an Schulen datenschutzkonform?", 2),
    ((102, 2), 1, "Ist Threema Work auch für Eltern geeignet?", 2),
    ((103, 1), 1, "Ist Signal für Lehrkräfte erlaubt?", 2),
    ((103, 1), 0, f"Kann ich das {MARKER} mit Signal kombinieren?", None),
]

IDENTIFIERS = [v for p in PEOPLE.values() for v in (p["username"], p["name"], p["email"], p["phone"])] + [
    p["phone"].replace(" ", "") for p in PEOPLE.values()
]


def post_time(topic: int, number: int) -> str:
    month = next(t["month"] for t in TOPICS if t["id"] == topic)
    return f"{month}-{10 + number:02d}T09:00:00.000Z"


def avatar(person: str) -> str:
    return f"/user_avatar/forum/{PEOPLE[person]['username'].lower()}/{{size}}/7_2.png"


def cooked(own: str, quote: tuple | None, mention: str | None) -> str:
    """Cooked HTML the way Discourse renders quotes and mentions."""
    html = ""
    if quote:
        who, text = quote
        user = PEOPLE[who]["username"]
        html += (f'<aside class="quote no-group" data-username="{user}" data-post="1" data-topic="101">\n'
                 f'<div class="title">\n<div class="quote-controls"></div>\n<img alt="" width="24" height="24" '
                 f'src="{avatar(who).replace("{size}", "48")}" class="avatar"> {user}:</div>\n'
                 f"<blockquote>\n<p>{text}</p>\n</blockquote>\n</aside>\n")
    html += f"<p>{own}</p>"
    if mention:
        user = PEOPLE[mention]["username"]
        html += f'\n<p><a class="mention" href="/u/{user.lower()}">@{user}</a> schau mal in die Handreichung.</p>'
    return html


# ---------------------------------------------------------------- Discourse JSON


def post_json(post: tuple) -> dict:
    topic, number, who, reply_to, own, quote, mention = post
    person = PEOPLE[who]
    return {
        "id": topic * 10 + number, "name": person["name"], "username": person["username"],
        "avatar_template": avatar(who), "created_at": post_time(topic, number), "updated_at": post_time(topic, number),
        "cooked": cooked(own, quote, mention), "post_number": number, "post_type": 1, "reply_count": 0,
        "reply_to_post_number": reply_to, "quote_count": int(bool(quote)), "reads": 3, "score": 1.0,
        "topic_id": topic, "topic_slug": next(t["slug"] for t in TOPICS if t["id"] == topic),
        "display_username": person["name"], "version": 1, "user_id": person["id"], "trust_level": 1,
        "moderator": False, "admin": False, "staff": False, "hidden": False, "deleted_at": None,
        "user_deleted": False, "accepted_answer": False, "can_accept_answer": False, "actions_summary": [],
        "mentioned_users": [], "post_url": f"/t/x/{topic}/{number}",
        "reply_to_user": ({"id": 0, "username": PEOPLE[POSTS_BY_KEY[(topic, reply_to)][2]]["username"]}
                          if reply_to else None),
    }


POSTS_BY_KEY = {(p[0], p[1]): p for p in POSTS}


def user_json(who: str) -> dict:
    p = PEOPLE[who]
    return {"id": p["id"], "username": p["username"], "name": p["name"], "avatar_template": avatar(who)}


def topic_list_item(topic: dict, posts: list[tuple]) -> dict:
    last = posts[-1]
    return {
        "id": topic["id"], "title": topic["title"], "fancy_title": topic["title"], "slug": topic["slug"],
        "posts_count": len(posts), "reply_count": len(posts) - 1, "highest_post_number": len(posts),
        "created_at": post_time(topic["id"], 1), "last_posted_at": post_time(topic["id"], last[1]),
        "bumped": True, "bumped_at": post_time(topic["id"], last[1]), "archetype": "regular", "unseen": False,
        "pinned": False, "unpinned": None, "visible": True, "closed": False, "archived": False, "views": 12,
        "like_count": 0, "has_summary": False, "last_poster_username": PEOPLE[last[2]]["username"],
        "category_id": CATEGORY["id"], "pinned_globally": False, "has_accepted_answer": False, "tags": [],
        "posters": [{"extras": None, "description": "Original Poster", "user_id": PEOPLE[posts[0][2]]["id"]}],
    }


def topic_posts(topic_id: int) -> list[tuple]:
    return [p for p in POSTS if p[0] == topic_id]


def latest_json() -> dict:
    topics = [topic_list_item(t, topic_posts(t["id"])) for t in sorted(TOPICS, key=lambda t: -t["id"])]
    return {"users": [user_json(w) for w in PEOPLE], "primary_groups": [],
            "topic_list": {"can_create_topic": False, "per_page": 30, "topics": topics}}


def topic_json(topic_id: int) -> dict:
    topic = next(t for t in TOPICS if t["id"] == topic_id)
    posts = topic_posts(topic_id)
    item = topic_list_item(topic, posts)
    return {
        **item, "post_stream": {"posts": [post_json(p) for p in posts], "stream": [topic_id * 10 + p[1] for p in posts]},
        "tags": [], "user_id": PEOPLE[posts[0][2]]["id"], "word_count": 100, "deleted_at": None, "chunk_size": 20,
        "participant_count": len({p[2] for p in posts}), "current_post_number": 1,
        "details": {"created_by": user_json(posts[0][2]), "last_poster": user_json(posts[-1][2]),
                    "participants": [user_json(w) for w in sorted({p[2] for p in posts})]},
    }


def _json(data: dict, route: str) -> Response:
    return Response(json.dumps(data), content_type="application/json; charset=utf-8",
                    headers={"X-Discourse-Route": route})


def handler(request) -> Response:
    """Answer the read-only Discourse endpoints a scraper uses; 404 for anything else."""
    path = request.path.rstrip("/") or "/"
    if path == "/robots.txt":
        return Response("User-agent: *\nDisallow: /admin/\n", content_type="text/plain")
    if path in ("/site.json", "/categories.json"):
        return _json({"categories": [CATEGORY], "category_list": {"categories": [CATEGORY]}}, "site/site")
    if path == "/about.json":
        return _json({"about": {"title": "Testforum Schule", "description": "Synthetisch", "version": "3.3.0"}},
                     "about/index")
    if path == "/" or path == "/latest":
        return Response('<html><head><meta name="generator" content="Discourse 3.3.0"></head><body></body></html>',
                        content_type="text/html")
    listing = path in ("/latest.json", "/c/messenger/5.json", "/c/5.json", "/c/messenger/5/l/latest.json",
                       "/c/5/l/latest.json", "/top.json", "/new.json")
    if listing:
        page = int(request.args.get("page", "0") or 0)
        data = latest_json()
        if page > 0:
            data["topic_list"]["topics"] = []
        return _json(data, "list/latest")
    match = re.fullmatch(r"/t/(?:[^/]+/)?(\d+)(?:/\d+)?\.json", path)
    if match and int(match.group(1)) in {t["id"] for t in TOPICS}:
        return _json(topic_json(int(match.group(1))), "topics/show")
    match = re.fullmatch(r"/t/(\d+)/posts\.json", path)
    if match:
        wanted = {int(i) for i in request.args.getlist("post_ids[]")}
        posts = [post_json(p) for p in topic_posts(int(match.group(1))) if not wanted or p[0] * 10 + p[1] in wanted]
        return _json({"post_stream": {"posts": posts}, "id": int(match.group(1))}, "topics/posts")
    match = re.fullmatch(r"/posts/(\d+)\.json", path)
    if match:
        key = divmod(int(match.group(1)), 10)
        if key in POSTS_BY_KEY:
            return _json(post_json(POSTS_BY_KEY[key]), "posts/show")
    return Response("not found", status=404)


# ---------------------------------------------------------------- rows a correct parse step produces

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w-])\+?\d[\d /-]{6,}\d\b")  # masked before pseudonyms go in


def mask(text: str) -> tuple[str, int]:
    text, emails = EMAIL.subn("[email]", text)
    text, phones = PHONE.subn("[phone]", text)
    return text, emails + phones


def pseudonymize_html(html: str, key: bytes) -> str:
    for person in PEOPLE.values():
        html = re.sub(re.escape(person["username"]), pseudonymize(person["username"], key), html, flags=re.I)
    return html


FORUM = "schule.example.org"


def insert_pseudonymized(db, key: bytes, forum: str = FORUM) -> None:
    """Store the forum as scrape+mine would: pseudonyms, masked identifiers, questions and two FAQs."""
    pseudo = {w: pseudonymize(p["username"], key) for w, p in PEOPLE.items()}
    with db.conn:
        store.save_rows(db, "forums", [{"id": forum, "base_url": f"https://{forum}", "title": "Testforum"}])
        store.save_rows(db, "categories", [{"id": f"{forum}:5", "forum": forum, "category_id": 5, "name": "Messenger"}])
        store.save_rows(db, "threads", [{
            "id": f"{forum}:{t['id']}", "forum": forum, "topic_id": t["id"], "title": t["title"], "slug": t["slug"],
            "url": f"https://{forum}/t/{t['slug']}/{t['id']}", "category": f"{forum}:5",
            "starter": pseudo[topic_posts(t["id"])[0][2]], "created_at": post_time(t["id"], 1),
            "posts_count": len(topic_posts(t["id"])), "relevant": 1,
        } for t in TOPICS])
        rows = []
        for topic, number, who, reply_to, own, quote, mention in POSTS:
            text, masked = mask(own)
            if mention:
                text += f" @{pseudo[mention]} schau mal in die Handreichung."
            rows.append({
                "id": f"{forum}:{topic * 10 + number}", "forum": forum, "post_id": topic * 10 + number,
                "thread": f"{forum}:{topic}", "post_number": number, "author": pseudo[who],
                "created_at": post_time(topic, number), "reply_to_post_number": reply_to, "text": text,
                "quoted": quote[1] if quote else "",
                "html": pseudonymize_html(mask(cooked(own, quote, mention))[0], key), "masked": masked,
                "deleted": 0, "version": 1,
            })
        store.save_rows(db, "posts", rows)
        store.save_rows(db, "faqs", [
            {"id": 1, "title": "Darf ich WhatsApp mit Eltern nutzen?", "keywords": "whatsapp, eltern, zebrafinkenprotokoll", "size": 3, "threads": 1, "status": "active",
             "medoid_question": f"{forum}:1011:1", "first_asked": post_time(101, 1), "last_asked": post_time(101, 2)},
            {"id": 2, "title": "Welcher Messenger ist datenschutzkonform?", "size": 4, "threads": 3, "status": "active",
             "medoid_question": f"{forum}:1021:-1", "first_asked": post_time(102, 1), "last_asked": post_time(103, 1)},
        ])
        store.save_rows(db, "questions", [{
            "id": f"{forum}:{key_[0] * 10 + key_[1]}:{position}", "forum": forum, "thread": f"{forum}:{key_[0]}",
            "post": f"{forum}:{key_[0] * 10 + key_[1]}", "position": position, "text": text,
            "kind": "title" if position < 0 else "explicit", "asked_at": post_time(*key_), "relevant": 1,
            "faq_id": faq, "faq_similarity": 0.5 + position / 10,
        } for key_, position, text, faq in QUESTIONS])
        months: dict = {}
        for key_, _, _, faq in QUESTIONS:
            if faq:
                month = post_time(*key_)[:7]
                months[(faq, month)] = months.get((faq, month), 0) + 1
        store.save_rows(db, "faq_months", [{"id": f"{f}-{m}", "faq_id": f, "month": m, "questions": n}
                                           for (f, m), n in months.items()])
        db["thread_links"].insert_all([
            {"thread_url": f"https://{forum}/t/x/101", "thread": f"{forum}:101", "faq_id": 1, "linked_by": "mod"},
            {"thread_url": f"https://{forum}/t/x/103", "thread": f"{forum}:103", "faq_id": 2, "linked_by": "mod"},
        ])
