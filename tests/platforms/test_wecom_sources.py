"""Message sources (会话内容存档 records) for WeCom customer groups, against the fake qyapi: a JSON-lines
spool read from a stored offset (no replay after a restart, a half-written line waits, a bad line skipped),
an HTTP push guarded by a shared secret, a company's own source plugged by name; and without a source, the
owner and admins told once per group (also across restarts) that ad detection is off there."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr

from bot.http import HttpServer
from bot.metrics import Metrics
from bot.platforms.wecom.adapter import WecomAdapter
from bot.platforms.wecom.sources import ARCHIVE_PATH, BadRecord, Deliver, archive_event, parse_lines
from bot.settings import WecomSettings
from handlers.contract.events import Chat, Event, EventKind
from storage.db import Database
from tests.platforms.fake_qyapi import FakeGroup, FakeQyapi
from tests.platforms.test_wecom_adapter import settings as base_settings

CHAT = "wrC"
SECRET = "s" * 24


def record(msgid: str, text: str, sender: str = "wmA", room: str = CHAT, **extra: Any) -> dict[str, Any]:
    return {
        "msgid": msgid,
        "action": "send",
        "from": sender,
        "tolist": [],
        "roomid": room,
        "msgtime": 1_700_000_000_000,
        "msgtype": "text",
        "text": {"content": text},
        **extra,
    }


@pytest.fixture
async def fake() -> AsyncIterator[FakeQyapi]:
    server = FakeQyapi()
    server.groups[CHAT] = FakeGroup(CHAT, "owner-li", members={"owner-li": "李", "wmA": "阿"})
    server.groups["wrOther"] = FakeGroup("wrOther", "owner-li", members={"owner-li": "李"})
    await server.start()
    yield server
    await server.stop()


class Started:
    def __init__(self, adapter: WecomAdapter, http: HttpServer, events: list[Event]) -> None:
        self.adapter, self.http, self.events = adapter, http, events

    async def stop(self) -> None:
        await self.adapter.stop()
        await self.http.stop()


async def start(fake: FakeQyapi, db: Database, **changes: Any) -> Started:
    http = HttpServer("127.0.0.1", 0, Metrics(), _true)
    events: list[Event] = []

    async def sink(event: Event) -> None:
        events.append(event)

    wecom = WecomAdapter(base_settings(fake).model_copy(update=changes), http, db)
    await http.start()
    await wecom.start(sink)
    return Started(wecom, http, events)


async def _true() -> bool:
    return True


async def wait(check: Callable[[], bool]) -> None:
    await FakeQyapi().wait_for(check, within_s=10)


async def test_spool_is_read_once_from_the_stored_offset_across_restarts(
    fake: FakeQyapi, db: Database, tmp_path: Path
) -> None:
    spool = tmp_path / "archive.jsonl"
    lines = [record("m1", "加我微信 abc123 领资料"), record("m2", "/checkin", sender="owner-li")]
    spool.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), encoding="utf-8")
    with spool.open("a", encoding="utf-8") as out:
        out.write("not json\n")  # skipped, logged
        out.write(json.dumps(record("m3", "半行"))[:-1])  # still being written: waits
    bot = await start(fake, db, archive_spool=spool, archive_poll_s=0.05, archive_chats=[CHAT])
    await wait(lambda: len(bot.events) >= 2)
    first, second = bot.events
    assert (first.kind, first.chat, first.text, first.user and first.user.is_admin) == (
        EventKind.MESSAGE,
        Chat("wecom", CHAT, "group"),
        "加我微信 abc123 领资料",
        False,
    )
    assert first.delivery == "wecom:archive:m1"
    assert second.kind == EventKind.COMMAND and second.user is not None and second.user.is_admin  # the owner
    with spool.open("a", encoding="utf-8") as out:
        out.write("}\n")  # m3's line is complete now
        out.write(json.dumps(record("m4", "别的群", room="wrOther")) + "\n")  # not covered: dropped
    await wait(lambda: len(bot.events) >= 3)
    assert bot.events[2].text == "半行"
    caps = bot.adapter.capabilities(Chat("wecom", CHAT, "group"))
    assert caps.sees_all_messages and caps.hears_members
    assert not bot.adapter.capabilities(Chat("wecom", "wrOther", "group")).sees_all_messages
    await bot.stop()
    assert [e.text for e in bot.events] == ["加我微信 abc123 领资料", "/checkin", "半行"]  # wrOther's dropped
    again = await start(fake, db, archive_spool=spool, archive_poll_s=0.05, archive_chats=[CHAT])
    with spool.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record("m5", "重启后")) + "\n")
    await wait(lambda: len(again.events) >= 1)
    await again.stop()
    assert [e.text for e in again.events] == ["重启后"]  # nothing replayed


async def test_http_push_needs_the_secret_and_a_good_body(fake: FakeQyapi, db: Database) -> None:
    bot = await start(fake, db, archive_secret=SecretStr(SECRET))
    url = f"http://127.0.0.1:{bot.http.port}{ARCHIVE_PATH}"
    body = "\n".join(json.dumps(record(f"p{i}", f"消息{i}")) for i in range(2))
    try:
        async with aiohttp.ClientSession() as http:
            async with http.post(url, data=body, headers={"Authorization": "Bearer wrong"}) as resp:
                assert resp.status == 401
            ok = {"Authorization": f"Bearer {SECRET}"}
            async with http.post(url, data=body + "\n{broken", headers=ok) as resp:
                assert resp.status == 400 and "line 3" in (await resp.json())["error"]
            assert bot.events == []  # nothing of a bad batch is taken
            async with http.post(url, data=body, headers=ok) as resp:
                assert resp.status == 200 and (await resp.json()) == {"accepted": 2}
            async with http.post(url, data=json.dumps([record("p0", "消息0")]), headers=ok) as resp:
                assert resp.status == 200  # a JSON array works too
    finally:
        await bot.stop()
    assert [e.text for e in bot.events] == ["消息0", "消息1", "消息0"]  # the pipeline drops the duplicate
    assert {e.delivery for e in bot.events} == {"wecom:archive:p0", "wecom:archive:p1"}


class ListSource:
    """A company's own source, plugged by name (QUNBOT_WECOM__ARCHIVE_SOURCE)."""

    name = "mine"

    async def start(self, deliver: Deliver) -> None:
        await deliver(record("x1", "来自自己的存档服务"))

    async def stop(self) -> None:
        return None


