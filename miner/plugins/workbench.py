"""Datasette plugin: the FAQ page, the editors' workbench, the moderators' lookup, login, safe cells.

Everything that writes is a POST behind Datasette's CSRF protection and a role check
(``miner-edit`` for editors, ``miner-link`` for moderators and editors); anonymous visitors can
read but never write. Forum HTML and editors' Markdown reach the browser only through
``miner.render``.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils.asgi import Forbidden, Response
from markupsafe import Markup

from miner import (
    access, answer_sources, entries, i18n, login as rules, moderation_text, page_queries, pages, sections,
    settings, store, thread_ids,
)
from miner.accounts import AccountBook
from miner.app import editing, moderation
from miner.errors import MinerError, UsageError
from miner.lock import Busy, exclusive
from miner.pages import fts_query
from miner.render import markdown_to_safe_html, sanitize_html

log = logging.getLogger(__name__)

ROLE_ACTIONS = {"miner-edit": {"editor"}, "miner-link": {"editor", "moderator"}}
WEB_WRITE_WAIT = 10.0  # seconds a web write waits for a running mine / scrape / forget, then 503
BUSY_MESSAGE = "Die Datenbank wird gerade aktualisiert, bitte gleich noch einmal versuchen."


# ---------------------------------------------------------------- configuration


def configure(datasette, *, database: str, accounts: list | AccountBook,
              session_hours: float = rules.SESSION_HOURS, lang: str = i18n.DEFAULT_LANGUAGE) -> None:
    """Attach miner's settings to one Datasette: the served database, the accounts (an
    ``AccountBook`` re-reads them when they change; a list stays fixed), session length, throttles,
    the language of miner's pages (German unless ``lang="en"``)."""
    book = accounts if isinstance(accounts, AccountBook) else AccountBook(list(accounts))
    datasette._miner = {
        "database": database, "book": book, "session_hours": session_hours, "lang": i18n.language(lang),
        "by_account": rules.Throttle(rules.ACCOUNT_FAILURES), "by_address": rules.Throttle(rules.IP_FAILURES),
        "passwords": rules.PasswordCheck(),
    }


def _config(datasette) -> dict:
    config = getattr(datasette, "_miner", None)
    if config is None:
        raise RuntimeError("miner plugin used on a Datasette not built by miner.publish.make_datasette")
    return config


def _lang(datasette) -> str:
    return getattr(datasette, "_miner", {}).get("lang", i18n.DEFAULT_LANGUAGE)


def _t(datasette, key: str, **values) -> str:
    return i18n.text(key, _lang(datasette), **values)


def _db(datasette):
    return datasette.get_database(_config(datasette)["database"])


@hookimpl
def prepare_connection(conn):
    # Both are open to anonymous ?sql= queries and run outside Datasette's time limit (it only
    # interrupts between SQLite steps), so each is linear in a bounded input.
    conn.create_function("miner_fts_query", 1, fts_query, deterministic=True)
    # miner_thread_id knows every engine of the forums table (read again after other connections commit).
    conn.create_function("miner_thread_id", 1, thread_ids.ConnectionThreadIds(conn))


def csrf_ok(request, form: dict) -> bool:
    """The form's token equals the CSRF cookie. Datasette's CSRF layer skips requests without any
    cookie, so a cookie-less POST (login CSRF, scripted guessing) is refused here."""
    return rules.csrf_matches(form.get("csrftoken"), request.cookies.get("ds_csrftoken"))


CSRF_MESSAGE = "Das Formular ist abgelaufen oder kam nicht von dieser Seite. Bitte die Seite neu laden und noch einmal senden."


# ---------------------------------------------------------------- permissions and cells


def has_role(actor: dict | None, roles: set[str]) -> bool:
    actor_roles = (actor or {}).get("roles") or []
    if isinstance(actor_roles, str):
        actor_roles = [actor_roles]
    return bool(set(actor_roles) & roles)


@hookimpl
def permission_allowed(actor, action):
    if action in ROLE_ACTIONS:
        return has_role(actor, ROLE_ACTIONS[action])
    return None


async def _require(datasette, request, action: str) -> dict:
    if not await datasette.permission_allowed(request.actor, action, default=False):
        raise Forbidden(_t(datasette, "msg.forbidden"))
    return request.actor


