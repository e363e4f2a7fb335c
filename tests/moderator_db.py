"""A small hand-made forum database and fakes for the parts other branches provide
(scraping one thread, extracting its questions, the FAQ matcher), for the moderator tests."""

from __future__ import annotations

import re

from miner import store

BASE = "https://forum.example.org"
FORUM = "forum.example.org"

FAQS = [
    {"id": 1, "title": "Dürfen Lehrkräfte Signal dienstlich nutzen?", "status": "active"},
    {"id": 2, "title": "Wie bekommen Schulen Lizenzen für Threema Work?", "status": "active"},
    {"id": 3, "title": "Ist WhatsApp für Elternkommunikation erlaubt?", "status": "active"},
    {"id": 4, "title": "Alter Eintrag zu Messengern", "status": "retired", "successors": "[1]"},
]

ANSWERS = [
    # faq 1: published, then a newer draft: moderators must see the published text
    {"id": 1, "faq_id": 1, "status": "published", "editor": "ed", "created_at": "2024-03-01T10:00:00Z",
     "body": "**Ja**, mit Einschränkungen: Signal ist *dienstlich* nur mit [Einwilligung](https://x.example/e) "
             "und ohne Schülerdaten erlaubt. Fragen Sie @schulleitung nach der Dienstanweisung."},
    {"id": 2, "faq_id": 1, "status": "draft", "editor": "ed", "created_at": "2024-04-01T10:00:00Z",
     "body": "ENTWURF: neue Antwort"},
    {"id": 3, "faq_id": 2, "status": "published", "editor": "ed", "created_at": "2024-03-02T10:00:00Z",
     "body": "Lizenzen gibt es über den Schulträger. " + "Mehr Details folgen hier. " * 30},
    {"id": 4, "faq_id": 3, "status": "draft", "editor": "ed", "created_at": "2024-03-03T10:00:00Z",
     "body": "Noch in Arbeit."},
]

THREADS = [
    (101, "signal-an-der-schule", "Signal an der Schule dienstlich erlaubt?", "2024-05-02T08:00:00Z"),
    (102, "threema-work-lizenzen", "Threema Work Lizenzen für unsere Schule", "2024-06-10T08:00:00Z"),
    (103, "signal-datenschutz", "Signal und Datenschutz", "2023-01-05T08:00:00Z"),
]

# (thread topic, faq_id, similarity, text)
QUESTIONS = [
    (101, 1, 0.81, "Dürfen Lehrkräfte Signal dienstlich nutzen?"),
    (101, 3, 0.95, "Und ist WhatsApp erlaubt?"),  # entry without published answer: never queued
    (102, 2, 0.62, "Wie bekommen wir Lizenzen für Threema Work?"),
    (103, 1, 0.90, "Signal dienstlich nutzen, geht das?"),
]


def make_db(path, base_url: str = BASE):
    db = store.open_db(path)
    forum = store.forum_id_for(base_url)
    with db.conn:
        store.save_rows(db, "forums", [{"id": forum, "base_url": base_url, "title": "Testforum"}])
        store.save_rows(db, "faqs", [dict(f) for f in FAQS])
        store.save_rows(db, "answers", [dict(a) for a in ANSWERS])
        for topic, slug, title, created in THREADS:
            tid = store.qualify(forum, topic)
            store.save_rows(db, "threads", [{"id": tid, "forum": forum, "topic_id": topic, "title": title,
                                             "slug": slug, "url": f"{base_url}/t/{slug}/{topic}",
                                             "created_at": created, "relevant": 1}])
            store.save_rows(db, "posts", [{"id": store.qualify(forum, topic * 10), "forum": forum,
                                           "post_id": topic * 10, "thread": tid, "post_number": 1,
                                           "author": "user-0000000000", "text": title}])
        for n, (topic, faq_id, sim, text) in enumerate(QUESTIONS):
            store.save_rows(db, "questions", [{
                "id": f"{forum}:{topic * 10}:q{n}", "forum": forum, "thread": store.qualify(forum, topic),
                "post": store.qualify(forum, topic * 10), "position": n, "text": text, "kind": "explicit",
                "in_first_post": 1, "relevant": 1, "faq_id": faq_id, "faq_similarity": sim}])
    return db


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) >= 4}


class FakeMatcher:
    """Word overlap with active entry titles; the real matcher lives on the FAQ branch."""

    def __init__(self, db):
        self.faqs = list(db.query("select id, title from faqs where status = 'active'"))
        self.calls: list[str] = []
        self.contexts: list[str | None] = []

    def rank(self, text: str, top: int = 3, context: str | None = None) -> list[dict]:
        self.calls.append(text)
        self.contexts.append(context)
        hits = []
        for faq in self.faqs:
            shared = sorted(words(text) & words(faq["title"]))
            if shared:
                hits.append({"faq_id": faq["id"], "title": faq["title"],
                             "score": len(shared) / len(words(faq["title"])), "shared_terms": shared})
        hits.sort(key=lambda h: -h["score"])
        return hits[:top]


def install_fakes(monkeypatch, new_posts: dict[int, str] | None = None) -> dict:
    """Replace the adapters of miner.app.moderation; returns a record of the calls."""
    from miner.app import moderation

    calls: dict = {"fetched": [], "extracted": []}

    def fake_fetch(db, thread_url, delay=1.0):
        calls["fetched"].append(thread_url)
        from miner.urls import parse_thread_url

        address = parse_thread_url(thread_url)
        forum = store.load_forum(db, address.forum)
        topic, tid = address.topic_id, address.thread
        text = (new_posts or {}).get(topic)
        if text is not None:
            with db.conn:
                store.save_rows(db, "threads", [{"id": tid, "forum": forum["id"], "topic_id": topic,
                                                 "title": text.split("?")[0] + "?", "slug": "neu",
                                                 "url": f"{forum['base_url']}/t/neu/{topic}",
                                                 "created_at": "2024-07-01T09:00:00Z"}])
                store.save_rows(db, "posts", [{"id": store.qualify(forum["id"], topic * 10), "forum": forum["id"],
                                               "post_id": topic * 10, "thread": tid, "post_number": 1,
                                               "text": text}])
        return tid

    def fake_extract(db, thread_id):
        calls["extracted"].append(thread_id)
        post = store.load_first_post_text(db, thread_id)
        forum = thread_id.rsplit(":", 1)[0]
        with db.conn:
            for n, sentence in enumerate(s.strip() + "?" for s in post.split("?")[:-1]):
                store.save_rows(db, "questions", [{"id": f"{thread_id}:x{n}", "forum": forum, "thread": thread_id,
                                                   "position": n, "text": sentence, "in_first_post": 1}])

    monkeypatch.setattr(moderation, "fetch_thread", fake_fetch)
    monkeypatch.setattr(moderation, "extract_thread_questions", fake_extract)
    def load_ranker(db):
        calls.setdefault("rankers", []).append(FakeMatcher(db))
        return calls["rankers"][-1]

    monkeypatch.setattr(moderation, "load_ranker", load_ranker)
    return calls