def make_source(settings: WecomSettings) -> ListSource:
    assert settings.corp_id
    return ListSource()


async def test_a_plugged_source_feeds_the_adapter_and_no_notice_goes_out(
    fake: FakeQyapi, db: Database
) -> None:
    bot = await start(fake, db, archive_source=f"{__name__}:make_source")
    await bot.stop()
    assert [e.text for e in bot.events] == ["来自自己的存档服务"]
    assert not fake.calls_to("message/send")  # every group is covered: nobody is told detection is off


async def test_without_a_source_owner_and_admins_are_told_once_per_group_also_after_restart(
    fake: FakeQyapi, db: Database
) -> None:
    bot = await start(fake, db)
    notices = fake.calls_to("message/send")
    assert len(notices) == 2  # one per customer group
    assert {n.body["touser"] for n in notices} == {"owner-li|admin-wang"}
    assert all("广告和刷屏检测已关闭" in n.body["text"]["content"] for n in notices)
    assert sorted(CHAT in n.body["text"]["content"] for n in notices) == [False, True]
    assert not bot.adapter.capabilities(Chat("wecom", CHAT, "group")).sees_all_messages
    await bot.adapter.sweep()
    await bot.stop()
    again = await start(fake, db)
    await again.stop()
    assert len(fake.calls_to("message/send")) == 2  # not repeated by a sweep, nor after a restart


def test_records_that_are_not_group_messages_with_words() -> None:
    assert archive_event(record("a", "hi", action="recall"), set()) is None
    assert archive_event(record("b", "hi", room=""), set()) is None  # a one-to-one chat
    assert archive_event({**record("c", ""), "msgtype": "image"}, set()) is None
    link = {**record("d", ""), "msgtype": "link", "link": {"title": "兼职", "link_url": "https://t.cn/x"}}
    event = archive_event(link, set())
    assert event is not None and event.text == "兼职 https://t.cn/x"
    with pytest.raises(BadRecord, match="msgid"):
        archive_event({"from": "x"}, set())
    with pytest.raises(BadRecord, match="msgtime"):
        archive_event(record("e", "hi", msgtime="soon"), set())
    with pytest.raises(BadRecord, match="line 2"):
        parse_lines('{"a": 1}\n[1]\n')


async def test_a_rotated_spool_is_read_from_the_start(tmp_path: Path) -> None:
    from bot.platforms.wecom.sources import SpoolSource

    spool = tmp_path / "a.jsonl"
    saved: list[int] = []
    got: list[str] = []

    async def load() -> int:
        return 0

    async def save(offset: int) -> None:
        saved.append(offset)

    async def deliver(one: Any) -> None:
        got.append(one["msgid"])

    source = SpoolSource(spool, load, save)
    spool.write_text(json.dumps(record("r1", "一")) + "\n" + json.dumps(record("r2", "二")) + "\n")
    offset = await source.read_from(deliver, 0)
    assert offset == spool.stat().st_size and saved == [offset]
    assert await source.read_from(deliver, offset) == offset and got == ["r1", "r2"]  # nothing new
    spool.write_text(json.dumps(record("r3", "三")) + "\n")  # rotated: a new, shorter file
    assert await source.read_from(deliver, offset) == spool.stat().st_size
    assert got == ["r1", "r2", "r3"]
