"""A read-only dashboard for operators on the process's HTTP server: ``/admin/`` (the groups), a group's
numbers and charts, the audit trail and the open strikes.

Off unless ``QUNBOT_HTTP__ADMIN_TOKEN`` is set. Every request is checked, in constant time, against the
token given as ``Authorization: Bearer …`` / ``X-Admin-Token`` or against the session cookie that
``/admin/login`` sets (an HMAC of the token, so the cookie is not the token and changing the token ends
every session). Pages carry a Content-Security-Policy that lets them load nothing at all; no member's
message text is on them (figures, names, ids, and the reasons the bot and the admins gave).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from html import escape
from urllib.parse import quote

from aiohttp import web
from sqlalchemy import func, select

from bot.config import ConfigStore
from bot.http import HttpServer
from bot.report.page import body as figures_body
from bot.report.page import page
from storage.db import Database
from storage.models.core import Group, Member
from storage.repos.audit import AuditEntry, OpenStrike, open_strikes, trail
from storage.repos.metrics import activity_span, period

COOKIE = "qunbot_admin"
PERIODS = {"week": 7, "month": 30}
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'",
}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode()).digest()


class Dashboard:
    def __init__(
        self,
        db: Database,
        config: ConfigStore,
        token: str,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if not token.strip():
            raise ValueError("the admin token is empty")
        self.db = db
        self.config = config
        self._token = _digest(token)
        self._session = hmac.new(token.encode(), b"qunbot-admin-session", hashlib.sha256).hexdigest()
        self.now = now

    def register(self, http: HttpServer) -> None:
        http.add_route("GET", "/admin", self._redirect_home)
        http.add_route("GET", "/admin/login", self._login_form)
        http.add_route("POST", "/admin/login", self._login)
        http.add_route("POST", "/admin/logout", self._logout)
        for path, handler in (
            ("/admin/", self._groups),
            ("/admin/group/{key}", self._group),
            ("/admin/audit", self._audit),
            ("/admin/strikes", self._strikes),
        ):
            http.add_route("GET", path, self._guarded(handler))

    # --- access -----------------------------------------------------------------------------------
    def authorized(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        given = header[7:] if header.startswith("Bearer ") else request.headers.get("X-Admin-Token")
        if given is not None:
            return hmac.compare_digest(_digest(given), self._token)
        cookie = request.cookies.get(COOKIE, "")
        return hmac.compare_digest(_digest(cookie), _digest(self._session))

    def _guarded(self, handler: Handler) -> Handler:
        async def checked(request: web.Request) -> web.StreamResponse:
            if not self.authorized(request):
                return self._html(_login_page(request.path_qs, ""), status=401)
            return await handler(request)

        return checked

    @staticmethod
    def _html(content: str, status: int = 200) -> web.Response:
        return web.Response(text=content, status=status, content_type="text/html", headers=HEADERS)

    async def _redirect_home(self, _request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/admin/")

    async def _login_form(self, request: web.Request) -> web.StreamResponse:
        return self._html(_login_page(request.query.get("next", "/admin/"), ""))

    async def _login(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        token = form.get("token")
        target = str(form.get("next") or "/admin/")
        if not target.startswith("/admin/"):
            target = "/admin/"  # never redirect off the dashboard
        if not isinstance(token, str) or not hmac.compare_digest(_digest(token), self._token):
            return self._html(_login_page(target, "wrong token"), status=401)
        response = web.Response(status=303, headers={**HEADERS, "Location": target})
        response.set_cookie(COOKIE, self._session, path="/admin", httponly=True, samesite="Strict")
        return response

    async def _logout(self, _request: web.Request) -> web.StreamResponse:
        response = web.Response(status=303, headers={**HEADERS, "Location": "/admin/login"})
        response.del_cookie(COOKIE, path="/admin")
        return response

    # --- pages ------------------------------------------------------------------------------------
    async def _groups(self, _request: web.Request) -> web.StreamResponse:
        async with self.db.session() as session:
            groups = (await session.scalars(select(Group).order_by(Group.key))).all()
            present = dict(
                (
                    await session.execute(
                        select(Member.group_key, func.count())
                        .where(Member.left_at.is_(None), Member.is_bot.is_(False))
                        .group_by(Member.group_key)
                    )
                ).all()
            )
        rows = "".join(
            f'<tr><td><a href="/admin/group/{quote(g.key, safe="")}">{escape(self._name(g.key, g.title))}</a>'
            f"</td><td>{escape(g.key)}</td><td>{present.get(g.key, 0)}</td>"
            f"<td>{'✓' if g.active else '–'}</td></tr>"
            for g in groups
        )
        table = (
            "<table><tr><th>group</th><th>key</th><th>members</th><th>bot active</th></tr>"
            f"{rows or '<tr><td colspan=4>no groups yet</td></tr>'}</table>"
        )
        return self._html(_frame("qunbot · groups", "<h1>Groups</h1>" + table))

    def _name(self, key: str, title: str = "") -> str:
        return self.config.for_chat(key).name or title or key

    async def _group(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["key"]
        choice = request.query.get("period", "week")
        days = PERIODS.get(choice, 7)
        config = self.config.for_chat(key)
        now = self.now()
        async with self.db.session() as session:
            if await session.get(Group, key) is None:
                raise web.HTTPNotFound(text="no such group", headers=HEADERS)
            span = await activity_span(session, key)
            tz = config.tz
            last = min(now.astimezone(tz).date(), span[1].astimezone(tz).date() if span else now.date())
            first = last - timedelta(days=days - 1)
            if span is not None:
                first = max(first, min(span[0].astimezone(tz).date(), last))
            defs = config.stats.definitions(config.tasks.kinds())
            figures = await period(session, key, first, last, tz, now, defs)
            strikes = await open_strikes(session, now - config.moderation.window, key, limit=50)
            entries = await trail(session, key, limit=30)
            await session.commit()  # settled days rolled up on the way
        link = quote(key, safe="")
        switch = " · ".join(
            f'<a href="/admin/group/{link}?period={p}">{p}</a>' if p != choice else f"<b>{p}</b>"
            for p in PERIODS
        )
        content = (
            f"<h1>{escape(self._name(key))}</h1>"
            f"<div class='sub'>{escape(key)} · {first} — {last} · {switch}</div>"
            + figures_body(config, figures)
            + "<h2 style='margin-top:20px'>Open strikes</h2>"
            + _strikes_table(strikes, with_group=False)
            + "<h2 style='margin-top:20px'>Audit trail (latest) · "
            + f"<a href='/admin/audit?group={link}'>all</a></h2>"
            + _audit_table(entries, with_group=False)
        )
        return self._html(_frame(f"qunbot · {self._name(key)}", content))

    async def _audit(self, request: web.Request) -> web.StreamResponse:
        group = request.query.get("group") or None
        since_text = request.query.get("since")
        since = None
        if since_text:
            try:
                since = datetime.fromisoformat(since_text)
            except ValueError:
                raise web.HTTPBadRequest(
                    text="since: expected a date like 2026-03-01", headers=HEADERS
                ) from None
            since = since if since.tzinfo else since.replace(tzinfo=UTC)
        async with self.db.session() as session:
            entries = await trail(session, group, since)
        title = "Audit trail" + (f" · {escape(group)}" if group else "")
        return self._html(
            _frame("qunbot · audit", f"<h1>{title}</h1>" + _audit_table(entries, with_group=True))
        )

    async def _strikes(self, _request: web.Request) -> web.StreamResponse:
        window = self.config.for_chat("").moderation.window
        async with self.db.session() as session:
            strikes = await open_strikes(session, self.now() - window)
        return self._html(_frame("qunbot · strikes", "<h1>Open strikes</h1>" + _strikes_table(strikes, True)))


def mount(token: str | None, db: Database, config: ConfigStore, http: HttpServer) -> bool:
    """Add the dashboard's routes when an admin token is set (a blank one counts as none): True if on."""
    if token is None or not token.strip():
        return False
    Dashboard(db, config, token).register(http)
    return True


