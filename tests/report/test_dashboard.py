"""The read-only dashboard on the process's HTTP server: off without a token; every request checked;
figures and charts, open strikes and the audit trail for those who have it, and no member's text."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

import aiohttp
import pytest

from bot.config import ConfigStore, parse_rules
from bot.dashboard import COOKIE, Dashboard, mount
from bot.http import HttpServer
from bot.metrics import Metrics
from storage import migrate
from storage.db import Database
from storage.models.core import EventLogRow, Group
from tests.browser import BLUE_PIXELS, Browser, pixels_of
from tests.storage.test_metrics import NOW, G, at, seed

TOKEN = "s3cret-admin-token"
SECRET_TEXT = "我的私人电话是多少多少"
RULES = '[groups."tg:group:-100"]\nname = "测试社群"\n'


async def _healthy() -> bool:
    return True


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(str(tmp_path / "dash.db"))
    await migrate.upgrade(database)
    await seed(database)
    async with database.session() as session:
        session.add(
            Group(
                key=G, platform="tg", chat_id="-100", title="测试群", first_seen=at(1, 9), updated_at=at(1, 9)
            )
        )
        # texts that must never reach a page: a member's message kept by a privacy opt-in, the bot's own reply
        session.add(EventLogRow(ts=at(5, 9), platform="tg", group_key=G, user_id="a", kind="message",
                                reason="", detail={"text": SECRET_TEXT}))  # fmt: skip
        audit = {"actor": "boss", "target": "c", "text": SECRET_TEXT}
        session.add(EventLogRow(ts=at(5, 9), platform="tg", group_key=G, user_id="a", kind="admin.pardon",
                                reason="误会一场", detail=audit))  # fmt: skip
        await session.commit()
    yield database
    await database.close()


async def _server(db: Database, token: str | None) -> HttpServer:
    http = HttpServer("127.0.0.1", 0, Metrics(), _healthy)
    on = mount(token, db, ConfigStore(parse_rules(RULES)), http)
    assert on == bool(token and token.strip())
    await http.start()
    return http


@pytest.fixture
async def server(db: Database) -> AsyncIterator[str]:
    http = HttpServer("127.0.0.1", 0, Metrics(), _healthy)
    Dashboard(db, ConfigStore(parse_rules(RULES)), TOKEN, now=lambda: NOW).register(http)
    await http.start()
    yield f"http://127.0.0.1:{http.port}"
    await http.stop()


@pytest.mark.parametrize("token", [None, "", "   "])
async def test_off_without_a_token(db: Database, token: str | None) -> None:
    http = await _server(db, token)
    try:
        async with aiohttp.ClientSession() as client:
            for path in ("/admin/", "/admin/login", f"/admin/group/{quote(G, safe='')}"):
                async with client.get(f"http://127.0.0.1:{http.port}{path}") as response:
                    assert response.status == 404
    finally:
        await http.stop()


async def test_every_page_asks_for_the_token(server: str) -> None:
    group = f"/admin/group/{quote(G, safe='')}"
    async with aiohttp.ClientSession() as client:
        for path in ("/admin/", group, "/admin/audit", "/admin/strikes"):
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"X-Admin-Token": TOKEN[:-1]}):
                async with client.get(server + path, headers=headers) as response:
                    text = await response.text()
                    assert response.status == 401, (path, headers)
                    page = text.replace("'", '"')
                    assert 'name="token"' in page and "<svg" not in page and "测试社群" not in page
                    assert "<table" not in page  # nothing of the data, only the way back after logging in
        async with client.get(server + group, cookies={COOKIE: TOKEN}) as response:
            assert response.status == 401  # the cookie is a session, not the token itself
        for headers in ({"Authorization": f"Bearer {TOKEN}"}, {"X-Admin-Token": TOKEN}):
            async with client.get(server + group, headers=headers) as response:
                assert response.status == 200 and "测试社群" in await response.text()
                assert "default-src 'none'" in response.headers["Content-Security-Policy"]


async def test_login_sets_a_session_cookie_and_logout_ends_it(server: str) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:  # an IP host
        async with client.post(server + "/admin/login", data={"token": "nope"}, allow_redirects=False) as bad:
            assert bad.status == 401 and COOKIE not in bad.cookies
        form = {"token": TOKEN, "next": "https://evil.example/"}
        async with client.post(server + "/admin/login", data=form, allow_redirects=False) as good:
            assert good.status == 303 and good.headers["Location"] == "/admin/"
            cookie = good.cookies[COOKIE]
            assert cookie.value != TOKEN and cookie["httponly"] and cookie["samesite"] == "Strict"
        async with client.get(server + "/admin/strikes") as response:
            assert response.status == 200
        async with client.post(server + "/admin/logout", allow_redirects=False) as out:
            assert out.status == 303
        async with client.get(server + "/admin/strikes") as response:
            assert response.status == 401


async def test_pages_show_figures_strikes_and_the_trail_but_no_member_text(server: str) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with aiohttp.ClientSession(headers=headers) as client:
        pages = {}
        for path in (
            "/admin/",
            f"/admin/group/{quote(G, safe='')}?period=month",
            "/admin/audit",
            "/admin/strikes",
        ):
            async with client.get(server + path) as response:
                assert response.status == 200, path
                pages[path] = await response.text()
        async with client.get(server + "/admin/group/tg%3Agroup%3A-1") as missing:
            assert missing.status == 404
        async with client.get(server + "/admin/audit?since=yesterday") as bad:
            assert bad.status == 400
    home, group, audit, strikes = pages.values()
    assert "测试社群" in home and G in home
    assert group.count('<svg class="chart"') == 6 and "日发言率" in group
    assert "admin.pardon" in audit and "误会一场" in audit and "boss" in audit
    # the seeded strikes (ad, flood, nickname) are within the 30-day window of "now"
    assert all(category in strikes for category in ("ad", "flood", "nickname")) and "name-c" in strikes
    for page in pages.values():
        assert SECRET_TEXT not in page


async def test_the_dashboard_in_a_browser(server: str, tmp_path: Path) -> None:
    group = f"{server}/admin/group/{quote(G, safe='')}?period=month"
    async with Browser() as browser:
        await browser.goto(group)
        assert await browser.evaluate("document.querySelectorAll('svg.chart').length") == 0
        assert await browser.evaluate("!!document.querySelector('input[name=token]')")
        await browser.submit("form[action='/admin/login']", {"token": TOKEN})
        assert await browser.evaluate("location.pathname") == f"/admin/group/{quote(G, safe='')}"
        marks = await browser.evaluate(
            "[...document.querySelectorAll('svg.chart')].map(s => s.querySelectorAll('.mark').length)"
        )
        assert len(marks) == 6 and all(n > 0 for n in marks), marks
        sizes = await browser.evaluate(
            "[...document.querySelectorAll('svg.chart')].map(s => s.getBoundingClientRect().height)"
        )
        assert all(h > 50 for h in sizes), sizes
        shot = await browser.screenshot(tmp_path / "dashboard.png")
        assert pixels_of(shot, BLUE_PIXELS) > 5_000
        await browser.goto(f"{server}/admin/audit")
        assert await browser.evaluate("document.querySelectorAll('table.audit tr').length") > 1
