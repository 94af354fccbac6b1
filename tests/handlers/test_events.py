"""Events end to end on the console platform with the fake clock: announcement, sign-ups, questions,
countdowns, the reminder to those who signed up, and the recap."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, func, select

from bot.tools.simulator import Simulator
from handlers.contract.capabilities import EVERYTHING, Capabilities
from handlers.events.handler import Events
from handlers.tracking import Tracking
from storage.models.events import EventRsvp, GroupEvent
from tests.support import START, SimFactory, log_rows

RULES = """
[defaults.topics]
enabled = false
[defaults.honours]
enabled = false
[defaults.events]
duration_minutes = 90
ask_days = 3
countdown_hours = [24, 1]
remind_minutes = 30
check = "every 5m"
"""

# START is Monday 2026-03-02 08:00 in Shanghai; the event is that Friday 20:00.
EVENT = "/event 2026-03-06 20:00 | 用 AI 写周报 | 直播"
FRIDAY_8PM = START + timedelta(days=4, hours=12)


async def _sim(make_sim: SimFactory, rules: str = RULES, caps: Capabilities = EVERYTHING) -> Simulator:
    sim = await make_sim(rules, caps=caps, features=[Tracking(), Events()])
    sim.add_user("admin", "运营-阿May", admin=True)
    sim.add_user("a", "上海-产品-小王", username="xw")
    sim.add_user("b", "北京-运营-小李")
    for uid in ("admin", "a", "b"):
        await sim.join(uid)
    return sim


def starting_with(sim: Simulator, prefix: str) -> list[str]:
    return [t for t in sim.adapter.sent_texts() if t.startswith(prefix)]


async def test_an_event_runs_from_announcement_to_recap(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    await sim.say("a", EVENT)
    assert sim.adapter.sent_texts()[-1] == "只有管理员可以发布活动。"
    await sim.say("admin", "/event 2026-03-01 20:00 | 已经过了")
    assert sim.adapter.sent_texts()[-1] == "活动时间已经过了。"
    await sim.say("admin", "/event 明天晚上 | 标题")
    assert sim.adapter.sent_texts()[-1].startswith("时间格式")
    await sim.say("admin", "/event 2026-03-06 20:00 | 标题 | 茶话会")
    assert sim.adapter.sent_texts()[-1].startswith("类型只能是")

    await sim.say("admin", EVENT)
    announcement = sim.adapter.ops("send")[-1]
    assert announcement.text.startswith("📅 直播预告：用 AI 写周报\n时间：3月6日 20:00")
    assert [b.data for b in announcement.buttons] == ["/rsvp 1"]
    await sim.press("a", "/rsvp 1")
    await sim.press("a", "/rsvp 1")  # again: still one sign-up
    await sim.redeliver()
    await sim.say("b", "/rsvp 1")  # typed, as on a platform without buttons
    async with sim.app.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(EventRsvp)) == 2
    assert sim.adapter.sent_texts()[-1] == "北京-运营-小李 报名了「用 AI 写周报」（已报名 2 人）"

    await sim.say("a", "/ask 周报模板能分享吗？")  # Monday: more than 3 days before
    assert sim.adapter.sent_texts()[-1].startswith("现在没有在收集问题的活动")
    await sim.advance_to(FRIDAY_8PM - timedelta(days=3, minutes=-1))  # Tuesday 20:01
    await sim.say("a", "/ask 周报模板能分享吗？")
    await sim.say("b", "/ask 数据从哪里来")
    assert sim.adapter.sent_texts()[-1].startswith("已收到你给「用 AI 写周报」的问题（第 2 个）")
    assert not starting_with(sim, "⏰")

    await sim.advance_to(FRIDAY_8PM - timedelta(days=1, minutes=-6))  # Thursday 20:05
    assert starting_with(sim, "⏰") == ["⏰ 还有 1 天：直播「用 AI 写周报」3月6日 20:00 开始，已报名 2 人。"]
    await sim.advance_to(FRIDAY_8PM - timedelta(minutes=61))
    assert len(starting_with(sim, "⏰")) == 1  # nothing between the countdowns
    await sim.advance_to(FRIDAY_8PM - timedelta(minutes=31))
    assert starting_with(sim, "⏰")[-1].startswith("⏰ 还有 1 小时")
    assert not sim.adapter.ops("private")  # the reminder is 30 minutes before
    await sim.advance_to(FRIDAY_8PM - timedelta(minutes=1))
    reminders = sim.adapter.ops("private")
    assert sorted(p.user or "" for p in reminders) == ["a", "b"]
    assert reminders[0].text == "🔔 你报名的直播「用 AI 写周报」3月6日 20:00 开始，别错过！"

    await sim.advance(timedelta(minutes=2))
    await sim.press("admin", "/rsvp 1")  # it has begun
    await sim.advance(timedelta(minutes=80))  # 20:00 + 90 min not reached yet
    assert not starting_with(sim, "📝")
    await sim.advance(timedelta(minutes=15))
    assert starting_with(sim, "📝") == [
        "📝 直播回顾：用 AI 写周报\n报名 2 人。大家提前提的问题：\n1. 周报模板能分享吗？\n2. 数据从哪里来"
    ]
    await sim.advance(timedelta(days=2))
    assert len(starting_with(sim, "📝")) == 1 and len(starting_with(sim, "⏰")) == 2
    assert len(sim.adapter.ops("private")) == 2
    await sim.say("a", "/ask 还有回放吗")  # after the end: closed
    assert sim.adapter.sent_texts()[-1].startswith("现在没有在收集问题的活动")
    kinds = [row.kind for row in await log_rows(sim, ["event.rsvp", "event.rsvp_late", "event.recap"])]
    assert kinds == ["event.rsvp", "event.rsvp", "event.rsvp_late", "event.recap"]


async def test_toml_events_are_announced_once_and_a_late_check_posts_only_the_nearest_countdown(
    make_sim: SimFactory,
) -> None:
    rules = (
        RULES
        + """