def _is_entry_id(row, column: str, table: str | None) -> bool:
    """An FAQ entry id in a table or canned query: ``faq_id`` anywhere, ``faqs.id``, and the ``id`` of a
    query row that also has a ``title`` (the entry queries: most asked, unanswered, search)."""
    if column == "faq_id":
        return True
    if column != "id":
        return False
    if table == "faqs":
        return True
    try:
        return table is None and "title" in row.keys() and "url" not in row.keys()
    except AttributeError:
        return False


@hookimpl
def render_cell(row, value, column, table, datasette):
    """Forum HTML and answer Markdown show as sanitized HTML, never raw; entry ids link to their page."""
    if isinstance(value, int) and not isinstance(value, bool) and _is_entry_id(row, column, table):
        return Markup(f'<a href="{datasette.urls.path(f"/faq/{value}")}">{value}</a>')
    if table == "faqs" and column == "title" and isinstance(value, str):  # its id is the row link already
        return Markup('<a href="{}">{}</a>').format(datasette.urls.path(f"/faq/{row['id']}"), value)
    if not isinstance(value, str):
        return None
    if table == "posts" and column == "html":
        return Markup(sanitize_html(value))
    if table in ("answers", "current_answers") and column == "body":
        return Markup(markdown_to_safe_html(value))
    return None


@hookimpl
def menu_links(datasette, actor):
    links = [{"href": datasette.urls.path("/faq"), "label": _t(datasette, "nav.faq")}]
    if has_role(actor, ROLE_ACTIONS["miner-link"]):
        links.append({"href": datasette.urls.path("/-/lookup"), "label": _t(datasette, "nav.lookup")})
    if not actor:
        links.append({"href": datasette.urls.path("/-/login"), "label": _t(datasette, "nav.login")})
    return links


# ---------------------------------------------------------------- helpers


NUMBER_NAMES = {"The entry id": "Die Eintragsnummer", "The target entry": "Der Zieleintrag", "The section": "Der Abschnitt"}


def _int(value, what: str) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise UsageError(i18n.text("msg.not_a_number", i18n.DEFAULT_LANGUAGE, what=NUMBER_NAMES.get(what, what),
                                   value=value)) from None


def _page_context(datasette, request) -> dict:
    """What every miner page needs: the language, the catalogue, dates as readers write them, the nav."""
    lang = _lang(datasette)
    actor = request.actor if request is not None else None
    return {"miner_lang": lang, "t": i18n.translator(lang), "date": lambda v: i18n.format_date(v, lang),
            "status_name": lambda v: i18n.name(i18n.STATUS_NAMES, v, lang),
            "event_name": lambda v: i18n.name(i18n.EVENT_NAMES, v, lang), "quote": quote,
            "database": _config(datasette)["database"], "miner_nav": menu_links(datasette, actor)}


async def _page(datasette, request, template: str, context: dict, status: int = 200) -> Response:
    html = await datasette.render_template(template, {**_page_context(datasette, request), **context}, request=request)
    return Response.html(html, status=status)


async def _error(datasette, request, message: str, status: int = 400) -> Response:
    return await _page(datasette, request, "miner_message.html", {"message": message}, status=status)


async def _write(datasette, action, command: str):
    """Run ``action(db)`` on Datasette's write connection while holding miner's writer lock
    (``miner.lock``), the one door every web write goes through: a correction saved during
    ``miner mine`` waits for it instead of being overwritten. ``lock.Busy`` after WEB_WRITE_WAIT."""
    database = _db(datasette)

    def locked(conn):
        with exclusive(database.path, f"serve ({command})", wait=WEB_WRITE_WAIT):
            return action(store.database(conn))

    return await database.execute_write_fn(locked, block=True)


# ---------------------------------------------------------------- pages


def _page_number(request) -> int:
    try:
        return max(1, int(request.args.get("page") or 1))
    except ValueError:
        return 1


async def faq_page(request, datasette):
    """/faq: table of contents by section, entries with their answers; ``?q=`` ranked search with reasons."""
    q = (request.args.get("q") or "").strip()[:200]
    can_edit = await datasette.permission_allowed(request.actor, "miner-edit", default=False)
    data = await _db(datasette).execute_fn(lambda conn: pages.faq_page_data(
        conn, q=q, page=_page_number(request), include_drafts=can_edit))
    return await _page(datasette, request, "miner_faq.html", {**data, "q": q, "can_edit": can_edit})


