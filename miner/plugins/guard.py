"""Datasette plugin: what every response and every visitor's SQL connection gets, whatever the page.

- Security headers: no framing (clickjacking of the editors' forms), no MIME sniffing, and on
  miner's own pages a Content-Security-Policy without inline script (the templates need none, the
  editor's script is a static file that may only call this server; inline ``style`` stays allowed).
- POST only where something is meant to be posted (miner's routes, Datasette's ``/-/`` pages):
  Datasette 0.65 answers a POST to a table with a 500.
- The absolute path of the served file stays private: ``pragma_database_list`` shows ``file`` as
  NULL and ``/-/databases.json`` leaves the path out (it tells a visitor the server's folders).
"""

from __future__ import annotations

import json
import re
import sqlite3

from datasette import hookimpl
from datasette.utils.asgi import Response

MINER_PAGES = re.compile(r"^/(faq(/\d+)?$|-/(login|answer/\d+|correct|lookup|link|preview|thread/[^/]+)$)")
CSP = ("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"same-origin")]


def _hide_file_path(action, arg1, arg2, db_name, trigger):
    """SQLite authorizer: reading pragma_database_list.file yields NULL, everything else is allowed."""
    if action == sqlite3.SQLITE_READ and arg1 == "pragma_database_list" and arg2 == "file":
        return sqlite3.SQLITE_IGNORE
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn):
    conn.set_authorizer(_hide_file_path)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def guarded(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            path = scope.get("path", "")
            if scope.get("method") == "POST" and not (path.startswith("/-/") or MINER_PAGES.match(path)):
                response = Response.text("Method not allowed: nothing here accepts a POST.", status=405)
                return await response.asgi_send(_with_headers(send, path))
            return await app(scope, receive, _with_headers(send, path))

        return guarded

    return wrap


def _with_headers(send, path: str):
    extra = HEADERS + ([(b"content-security-policy", CSP.encode())] if MINER_PAGES.match(path) else [])

    async def sending(message):
        if message["type"] == "http.response.start":
            names = {name.lower() for name, _ in message.get("headers", [])}
            message = {**message, "headers": list(message.get("headers", [])) + [h for h in extra if h[0] not in names]}
        await send(message)

    return sending


async def databases_json(datasette):
    """``/-/databases.json`` without the ``path`` of each file."""
    data = [{k: v for k, v in d.items() if k != "path"} for d in datasette._connected_databases()]
    return Response(json.dumps(data), content_type="application/json; charset=utf-8")


@hookimpl
def register_routes():
    return [(r"^/-/databases(\.json)?$", databases_json)]
