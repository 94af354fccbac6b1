"""End to end: `qunbot run` (a subprocess, only WeCom settings) against the fake qyapi, with callbacks
encrypted by wechatpy's WeChatCrypto posted to its real callback server. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
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


ARCHIVE_SECRET = "archive-secret-0123456789"
APPCHAT = "wrApp1"
ADS = (
    "加我微信 abc12345678 免费领取副业资料，日赚五百",
    "兼职刷单，日结 300 元，加V：xyz98765432 详聊",
    "招代理，零成本月入过万，私聊加微信 qq11223344",
)


async def push_archive(bot: Running, records: list[dict[str, object]]) -> None:
    from bot.platforms.wecom.sources import ARCHIVE_PATH

    body = "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    headers = {"Authorization": f"Bearer {ARCHIVE_SECRET}"}
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{bot.url}{ARCHIVE_PATH}", data=body.encode(), headers=headers) as resp,
    ):
        assert resp.status == 200, await resp.text()


def ad_records(room: str, sender: str) -> list[dict[str, object]]:
    """Three ads by one member, an hour apart (so they are three offences, not one burst)."""
    return [
        {
            "msgid": f"{room}-ad{i}",
            "action": "send",
            "from": sender,
            "tolist": [],
            "roomid": room,
            "msgtime": (NOW + 3600 * i) * 1000,
            "msgtype": "text",
            "text": {"content": text},
        }
        for i, text in enumerate(ADS)
    ]


async def test_third_strike_removes_in_an_appchat_and_is_escalated_in_a_customer_group(
    fake: FakeQyapi, tmp_path: Path, db_url: str
) -> None:
    """Messages reach the bot through the archive push (会话内容存档); three ads are three strikes: in the
    app's own group the member is removed with ``appchat/update del_user_list``, in a customer group (where
    no API removes anyone) the owner is asked by app message, with the member and the reason."""
    bot = await start_qunbot(
        fake,
        tmp_path,
        db_url,
        QUNBOT_WECOM__ARCHIVE_SECRET=ARCHIVE_SECRET,
        QUNBOT_WECOM__APPCHATS=json.dumps([APPCHAT]),
    )
    try:
        await push_archive(bot, ad_records(APPCHAT, "zhangsan"))
        await fake.wait_for(lambda: bool(fake.calls_to("appchat/update")))
        [removal] = fake.calls_to("appchat/update")
        assert removal.body == {"chatid": APPCHAT, "del_user_list": ["zhangsan"]}

        before = len(fake.calls_to("message/send"))
        await push_archive(bot, ad_records(CHAT, "wmA"))
        removed = await bot.wait_rows(["action.remove"], 2)
        outcome = {row.group_key.rsplit(":", 1)[1]: row.detail["outcome"] for row in removed}
        assert outcome == {APPCHAT: "done", CHAT: "escalated"}
        notices = [c.body for c in fake.calls_to("message/send")[before:]]
        assert {n["touser"].split("|")[0] for n in notices} == {OWNER}
        texts = [n["text"]["content"] for n in notices]
        # each ad the bot could not delete, then the removal: the member named by their group nickname
        assert sum(t.startswith("机器人无法删除 北京-产品-阿 的消息") for t in texts) == 3
        assert texts[-1].startswith("机器人无法移出 北京-产品-阿，请群主/管理员处理")
        assert "第 3 次违规" in texts[-1]
        assert len(fake.calls_to("appchat/update")) == 1  # the customer group's removal was not attempted
    finally:
        await bot.stop()


async def test_an_expired_token_is_refreshed_and_the_call_retried(bot: Running, fake: FakeQyapi) -> None:
    """WeCom answers 40014 when the token it issued is no longer valid: the process fetches a new one and
    retries the call once, so the member's reminder still goes out, once."""
    issued = fake.tokens_issued
    fake.fail_once["externalcontact/add_msg_template"] = 40014
    fake.groups[CHAT].add("wmT", "小唐", NOW)
    assert await bot.post_callback(change_xml(CHAT, "add_member", ["wmT"]), nonce="t1") == 200
    await fake.wait_for(lambda: len(fake.calls_to("externalcontact/add_msg_template")) >= 2)
    calls = fake.calls_to("externalcontact/add_msg_template")
    assert len(calls) == 2 and calls[0].body == calls[1].body  # the refused call, then the same call again
    assert calls[1].query["access_token"] != calls[0].query["access_token"]
    assert fake.tokens_issued == issued + 1
