"""Check-ins end to end on the console platform: once per local day, streaks, rewards, reminders."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bot.tools.simulator import Simulator
from storage.models.rhythm import Badge, Checkin
from storage.repos.points import PointsRepo
from tests.handlers.rhythm_support import rhythm_features
from tests.support import SimFactory, log_rows

RULES = """
[defaults]
timezone = "{tz}"
[defaults.topics]
enabled = false
[defaults.honours]
enabled = false
[defaults.checkin]
points = 5
remind_at = "21:00"
rewards = [{{ streak = 3, points = 20 }}, {{ streak = 5, points = 50, badge = "5天挑战" }}]
"""


def rules(tz: str = "Asia/Shanghai") -> str:
    return RULES.format(tz=tz)


async def _sim(make_sim: SimFactory, tz: str = "Asia/Shanghai", **kw: object) -> Simulator:
    sim = await make_sim(rules(tz), features=rhythm_features(), **kw)
    sim.add_user("a", "上海-产品-小王", username="xw")
    sim.add_user("b", "北京-运营-小李")
    sim.add_user("c", "杭州-设计-小陈")
    for uid in ("a", "b", "c"):
        await sim.join(uid)
    return sim


async def checkins(sim: Simulator, user: str) -> int:
    async with sim.app.db.session() as session:
        stmt = select(func.count()).select_from(Checkin).where(Checkin.user_id == user)
        return int((await session.execute(stmt)).scalar_one())


async def test_keyword_and_command_check_in_once_a_day_with_rank(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    await sim.say("a", "打卡")
    await sim.say("b", " 签到 ")
    await sim.say("b", "/checkin")  # refused by the unique key
    await sim.say("b", "打卡")  # answered from what the database confirmed, the same way
    await sim.say("c", "今天也要打卡呀")  # not exactly the keyword: an ordinary message
    texts = sim.adapter.sent_texts()
    assert texts[0] == "✅ @xw 打卡成功！今天第 1 位，已连续打卡 1 天（最长 1 天），+5 积分，当前 5 分"
    assert texts[1].startswith("✅ 北京-运营-小李 打卡成功！今天第 2 位")
    assert texts[2] == texts[3] == "北京-运营-小李 今天已经打过卡啦（第 2 位），已连续 1 天，明天再来～"
    assert len(texts) == 4
    assert await checkins(sim, "b") == 1 and await checkins(sim, "c") == 0
    async with sim.app.db.session() as session:
        assert await PointsRepo(session).balance(sim.chat.key, "b") == 5
    rows = await log_rows(sim, ["checkin"])
    assert [(r.user_id, r.detail["rank"]) for r in rows] == [("a", 1), ("b", 2)]


async def test_local_midnight_splits_days_in_the_groups_time_zone(make_sim: SimFactory) -> None:
    """23:59 and 00:01 in Asia/Shanghai are two days; the same UTC instants in New York are one."""
    before_midnight = datetime(2026, 3, 2, 15, 59, tzinfo=UTC)  # 23:59 Shanghai, 10:59 New York
    shanghai = await _sim(make_sim, start=before_midnight)
    await shanghai.say("a", "打卡")
    await shanghai.advance("2m")
    await shanghai.say("a", "打卡")
    assert await checkins(shanghai, "a") == 2
    assert "已连续打卡 2 天" in shanghai.adapter.sent_texts()[-1]

    new_york = await _sim(make_sim, tz="America/New_York", start=before_midnight)
    await new_york.say("a", "打卡")
    await new_york.advance("2m")
    await new_york.say("a", "打卡")
    assert await checkins(new_york, "a") == 1
    assert "今天已经打过卡啦" in new_york.adapter.sent_texts()[-1]


async def test_redelivery_and_a_second_instance_do_not_double_count(
    make_sim: SimFactory, tmp_path: Path
) -> None:
    url = str(tmp_path / "shared.db")
    first = await _sim(make_sim, db_url=url)
    await first.say("a", "打卡")
    assert (await first.redeliver()).duplicate
    other = await make_sim(rules(), db_url=url, features=rhythm_features())  # a second instance
    other._seq = itertools.count(1000)  # its own delivery ids
    other.add_user("a", "上海-产品-小王", username="xw")
    await other.say("a", "/checkin")
    assert await checkins(first, "a") == 1
    assert "今天已经打过卡啦" in other.adapter.sent_texts()[-1]
    async with first.app.db.session() as session:
        assert await PointsRepo(session).balance(first.chat.key, "a") == 5


async def test_streak_rewards_points_and_a_badge_once(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    for day in range(1, 6):
        await sim.say("a", "打卡")
        last = sim.adapter.sent_texts()[-1]
        if day == 3:
            assert "🎉 连续打卡 3 天达成！奖励 20 积分" in last
        if day == 5:
            assert "🎉 连续打卡 5 天达成！奖励 50 积分" in last and "🏅 获得徽章「5天挑战」" in last
        if day not in (3, 5):
            assert "🎉" not in last
        await sim.advance("1d")
    async with sim.app.db.session() as session:
        assert await PointsRepo(session).balance(sim.chat.key, "a") == 5 * 5 + 20 + 50
    # the streak breaks, a new run reaches 5 again: points again, the badge stays one
    await sim.advance("1d")
    for _ in range(5):
        await sim.say("a", "打卡")
        await sim.advance("1d")
    async with sim.app.db.session() as session:
        badges = (await session.scalars(select(Badge.name).where(Badge.user_id == "a"))).all()
        assert list(badges) == ["5天挑战"]
        assert await PointsRepo(session).balance(sim.chat.key, "a") == 2 * (5 * 5 + 20 + 50)
    rewards = await log_rows(sim, ["streak_reward"])
    assert [r.detail["streak"] for r in rewards] == [3, 5, 3, 5]
    await sim.say("a", "/me")
    assert "最长 5 天" in sim.adapter.sent_texts()[-1] and "5天挑战" in sim.adapter.sent_texts()[-1]


async def test_evening_reminder_for_streaks_about_to_break_with_opt_out(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)  # Monday 08:00
    for uid in ("a", "b", "c"):
        await sim.say(uid, "打卡")
    await sim.say("b", "/remind off")
    assert "不再发打卡提醒" in sim.adapter.sent_texts()[-1]
    await sim.advance("13h")  # Monday 21:00: everyone checked in today, nobody to remind
    assert not [t for t in sim.adapter.sent_texts() if t.startswith("⏰")]
    await sim.advance("12h")  # Tuesday 09:00
    await sim.say("c", "打卡")
    await sim.advance("12h")  # Tuesday 21:00: a checked in yesterday, not today; b opted out; c did
    reminders = [t for t in sim.adapter.sent_texts() if t.startswith("⏰")]
    assert reminders == [
        "⏰ 打卡提醒：@xw（已连续 1 天） 今天还没打卡哦，发送「打卡」保持连续记录 🔥\n"
        "（不想收到提醒可发送 /remind off）"
    ]
    await sim.advance("1d")  # Wednesday 21:00: a's streak already broke, c is at risk now
    reminders = [t for t in sim.adapter.sent_texts() if t.startswith("⏰")]
    assert (
        len(reminders) == 2 and "杭州-设计-小陈（已连续 2 天）" in reminders[1] and "@xw" not in reminders[1]
    )
    await sim.say("b", "/remind on")
    await sim.say("b", "/remind")
    assert (
        sim.adapter.sent_texts()[-1] == "北京-运营-小李 的打卡提醒：已开启。用法：/remind on 或 /remind off"
    )
    rows = await log_rows(sim, ["checkin_reminded"])  # one row per member: erasable on request
    assert [(r.user_id, r.detail["day"], r.detail["streak"]) for r in rows] == [
        ("a", "2026-03-03", 1),
        ("c", "2026-03-04", 2),
    ]


async def test_bots_and_private_chats_do_not_check_in(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    sim.add_user("bot", "某机器人", bot=True)
    await sim.say("bot", "打卡")
    await sim.say("a", "打卡", private=True)
    assert sim.adapter.sent_texts() == ["请在群里打卡哦"]
    assert await checkins(sim, "bot") == 0 and await checkins(sim, "a") == 0
