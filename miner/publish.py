"""Publish a mined database through Datasette: pre-flight checks, configuration, serve.

Datasette is pinned to 0.65.x (canned queries and ``allow`` blocks live in metadata). Only the one
database file is served, never with ``--crossdb``; everything in it is safe for anonymous visitors
(pseudonyms only), and everything that writes is behind roles and CSRF (see ``miner.plugins``).
"""

from __future__ import annotations

import logging
import socket
import sqlite3
from pathlib import Path

import yaml
from datasette.app import Datasette
from datasette.plugins import pm

from miner.accounts import AccountBook, datasette_secret, load_accounts
from miner.errors import DatabaseError, UsageError
from miner.login import SESSION_HOURS
from miner.plugins import guard, signin, thread_view, workbench
from miner.i18n import both

log = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent
METADATA_FILE = PACKAGE / "metadata.yml"
TEMPLATES_DIR = PACKAGE / "templates"
METADATA_DB_KEY = "miner"  # placeholder name in metadata.yml
REQUIRED_TABLES = ("threads", "posts", "questions", "faqs")
SETTINGS = {
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 300,
    "default_page_size": 50,
    "max_returned_rows": 2000,
    "allow_download": True,
}


def database_name(db_path: str | Path) -> str:
    """The name Datasette gives the file (its stem), used in every URL."""
    return Path(db_path).stem


def check_database(db_path: str | Path) -> dict:
    """Pre-flight: the file exists, is a miner database and has been mined; returns row counts.

    Opens read-only so a typo never creates an empty database.
    """
    path = Path(db_path)
    if not path.exists():
        raise DatabaseError(
            both(f"Die Datenbankdatei {path} gibt es nicht.", f"Database file {path} does not exist."),
            hint=both(f"Erstellen Sie sie mit `miner scrape {path} FORUM_URL`, dann `miner mine {path}`.",
                      f"Create it with `miner scrape {path} FORUM_URL`, then `miner mine {path}`."),
        )
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
            missing = [t for t in REQUIRED_TABLES if t not in tables]
            if missing:
                raise DatabaseError(
                    both(f"{path} ist keine miner-Datenbank (es fehlen die Tabellen {', '.join(missing)}).",
                         f"{path} is not a miner database (missing tables: {', '.join(missing)})."),
                    hint=both("Veröffentlichen Sie die Datei, die `miner scrape` und `miner mine` geschrieben haben.",
                              "Serve the file that `miner scrape` and `miner mine` wrote."),
                )
            counts = {t: conn.execute(f"select count(*) from [{t}]").fetchone()[0] for t in REQUIRED_TABLES}
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise DatabaseError(both(f"{path} ist keine SQLite-Datenbank ({error}).", f"{path} is not a SQLite database ({error})."),
                            hint=both("Bitte den Dateinamen prüfen.", "Check the file name.")) from error
    if counts["faqs"] == 0:
        raise DatabaseError(
            both(f"{path} hat {counts['posts']} Beiträge, aber noch keine FAQ-Einträge: sie wurde noch nicht ausgewertet.",
                 f"{path} has {counts['posts']} posts but no FAQ entries yet: it has not been mined."),
            hint=both(f"Führen Sie zuerst `miner mine {path}` aus.", f"Run `miner mine {path}` first."),
        )
    return counts


def load_metadata(db_name: str, metadata_file: Path = METADATA_FILE) -> dict:
    """metadata.yml with its placeholder database key renamed to the served database."""
    if not metadata_file.exists():
        raise DatabaseError(both(f"{metadata_file} fehlt.", f"{metadata_file} is missing."),
                            hint=both("Die Datei gehört zu miner; bitte neu installieren oder wiederherstellen.",
                                      "It ships with miner; reinstall or restore it."))
    metadata = yaml.safe_load(metadata_file.read_text(encoding="utf-8"))
    databases = metadata.get("databases") or {}
    if METADATA_DB_KEY in databases:
        databases[db_name] = databases.pop(METADATA_DB_KEY)
    for database in databases.values():
        for query in (database.get("queries") or {}).values():
            # SQL shared with the CLI lives once, in miner/queries/*.sql.
            if isinstance(query, dict) and "sql_file" in query:
                query["sql"] = (PACKAGE / query.pop("sql_file")).read_text(encoding="utf-8")
    return metadata


def register_plugins() -> None:
    """Make sure miner's plugins are registered and retire datasette-auth-passwords' own routes.

    The plugins normally arrive through the ``datasette`` entry point (pyproject.toml); registering
    them here too keeps a source checkout without an install working. datasette-auth-passwords'
    login reads hashes from metadata, which /-/metadata.json shows to everyone; miner's login
    (same hashing scheme, hashes only in memory) replaces it.
    """
    for _name, plugin in list(pm.list_name_plugin()):
        # datasette.actor_auth_cookie trusts any signed ds_actor forever; miner's actor_from_request
        # checks expiry and the current accounts instead
        if getattr(plugin, "__name__", "") in ("datasette_auth_passwords", "datasette.actor_auth_cookie"):
            pm.unregister(plugin)
    if not pm.is_registered(workbench):
        pm.register(workbench, name="miner-workbench")
    for plugin, name in ((guard, "miner-guard"), (signin, "miner-signin"), (thread_view, "miner-thread-view")):
        if not pm.is_registered(plugin):
            pm.register(plugin, name=name)


def make_datasette(db_path: str | Path, *, session_hours: float = SESSION_HOURS, lang: str = "de", **settings) -> Datasette:
    """A configured Datasette for one mined database (tests use its ``.client``); ``lang`` is the
    language of miner's pages (German, or ``en``)."""
    path = Path(db_path)
    check_database(path)
    from miner.store import open_db

    open_db(path).conn.close()  # additive schema upgrades (answers, thread_links, ...) before serving
    register_plugins()
    name = database_name(path)
    load_accounts()  # a broken accounts file fails here, before serving
    book = AccountBook()
    ds = Datasette(
        files=[str(path)],
        metadata=load_metadata(name),
        template_dir=str(TEMPLATES_DIR),
        settings={**SETTINGS, **settings},
        secret=datasette_secret(),
        crossdb=False,
    )
    workbench.configure(ds, database=name, accounts=book, session_hours=session_hours, lang=lang)
    return ds


def check_address(host: str, port: int) -> None:
    """Fail early with a clear message when host:port cannot be listened on (port in use, unknown host)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            probe.bind(address)
    except OSError as error:
        raise UsageError(both(f"Auf {host}:{port} kann nicht gelauscht werden: {error.strerror or error}.",
                              f"Cannot listen on {host}:{port}: {error.strerror or error}."),
                         hint=both("Wählen Sie einen anderen --port (oder beenden Sie das Programm, das ihn belegt) oder prüfen Sie --host.",
                                   "Choose another --port (or stop the program using it), or check --host.")) from None


def serve(db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8001, open_path: str | None = None,
          session_hours: float = SESSION_HOURS, lang: str = "de") -> None:
    """Run Datasette in the foreground (uvicorn) until interrupted."""
    import uvicorn

    check_address(host, port)
    ds = make_datasette(db_path, session_hours=session_hours, lang=lang)
    if open_path:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(f"http://{host}:{port}{open_path}",)).start()
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
