"""The moderator's steps with I/O: fetch a thread, rank FAQ entries, link, reply, queue.

The parts other modules provide (scraping one thread, extracting its questions, the FAQ
matcher) are each called through one small adapter below, so tests can replace them; they are
imported lazily because requests and scikit-learn are slow to load.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from miner import entries, moderate, store
from miner.errors import AlreadyPosted, DatabaseError, DiscourseWriteError, UnknownFaq, UnknownForum, UsageError
from miner.urls import parse_thread_url
from miner.i18n import STATUS_NAMES, both, name

RANK_DEPTH = 10  # entries asked per question before the thread's rankings are merged


# ---------------------------------------------------------------- adapters to other parts (tests replace them)


def fetch_thread(db: store.Database, thread_url: str, delay: float = 1.0) -> str:
    """Fetch and store one thread politely (the scraper's client); returns its thread id."""
    ref = resolve_thread(db, thread_url)
    engine = (store.load_forum(db, ref.forum) or {}).get("engine") or "discourse"
    if engine != "discourse":
        from miner.scrape_html import scrape_html_thread

        return scrape_html_thread(db, ref.base_url, engine, ref.topic_id, delay=delay)
    from miner.scrape import scrape_thread

    return scrape_thread(db, thread_url, delay=delay)


def extract_thread_questions(db: store.Database, thread_id: str) -> None:
    """Extract (idempotently) the questions of one stored thread."""
    from miner.mining import extract_questions_into

    extract_questions_into(db, thread_ids=[thread_id])


def load_ranker(db: store.Database):
    """The FAQ step's matcher: ``.rank(text, top)`` -> [{faq_id, title, score, shared_terms}]."""
    from miner.match import load_matcher

    return load_matcher(db)


# ---------------------------------------------------------------- lookups with clear errors


@dataclass(frozen=True)
class ThreadRef:
    forum: str
    base_url: str
    topic_id: int
    thread: str  # forum-qualified id
    url: str  # canonical URL used in thread_links


def resolve_thread(db: store.Database, thread_url: str) -> ThreadRef:
    """Which stored forum and topic a pasted thread URL means (Discourse's /t/ form, or a thread
    address of a stored forum read through its pages: viewtopic.php?t=..., /threads/...)."""
    try:
        address = parse_thread_url(thread_url)
    except UsageError:
        ref = _resolve_page_thread(db, thread_url)
        if ref is None:
            raise
        return ref
    forum = store.load_forum(db, address.forum)
    if forum is None:
        known = ", ".join(f["base_url"] for f in store.load_forums(db)) or "none yet"
        raise UnknownForum(
            both(f"{thread_url} ist kein Thread eines Forums in dieser Datenbank (Foren: {known}).",
                 f"{thread_url} is not a thread of a forum in this database (forums: {known})."),
            hint=both("Lesen Sie das Forum zuerst mit `miner scrape DB BASE_URL` ein, oder ordnen Sie eingefügten Text "
                      "mit `--text` zu.",
                      "Scrape the forum first with `miner scrape DB BASE_URL`, or match pasted text with `--text`."),
        )
    row = store.load_thread(db, address.thread)
    url = (row or {}).get("url") or moderate.canonical_thread_url(forum["base_url"], address.topic_id)
    return ThreadRef(forum["id"], forum["base_url"], address.topic_id, address.thread, url)


def _resolve_page_thread(db: store.Database, thread_url: str) -> ThreadRef | None:
    """A thread of a stored forum whose engine reads pages: the forum whose address the URL starts
    with, the thread id as that engine reads it from the URL."""
    from miner.sources import registry

    url = (thread_url or "").strip()
    for forum in store.load_forums(db):
        base = (forum["base_url"] or "").rstrip("/")
        if (forum.get("engine") or "discourse") == "discourse" or not base or not url.startswith(base + "/"):
            continue
        try:
            engine = registry.load_engine(forum["engine"])
        except UsageError:
            continue
        topic_id = engine.thread_id(url)
        if topic_id is not None:
            thread = store.qualify(forum["id"], topic_id)
            row = store.load_thread(db, thread)
            return ThreadRef(forum["id"], base, topic_id, thread,
                             (row or {}).get("url") or engine.thread_url(base, topic_id))
    return None


def require_faq(db: store.Database, faq_id: int) -> dict:
    faq = store.load_faq(db, faq_id)
    if faq is None:
        raise UnknownFaq(both(f"Es gibt keinen FAQ-Eintrag {faq_id}.", f"There is no FAQ entry {faq_id}."),
                         hint=both("Die Nummern zeigt `miner faq list DB` oder die FAQ-Seite.",
                                   "See the ids with `miner faq list DB` or on the FAQ page."))
    if (faq.get("status") or "active") != "active":
        successors = faq.get("successors") or "[]"
        raise UnknownFaq(both(f"Der FAQ-Eintrag {faq_id} ist {name(STATUS_NAMES, faq['status'], 'de')} (Nachfolger: {successors}).",
                              f"FAQ entry {faq_id} is {faq['status']} (successors: {successors})."),
                         hint=both("Verknüpfen Sie den Thread stattdessen mit einem seiner Nachfolger.",
                                   "Link the thread to one of its successors instead."))
    return faq


def _require_faqs_exist(db: store.Database) -> None:
    if not store.has_active_faqs(db):
        raise DatabaseError(both("Diese Datenbank hat noch keine FAQ-Einträge.", "This database has no FAQ entries yet."),
                            hint=both("Sie entstehen mit `miner mine DB` nach dem Einlesen.",
                                      "Build them with `miner mine DB` after scraping."))


# ---------------------------------------------------------------- suggest


def rank_texts(db: store.Database, texts: list[str], top: int, ranker=None, context: str | None = None) -> list[dict]:
    """``ranker``: one from ``load_ranker`` to reuse (fitting it is the slow part of a lookup);
    ``context``: the thread's title and answer when the texts are a stored thread's questions."""
    _require_faqs_exist(db)
    ranker = ranker or load_ranker(db)
    return rank_each(lambda text, depth: ranker.rank(text, top=depth, context=context), texts, top)


def rank_each(rank_one: Callable[[str, int], list[dict]], texts: list[str], top: int) -> list[dict]:
    """The one ranking rule of `miner suggest` and the browser lookup: each text ranked on its own
    (``rank_one(text, depth)``), the rankings merged into the ``top`` entries."""
    depth = max(top, RANK_DEPTH)
    return moderate.combine_rankings((rank_one(text, depth) for text in texts if text.strip()), top=top)


def describe_hits(db: store.Database, source: dict, hits: list[dict], faq_url: str, lang: str = "de") -> dict:
    """Ranked entries with their titles, answers and ready-to-paste replies (``miner suggest``
    and the browser lookup both show this)."""
    ids = [int(h["faq_id"]) for h in hits]
    faqs = store.load_faqs_by_id(db, ids)
    answers = {faq_id: entries.answer_to_show(db, faq_id) for faq_id in ids}
    return moderate.suggestion_result(source, hits, faqs, answers, faq_url, lang)


def suggest_for_text(db: store.Database, text: str, *, top: int = 3,
                     faq_url: str = moderate.DEFAULT_FAQ_URL, lang: str = "de") -> dict:
    """Rank FAQ entries for text pasted from anywhere."""
    if not text.strip():
        raise UsageError(both("Der zuzuordnende Text ist leer.", "The text to match is empty."),
                         hint=both("Bitte die Frage mit --text '...' angeben.", "Pass the question with --text '...'."))
    hits = rank_texts(db, moderate.texts_to_rank(text), top)
    return describe_hits(db, {"kind": "text", "text": text}, hits, faq_url, lang)


def asked_questions(rows: list[dict]) -> list[str]:
    """What the thread asks: the starter's questions (title, first post) when there are any,
    since questions in replies ("which state are you in?") would pull in other entries."""
    own = [q for q in rows if q.get("in_first_post") or q.get("asked_by_starter") or q.get("kind") == "title"]
    return [q["text"] for q in (own or rows) if (q.get("text") or "").strip()]


def thread_context(db: store.Database, thread: str) -> str:
    """The thread's title and answer (accepted, else first reply; only the title while nobody has
    replied): the context the FAQ step gives the questions of a thread, so matching gives it too
    (benchmarks/bench_suggest_forum.py measures what it adds)."""
    return store.load_thread_contexts(db, [thread]).get(thread, "")


def thread_to_match(db: store.Database, thread_url: str, *, extract: bool = True) -> tuple[dict, list[str], str]:
    """A stored thread as ``miner suggest`` and the browser lookup match it: (source, texts, context).

    The texts are the starter's questions (extracted first unless ``extract=False``), else the
    title and opening post; the context is ``thread_context``.
    """
    ref = resolve_thread(db, thread_url)
    thread = store.load_thread(db, ref.thread)
    if thread is None:
        raise UsageError(both(f"Der Thread {thread_url} ist nicht gespeichert.", f"Thread {thread_url} is not stored."),
                         hint=both("Ohne --no-fetch ausführen, damit miner ihn zuerst lädt.",
                                   "Run without --no-fetch so miner fetches it first."))
    if extract:
        extract_thread_questions(db, ref.thread)
    questions = asked_questions(store.load_thread_questions(db, ref.thread))
    texts = questions or [f"{thread.get('title') or ''}\n{store.load_first_post_text(db, ref.thread)}".strip()]
    source = {"kind": "thread", "thread_url": ref.url, "thread": ref.thread,
              "title": thread.get("title"), "questions": questions}
    return source, texts, thread_context(db, ref.thread)


def suggest_for_thread(db: store.Database, thread_url: str, *, top: int = 3,
                       faq_url: str = moderate.DEFAULT_FAQ_URL, fetch: bool = True, delay: float = 1.0,
                       lang: str = "de") -> dict:
    """Fetch and store one thread, extract its questions, rank FAQ entries for them."""
    resolve_thread(db, thread_url)  # a thread of a forum in the database, before any request
    if fetch:
        fetch_thread(db, thread_url, delay=delay)
    source, texts, context = thread_to_match(db, thread_url)
    return describe_hits(db, source, rank_texts(db, texts, top, context=context), faq_url, lang)


# ---------------------------------------------------------------- link, reply, queue


def link_thread(db: store.Database, thread_url: str, faq_id: int, linked_by: str) -> dict:
    """Record that a thread is answered by an FAQ entry (repeats keep the first record).

    The one way to link, for ``miner link`` and the browser lookup: the thread must belong to a
    scraped forum and is stored under its canonical URL. Returns the ``thread_links`` row with
    ``new`` (False when it was already linked).
    """
    ref = resolve_thread(db, thread_url)
    require_faq(db, faq_id)
    existed = store.find_thread_link(db, ref.url, faq_id, ref.thread) is not None
    link_id = store.save_thread_link(db, ref.url, faq_id, linked_by, thread=ref.thread)
    return {**store.load_thread_link(db, link_id), "new": not existed}


def reply_for(db: store.Database, thread_url: str, faq_id: int,
              faq_url: str = moderate.DEFAULT_FAQ_URL) -> tuple[ThreadRef, dict]:
    """The reply miner would post for this thread and entry (a ``suggestion`` dict)."""
    ref = resolve_thread(db, thread_url)
    faq = require_faq(db, faq_id)
    answer = entries.answer_to_show(db, faq_id)
    hit = {"faq_id": faq_id, "title": faq.get("title"), "score": 1.0, "shared_terms": []}
    return ref, moderate.suggestion(hit, 1, faq, answer, faq_url)


def post_reply(db: store.Database, thread_url: str, faq_id: int, *, writer_factory,
               faq_url: str = moderate.DEFAULT_FAQ_URL, linked_by: str | None = None,
               force: bool = False) -> dict:
    """Post the reply once, record the link and the post's URL; refuse a second post.

    ``writer_factory(base_url)`` returns an object with ``create_post(topic_id, raw)`` (in
    production ``DiscourseWriter.from_env``, which reads the key from the environment).
    """
    ref, reply = reply_for(db, thread_url, faq_id, faq_url)
    if reply["answer_status"] != "published":
        raise UsageError(both(f"Der FAQ-Eintrag {faq_id} hat noch keine veröffentlichte Antwort; miner postet nur "
                              "veröffentlichte Antworten.",
                              f"FAQ entry {faq_id} has no published answer yet; miner only posts published answers."),
                         hint=both("Veröffentlichen Sie die Antwort zuerst oder fügen Sie die ausgegebene Antwort von Hand ein.",
                                   "Publish the answer first, or paste the printed reply by hand."))
    existing = store.find_thread_link(db, ref.url, faq_id, ref.thread)
    if existing and existing.get("reply_url"):
        raise AlreadyPosted(both(f"Eine Antwort mit FAQ {faq_id} wurde in diesem Thread schon gepostet: {existing['reply_url']}",
                                 f"A reply linking FAQ {faq_id} was already posted in this thread: {existing['reply_url']}"),
                            hint=both("Es wurde nichts erneut gepostet.", "Nothing was posted again."))
    if existing and existing.get("reply_status") == "posting" and not force:
        raise AlreadyPosted(
            both(f"Ein früherer Versuch, FAQ {faq_id} in {ref.url} zu posten, brach ab; die Antwort ist vielleicht gepostet.",
                 f"An earlier attempt to post FAQ {faq_id} in {ref.url} was interrupted; it may have been posted."),
            hint=both("Sehen Sie im Thread nach. Fehlt die Antwort dort, denselben Befehl mit --force ausführen.",
                      "Look at the thread. If the reply is not there, run the same command with --force."))
    writer = writer_factory(ref.base_url)  # credentials checked before anything is recorded
    by = linked_by or getattr(writer, "api_username", None) or "moderator"
    link_id = store.save_thread_link(db, ref.url, faq_id, by, thread=ref.thread, reply_status="posting")
    try:
        post = writer.create_post(ref.topic_id, reply["reply"])
    except DiscourseWriteError as error:
        if error.created is False:
            store.clear_reply_attempt(db, link_id)
        raise
    store.save_thread_link(db, ref.url, faq_id, by, reply_url=post["url"], thread=ref.thread)
    return {"thread_url": ref.url, "faq_id": faq_id, "reply_url": post["url"], "reply": reply["reply"]}


def queue(db: store.Database, since: str | None = None, limit: int = 100) -> list[dict]:
    """Threads to answer with an existing FAQ entry, best matches first."""
    _require_faqs_exist(db)
    return store.moderator_queue(db, since=since, limit=limit)
