"""End to end: `qunbot run` (a subprocess, only WeCom settings) against the fake qyapi, with callbacks
encrypted by wechatpy's WeChatCrypto posted to its real callback server. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.platforms.fake_qyapi import FakeGroup, FakeQyapi
from tests.platforms.wecom_support import CORP, Running, change_xml, start_qunbot

CHAT = "wrCustomer1"
NOW = int(time.time())  # joins must be recent to be welcomed
OWNER = "owner-li"


@pytest.fixture
async def fake() -> AsyncIterator[FakeQyapi]:
    server = FakeQyapi()
    server.groups[CHAT] = FakeGroup(CHAT, OWNER, members={OWNER: "上海-运营-李", "wmA": "北京-产品-阿"})
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(fake: FakeQyapi, tmp_path: Path, db_url: str) -> AsyncIterator[Running]:
    running = await start_qunbot(fake, tmp_path, db_url)
    yield running
    await running.stop()


async def test_join_is_welcomed_by_template_and_a_wrong_nickname_reminded_once(
    bot: Running, fake: FakeQyapi
) -> None:
    fake.groups[CHAT].add("wmB", "小白", NOW)  # no city-industry-name
    body = change_xml(CHAT, "add_member", ["wmB"])
    assert await bot.post_callback(body) == 200
    assert await bot.post_callback(body) == 200  # WeCom's retry of the same callback
    joins = await bot.wait_rows(["member_joined"], 1)
    await fake.wait_for(lambda: len(fake.calls_to("externalcontact/add_msg_template")) >= 1)
    sends = await bot.wait_rows(["action.send"], 2)
    welcome = [r for r in sends if r.detail.get("purpose") == "welcome"]
    assert welcome and welcome[0].detail["outcome"] == "fallback"  # WeCom's template greets, not a post
    reminder = fake.calls_to("externalcontact/add_msg_template")
    assert len(reminder) == 1  # one effect for two deliveries
    assert reminder[0].body["chat_id_list"] == [CHAT] and reminder[0].body["sender"] == OWNER
    assert "小白" in reminder[0].body["text"]["content"]
    assert [r.user_id for r in joins] == ["wmB"]
    [template] = fake.calls_to("externalcontact/group_welcome_template/add")  # synced from the rules at start
    assert "%NICKNAME%" in template.body["text"]["content"]
    assert len(await bot.rows(["member_joined"])) == 1


async def test_a_lost_callback_is_found_by_reconciliation(bot: Running, fake: FakeQyapi) -> None:
    fake.groups[CHAT].add("wmLost", "上海-设计-失", NOW)  # its callback never arrives
    fake.groups[CHAT].add("wmC", "北京-销售-西", NOW + 1)
    assert await bot.post_callback(change_xml(CHAT, "add_member", ["wmC"])) == 200
    joins = await bot.wait_rows(["member_joined"], 2)
    assert sorted(r.user_id for r in joins) == ["wmC", "wmLost"]
    del fake.groups[CHAT].members["wmA"]
    fake.groups[CHAT].version += 1
    assert await bot.post_callback(change_xml(CHAT, "del_member", ["wmA"]), nonce="n2") == 200
    left = await bot.wait_rows(["member_left"], 1)
    assert [r.user_id for r in left] == ["wmA"]


async def test_bad_signature_is_403_and_garbage_400_and_the_server_lives(bot: Running) -> None:
    assert await bot.post_callback(change_xml(CHAT, "add_member", ["x"]), break_signature=True) == 403
    async with aiohttp.ClientSession() as http:
        params = {"msg_signature": "x", "timestamp": "1", "nonce": "n"}
        async with http.post(f"{bot.url}/wecom/callback", params=params, data=b"not xml") as resp:
            assert resp.status == 400
        async with http.get(f"{bot.url}/healthz") as resp:
            assert resp.status == 200
    assert bot.logged("wecom_callback_rejected")


async def test_url_verification_answers_the_echostr_exactly(bot: Running) -> None:
    from wechatpy.crypto import _get_signature
    from wechatpy.work.crypto import PrpCrypto, WeChatCrypto

    from tests.platforms.wecom_support import AES, TOKEN

    crypto = WeChatCrypto(TOKEN, AES, CORP)
    echo = PrpCrypto(crypto.key).encrypt("echo-12345", CORP).decode()
    sig = _get_signature(TOKEN, "1700000000", "n", echo)
    async with aiohttp.ClientSession() as http:
        params = {"msg_signature": sig, "timestamp": "1700000000", "nonce": "n", "echostr": echo}
        async with http.get(f"{bot.url}/wecom/callback", params=params) as resp:
            assert resp.status == 200
            assert await resp.read() == b"echo-12345"
        params["msg_signature"] = "bad"
        async with http.get(f"{bot.url}/wecom/callback", params=params) as resp:
            assert resp.status == 403


async def test_checkin_through_the_aibot_is_answered_through_its_reply_channel(
    bot: Running, fake: FakeQyapi
) -> None:
    reply_url = f"http://127.0.0.1:{fake.port}/cgi-bin/aibot/response?code=r1"
    payload = {
        "msgid": "ai-msg-1",
        "aibotid": "aib1",
        "chatid": "wrInternal9",
        "chattype": "group",
        "from": {"userid": "zhangsan"},
        "response_url": reply_url,
        "msgtype": "text",
        "text": {"content": "@qunbot 打卡"},
    }
    assert await bot.post_aibot(payload) == 200
    await fake.wait_for(lambda: bool(fake.calls_to("aibot/response")))
    reply = fake.calls_to("aibot/response")[0]
    assert reply.body["msgtype"] == "markdown"
    rows = await bot.wait_rows(["checkin"], 1)
    assert rows[0].user_id == "zhangsan"