[[defaults.events.items]]
at = "2026-03-02 08:40"
title = "早会分享"
kind = "分享"
duration_minutes = 30

[[defaults.events.items]]
at = "2026-01-10 20:00"
title = "去年的直播"
kind = "直播"
"""
    )
    sim = await _sim(make_sim, rules)
    await sim.advance(timedelta(minutes=6))
    announcements = starting_with(sim, "📅")
    assert announcements == [
        "📅 分享预告：早会分享\n时间：3月2日 08:40\n点「报名」参加；开始前 3 天起可以用 /ask 问题 提前提问。"
    ]
    # 08:05 is within the hour before 08:40: "1 hour" only, never "1 day" that late
    assert starting_with(sim, "⏰") == ["⏰ 还有 1 小时：分享「早会分享」3月2日 08:40 开始，已报名 0 人。"]
    await sim.advance(timedelta(hours=2))
    assert len(starting_with(sim, "📅")) == 1 and len(starting_with(sim, "⏰")) == 1
    assert starting_with(sim, "📝") == ["📝 分享回顾：早会分享\n报名 0 人。没有收到提前提问。"]
    async with sim.app.db.session() as session:
        titles = (await session.scalars(select(GroupEvent.title))).all()
    assert titles == ["早会分享"]  # an item already over is not created (no recap of last year)


async def test_without_private_chats_the_reminder_mentions_the_member_and_the_list_shows_events(
    make_sim: SimFactory,
) -> None:
    sim = await _sim(make_sim, caps=Capabilities(can_send=True, buttons=False))
    await sim.say("admin", "/events")
    assert sim.adapter.sent_texts()[-1] == "暂时没有安排活动。"
    await sim.say("admin", "/event 2026-03-02 12:00 | 午间答疑 | 线下")
    assert "发送 /rsvp 1" in sim.adapter.sent_texts()[-1]
    await sim.say("a", "/rsvp 1")
    await sim.say("b", "/events")
    assert (
        sim.adapter.sent_texts()[-1]
        == "📅 接下来的活动：\n1. 3月2日 12:00 线下活动「午间答疑」已报名 1 人（/rsvp 1）"
    )
    await sim.advance(timedelta(hours=3, minutes=40))
    assert any(t.startswith("@xw 🔔 你报名的线下活动「午间答疑」") for t in sim.adapter.sent_texts())
    assert not sim.adapter.ops("private")


async def test_checks_with_nothing_due_do_not_query_the_events(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    await sim.say("admin", EVENT)
    statements: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        if "group_events" in statement or "event_posts" in statement:
            statements.append(statement)

    event.listen(sim.app.db.engine.sync_engine, "before_cursor_execute", seen)
    try:
        # 72 checks in 6 hours; nothing is due before Thursday, so only the hourly re-check reads (2 queries)
        await sim.advance(timedelta(hours=6))
        assert 0 < len(statements) <= 2 * 6
        statements.clear()
        await sim.advance_to(FRIDAY_8PM - timedelta(days=1, minutes=-1))
        assert starting_with(sim, "⏰")  # the countdown still comes, at its time
        assert len(statements) <= 2 * 80 + 10  # hourly over these 78 hours, not every 5 minutes
    finally:
        event.remove(sim.app.db.engine.sync_engine, "before_cursor_execute", seen)
