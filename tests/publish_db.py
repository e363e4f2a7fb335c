"""A small mined database for the Datasette tests, with hostile HTML/Markdown in every text field.

Built with store.open_db and plain rows (no scrape or mine needed). RAW_USERNAMES are the forum
names behind the pseudonyms: they must never appear in anything Datasette serves.
"""

from __future__ import annotations

from pathlib import Path

from miner import store
from miner.keys import pseudonymize

FORUM = "forum.example.org"
RAW_USERNAMES = ["lehrerin_anna", "PapaBernd77"]
KEY = b"test-key-not-secret"
PAYLOADS = [
    "<script>window.__pwned = 1; document.title = 'pwned'</script>",
    '<img src="x" onerror="window.__pwned = 1; document.title = \'pwned\'">',
    '<a href="javascript:window.__pwned=1;document.title=\'pwned\'">klick</a>',
    '<svg onload="window.__pwned = 1"><script>window.__pwned = 1</script></svg>',
    '<svg><a xlink:href="javascript:window.__pwned=1"><text y="20">svg-link</text></a></svg>',
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    '<details open ontoggle="window.__pwned=1">x</details>',
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=1"></style></mglyph></table></mtext></math>',
]
HOSTILE = " ".join(PAYLOADS)
HOSTILE_MARKDOWN = (
    "**Nein**, nicht ohne AV-Vertrag. Siehe [Datenschutz](https://example.org/dsgvo).\n\n"
    "[harmlos](javascript:window.__pwned=1)\n\n" + HOSTILE + "\n\n<p onclick=\"window.__pwned=1\">p</p>"
)


def pseudo(name: str) -> str:
    return pseudonymize(name, KEY)


def build_db(path: Path, *, mined: bool = True) -> Path:
    db = store.open_db(path)
    anna, bernd = (pseudo(n) for n in RAW_USERNAMES)
    with db.conn:
        store.save_rows(db, "forums", [{"id": FORUM, "base_url": f"https://{FORUM}", "title": "Lehrkräfte-Forum"}])
        store.save_rows(db, "categories", [{"id": f"{FORUM}:5", "forum": FORUM, "category_id": 5, "name": "Messenger"}])
        threads = [
            (1, "Ist WhatsApp DSGVO-konform? " + PAYLOADS[0], 2023, '["WhatsApp"]'),
            (2, "Signal für Elternkontakt", 2024, '["Signal"]'),
            (3, "Datenschutzerklärung für Threema", 2024, '["Threema"]'),
        ]
        store.save_rows(db, "threads", [
            {
                "id": f"{FORUM}:{n}", "forum": FORUM, "topic_id": n, "title": title, "slug": f"t{n}",
                "url": f"https://{FORUM}/t/t{n}/{n}", "category": f"{FORUM}:5", "starter": anna if n != 2 else bernd,
                "created_at": f"{year}-03-0{n}T10:00:00Z", "year": year, "relevant": 1, "messengers": messengers,
                "posts_count": 2,
            }
            for n, title, year, messengers in threads
        ])
        posts = []
        for n, _, year, _ in threads:
            for number, (author, text) in enumerate([
                (anna, f"Ist WhatsApp DSGVO-konform für die Klasse {n}? Die Datenschutzerklärung ist unklar."),
                (bernd, "Wir nutzen Signal, das ist datenschutzfreundlich. " + HOSTILE),
            ], start=1):
                posts.append({
                    "id": f"{FORUM}:{n}{number}", "forum": FORUM, "post_id": int(f"{n}{number}"), "thread": f"{FORUM}:{n}",
                    "post_number": number, "author": author, "created_at": f"{year}-03-0{n}T1{number}:00:00Z",
                    "text": text, "html": f"<p>{text}</p>" + HOSTILE, "masked": 0,
                })
        store.save_rows(db, "posts", posts)
        if not mined:
            return path
        faqs = [
            (1, "Ist WhatsApp DSGVO-konform?", "whatsapp dsgvo konform", 3),
            (2, "Darf ich Eltern über Signal kontaktieren? " + PAYLOADS[1], "signal eltern", 2),
            (3, "Braucht Threema eine Datenschutzerklärung?", "threema datenschutzerklärung", 1),
        ]
        store.save_rows(db, "faqs", [
            {"id": i, "title": t, "keywords": k, "size": s, "threads": 1, "status": "active",
             "first_asked": "2023-03-01T10:00:00Z", "last_asked": "2024-03-03T10:00:00Z"}
            for i, t, k, s in faqs
        ])
        questions = [
            ("q1", 1, 1, "Ist WhatsApp DSGVO-konform?", "2023-03-01T11:00:00Z"),
            ("q2", 1, 2, "Ist WhatsApp für Klassenchats DSGVO-konform?", "2024-03-02T11:00:00Z"),
            ("q3", 1, 3, "Ist WhatsApp an Schulen DSGVO-konform?", "2024-03-03T11:00:00Z"),
            ("q4", 2, 2, "Darf ich Eltern über Signal kontaktieren? " + PAYLOADS[2], "2024-03-02T12:00:00Z"),
            ("q5", 2, 2, "Kann ich Signal für Elternkontakt nutzen? " + PAYLOADS[3], "2024-04-02T12:00:00Z"),
            ("q6", 3, 3, "Braucht Threema eine Datenschutzerklärung?", "2024-03-03T12:00:00Z"),
        ]
        store.save_rows(db, "questions", [
            {"id": qid, "forum": FORUM, "thread": f"{FORUM}:{t}", "post": f"{FORUM}:{t}1", "position": 0, "text": text,
             "kind": "explicit", "asked_at": at, "relevant": 1, "faq_id": faq, "faq_similarity": 0.9}
            for qid, faq, t, text, at in questions
        ])
        store.save_rows(db, "faq_months", [
            {"id": "1:2023-03", "faq_id": 1, "month": "2023-03", "questions": 1},
            {"id": "1:2024-03", "faq_id": 1, "month": "2024-03", "questions": 2},
            {"id": "2:2024-03", "faq_id": 2, "month": "2024-03", "questions": 1},
            {"id": "2:2024-04", "faq_id": 2, "month": "2024-04", "questions": 1},
            {"id": "3:2024-03", "faq_id": 3, "month": "2024-03", "questions": 1},
        ])
        store.save_rows(db, "mining_runs", [{"id": 1, "started_at": "2024-05-01T00:00:00Z", "status": "finished"}])
        db.execute(
            "insert into answers (faq_id, body, status, editor, created_at) values (?, ?, 'published', 'redaktion', ?)",
            [2, HOSTILE_MARKDOWN, "2024-03-10T00:00:00Z"],
        )
    db.conn.close()
    return path