async def entry_page(request, datasette):
    """/faq/ID: one entry with all its questions (paged), answer, chart, source threads and history."""
    faq_id = _int(request.url_vars["faq_id"], "The entry id")
    can_edit = await datasette.permission_allowed(request.actor, "miner-edit", default=False)
    label = _t(datasette, "entry.chart_axis")
    data = await _db(datasette).execute_fn(lambda conn: pages.entry_page_data(
        conn, faq_id, page=_page_number(request), include_drafts=can_edit, chart_label=label))
    if data is None:
        return await _error(datasette, request, _t(datasette, "entry.not_found", id=faq_id), status=404)
    return await _page(datasette, request, "miner_entry.html", {**data, "can_edit": can_edit})


async def answer_form(request, datasette):
    """/-/answer/<id>: editors write answer revisions (Markdown) beside what the forum already said,
    start a draft from chosen replies (``?cite=POST_ID``), and correct the entry."""
    actor = await _require(datasette, request, "miner-edit")
    faq_id = _int(request.url_vars["faq_id"], "The entry id")
    db = _db(datasette)
    if request.method == "POST":
        form = await request.post_vars()
        if not csrf_ok(request, form):
            return await _error(datasette, request, CSRF_MESSAGE, status=403)
        try:
            await _write(datasette, lambda database: editing.save_answer(
                database, faq_id, form.get("body") or "", form.get("status") or "draft", actor["id"]), "answer")
        except Busy:
            return await _error(datasette, request, BUSY_MESSAGE, status=503)
        except MinerError as error:
            return await _error(datasette, request, error.text(_lang(datasette)))
        status = i18n.name(i18n.STATUS_NAMES, form.get("status"), _lang(datasette))
        datasette.add_message(request, _t(datasette, "msg.answer_saved", id=faq_id, status=status))
        return Response.redirect(f"/faq#faq-{faq_id}")
    data = await db.execute_fn(lambda conn: pages.editor_page_data(conn, faq_id, _page_number(request)))
    if data is None:
        return await _error(datasette, request, _t(datasette, "msg.no_entry", id=faq_id), status=404)
    label = _t(datasette, "editor.cite")
    body = data["revisions"][0]["body"] if data["revisions"] else ""
    cited = [s for s in data["sources"] if s["id"] in set(request.args.getlist("cite"))]
    for source in data["sources"]:
        source["citation"] = answer_sources.citation(source, label)
    if cited:
        body = answer_sources.draft_from(body, cited, label)
    return await _page(datasette, request, "miner_answer.html", {**data, "body": body, "cited": len(cited)})


async def preview(request, datasette):
    """POST /-/preview: an editor's Markdown as the sanitized HTML readers would see (live preview)."""
    if request.method != "POST":
        return Response.text("POST only", status=405)
    await _require(datasette, request, "miner-edit")
    form = await request.post_vars()
    if not csrf_ok(request, form):
        return Response.text(CSRF_MESSAGE, status=403)
    body = (form.get("body") or "")[:editing.MAX_ANSWER_CHARS]
    return Response.html(markdown_to_safe_html(body))


EDITOR_JS = Path(__file__).resolve().parent.parent / "static" / "editor.js"


async def editor_js(request, datasette):
    """The answer editor's script (preview, drafts from sources, confirmations): a static file, so
    the pages keep a Content-Security-Policy without inline script."""
    return Response(EDITOR_JS.read_text(encoding="utf-8"), content_type="application/javascript; charset=utf-8",
                    headers={"cache-control": "max-age=300"})