def _frame(title: str, content: str) -> str:
    nav = (
        "<nav><a href='/admin/'>Groups</a><a href='/admin/strikes'>Open strikes</a>"
        "<a href='/admin/audit'>Audit trail</a>"
        "<form method='post' action='/admin/logout' style='display:inline'>"
        "<button>Log out</button></form></nav>"
    )
    return page(title, nav + content, "en")


def _login_page(target: str, error: str) -> str:
    note = f"<p style='color:#dc2626'>{escape(error)}</p>" if error else ""
    form = (
        "<h1>qunbot · admin</h1><p>Enter the admin token (QUNBOT_HTTP__ADMIN_TOKEN).</p>"
        f"{note}<form method='post' action='/admin/login'>"
        f"<input type='hidden' name='next' value='{escape(target, quote=True)}'>"
        "<input type='password' name='token' autocomplete='current-password' autofocus> "
        "<button type='submit'>Log in</button></form>"
    )
    return page("qunbot · log in", form, "en")


def _when(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _audit_table(entries: list[AuditEntry], with_group: bool) -> str:
    head = "<tr><th>when</th>" + ("<th>group</th>" if with_group else "") + "<th>what</th><th>by</th>"
    head += "<th>member</th><th>why</th></tr>"
    rows = []
    for entry in entries:
        group = f"<td>{escape(entry.group)}</td>" if with_group else ""
        rows.append(
            f"<tr><td>{_when(entry.ts)}</td>{group}<td>{escape(entry.kind)}</td>"
            f"<td>{escape(entry.actor or 'bot')}</td><td>{escape(entry.target or '')}</td>"
            f"<td>{escape(entry.reason)}</td></tr>"
        )
    return f"<table class='audit'>{head}{''.join(rows) or '<tr><td colspan=6>nothing yet</td></tr>'}</table>"


def _strikes_table(strikes: list[OpenStrike], with_group: bool) -> str:
    head = "<tr><th>when</th>" + ("<th>group</th>" if with_group else "") + "<th>member</th><th>category</th>"
    head += "<th>why</th></tr>"
    rows = []
    for s in strikes:
        group = f"<td>{escape(s.group)}</td>" if with_group else ""
        rows.append(
            f"<tr><td>{_when(s.created_at)}</td>{group}<td>{escape(s.name or s.user)}</td>"
            f"<td>{escape(s.category)}</td><td>{escape(s.reason)}</td></tr>"
        )
    return f"<table class='strikes'>{head}{''.join(rows) or '<tr><td colspan=5>none</td></tr>'}</table>"
