"""Erase one person from a miner database: the right to be forgotten (``miner forget``).

Everything that person wrote goes: their posts (blanked to ``[gelöscht]`` only where a thread
would otherwise lose its first post or a post others replied to), thread titles and slugs they
wrote, the questions mined from their posts, quotes of them and mentions of their pseudonym in
other people's posts. FAQ entries that lose questions are re-counted. The erasure is recorded
under a keyed hash of the pseudonym (``keys.erasure_key``; never the name, and nothing a visitor
could join to posts) so that a later scrape leaves them out unless ``allow_return``.
Finally the file is compacted and checkpointed while no other connection holds an older snapshot
(``miner.file_traces``), and its raw bytes are searched for the erased words: the deleted bytes are
really gone, not only invisible to SQL.

The text surgery is pure (``miner.scrub``; here ``recount_faq`` and ``prune_keywords``);
``plan_erasure``/``erase`` do the I/O through ``store``; ``forget`` runs the whole command (lock,
plan, confirmation, erasure, file check) and leaves the wording of its output to the caller.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

from tqdm import tqdm

from miner import entries, file_traces, store
from miner.errors import MinerError, UsageError
from miner.keys import erasure_key, pseudonym_key, pseudonymize
from miner.entry_titles import title_text
from miner.titles import join_words, split_title
from miner.i18n import Bilingual, both, say
from miner.scrub import (
    BLANK_POST,
    ERASED_TEXT,
    MIN_FRAGMENT,
    blank_thread,
    clean_other_post,
    distinctive_fragments,
    is_placeholder,
    mentions,
    normalize,
    posts_to_remove,
    replace_pseudonym,
    word_triples,
)

log = logging.getLogger(__name__)

RESIDUE_FRAGMENTS = 25  # how many of their longest sentences the final check looks for everywhere
# tables of other people's own words: the same sentence there may be someone else's, not a trace
OWN_WORDS_TABLES = ("posts", "threads", "questions", "faqs")


class PersonNotFound(MinerError):
    """Nobody with that name wrote anything in the database (nothing was changed)."""

    exit_code = 1


def recount_faq(
    faq: dict,
    remaining: list[dict],
    removed: dict[str, str],
    own_texts: Iterable[str] = (),
    used_elsewhere: Callable[[str], bool] = lambda term: False,
) -> dict:
    """New counts (and, if needed, a new title) for an FAQ entry after some questions left.

    ``remaining`` are the entry's questions still there, ``removed`` maps erased question ids to
    their text. The title is replaced when it was an erased question (unless an editor wrote it):
    the remaining question closest to the entry (highest ``faq_similarity``) becomes the medoid.
    Keywords only the erased person used go too (``prune_keywords``).
    """
    changes: dict = entries.statistics(remaining)
    medoid_gone = faq.get("medoid_question") in removed or faq.get("medoid_question") in removed.values()
    # a computed title is the question tidied (``title_text``): either form names the erased question
    removed_texts = {normalize(form) for t in removed.values() for form in (t, title_text(t))}
    title_gone = not faq.get("title_by_editor") and normalize(faq.get("title")) in removed_texts
    if medoid_gone or title_gone:
        best = max(remaining, key=lambda q: (q.get("faq_similarity") or 0.0, q["id"]), default=None)
        changes["medoid_question"] = best["id"] if best else None
        if not faq.get("title_by_editor"):
            changes["title"] = title_text(best["text"], [q["text"] for q in remaining]) if best else ERASED_TEXT
    if not remaining:
        changes["status"] = "retired"
    keywords = prune_keywords(faq.get("keywords"), [q["text"] for q in remaining],
                              list(own_texts) + list(removed.values()), used_elsewhere)
    if keywords != faq.get("keywords"):
        changes["keywords"] = keywords
    return changes


def prune_keywords(
    keywords: str | None,
    remaining_texts: list[str],
    own_texts: list[str],
    used_elsewhere: Callable[[str], bool] = lambda term: False,
) -> str | None:
    """Drop the keywords (possibly stems) that occur in the person's words but in no remaining
    question of the entry and nowhere else (``used_elsewhere``, e.g. a full-text lookup).

    Keywords are distinctive terms, so a word only one person used (a school's name, a nickname)
    can become one. Works on a JSON list or a comma/semicolon separated string, keeping its form.
    """
    if not keywords:
        return keywords
    as_json = keywords.lstrip().startswith("[")
    terms = json.loads(keywords) if as_json else [t.strip() for t in re.split(r"[,;]", keywords)]
    theirs = " ".join(own_texts).lower()
    left = " ".join(remaining_texts).lower()
    kept = [t for t in terms
            if not t or str(t).lower() not in theirs or str(t).lower() in left or used_elsewhere(str(t))]
    if len(kept) == len(terms):
        return keywords
    if as_json:
        return json.dumps(kept, ensure_ascii=False)
    mark = "," if "," in keywords else ";"
    return (mark + " " if mark + " " in keywords else mark).join(t for t in kept if t)


# ---------------------------------------------------------------- I/O: plan and erase


@dataclass
class ErasurePlan:
    """What an erasure will touch; computed without changing anything, so the user can confirm."""

    author: str  # pseudonym
    forum: str | None
    person: str  # keys.erasure_key(author): what the public erasures table records
    delete_posts: list[str] = field(default_factory=list)
    blank_posts: list[str] = field(default_factory=list)
    delete_threads: list[str] = field(default_factory=list)
    started_threads: list[str] = field(default_factory=list)  # kept, but their title goes
    questions: list[dict] = field(default_factory=list)
    own_texts: list[str] = field(default_factory=list)  # their words (posts and titles), normalized
    already_erased: bool = False

    @property
    def posts(self) -> int:
        return len(self.delete_posts) + len(self.blank_posts)

    @property
    def empty(self) -> bool:
        return not self.posts and not self.started_threads and not self.delete_threads

    @property
    def scope(self) -> Bilingual:
        """Where the erasure applies, for messages (German, with ``.english``)."""
        return both(f"Forum {self.forum}" if self.forum else "allen Foren",
                    f"forum {self.forum}" if self.forum else "all forums")


def resolve_forum(db, forum_url: str | None) -> str | None:
    """The forum id for ``--forum URL`` (or None for every forum); refuses unknown forums."""
    if not forum_url:
        return None
    forum = store.forum_id_for(forum_url if "://" in forum_url else "https://" + forum_url)
    known = store.forum_ids(db)
    if forum not in known:
        raise UsageError(
            both(f"Die Datenbank enthält kein Forum {forum}.", f"The database has no forum {forum}."),
            hint=both("Enthaltene Foren: " + (", ".join(known) or "keine") + ". Ohne --forum wird aus allen gelöscht.",
                      "Forums in it: " + (", ".join(known) or "none") + ". Leave out --forum to erase from all."),
        )
    return forum


def plan_erasure(db, author: str, forum: str | None = None, *, key: bytes | None = None) -> ErasurePlan:
    """Find everything of one pseudonym without changing anything (``key``: the pseudonymization
    key, by default the configured one; the erasure is recorded under a keyed hash of the pseudonym)."""
    key = key or pseudonym_key()
    plan = ErasurePlan(author=author, forum=forum, person=erasure_key(author, key))
    own = store.load_by_author(db, "posts", "author", author, forum)
    started = store.load_by_author(db, "threads", "starter", author, forum)
    thread_ids = sorted({p["thread"] for p in own} | {t["id"] for t in started})
    by_thread: dict[str, list[dict]] = {}
    for post in store.load_rows(db, "posts", "thread", thread_ids):
        by_thread.setdefault(post["thread"], []).append(post)
    for thread_id in thread_ids:
        posts = by_thread.get(thread_id, [])
        delete, blank = posts_to_remove(posts, author)
        plan.delete_posts += delete
        plan.blank_posts += blank
        others = [p for p in posts if p["author"] != author and not is_placeholder(p)]
        if not others:
            plan.delete_threads.append(thread_id)
    threads = {t["id"]: t for t in store.load_rows(db, "threads", "id", thread_ids)}
    for thread_id, thread in threads.items():
        first = next((p for p in by_thread.get(thread_id, []) if p["post_number"] == 1), None)
        if thread_id not in plan.delete_threads and (
            thread.get("starter") == author or (first and first["author"] == author)
        ):
            plan.started_threads.append(thread_id)
    titles = [threads[t].get("title") for t in plan.started_threads + plan.delete_threads if t in threads]
    plan.own_texts = [normalize(t) for t in [p["text"] for p in own] + titles if t and t != ERASED_TEXT]
    post_ids = set(plan.delete_posts) | set(plan.blank_posts)
    plan.questions = [q for q in store.load_rows(db, "questions", "post", post_ids)]
    # whole removed threads, and the title questions of kept threads whose title was theirs
    plan.questions += [q for q in store.load_rows(db, "questions", "thread", plan.delete_threads + plan.started_threads)
                       if q["post"] not in post_ids and (q["thread"] in plan.delete_threads or q["position"] == -1)]
    plan.already_erased = store.was_erased(db, author, key)
    return plan


def erase(db, plan: ErasurePlan, *, allow_return: bool = False, progress: bool = False) -> dict:
    """Carry out a plan in one transaction and record it; returns the counts (see ``erasures``),
    the SQL ``residue`` and the ``needles`` (pseudonym and longest sentences) to look for on disk.

    Call ``finish_on_disk`` afterwards so the removed bytes leave the file.
    """
    fragments = distinctive_fragments(plan.own_texts)
    removed_questions = {q["id"]: q["text"] for q in plan.questions}
    faq_ids = {q["faq_id"] for q in plan.questions if q.get("faq_id") is not None}
    gone = set(plan.delete_posts) | set(plan.blank_posts)
    counts = {"posts": plan.posts, "questions": len(removed_questions), "threads": len(plan.delete_threads),
              "quotes": 0, "mentions": 0}
    db.execute("PRAGMA secure_delete = ON")
    with db.conn:
        store.delete_rows(db, "questions", "id", removed_questions)
        store.delete_rows(db, "corrections", "question", removed_questions)
        store.delete_rows(db, "posts", "id", plan.delete_posts)
        for post_id in plan.blank_posts:
            store.update_row(db, "posts", post_id, BLANK_POST)
        store.delete_rows(db, "thread_links", "thread", plan.delete_threads)
        store.delete_rows(db, "threads", "id", plan.delete_threads)
        for thread_id in plan.started_threads:
            store.update_row(db, "threads", thread_id, blank_thread(store.load_rows(db, "threads", "id", [thread_id])[0]))
        changed_posts = _clean_other_posts(db, plan, fragments, gone, counts, progress)
        _clean_other_questions(db, plan.author, changed_posts)
        _recount_faqs(db, faq_ids, removed_questions, plan.own_texts)
        store.clear_embeddings(db)  # vectors of removed or cleaned texts; `mine --semantic` recomputes
        erasure_id = store.save_erasure(db, {
            "person": plan.person, "forum": plan.forum, "erased_at": store.now(),
            "allow_return": int(allow_return), **counts,
        })
    log.info("erasure %s: %s", erasure_id, counts)
    words = fragments[:RESIDUE_FRAGMENTS] + [
        t for t in removed_questions.values() if len(normalize(t)) >= MIN_FRAGMENT][:RESIDUE_FRAGMENTS]
    residue = store.find_residue(db, lambda table: [plan.author] + ([] if table in OWN_WORDS_TABLES else words))
    if residue:
        log.warning("after erasure %s, traces remain in %s", erasure_id, ", ".join(sorted(residue)))
    return {"erasure": erasure_id, **counts, "faqs": len(faq_ids), "residue": residue,
            "needles": [plan.author] + words}


def finish_on_disk(db, db_path: str, needles: list[str], *, wait: float) -> set[str]:
    """Compact, write the WAL into the main file once no reader holds an older snapshot (waiting up
    to ``wait`` seconds, else ``file_traces.DatabaseInUse``), then search the raw bytes.

    Returns the needles still in the file bytes although no row holds them (old pages): should be
    empty; a needle some row still holds (someone else's identical sentence) is the SQL check's business.
    """
    db.execute("PRAGMA busy_timeout = 100")  # compact's own checkpoint must not stand in for the timed wait
    store.compact(db)
    file_traces.checkpoint_alone(db, db_path, wait)
    on_disk = file_traces.raw_traces(db_path, needles)
    return {n for n in on_disk if not store.find_residue(db, lambda table: [n])}


class TracesOnDisk(MinerError):
    """Erased words are still in the database file's bytes outside any row (should not happen)."""


def forget(db_path: str, username: str, forum_url: str | None = None, *, allow_return: bool = False,
           wait: float = 30.0, confirm: Callable[[ErasurePlan], None] = lambda plan: None,
           on_erased: Callable[[dict], None] | None = None, progress: bool = False) -> dict:
    """Erase one person (their forum ``username``, never stored or logged) from the database at
    ``db_path`` under the writer lock; returns ``erase``'s result plus ``on_disk`` (the needles
    still in the file's bytes).

    ``confirm(plan)`` is called once the plan is known and before anything changes; it stops the
    erasure by raising (the CLI shows the plan and asks). Before any row changes, the file must be
    checkpointed without older readers (``DatabaseInUse`` after ``wait`` seconds, nothing changed).
    Nobody of that name: ``PersonNotFound`` (after compacting the file if an earlier erasure of
    theirs was stopped by a reader). ``on_erased(result)`` is called before ``TracesOnDisk`` is
    raised for words left in the file's bytes, so the caller can report what was erased first.
    """
    from miner.access import require_miner_database
    from miner.file_traces import DatabaseInUse
    from miner.lock import exclusive

    if not username.strip():
        raise UsageError(both("Der Benutzername ist leer.", "The username is empty."),
                         hint=both("Bitte den Benutzernamen im Forum angeben, z.B. miner forget forum.db some_username "
                                   "(oder `-`, um ihn einzutippen).",
                                   "Give the forum username, e.g. miner forget forum.db some_username (or `-` to type it)."))
    require_miner_database(db_path)
    db = store.open_db(db_path, create=False)
    forum = resolve_forum(db, forum_url)
    key = pseudonym_key()
    pseudonym = pseudonymize(username, key)
    del username
    with exclusive(db_path, "forget"):
        plan = plan_erasure(db, pseudonym, forum, key=key)
        if plan.empty:
            _not_found(db, db_path, plan, wait)
        confirm(plan)
        try:  # before changing anything: an erasure that cannot leave the file is not started
            file_traces.checkpoint_alone(db, db_path, wait)
        except DatabaseInUse as error:
            raise DatabaseInUse(both(f"{error.text('de')} Es wurde nichts geändert.", f"{error.text('en')} Nothing was changed."),
                                hint=error.hint) from None
        result = erase(db, plan, allow_return=allow_return, progress=progress)
        try:
            on_disk = finish_on_disk(db, db_path, result["needles"], wait=wait)
        except DatabaseInUse as error:
            raise DatabaseInUse(both(f"Die Zeilen sind gelöscht (Löschung {result['erasure']}), aber: {error.text('de')}",
                                     f"The rows are erased (erasure {result['erasure']}), but {error.text('en')}"),
                                hint=error.hint) from None
    result["on_disk"] = on_disk
    if on_erased:
        on_erased(result)
    if on_disk:
        raise TracesOnDisk(
            both(f"{len(on_disk)} ihrer Sätze (oder ihr Pseudonym) stehen noch in den Bytes von {db_path}, außerhalb jeder Zeile.",
                 f"{len(on_disk)} of their sentences (or their pseudonym) are still in the bytes of {db_path} outside any row."),
            hint=both(f"Führen Sie `sqlite3 {db_path} VACUUM` aus, während kein anderes Programm die Datei benutzt, und prüfen Sie erneut.",
                      f"Run `sqlite3 {db_path} VACUUM` with no other program using the file, then check again."))
    return result


def _not_found(db, db_path: str, plan: ErasurePlan, wait: float) -> None:
    """Refuse an erasure that finds nothing; a run stopped by a reader (the erasure is recorded, the
    rows are gone) is first finished by getting the old pages out of the file."""
    scope = plan.scope
    again = both("", "")
    if plan.already_erased:
        finish_on_disk(db, db_path, [plan.author], wait=wait)
        again = both(" (eine frühere Löschung hat sie schon entfernt; die Datei ist verdichtet)",
                     " (an earlier erasure already removed them; the file is compacted)")
    raise PersonNotFound(
        both(f"Niemand dieses Namens hat Beiträge oder Threads in {db_path} ({scope}){again}. Es wurde nichts geändert.",
             f"Nobody with that name has posts or threads in {db_path} ({scope.english}){again.english}. "
             "Nothing was changed."),
        hint=both("Prüfen Sie die Schreibweise (wie im Forum; Groß- und Kleinschreibung zählt nicht) und --forum. "
                  "Der Pseudonym-Schlüssel muss derselbe sein wie beim Einlesen (MINER_PSEUDONYM_KEY oder die "
                  "Schlüsseldatei).",
                  "Check the spelling (as on the forum; case does not matter) and --forum. The pseudonymization "
                  "key must be the one the database was scraped with (MINER_PSEUDONYM_KEY or the key file)."),
    )


def _clean_other_posts(db, plan, fragments, gone, counts, progress) -> set[str]:
    """Take quotes of the person and mentions of their pseudonym out of everybody else's posts."""
    theirs = word_triples(" ".join(plan.own_texts))
    name = plan.author.lower()
    changed: set[str] = set()
    rows = list(store.iter_posts_with_text(db, plan.forum))
    for post in tqdm(rows, desc=say("Beiträge durchsuchen", "Scanning posts"), unit=say("Beiträge", "post"),
                     disable=not progress):
        if post["id"] in gone:
            continue
        html = post["html"] or ""
        if name not in " ".join(str(post[k] or "") for k in ("text", "quoted", "html")).lower() and (
            ("<blockquote" not in html and "<aside" not in html)
            or not word_triples(re.sub(r"<[^>]+>", " ", html)) & theirs
        ):
            continue  # no mention and no quote block sharing three consecutive words with them
        changes, quotes = clean_other_post(post, plan.author, fragments, plan.own_texts)
        if changes:
            store.update_row(db, "posts", post["id"], changes)
            changed.add(post["id"])
            counts["quotes"] += quotes
            counts["mentions"] += int(mentions(post, plan.author))
    return changed


def _clean_other_questions(db, author, changed_posts) -> None:
    """Questions mined from changed posts: blank mentions of the pseudonym (their words are the
    asker's own, so they stay)."""
    for q in store.load_rows(db, "questions", "post", changed_posts):
        if author.lower() in (q["text"] or "").lower():
            store.update_row(db, "questions", q["id"], {"text": replace_pseudonym(q["text"], author)})


def _recount_faqs(db, faq_ids, removed_questions, own_texts) -> None:
    """Size, threads, first/last asked, months and (if it was erased) the title of affected FAQs."""
    remaining_by_faq: dict[int, list[dict]] = {}
    for q in store.faq_question_stats(db, faq_ids):
        remaining_by_faq.setdefault(q["faq_id"], []).append(q)
    for faq in store.load_rows(db, "faqs", "id", faq_ids):
        remaining = remaining_by_faq.get(faq["id"], [])
        changes = recount_faq(faq, remaining, removed_questions, own_texts, lambda term: store.term_in_corpus(db, term))
        store.update_row(db, "faqs", faq["id"], changes)
        store.delete_rows(db, "faq_months", "faq_id", [faq["id"]])
        store.save_rows(db, "faq_months", entries.month_rows(faq["id"], remaining))
        store.save_faq_history(db, [entries.event(
            faq["id"], "erasure", f"nach einer Löschung neu gezählt: {len(remaining)} Fragen bleiben")])
    _prune_section_titles(db, faq_ids, removed_questions, own_texts)


def _prune_section_titles(db, faq_ids, removed_questions, own_texts) -> None:
    """Computed section names are keywords too: words only the erased person used go (editors' names stay)."""
    section_ids = {f["section_id"] for f in store.load_rows(db, "faqs", "id", faq_ids) if f.get("section_id")}
    sections = store.load_sections(db)
    for section_id in sorted(section_ids):
        section = sections.get(section_id)
        if not section or section.get("title_by"):
            continue
        members = store.load_section_members(db, section_id)
        remaining = [q["text"] for q in store.load_rows(db, "questions", "faq_id", members)]
        words = ", ".join(split_title(section["title"]))  # "A, B und C" -> its words
        kept = prune_keywords(words, remaining, list(own_texts) + list(removed_questions.values()),
                              lambda term: store.term_in_corpus(db, term))
        if kept != words:
            title = join_words(split_title(kept), german=" and " not in section["title"])
            store.save_section(db, {"id": section_id, "title": title or f"#{section_id}", "updated_at": store.now()})