CORRECTIONS = {
    "rename": lambda db, f, e: editing.rename_faq(db, _int(f.get("faq_id"), "The entry id"), f.get("title") or "", editor=e),
    # The form merges "faq_id" into "into": the target keeps its id, the other retires.
    "merge": lambda db, f, e: editing.merge_faqs(db, _int(f.get("into"), "The target entry"), _int(f.get("faq_id"), "The entry id"), editor=e),
    "move": lambda db, f, e: editing.move_question(db, (f.get("question") or "").strip(), _int(f.get("into"), "The target entry"), editor=e),
    "not_faq": lambda db, f, e: editing.mark_not_faq(db, _int(f.get("faq_id"), "The entry id"), editor=e),
    "section": lambda db, f, e: sections.move_entry(db, _int(f.get("faq_id"), "The entry id"), _int(f.get("section_id"), "The section"), editor=e),
    "rename_section": lambda db, f, e: sections.rename_section(db, _int(f.get("section_id"), "The section"), f.get("title") or "", editor=e),
}
DESTRUCTIVE = {"merge", "not_faq"}  # need the "Ja, wirklich" tick: they take the entry off the FAQ


async def correct(request, datasette):
    """POST /-/correct: rename, merge, move a question, not-FAQ, sections; recorded and applied now."""
    if request.method != "POST":
        return await _error(datasette, request, _t(datasette, "msg.corrections_from_page"), status=405)
    actor = await _require(datasette, request, "miner-edit")
    form = await request.post_vars()
    if not csrf_ok(request, form):
        return await _error(datasette, request, CSRF_MESSAGE, status=403)
    kind = form.get("action") or ""
    action = CORRECTIONS.get(kind)
    if action is None:
        return await _error(datasette, request, _t(datasette, "msg.unknown_correction", action=kind))
    name = i18n.name(i18n.CORRECTION_NAMES, kind, _lang(datasette))
    if kind in DESTRUCTIVE and form.get("confirm") != "yes":
        return await _error(datasette, request, _t(datasette, "editor.confirm_needed", action=name))
    try:
        await _write(datasette, lambda database: action(database, form, actor["id"]), "correction")
    except Busy:
        return await _error(datasette, request, BUSY_MESSAGE, status=503)
    except MinerError as error:
        return await _error(datasette, request, error.text(_lang(datasette)))
    datasette.add_message(request, _t(datasette, "msg.correction_saved", action=name))
    target = form.get("into") if kind in ("merge", "move") else form.get("faq_id")
    if kind == "rename_section" and not form.get("faq_id"):
        return Response.redirect("/faq")
    return Response.redirect(f"/-/answer/{_int(target, 'The entry id')}")


# ---------------------------------------------------------------- moderators


_MATCHERS: dict = {}
_MATCH_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="miner-match")


def rank_entries(db_path: str, text: str, top: int = 3, context: str | None = None) -> list[dict]:
    """Best FAQ entries for a text, via the FAQ step's matcher (same representation as clustering).

    Isolated here so tests can replace it; the matcher is cached until the next mining run.
    """
    from miner.match import load_matcher

    stamp = page_queries.matcher_stamp(db_path)
    cached = _MATCHERS.get(db_path)
    if cached is None or cached[0] != stamp:
        if cached is not None:
            cached[2].conn.close()
        db = access.open_readonly(db_path)  # stays open: the matcher may read from it; always used on one thread
        cached = (stamp, load_matcher(db), db)
        _MATCHERS[db_path] = cached
    return cached[1].rank(text, top=top, context=context)


def rank_texts(db_path: str, texts: list[str], top: int = 3, context: str | None = None) -> list[dict]:
    """Rank like ``miner suggest`` (its very rule), with the matcher cached per database."""
    return moderation.rank_each(lambda text, depth: rank_entries(db_path, text, depth, context), texts, top)


async def _thread_texts(db, thread_url: str) -> tuple[list[str], str] | None:
    """What ``miner suggest`` would match for a stored thread: (texts, context), None when it is
    not stored; the lookup does not re-extract questions, it uses those the last mining run found."""
    def read(conn):
        try:
            return moderation.thread_to_match(store.database(conn), thread_url, extract=False)[1:]
        except MinerError:
            return None

    return await db.execute_fn(read)


def _suggestions(conn, ranked: list[dict], faq_url: str) -> list[dict]:
    """The same entries, answers and reply text as ``miner suggest``, plus the answer as safe HTML."""
    db = store.database(conn)
    suggestions = moderation.describe_hits(db, {"kind": "text"}, ranked, faq_url)["suggestions"]
    for suggestion in suggestions:
        answer = entries.answer_to_show(db, suggestion["faq_id"]) if suggestion["answer_status"] == "published" else None
        suggestion["answer_html"] = Markup(markdown_to_safe_html(answer["body"])) if answer else None
    return suggestions


