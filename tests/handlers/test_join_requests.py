"""Join requests and the log chat on the console platform: what a platform that cannot approve does (the
owner / admins are asked, declared), the log chat's 确认, and a config reload logged there. The Telegram
path (private questionnaire, buttons, deadline) is tested through the fake Bot API in
``tests/platforms/test_telegram_door.py``."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from handlers.contract.capabilities import EVERYTHING
from handlers.contract.events import Event, EventKind
from handlers.locks.handler import Locks
from handlers.moderation.handler import Moderation
from handlers.tracking import Tracking
from handlers.verify.handler import Verify
from handlers.verify.requests import JoinRequests
from tests.support import SimFactory, log_rows

RULES = """
[defaults]
log_chat = "console:group:log"
[defaults.verify.join_requests]
enabled = true
questionnaire = false
"""


async def test_where_joins_cannot_be_approved_the_admins_are_asked(db_url: str, make_sim: SimFactory) -> None:
    caps = replace(EVERYTHING, can_approve_joins=False)  # as a WeCom customer group declares
    sim = await make_sim(RULES, caps=caps, features=[Tracking(), JoinRequests()], db_url=db_url)
    sim.add_user("a1", "管理员", admin=True)
    sim.add_user("r1", "申请人")
    event = Event(EventKind.JOIN_REQUEST, sim.chat, sim.clock.now(), "console:jr:1", user=sim.user("r1"))
    await sim.app.dispatch(event)
    await sim.app.dispatch(event)  # a redelivery: asked once
    notices = [p for p in sim.adapter.posted if p.chat == "console:group:log" and "申请加入" in p.text]
    assert len(notices) == 1 and [b.data for b in notices[0].buttons] == ["jr:approve:r1", "jr:decline:r1"]
    assert all(b.admins_of == sim.chat.key for b in notices[0].buttons)
    await sim.press("a1", "jr:approve:r1")
    assert not sim.adapter.ops("approve")  # the platform cannot: the admins are asked to do it
    asked = [p.text for p in sim.adapter.posted if "无法批准 申请人 的入群申请" in p.text]
    assert len(asked) == 1
    [approved] = await log_rows(sim, ["action.approve_join"])
    assert approved.detail["outcome"] == "escalated"
    await sim.press("a1", "jr:approve:r1")  # pressed again: settled once
    assert len([p for p in sim.adapter.posted if "无法批准" in p.text]) == 1


async def test_confirm_in_the_log_chat_marks_the_line_and_keeps_the_strike(make_sim: SimFactory) -> None:
    sim = await make_sim('[defaults]\nlog_chat = "console:group:log"\n', features=[Tracking(), Moderation()])
    sim.add_user("a1", "管理员", admin=True)
    sim.add_user("m1", "小明")
    await sim.say("m1", "一条消息", label="p")
    await sim.say("a1", "/warn 刷屏", reply_to="p")
    [line] = [p for p in sim.adapter.posted if p.chat == "console:group:log"]
    assert "⚠️ 记违规 小明" in line.text and [b.text for b in line.buttons] == ["撤销", "确认"]
    await sim.press("m1", "log:ok:m1", message_id=line.message_id)  # a member: refused, nothing edited
    assert not sim.adapter.ops("edit")
    await sim.press("a1", "log:ok:m1", message_id=line.message_id)
    [edit] = sim.adapter.ops("edit")
    assert edit.chat == "console:group:log" and edit.text.endswith("—— 已确认（管理员）") and not edit.buttons
    assert len(await log_rows(sim, ["admin.log_confirm"])) == 1
    assert len(await log_rows(sim, ["strike"])) == 1 and not await log_rows(sim, ["admin.log_undo"])


async def test_a_config_reload_is_a_line_in_the_log_chat(make_sim: SimFactory, tmp_path: Path) -> None:
    sim = await make_sim('[defaults]\nlog_chat = "console:group:log"\n')
    path = tmp_path / "rules.toml"
    path.write_text('[defaults]\nlog_chat = "console:group:log"\nlanguage = "en"\n', encoding="utf-8")
    sim.app.config.path = path
    assert sim.app.config.reload() == []
    for _ in range(100):
        if sim.adapter.sent_texts("console:group:log"):
            break
        await asyncio.sleep(0.01)
    assert sim.adapter.sent_texts("console:group:log") == ["🔄 Configuration reloaded (rules.toml)"]
    path.write_text('[defaults]\nlog_chat = "console:group:log"\nlog_actions = false\n', encoding="utf-8")
    assert sim.app.config.reload() == []
    await asyncio.sleep(0.05)
    assert len(sim.adapter.sent_texts("console:group:log")) == 1  # log_actions = false: notices only


async def test_a_verification_mute_in_the_log_chat_has_no_undo(make_sim: SimFactory) -> None:
    rules = '[defaults]\nlog_chat = "console:group:log"\n[defaults.verify]\nmethod = "button"\n'
    sim = await make_sim(rules, features=[Tracking(), Verify()])
    sim.add_user("n1", "新人")
    await sim.join("n1")
    [line] = [p for p in sim.adapter.posted if p.chat == "console:group:log"]
    assert "🔇 禁言 新人" in line.text and not line.buttons  # not a sanction: nothing for /pardon to undo


async def test_an_approved_requester_is_not_verified_again_on_joining(
    db_url: str, make_sim: SimFactory
) -> None:
    rules = RULES + '[defaults.verify]\nmethod = "button"\n'
    sim = await make_sim(rules, features=[Tracking(), Verify(), JoinRequests()], db_url=db_url)
    sim.add_user("a1", "管理员", admin=True)
    sim.add_user("r1", "申请人")
    sim.add_user("x1", "路人")
    event = Event(EventKind.JOIN_REQUEST, sim.chat, sim.clock.now(), "console:jr:2", user=sim.user("r1"))
    await sim.app.dispatch(event)
    await sim.press("a1", "jr:approve:r1")
    assert [p.user for p in sim.adapter.ops("approve")] == ["r1"]
    await sim.join("r1")  # the approval lets them in: they passed the door already
    await sim.join("x1")  # an ordinary join is still verified
    assert [p.user for p in sim.adapter.ops("mute")] == ["x1"]
    assert [r.user_id for r in await log_rows(sim, ["verify.skipped"])] == ["r1"]


async def test_an_approval_by_the_last_private_answer_is_logged_in_the_groups_log_chat(
    make_sim: SimFactory,
) -> None:
    rules = (
        '[groups."console:group:g1"]\nlog_chat = "console:group:log"\n'
        '[groups."console:group:g1".verify.join_requests]\nenabled = true\n'
        '[groups."console:group:g1".tasks]\nquestions = [{ key = "problem" }]\n'
    )
    sim = await make_sim(rules, features=[Tracking(), JoinRequests()])
    sim.add_user("r1", "申请人")
    await sim.request_join("r1")
    assert [p.text.splitlines()[-1] for p in sim.adapter.ops("private")] == [
        "(1/1) 你最想在群里解决的问题是什么？"
    ]
    await sim.say("r1", "找到好的课程", private=True)
    assert [p.user for p in sim.adapter.ops("approve")] == ["r1"]
    lines = sim.adapter.sent_texts("console:group:log")
    assert any("✅ 通过 申请人 的入群申请：entry questionnaire answered" in t for t in lines)


async def test_a_deletion_line_shows_the_text_only_where_the_group_stores_text(make_sim: SimFactory) -> None:
    for store, shown in ((False, False), (True, True)):
        rules = (
            '[defaults]\nlog_chat = "console:group:log"\n[defaults.locks]\nlocked = ["links"]\n'
            f"[defaults.privacy]\nstore_message_text = {str(store).lower()}\n"
        )
        sim = await make_sim(rules, features=[Tracking(), Locks()])
        sim.add_user("m1", "小明")
        await sim.say("m1", "看这里 https://spam.example/x", urls=("https://spam.example/x",))
        [line] = sim.adapter.sent_texts("console:group:log")
        assert "🗑 删除消息：locked: links" in line
        assert ("原文：「看这里 https://spam.example/x」" in line) is shown
