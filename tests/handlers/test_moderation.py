"""Strikes, admin commands, reports and flood control, end to end on the console platform."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.tools.simulator import Simulator
from handlers.contract.capabilities import Capabilities
from handlers.feature import Feature
from handlers.moderation.flood import Flood, _Entry, _Window
from handlers.moderation.handler import Moderation
from handlers.tracking import Tracking
from tests.support import SimFactory, log_rows


def features() -> list[Feature]:
    return [Tracking(), Flood(), Moderation()]  # names are checked in test_nickname.py


async def group(make_sim: SimFactory, rules: str = "", caps: Capabilities | None = None) -> Simulator:
    sim = await make_sim(rules, caps=caps, features=features())
    sim.add_user("adm", "上海-运营-阿May", "amay", admin=True)
    sim.add_user("lee", "北京-金融-老李", "laoli")
    for uid in ("m1", "m2", "m3"):
        sim.add_user(uid, f"上海-互联网-成员{uid}", uid)
    for uid in ("adm", "lee", "m1", "m2", "m3"):
        await sim.join(uid)
    return sim


async def warn(sim: Simulator, target: str, text: str = "/warn", n: int = 1) -> None:
    for _ in range(n):
        label = f"msg{len(sim.messages)}"
        await sim.say(target, f"这条消息违规了（{label}）", label=label)
        await sim.say("adm", text, reply_to=label)


async def strike_rows(sim: Simulator, uid: str) -> list[dict[str, object]]:
    return [dict(r.detail) for r in await log_rows(sim, ["strike"]) if r.user_id == uid]


async def test_ladder_warn_warn_remove_with_the_public_reason(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await warn(sim, "lee", "/warn 广告 发二维码", n=2)
    await warn(sim, "lee", "/warn 刷屏")
    notices = sim.adapter.sent_texts()
    assert notices == [
        "⚠️ @laoli 违规：发布广告（管理员 上海-运营-阿May：发二维码）。这是第 1 次警告，3 次将被移出群聊。",
        "⚠️ @laoli 违规：发布广告（管理员 上海-运营-阿May：发二维码）。这是第 2 次警告，3 次将被移出群聊。",
        "🚫 北京-金融-老李 已被移出群聊。原因：刷屏（管理员 上海-运营-阿May 警告）（30 天内第 3 次违规）。",
    ]
    assert [p.user for p in sim.adapter.ops("remove")] == ["lee"]
    assert [(s["category"], s["count"], s["step"]) for s in await strike_rows(sim, "lee")] == [
        ("ad", 1, "warn"),
        ("ad", 2, "warn"),
        ("flood", 3, "remove"),
    ]
    audit = await log_rows(sim, ["admin.warn"])
    assert [(r.detail["actor"], r.detail["target"], r.reason) for r in audit] == [
        ("adm", "lee", "发二维码"),
        ("adm", "lee", "发二维码"),
        ("adm", "lee", "刷屏"),
    ]


async def test_strikes_expire_after_the_window(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await warn(sim, "lee", n=2)
    await sim.advance(timedelta(days=31))
    await warn(sim, "lee")
    assert "这是第 1 次警告" in sim.adapter.sent_texts()[-1]
    assert sim.adapter.ops("remove") == []


async def test_a_shorter_window_and_a_mute_step(make_sim: SimFactory) -> None:
    rules = '[defaults.moderation]\nwindow_days = 7\nladder = ["warn", "mute 1h", "ban"]\n'
    sim = await group(make_sim, rules)
    await warn(sim, "lee", n=2)
    assert "禁言 1 小时（第 2 次违规，3 次将被移出群聊）" in sim.adapter.sent_texts()[-1]
    (mute,) = sim.adapter.ops("mute")
    assert mute.user == "lee" and mute.text == (sim.clock.now() + timedelta(hours=1)).isoformat()
    await sim.advance(timedelta(days=8))
    await warn(sim, "lee")
    assert "这是第 1 次警告" in sim.adapter.sent_texts()[-1]


async def test_remove_at_once_category(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await warn(sim, "lee", "/warn 色情")
    assert sim.adapter.sent_texts() == [
        "🚫 北京-金融-老李 已被立即移出群聊。"
        "原因：色情内容（管理员 上海-运营-阿May 警告）（本群对此类内容零容忍）。"
    ]
    assert [p.user for p in sim.adapter.ops("remove")] == ["lee"]


async def test_a_member_cannot_use_admin_commands(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await sim.say("lee", "你才违规", label="x")
    for command in ("/warn", "/ban", "/mute 1h", "/pardon @laoli", "/strikes @laoli", "/unwarn"):
        await sim.say("m1", command, reply_to="x")
    texts = sim.adapter.sent_texts()
    assert len(texts) == 6 and all(t.startswith("抱歉，/") and "仅限管理员使用" in t for t in texts)
    refused = await log_rows(sim, ["admin_refused"])
    assert [r.detail["command"] for r in refused] == ["warn", "ban", "mute", "pardon", "strikes", "unwarn"]
    assert all(r.user_id == "m1" for r in refused)
    assert await strike_rows(sim, "lee") == [] and sim.adapter.ops("ban") == []


async def test_admins_are_never_punished(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    for i in range(15):  # far beyond the flood limit
        await sim.say("adm", "今晚 8 点分享会，欢迎大家来听", label=f"a{i}")
    assert sim.adapter.ops("delete") == []
    await sim.say("adm", "/warn", reply_to="a0")
    await sim.say("adm", "/ban", reply_to="a1")
    assert sim.adapter.sent_texts() == [
        "上海-运营-阿May 是管理员，不能对管理员执行 /warn。",
        "上海-运营-阿May 是管理员，不能对管理员执行 /ban。",
    ]
    for uid in ("m1", "m2", "m3"):
        await sim.say(uid, "/report", reply_to="a2")
    assert len(sim.adapter.ops("admins")) == 3  # reported to the admins, never struck
    assert await strike_rows(sim, "adm") == [] and sim.adapter.ops("ban") == []


async def test_bots_are_banned_not_warned_and_the_bot_never_punishes_itself(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    sim.adapter.bot_user_id = "qunbot"
    sim.add_user("qunbot", "qunbot", "qunbot_bot", bot=True)
    sim.add_user("spambot", "福利机器人", "fuli_bot", bot=True)
    await sim.say("qunbot", "欢迎新朋友", label="own")
    await sim.say("spambot", "每日福利", label="spam")
    await sim.say("adm", "/warn", reply_to="own")
    await sim.say("adm", "/ban", reply_to="own")
    await sim.say("adm", "/warn", reply_to="spam")
    await sim.say("adm", "/mute 1h", reply_to="spam")
    assert sim.adapter.sent_texts() == [
        "我不能对自己执行 /warn。",
        "我不能对自己执行 /ban。",
        "福利机器人 是机器人，不会看警告或禁言；要移出它请用 /ban。",
        "福利机器人 是机器人，不会看警告或禁言；要移出它请用 /ban。",
    ]
    assert await strike_rows(sim, "spambot") == [] and sim.adapter.ops("mute") == []
    refused = await log_rows(sim, ["admin.warn_refused", "admin.ban_refused", "admin.mute_refused"])
    assert [r.reason for r in refused] == [
        "the target is this bot",
        "the target is this bot",
        "the target is a bot",
        "the target is a bot",
    ]
    await sim.say("adm", "/ban 广告机器人", reply_to="spam")
    assert [p.user for p in sim.adapter.ops("ban")] == ["spambot"]


async def test_pardon_clears_strikes_and_lets_a_removed_member_back(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await warn(sim, "lee", n=3)
    assert [p.user for p in sim.adapter.ops("remove")] == ["lee"]
    await sim.say("adm", "/pardon @laoli 误判")
    assert sim.adapter.sent_texts()[-1] == (
        "✅ 管理员 上海-运营-阿May 已赦免 北京-金融-老李：清除 3 条违规记录，并解除移出/封禁，可以重新入群。"
    )
    assert [p.user for p in sim.adapter.ops("unban")] == ["lee"]
    (row,) = await log_rows(sim, ["admin.pardon"])
    assert row.user_id == "lee" and row.detail["actor"] == "adm" and row.reason == "误判"
    assert row.detail["strikes_cleared"] == 3 and row.detail["lifted"] == ["remove"]
    await sim.join("lee")
    await warn(sim, "lee")
    assert "这是第 1 次警告" in sim.adapter.sent_texts()[-1]


async def test_unwarn_and_the_strike_list(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await warn(sim, "lee", "/warn 人身攻击 骂人")
    await sim.advance("1h")
    await warn(sim, "lee", "/warn 跑题")
    await sim.say("adm", "/strikes @laoli")
    assert sim.adapter.sent_texts()[-1] == (
        "北京-金融-老李 近 30 天的有效违规：2 次（3 次移出）\n"
        "1. 3月2日 08:00 人身攻击（管理员 上海-运营-阿May：骂人）（4月1日 08:00 到期）\n"
        "2. 3月2日 09:00 发布与本群无关的内容（管理员 上海-运营-阿May 警告）（4月1日 09:00 到期）"
    )
    await sim.say("lee", "我改", label="later")
    await sim.say("adm", "/unwarn", reply_to="later")
    assert sim.adapter.sent_texts()[-1] == (
        "已撤销 北京-金融-老李 最近一次违规（发布与本群无关的内容（管理员 上海-运营-阿May 警告）），"
        "当前有效违规 1 次。"
    )
    await sim.say("adm", "/strikes @nobody")
    assert sim.adapter.sent_texts()[-1] == "找不到成员 @nobody。"
    await sim.say("adm", "/strikes")
    assert sim.adapter.sent_texts()[-1] == "请回复该成员的消息发送 /strikes，或写成 /strikes @用户名。"
    assert [r.kind for r in await log_rows(sim, ["admin.strikes", "admin.unwarn"])] == [
        "admin.strikes",
        "admin.unwarn",
    ]


async def test_mute_and_ban_commands(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await sim.say("lee", "刷刷刷", label="x")
    await sim.say("adm", "/mute 1h 刷屏", reply_to="x")
    assert sim.adapter.sent_texts()[-1] == "🔇 @laoli 被管理员禁言 1 小时。原因：刷屏"
    assert sim.adapter.ops("mute")[0].text == (sim.clock.now() + timedelta(hours=1)).isoformat()
    await sim.say("adm", "/mute 99x", reply_to="x")
    assert sim.adapter.sent_texts()[-1] == "时长格式不对，请写成 10m、1h 或 1d（最长 30d）。"
    await sim.say("adm", "/mute 60d", reply_to="x")
    assert sim.adapter.sent_texts()[-1].startswith("时长格式不对")
    await sim.say("adm", "/ban 发色情图片", reply_to="x")
    assert (
        sim.adapter.sent_texts()[-1] == "🚫 北京-金融-老李 已被管理员移出群聊且不能再加入。原因：发色情图片"
    )
    assert [p.user for p in sim.adapter.ops("ban")] == ["lee"]
    audit = await log_rows(sim, ["admin.mute", "admin.ban"])
    assert [(r.kind, r.reason, r.detail["actor"]) for r in audit] == [
        ("admin.mute", "刷屏", "adm"),
        ("admin.ban", "发色情图片", "adm"),
    ]
    await sim.say("adm", "/pardon @laoli")
    assert "并解除移出/封禁，可以重新入群，并解除禁言" in sim.adapter.sent_texts()[-1]
    assert [p.op for p in sim.adapter.posted[-2:]] == ["unban", "unmute"]


async def test_report_tells_the_admins_and_strikes_at_the_threshold(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await sim.say("lee", "加我领资料", label="bad")
    await sim.say("m1", "/report 打广告", reply_to="bad")
    (admins,) = sim.adapter.ops("admins")
    bad_id = sim.messages["bad"].id
    assert admins.text == (
        f"📣 上海-互联网-成员m1 举报了 北京-金融-老李 的消息（ID {bad_id}，群 测试群），"
        "理由：打广告，已有 1 人举报。"
    )
    assert sim.adapter.sent_texts()[-1] == "已收到举报，管理员会尽快处理，谢谢 上海-互联网-成员m1！"
    await sim.say("m1", "/report", reply_to="bad")
    assert sim.adapter.sent_texts()[-1] == "你已经举报过这条消息了，谢谢。"
    await sim.say("lee", "/report", reply_to="bad")
    assert sim.adapter.sent_texts()[-1] == "不能举报自己的消息哦。"
    await sim.say("m2", "/report", reply_to="bad")
    assert await strike_rows(sim, "lee") == []
    await sim.say("m3", "/report", reply_to="bad")
    assert [p.message_id for p in sim.adapter.ops("delete")] == [bad_id]
    assert sim.adapter.sent_texts()[-1] == "⚠️ @laoli 违规：多名成员举报。这是第 1 次警告，3 次将被移出群聊。"
    reported = await log_rows(sim, ["reported"])
    assert [(r.user_id, r.detail["reporter"], r.detail["reporters"]) for r in reported] == [
        ("lee", "m1", 1),
        ("lee", "m2", 2),
        ("lee", "m3", 3),
    ]
    await sim.say("m1", "/report")
    assert sim.adapter.sent_texts()[-1] == "请回复要处理的那条消息，再发送 /report。"


async def test_flood_too_many_messages_is_one_strike_per_burst(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    for i in range(12):
        await sim.say("lee", f"第{i}条消息内容不一样")
        await sim.advance("1s")
    deleted = [p.message_id for p in sim.adapter.ops("delete")]
    assert len(deleted) == 12 - 8 + 8 and len(set(deleted)) == 12  # the burst and what followed it
    assert sim.adapter.sent_texts() == ["⚠️ @laoli 违规：刷屏。这是第 1 次警告，3 次将被移出群聊。"]
    rows = await log_rows(sim, ["flood_detected"])
    assert rows[0].reason == "10 秒内发了 9 条消息" and len(rows) == 4
    await sim.advance("10m")
    await sim.say("lee", "正常说话")
    assert len(sim.adapter.ops("delete")) == 12


async def test_flood_the_same_message_again_and_again(make_sim: SimFactory) -> None:
    rules = "[defaults.moderation.flood]\ncooldown_s = 0\n"
    sim = await group(make_sim, rules)
    for _ in range(5):
        await sim.say("m1", "收到")  # short replies never count as repeats
        await sim.advance("1m")
    for _ in range(3):
        await sim.say("lee", "大家好，欢迎关注我的店铺")
        await sim.advance("1m")
    assert len(sim.adapter.ops("delete")) == 3
    assert sim.adapter.sent_texts() == ["⚠️ @laoli 违规：刷屏。这是第 1 次警告，3 次将被移出群聊。"]
    (row,) = await log_rows(sim, ["flood_detected"])
    assert row.reason == "相同内容重复发送 3 次" and row.detail["kind"] == "repeat"


async def test_repeats_spread_beyond_the_window_are_not_a_flood(make_sim: SimFactory) -> None:
    rules = "[defaults.moderation.flood]\nrepeat_seconds = 600\ncooldown_s = 0\n"
    sim = await group(make_sim, rules)
    for _ in range(6):  # the same text every 6 minutes: never 3 within 10 minutes
        await sim.say("lee", "大家好，欢迎关注我的店铺")
        await sim.say("lee", "另外一句不同的话也说一下")
        await sim.advance("6m")
    assert sim.adapter.ops("delete") == [] and await log_rows(sim, ["flood_detected"]) == []
    for _ in range(2):  # twice within a minute: with the one 6 minutes before, three in the window
        await sim.say("lee", "大家好，欢迎关注我的店铺")
        await sim.advance("1m")
    (row,) = await log_rows(sim, ["flood_detected"])
    assert row.reason == "相同内容重复发送 3 次"


async def test_notices_can_quote_and_auto_delete(make_sim: SimFactory) -> None:
    rules = "[defaults.moderation]\nquote_content = true\nnotice_delete_after_min = 5\n"
    sim = await group(make_sim, rules)
    for _ in range(3):
        await sim.say("lee", "大家好，欢迎关注我的店铺")
    (handled,) = [h for h in sim.history if h.stopped_by == "flood"]
    (notice,) = [a for a in handled.actions if getattr(a, "purpose", "") == "moderation"]
    assert getattr(notice, "delete_after_s", None) == 300
    assert sim.adapter.sent_texts() == [
        "⚠️ @laoli 违规：刷屏（相同内容重复发送 3 次）。这是第 1 次警告，3 次将被移出群聊。"
    ]


async def test_observe_mode_reports_instead_of_acting(make_sim: SimFactory) -> None:
    sim = await group(make_sim, '[defaults]\nmode = "observe"\n')
    await warn(sim, "lee", n=3)
    assert sim.adapter.sent_texts() == []  # no public notice
    assert sim.adapter.ops("remove") == []
    reports = sim.adapter.ops("admins")
    assert len(reports) == 3 and all(r.text.startswith("【观察模式】") for r in reports)
    assert "remove: 违反群规（管理员 上海-运营-阿May 警告）（30 天内第 3 次违规）" in reports[-1].text
    outcomes = await log_rows(sim, ["action.remove"])
    assert [r.detail["outcome"] for r in outcomes] == ["observed"]
    assert [s["observed"] for s in await strike_rows(sim, "lee")] == [True, True, True]


async def test_removal_is_escalated_where_the_platform_cannot_remove(make_sim: SimFactory) -> None:
    caps = Capabilities(can_delete=True, can_remove=False, can_ban=False, can_mute=False)
    sim = await group(make_sim, caps=caps)
    await warn(sim, "lee", n=3)
    said = sim.adapter.sent_texts()[-1]  # the group is told what happened: asked, not removed
    assert "已通知群主处理" in said and "已被移出" not in said and "30 天内第 3 次违规" in said
    (escalation,) = sim.adapter.ops("admins")
    assert escalation.text == (
        "机器人无法移出 北京-金融-老李，请群主/管理员处理。"
        "原因：违反群规（管理员 上海-运营-阿May 警告）（30 天内第 3 次违规）"
    )
    (row,) = await log_rows(sim, ["action.remove"])
    assert row.detail["outcome"] == "escalated" and row.user_id == "lee"


async def test_a_redelivered_command_does_not_strike_twice(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await warn(sim, "lee")
    again = await sim.redeliver()
    assert again.duplicate
    assert len(await strike_rows(sim, "lee")) == 1
    assert len(sim.adapter.sent_texts()) == 1


def test_a_late_delivery_takes_its_place_in_the_flood_window() -> None:
    """Deliveries may arrive out of order (a retry, a second instance): the window stays in time order, so
    a burst is counted whole whichever message came last."""
    t0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    window = _Window()
    for second in (0, 1, 3, 4, 2):  # the message of second 2 arrives last
        window.add(_Entry(t0 + timedelta(seconds=second), str(second), None), t0 - timedelta(minutes=10))
    assert [e.message_id for e in window.entries] == ["0", "1", "2", "3", "4"]
    assert len(window.since(t0 + timedelta(seconds=1))) == 4


async def test_a_removal_the_bot_can_do_is_announced_as_done(make_sim: SimFactory) -> None:
    sim = await group(make_sim, caps=Capabilities(can_delete=True, can_remove=True, can_ban=True))
    await warn(sim, "lee", n=3)
    said = sim.adapter.sent_texts()[-1]
    assert "已被移出群聊" in said and "已通知群主" not in said
    assert [r.detail["outcome"] for r in await log_rows(sim, ["action.remove", "action.ban"])] == ["done"]