def fetch_thread(db_path: str, thread_url: str) -> str:
    """Fetch one new thread politely, as `miner suggest` does (isolated so tests can replace it)."""
    with access.writing(db_path, "serve (lookup fetch)", wait=WEB_WRITE_WAIT) as db:
        return moderation.fetch_thread(db, thread_url)


async def lookup(request, datasette):
    """/-/lookup: a thread URL or pasted text -> the best FAQ entries, their answers and a reply."""
    await _require(datasette, request, "miner-link")
    db = _db(datasette)
    context = {"text": "", "thread_url": "", "results": None, "notice": None}
    if request.method == "POST":
        form = await request.post_vars()
        if not csrf_ok(request, form):
            return await _error(datasette, request, CSRF_MESSAGE, status=403)
        text = (form.get("text") or "").strip()[:20_000]
        thread_url = (form.get("thread_url") or "").strip()[:500]
        context.update(text=text, thread_url=thread_url)
        texts, thread_context = None, None
        if thread_url and await db.execute_fn(lambda conn: thread_ids.thread_id_in(conn, thread_url)) is None:
            context["notice"] = _t(datasette, "lookup.bad_url", url=thread_url)
        elif thread_url and not text:
            found = await _thread_texts(db, thread_url)
            if found is None and await db.execute_fn(lambda conn: pages.is_known_forum(conn, thread_url)):
                try:
                    await asyncio.get_running_loop().run_in_executor(None, fetch_thread, db.path, thread_url)
                    found = await _thread_texts(db, thread_url)
                except Busy:
                    context["notice"] = BUSY_MESSAGE
                except MinerError as error:
                    context["notice"] = _t(datasette, "lookup.fetch_failed", error=error.text(_lang(datasette)))
            texts, thread_context = found or (None, None)
            if texts is None and not context["notice"]:
                context["notice"] = _t(datasette, "lookup.not_stored")
        else:
            texts = moderation_text.texts_to_rank(text)
        if texts:
            ranked = await asyncio.get_running_loop().run_in_executor(_MATCH_THREAD, rank_texts, db.path, texts, 3,
                                                                      thread_context)
            stored = await db.execute_fn(lambda conn: settings.load_setting(store.database(conn), settings.FAQ_BASE_URL))
            faq_url = stored or datasette.absolute_url(request, "/faq")  # the same address `miner suggest` uses
            context["results"] = await db.execute_fn(lambda conn: _suggestions(conn, ranked, faq_url))
        elif not context["notice"]:
            context["notice"] = _t(datasette, "lookup.empty")
    return await _page(datasette, request, "miner_lookup.html", context)


async def link(request, datasette):
    """POST /-/link: record that a thread was answered with an entry (repeats are harmless)."""
    if request.method != "POST":
        return await _error(datasette, request, _t(datasette, "lookup.links_from_page"), status=405)
    actor = await _require(datasette, request, "miner-link")
    form = await request.post_vars()
    if not csrf_ok(request, form):
        return await _error(datasette, request, CSRF_MESSAGE, status=403)
    thread_url = (form.get("thread_url") or "").strip()
    try:
        faq_id = _int(form.get("faq_id"), "The entry id")
        row = await _write(datasette, lambda database: moderation.link_thread(
            database, thread_url, faq_id, actor["id"]), "link")
    except Busy:
        return await _error(datasette, request, BUSY_MESSAGE, status=503)
    except MinerError as error:
        return await _error(datasette, request, error.text(_lang(datasette)))
    message = _t(datasette, "lookup.linked") if row["new"] else _t(datasette, "lookup.already_linked")
    return await _page(datasette, request, "miner_message.html", {"message": message, "back": "/-/lookup"})


@hookimpl
def register_routes():
    return [
        (r"^/faq$", faq_page),
        (r"^/faq/(?P<faq_id>\d+)$", entry_page),
        (r"^/-/answer/(?P<faq_id>\d+)$", answer_form),
        (r"^/-/preview$", preview),
        (r"^/-/miner/editor\.js$", editor_js),
        (r"^/-/correct$", correct),
        (r"^/-/lookup$", lookup),
        (r"^/-/link$", link),
    ]
