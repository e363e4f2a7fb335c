"""Datasette plugin: the editors' login and the session behind every request.

Why its own plugin: Datasette's cookie check (``datasette.actor_auth_cookie``, switched off in
``publish.register_plugins``) trusts a signed ``ds_actor`` forever; here a session expires, is
checked against the current accounts on every request, and the login page applies the rules of
``miner.login`` (same-site redirects, throttle, equal timing, CSRF, logged failures).
"""

from __future__ import annotations

import asyncio
import logging
import time

from datasette import hookimpl
from datasette.utils.asgi import Response
from itsdangerous import BadSignature

from miner import login as rules
from miner.plugins.workbench import CSRF_MESSAGE, _config, _error, _page, _t, csrf_ok

log = logging.getLogger(__name__)


@hookimpl
def actor_from_request(datasette, request):
    """The editor or moderator behind a signed ``ds_actor`` cookie, checked on every request against
    the current accounts and the session's expiry (Datasette's own cookie check is switched off in
    ``publish.register_plugins``: it trusts a cookie forever)."""
    config = getattr(datasette, "_miner", None)
    cookie = request.cookies.get("ds_actor")
    if config is None or not cookie:
        return None
    try:
        payload = datasette.unsign(cookie, "actor")
    except BadSignature:
        return None
    return rules.actor_for(payload, config["book"].current(), time.time())


def session_cookie(datasette, account) -> str:
    """The signed ``ds_actor`` value for a fresh session of ``account`` (login; tests)."""
    hours = _config(datasette)["session_hours"]
    return datasette.sign(rules.session(account.actor, account.password_hash, hours, time.time()), "actor")


async def login(request, datasette):
    """Log in with an account from MINER_ACCOUNTS / the accounts file (PBKDF2 hashes, never stored).

    Same-site redirects only, a throttle per account name and per address (429 with a German
    message), equal time for unknown names, failed attempts logged at WARNING (never the password).
    """
    config = _config(datasette)
    accounts = config["book"].current()
    error = None
    next_path = rules.safe_next(request.args.get("next"))
    if request.method == "POST":
        form = await request.post_vars()
        if not csrf_ok(request, form):
            return await _error(datasette, request, CSRF_MESSAGE, status=403)
        next_path = rules.safe_next(form.get("next"), next_path)
        name = (form.get("username") or "").strip()[:64]
        password = (form.get("password") or "")[:1024]
        address = (request.scope.get("client") or ("unknown",))[0]
        by_account, by_address = config["by_account"], config["by_address"]
        wait = max(by_account.retry_after(name.lower()), by_address.retry_after(address))
        if wait:
            log.warning("login refused while throttled: account %s from %s", name if name in accounts else "(unknown)", address)
            response = await _page(datasette, request, "miner_login.html",
                                   {"error": rules.THROTTLE_MESSAGE.format(minutes=rules.minutes_text(wait)),
                                    "next": next_path}, status=429)
            response.headers["Retry-After"] = str(int(wait) + 1)
            return response
        account = accounts.get(name)
        ok = await asyncio.get_running_loop().run_in_executor(
            None, config["passwords"].verify, password, account.password_hash if account else None,
            [a.password_hash for a in accounts.values()])
        if ok:
            by_account.succeeded(name.lower())
            response = Response.redirect(next_path)
            response.set_cookie("ds_actor", session_cookie(datasette, account), httponly=True, samesite="lax",
                                max_age=int(config["session_hours"] * 3600))
            return response
        by_account.failed(name.lower())
        by_address.failed(address)
        log.warning("failed login: account %s from %s", name if account else "(unknown)", address)
        error = _t(datasette, "login.wrong")
    if not accounts:
        error = _t(datasette, "login.no_accounts")
    return await _page(datasette, request, "miner_login.html", {"error": error, "next": next_path}, status=400 if error and request.method == "POST" else 200)


@hookimpl
def register_routes():
    return [(r"^/-/login$", login)]
