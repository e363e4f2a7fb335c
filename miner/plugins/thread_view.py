"""Datasette plugin: ``/-/thread/<id>``, one stored forum thread as a reader sees it.

Source links point here when the forum cannot be opened (setting ``source_links = stored``; the
demo's replayed forum stops with the build). Authors are the stored pseudonyms, post HTML goes
through ``miner.render`` like everywhere else.
"""

from __future__ import annotations

import sqlite3

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

from miner.export.words import format_date
from miner.render import safe_url, sanitize_html

WORDS = {
    "de": {"posts": "Beiträge", "accepted": "Akzeptierte Antwort", "original": "Im Forum", "back": "Zurück zur FAQ",
           "missing": "Diesen Thread gibt es in der Datenbank nicht.", "by": "von", "forum": "Forum"},
    "en": {"posts": "posts", "accepted": "Accepted answer", "original": "On the forum", "back": "Back to the FAQ",
           "missing": "This thread is not in the database.", "by": "by", "forum": "Forum"},
}
MAX_POSTS = 500


def thread_page_data(conn: sqlite3.Connection, thread_id: str, lang: str) -> dict | None:
    """The thread, its forum and its posts in order (deleted ones left out), or None."""
    row = conn.execute(
        "select threads.id, threads.title, threads.url, threads.created_at, threads.posts_count, forums.title"
        " from threads left join forums on forums.id = threads.forum where threads.id = ?",
        [thread_id]).fetchone()
    if row is None:
        return None
    posts = conn.execute(
        "select post_number, author, created_at, html, is_accepted_answer from posts"
        " where thread = ? and coalesce(deleted, 0) = 0 order by post_number limit ?", [thread_id, MAX_POSTS]).fetchall()
    return {
        "id": row[0], "title": row[1] or row[0], "url": safe_url(row[2]), "date": format_date(row[3], lang),
        "forum": row[5] or row[0].split(":")[0],
        "posts": [{"number": p[0], "author": p[1] or "", "date": format_date(p[2], lang),
                   "html": Markup(sanitize_html(p[3])), "accepted": bool(p[4])} for p in posts],
    }


async def thread_page(request, datasette):
    from miner.plugins.workbench import _config, _db

    lang = _config(datasette).get("lang", "de")
    lang = lang if lang in WORDS else "de"
    thread_id = request.url_vars["thread_id"]
    data = await _db(datasette).execute_fn(lambda conn: thread_page_data(conn, thread_id, lang))
    context = {"thread": data, "w": WORDS[lang], "lang": lang, "miner_lang": lang}
    html = await datasette.render_template("miner_thread.html", context, request=request)
    return Response.html(html, status=200 if data else 404)


@hookimpl
def register_routes():
    return [(r"^/-/thread/(?P<thread_id>[^/]{1,300})$", thread_page)]
