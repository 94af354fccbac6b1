"""The WeCom adapter in-process against the fake qyapi, through wechatpy's client: token sharing and
refresh, removal per kind of group (app group: del_user_list; customer group: escalated to the owner),
the webhook robot, the known wechatpy traps."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from bot.executor import Executor
from bot.http import HttpServer
from bot.metrics import Metrics
from bot.platforms.wecom.adapter import WecomAdapter
from bot.platforms.wecom.client import WecomApi, WecomError
from bot.platforms.wecom.kinds import KINDS, matrix_markdown
from bot.platforms.wecom.receive import items, parse_xml
from bot.settings import WecomSettings
from handlers.config import GroupConfig
from handlers.contract.actions import Remove, Send
from handlers.contract.events import Chat, Event, User
from storage.db import Database
from tests.platforms.fake_qyapi import FakeGroup, FakeQyapi
from tests.platforms.wecom_support import AES, CORP, TOKEN, change_xml


@pytest.fixture
async def fake() -> AsyncIterator[FakeQyapi]:
    server = FakeQyapi()
    server.groups["wrC"] = FakeGroup("wrC", "owner-li", members={"owner-li": "李", "wmA": "阿"})
    await server.start()
    yield server
    await server.stop()


def settings(fake: FakeQyapi) -> WecomSettings:
    return WecomSettings(
        corp_id=CORP,
        secret=SecretStr("app-secret"),
        agent_id="1000002",
        token=SecretStr(TOKEN),
        aes_key=SecretStr(AES),
        api_base=fake.base,
        appchats=["app1"],
        robots={"robot1": SecretStr("hook-key")},
        admins=["admin-wang"],
    )


@pytest.fixture
async def adapter(fake: FakeQyapi, db: Database) -> AsyncIterator[WecomAdapter]:
    http = HttpServer("127.0.0.1", 0, Metrics(), lambda: _true())
    events: list[Event] = []

    async def sink(event: Event) -> None:
        events.append(event)

    wecom = WecomAdapter(settings(fake), http, db)
    await wecom.start(sink)
    yield wecom
    await wecom.stop()


async def _true() -> bool:
    return True


async def test_token_is_fetched_once_shared_through_storage_and_refreshed_on_40014(
    fake: FakeQyapi, db: Database
) -> None:
    one = WecomApi(CORP, "app-secret", "1", fake.base, db)
    two = WecomApi(CORP, "app-secret", "1", fake.base, db)  # a second instance
    await one.call("appchat/send", lambda c: c.appchat.send_text("app1", "hi"))
    await two.call("appchat/send", lambda c: c.appchat.send_text("app1", "hi"))
    assert fake.tokens_issued == 1  # the second instance read the stored token
    assert [c.path for c in fake.calls].count("gettoken") == 1
    fake.fail_once["appchat/send"] = 40014
    await one.call("appchat/send", lambda c: c.appchat.send_text("app1", "again"))
    assert fake.tokens_issued == 2
    sends = fake.calls_to("appchat/send")
    assert [c.body["text"]["content"] for c in sends[-2:]] == ["again", "again"]  # retried once
    assert sends[-1].query["access_token"] == "tok-2"
    await two.call("appchat/send", lambda c: c.appchat.send_text("app1", "later"))
    assert fake.tokens_issued == 2  # the other instance, refused its old token, re-reads the stored new one


async def test_other_errcodes_are_raised_once_with_a_hint(fake: FakeQyapi, db: Database) -> None:
    api = WecomApi(CORP, "app-secret", "1", fake.base, db)
    fake.fail_once["externalcontact/groupchat/add_join_way"] = 48002
    with pytest.raises(WecomError, match=r"48002.*lacks this API right") as err:
        await api.call("add_join_way", lambda c: c.post("externalcontact/groupchat/add_join_way", data={}))
    assert err.value.errcode == 48002
    assert len(fake.calls_to("externalcontact/groupchat/add_join_way")) == 1


async def test_token_fetch_uses_the_configured_base(fake: FakeQyapi, db: Database) -> None:
    api = WecomApi(CORP, "app-secret", "1", fake.base, db)
    await api.call("message/send", lambda c: c.message.send_text("1", ["u"], "x"))
    assert fake.calls[0].path == "gettoken"  # wechatpy alone would have called qyapi.weixin.qq.com
    bad = WecomApi(CORP, "wrong", "2", fake.base, db)
    with pytest.raises(WecomError, match="40001"):
        await bad.call("message/send", lambda c: c.message.send_text("1", ["u"], "x"))


async def test_third_strike_removal_per_kind(fake: FakeQyapi, adapter: WecomAdapter) -> None:
    executor = Executor()
    config = GroupConfig()
    app_chat, customer = Chat("wecom", "app1"), Chat("wecom", "wrC")
    member = User("wmA", "阿")
    [done] = await executor.execute([Remove(app_chat, User("zhang", "张"), "3 strikes")], config, adapter)
    assert done.status == "done"
    assert fake.calls_to("appchat/update")[0].body == {"chatid": "app1", "del_user_list": ["zhang"]}
    [escalated] = await executor.execute([Remove(customer, member, "3 strikes: ads")], config, adapter)
    assert escalated.status == "escalated"
    notice = fake.calls_to("message/send")[-1].body
    assert notice["touser"] == "owner-li|admin-wang"
    assert "阿" in notice["text"]["content"] and "3 strikes: ads" in notice["text"]["content"]
    assert len(fake.calls_to("appchat/update")) == 1


async def test_robot_group_posts_through_the_webhook(fake: FakeQyapi, adapter: WecomAdapter) -> None:
    [out] = await Executor().execute(
        [Send(Chat("wecom", "robot1"), "本周话题", "topic")], GroupConfig(), adapter
    )
    assert out.status == "done"
    hook = fake.calls_to("webhook/send")[0]
    assert hook.query["key"] == "hook-key" and hook.body["text"]["content"] == "本周话题"
    assert not adapter.capabilities(Chat("wecom", "robot1")).can_remove


def test_a_single_item_parses_as_a_list_not_a_string() -> None:
    one = parse_xml(change_xml("wrC", "add_member", ["wmLongId"]))
    assert items(one, "MemChangeList") == ["wmLongId"]
    two = parse_xml(change_xml("wrC", "add_member", ["wm1", "wm2"]))
    assert items(two, "MemChangeList") == ["wm1", "wm2"]
    assert items(parse_xml(change_xml("wrC", "add_member", [])), "MemChangeList") == []


def test_readme_matrix_is_the_declared_capabilities() -> None:
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert matrix_markdown() in readme, "README's WeCom matrix is stale: paste matrix_markdown()"
    assert KINDS["customer"].caps.name_source == "group_nickname"
    assert not KINDS["customer"].caps.can_remove and KINDS["appchat"].caps.can_remove
