"""How long `miner forget` takes on a larger database, and whether the person's bytes are gone.

Run: PYTHONPATH=. python benchmarks/bench_forget.py [POSTS]   (default 30000 posts, synthetic)
Prints the time to plan, erase and compact, and the marker count in the raw file afterwards.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MINER_HOME", tempfile.mkdtemp())

from miner import store  # noqa: E402
from miner.app import forget  # noqa: E402
from miner.keys import pseudonym_key, pseudonymize  # noqa: E402

COMMON = "die der und in zu den das nicht von sie ist des sich mit dem dass er es ein ich auf so eine auch als an".split()
_rng = random.Random(1)
# a forum-sized vocabulary: common function words plus 5000 synthetic content words
WORDS = COMMON * 40 + ["".join(_rng.choice("aeiou") + _rng.choice("bdfgklmnprstz") for _ in range(_rng.randint(2, 4)))
                       for _ in range(5000)]


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize() + "."


def build(path: Path, n_posts: int, key: bytes) -> str:
    rng = random.Random(0)
    people = [pseudonymize(f"person{i}", key) for i in range(400)]
    target = pseudonymize("target_person", key)
    forum = "bench.example"
    threads, posts, questions = [], [], []
    post_id = 0
    topic = 0
    target_texts: list[str] = []
    while post_id < n_posts:
        topic += 1
        size = rng.randint(1, 12)
        authors = [target if rng.random() < 0.002 else rng.choice(people) for _ in range(size)]
        threads.append({"id": f"{forum}:{topic}", "forum": forum, "topic_id": topic, "title": sentence(rng),
                        "starter": authors[0], "url": f"https://{forum}/t/x/{topic}"})
        thread_texts: list[tuple[str, str]] = []
        for number, author in enumerate(authors, start=1):
            post_id += 1
            text = " ".join(sentence(rng) for _ in range(rng.randint(1, 5)))
            if author == target:
                text += " Mein Zebrafinkenprotokoll hilft hier nicht weiter."
                target_texts.append(text)
            html, quoted = f"<p>{text}</p>", ""
            if thread_texts and rng.random() < 0.3:
                who, said = rng.choice(thread_texts)
                quoted = said
                html = (f'<aside class="quote no-group" data-username="{who}"><div class="title">{who}:</div>'
                        f"<blockquote><p>{said}</p></blockquote></aside>" + html)
            thread_texts.append((author, text))
            posts.append({"id": f"{forum}:{post_id}", "forum": forum, "post_id": post_id, "thread": f"{forum}:{topic}",
                          "post_number": number, "author": author, "text": text, "quoted": quoted, "html": html,
                          "created_at": "2024-01-01T00:00:00Z"})
            if rng.random() < 0.3:
                questions.append({"id": f"{forum}:{post_id}:0", "forum": forum, "thread": f"{forum}:{topic}",
                                  "post": f"{forum}:{post_id}", "position": 0, "text": sentence(rng)[:-1] + "?",
                                  "asked_at": "2024-01-01T00:00:00Z", "faq_id": rng.randint(1, 50)})
    db = store.open_db(path)
    with db.conn:
        store.save_rows(db, "forums", [{"id": forum, "base_url": f"https://{forum}"}])
        store.save_rows(db, "threads", threads)
        store.save_rows(db, "posts", posts)
        store.save_rows(db, "faqs", [{"id": i, "title": f"FAQ {i}", "status": "active"} for i in range(1, 51)])
        store.save_rows(db, "questions", questions)
    db.conn.close()
    return target


def main() -> None:
    n_posts = int(sys.argv[1]) if len(sys.argv) > 1 else 30000
    path = Path(tempfile.mkdtemp()) / "bench.db"
    key = pseudonym_key()
    target = build(path, n_posts, key)
    size_before = path.stat().st_size
    db = store.open_db(path)
    t0 = time.perf_counter()
    plan = forget.plan_erasure(db, target, key=key)
    t1 = time.perf_counter()
    result = forget.erase(db, plan)
    t2 = time.perf_counter()
    left = forget.finish_on_disk(db, str(path), result.pop("needles"), wait=30)
    t3 = time.perf_counter()
    db.conn.close()
    raw = path.read_bytes()
    print(f"posts in db: {n_posts}, file {size_before / 1e6:.1f} MB")
    print(f"erased: {result}")
    print(f"plan {t1 - t0:.2f} s, erase {t2 - t1:.2f} s, compact (FTS rebuild + VACUUM + checkpoint + raw-byte check) "
          f"{t3 - t2:.2f} s; needles left outside rows: {len(left)}")
    print(f"marker occurrences in the raw file after forget: {raw.count(b'Zebrafinkenprotokoll')}")


if __name__ == "__main__":
    main()
