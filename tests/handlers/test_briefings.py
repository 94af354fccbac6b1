"""Briefings on the fake clock: the 09:00 daily (yesterday's numbers, stuck newcomers, alerts) and the
Friday 16:00 weekly, sent to the admins; nothing when the feature is off."""

from __future__ import annotations

from bot.tools.simulator import Simulator
from rules.alerts import below_goal, spike
from tests.support import SimFactory, log_rows

RULES = """
[defaults]
timezone = "Asia/Shanghai"
[defaults.topics]
enabled = false
[defaults.checkin]
remind_at = ""
[defaults.briefings]
enabled = {enabled}
daily = "09:00"
weekly = "fri 16:00"
[defaults.stats.goals]
speak_rate = 0.20
"""


async def _sim(make_sim: SimFactory, enabled: str = "true") -> Simulator:
    sim = await make_sim(RULES.format(enabled=enabled))  # Monday 2 March 08:00 Shanghai, every feature
    sim.add_user("boss", "上海-运营-阿May", admin=True)
    for uid, name in (("a", "上海-产品-小王"), ("b", "北京-运营-小李"), ("c", "杭州-设计-小陈")):
        sim.add_user(uid, name)
    for uid in ("d", "e"):
        sim.add_user(uid, f"深圳-测试-{uid}")
    for uid in ("boss", "a", "b", "c", "d", "e"):
        await sim.join(uid)
    return sim


def briefings(sim: Simulator) -> list[str]:
    return [p.text for p in sim.adapter.ops("admins") if "简报" in p.text or "本周回顾" in p.text]


async def test_daily_briefing_at_nine_about_yesterday(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    await sim.say("a", "大家早上好")
    await sim.say("b", "早")
    await sim.app.writer.flush()
    await sim.advance("1d 30m")  # Tuesday 08:30: not yet
    assert briefings(sim) == []
    await sim.advance("30m")  # Tuesday 09:00
    (text,) = briefings(sim)
    assert text.startswith("📋「测试群」昨日简报（2026-03-02）")
    assert "成员 6 人：进群 6，退群 0" in text
    assert "日发言率 33%（2 人发言，目标 ≥ 20%）✅" in text
    assert "举报 0 条，移出 0 人" in text
    assert "⚠️" not in text
    (skipped,) = await log_rows(sim, ["briefings.skipped"])  # Monday 09:00, about the Sunday before the bot
    assert skipped.detail["day"] == "2026-03-01"
    (row,) = await log_rows(sim, ["briefings.daily"])
    assert row.detail["speak_rate"] == 2 / 6 and row.detail["alerts"] == []


async def test_alerts_for_three_quiet_days_and_a_leave_spike(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    await sim.say("a", "大家早上好")
    await sim.say("b", "早")
    await sim.app.writer.flush()  # the day's messages are in the log before Tuesday's roll-up reads it
    await sim.advance("2d 2h")  # Wednesday 10:00: Tuesday and Wednesday stay quiet
    await sim.advance("1d")  # Thursday 10:00
    for uid in ("c", "d", "e"):
        await sim.leave(uid)
    await sim.app.writer.flush()
    await sim.advance("23h")  # Friday 09:00, about Thursday
    daily = briefings(sim)
    assert len(daily) == 4  # Tuesday … Friday
    assert all("⚠️" not in text for text in daily[:3])  # two quiet days are not yet an alert
    friday = daily[-1]
    assert "成员 3 人：进群 0，退群 3" in friday and "日发言率 0%（0 人发言，目标 ≥ 20%）❗低于目标" in friday
    assert "· 日发言率连续 3 天低于 20%（0%、0%、0%）" in friday
    assert "· 退群激增：昨日 3 人退群（近 28 天日均 0.0）" in friday
    assert "举报激增" not in friday
    alerts = await log_rows(sim, ["briefings.alert"])
    assert sorted(row.detail["name"] for row in alerts) == ["leaves_spike", "speak_rate"]


async def test_weekly_briefing_on_friday_afternoon(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    for _ in range(3):
        await sim.say("a", "分享一个工具")
    await sim.say("b", "谢谢")
    await sim.app.writer.flush()
    await sim.advance("4d 8h")  # Friday 16:00
    (weekly,) = [t for t in briefings(sim) if "本周回顾" in t]
    assert "本周回顾（" in weekly and "周参与率 33%（目标 ≥ 50%）❗低于目标" in weekly
    assert "本周最活跃：上海-产品-小王（3）、北京-运营-小李（1）" in weekly
    assert "新人漏斗：入群" in weekly and "👀 值得关注：" in weekly
    assert "· 周参与率低于目标：本周只有 2 人发过言" in weekly
    assert "· 群最活跃的时段：08:00–09:00" in weekly
    assert len(await log_rows(sim, ["briefings.weekly"])) == 1
    await sim.advance("7d")  # one more Friday: one more weekly, never twice for the same run
    assert len(await log_rows(sim, ["briefings.weekly"])) == 2


async def test_off_by_default_and_when_disabled(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim, enabled="false")
    await sim.say("a", "早")
    await sim.advance("7d")
    assert briefings(sim) == []
    assert await log_rows(sim, ["briefings.daily", "briefings.weekly"]) == []


def test_alert_rules() -> None:
    assert below_goal("r", [0.3, 0.1, 0.1, 0.1], 0.2, 3).hit
    assert not below_goal("r", [0.1, 0.2, 0.1, 0.1], 0.2, 3).hit  # 20 % is the goal, not under it
    assert not below_goal("r", [None, 0.1, 0.1], 0.2, 3).hit  # a day without members is no evidence
    assert not below_goal("r", [0.1, 0.1], 0.2, 3).hit
    assert spike("s", 3, [0, 0, 1], 3.0, 3).hit
    assert not spike("s", 2, [0, 0, 0], 3.0, 3).hit  # under the minimum
    assert not spike("s", 5, [2, 2, 2], 3.0, 3).hit  # under 3× the average
    assert spike("s", 6, [2, 2, 2], 3.0, 3).hit
