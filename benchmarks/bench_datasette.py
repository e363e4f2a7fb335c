"""Benchmark: ranked FTS search and the /faq page through HTTP on a big synthetic corpus.

    python benchmarks/bench_datasette.py [--db /tmp/miner-bench.db] [--rebuild]

Builds (once, cached) a miner database with 1,000,000 posts and 200,000 questions of synthetic
German text (Zipf-distributed vocabulary plus messenger/data-protection terms), starts
`miner serve` as a real server process, and times sequential HTTP requests.
Targets (2 cores): search p95 <= 50 ms, /faq, its search and the entry pages <= 300 ms.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from local_server import miner_serve  # noqa: E402
from miner import store  # noqa: E402

FORUM = "bench.example.org"
DOMAIN = (
    "WhatsApp Signal Threema Telegram Schulmessenger Messenger DSGVO DSGVO-konform Datenschutz "
    "Datenschutzerklärung Einwilligung Elternbrief Klassenchat Lehrkräfte Schülerinnen Schüler Eltern "
    "Schulleitung Dienstgerät Privathandy Auftragsverarbeitung AV-Vertrag Verschlüsselung Server "
    "Landesdatenschutzbeauftragte Schulkonferenz Elternabend Gruppenchat Videokonferenz Lernplattform "
    "Moodle IServ Schulcloud Mebis Teams Zoom Nextcloud Handynummer Erreichbarkeit Dienstanweisung"
).split()
FILLER = (
    "der die das und ist nicht ich wir sie es ein eine zu mit für auf auch wie aber oder wenn dass "
    "bei uns man kann darf soll müssen haben hat sind war noch schon nur sehr mehr gibt alle immer "
    "dann dort hier so was wer warum welche einen einem unserer unsere Schule Klasse Kollegium Frage"
).split()
SYLLABLES = "da ten schutz ge setz lich keit ung be richt ver trag an mel dung schul amt leh rer kon takt mit tei lung".split()


def vocabulary(size: int = 6000, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    ordered = FILLER + DOMAIN + sorted(words)
    return ordered


def sentence_maker(seed: int):
    words = vocabulary()
    cum = list(itertools.accumulate(1.0 / (rank + 8) for rank in range(len(words))))
    rng = random.Random(seed)

    def make(n: int) -> str:
        return " ".join(rng.choices(words, cum_weights=cum, k=n))

    return make, rng


def build(path: Path, posts: int = 1_000_000, questions: int = 200_000, faqs: int = 2_000) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if leftover.exists():
            leftover.unlink()
    db = store.open_db(path)
    conn = db.conn
    make, rng = sentence_maker(1)
    threads = posts // 20
    t0 = time.time()
    with conn:
        conn.execute("insert into forums (id, base_url, title) values (?, ?, ?)", [FORUM, f"https://{FORUM}", "Bench"])
        conn.executemany(
            "insert into threads (id, forum, topic_id, title, url, created_at, year, relevant, messengers, posts_count)"
            " values (?, ?, ?, ?, ?, ?, ?, 1, '[\"WhatsApp\"]', 20)",
            (
                (f"{FORUM}:{t}", FORUM, t, make(8) + "?", f"https://{FORUM}/t/x/{t}",
                 f"{2016 + t % 9}-{1 + t % 12:02d}-01T10:00:00Z", 2016 + t % 9)
                for t in range(threads)
            ),
        )
    print(f"threads: {threads} in {time.time() - t0:.0f}s", file=sys.stderr)
    batch = 50_000
    for start in range(0, posts, batch):
        with conn:
            conn.executemany(
                "insert into posts (id, forum, post_id, thread, post_number, author, created_at, text, masked)"
                " values (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                (
                    (f"{FORUM}:{p}", FORUM, p, f"{FORUM}:{p // 20}", p % 20 + 1, f"user-{p % 5000:010x}",
                     f"{2016 + (p // 20) % 9}-{1 + (p // 20) % 12:02d}-02T10:00:00Z", make(rng.randint(15, 60)))
                    for p in range(start, min(posts, start + batch))
                ),
            )
        print(f"posts: {start + batch} after {time.time() - t0:.0f}s", file=sys.stderr)
    sizes = [1.0 / (i + 5) for i in range(faqs)]
    faq_of = rng.choices(range(1, faqs + 1), weights=sizes, k=questions)
    with conn:
        conn.executemany(
            "insert into questions (id, forum, thread, post, position, text, kind, asked_at, relevant, faq_id, faq_similarity)"
            " values (?, ?, ?, ?, 0, ?, 'explicit', ?, 1, ?, ?)",
            (
                (f"{FORUM}:{q * 5}:{q}", FORUM, f"{FORUM}:{(q * 5) // 20}", f"{FORUM}:{q * 5}", make(rng.randint(6, 16)) + "?",
                 f"{2016 + q % 9}-{1 + q % 12:02d}-03T10:00:00Z", faq_of[q], rng.random())
                for q in range(questions)
            ),
        )
        conn.executemany(
            "insert into faqs (id, title, keywords, status) values (?, ?, ?, 'active')",
            ((f, make(9) + "?", make(4)) for f in range(1, faqs + 1)),
        )
        conn.execute(
            "update faqs set (size, threads, first_asked, last_asked) = (select count(*), count(distinct thread),"
            " min(asked_at), max(asked_at) from questions where faq_id = faqs.id)"
        )
        conn.execute(
            "insert into faq_months (id, faq_id, month, questions) select faq_id || ':' || substr(asked_at, 1, 7),"
            " faq_id, substr(asked_at, 1, 7), count(*) from questions group by faq_id, substr(asked_at, 1, 7)"
        )
        conn.executemany(
            "insert into answers (faq_id, body, status, editor, created_at) values (?, ?, 'published', 'bench', '2024-01-01T00:00:00Z')",
            ((f, "**" + make(5) + "**\n\n" + make(80) + "\n\n- " + make(6) + "\n- " + make(6)) for f in range(1, faqs + 1, 2)),
        )
        conn.execute("insert into mining_runs (id, status) values (1, 'finished')")
    conn.execute("analyze")
    conn.execute("insert into posts_fts(posts_fts) values ('optimize')")
    conn.execute("insert into questions_fts(questions_fts) values ('optimize')")
    conn.close()
    print(f"built {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.time() - t0:.0f}s", file=sys.stderr)


def timed_get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url) as response:
        response.read()
        assert response.status == 200, url
    return (time.perf_counter() - start) * 1000


def percentiles(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return f"p50 {statistics.median(values):6.1f} ms  p95 {p95:6.1f} ms  max {values[-1]:6.1f} ms  (n={len(values)})"


def search_terms(rng: random.Random) -> dict[str, list[str]]:
    words = vocabulary()
    rare = words[len(FILLER) + len(DOMAIN) + 500:]
    return {
        "domain word": [rng.choice(DOMAIN) for _ in range(60)],
        "two domain words": [" ".join(rng.sample(DOMAIN, 2)) for _ in range(60)],
        "rarer word": [rng.choice(rare) for _ in range(60)],
        "hyphen/umlaut": ["DSGVO-konform", "Datenschutzerklärung", "Schülerinnen", "AV-Vertrag"] * 10,
        "very common word (stopword-like)": [rng.choice(FILLER[:20]) for _ in range(20)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/miner-bench.db")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--questions", type=int, default=200_000)
    args = parser.parse_args()
    path = Path(args.db)
    if args.rebuild or not path.exists():
        build(path, args.posts, args.questions)
    name = path.stem
    with miner_serve(path, {"MINER_HOME": str(path.parent / "miner-bench-home")}) as base:
        print(f"posts {args.posts:,}  questions {args.questions:,}  cores {os.cpu_count()}")
        rng = random.Random(7)
        all_search = []
        for label, terms in search_terms(rng).items():
            for table in ("posts", "questions"):
                times = [timed_get(f"{base}/{name}/search_{table}.json?" + urllib.parse.urlencode({"q": t})) for t in terms]
                if label.startswith("very common") is False:
                    all_search += times
                print(f"search_{table:9} {label:34} {percentiles(times)}")
        print(f"ALL ranked searches (excluding stopword-like) {percentiles(all_search)}")
        timed_get(base + "/faq")
        faq = [timed_get(base + "/faq") for _ in range(30)]
        print(f"/faq page 1 (25 entries)               {percentiles(faq)}")
        faq_search = [timed_get(base + "/faq?" + urllib.parse.urlencode({"q": rng.choice(vocabulary()[60:600])})) for _ in range(30)]
        print(f"/faq?q=word                            {percentiles(faq_search)}")
        faq_page = [timed_get(base + f"/faq?page={p}") for p in range(2, 32)]
        print(f"/faq?page=N                            {percentiles(faq_page)}")
        readers = [timed_get(base + "/faq?" + urllib.parse.urlencode({"q": q}))
                   for q in ("DSGVO", "DSGVO-konform", "Datenschutz", "WhatsApp Eltern", "Messenger") for _ in range(6)]
        print(f"/faq?q=DSGVO, Datenschutz, ...         {percentiles(readers)}")
        entries = [timed_get(base + f"/faq/{i}") for i in rng.sample(range(1, 2001), 30)]
        print(f"/faq/ID (entry page)                   {percentiles(entries)}")


if __name__ == "__main__":
    main()
