"""Anniversaries end to end: grouped into one message a day, each milestone once, also after a restart;
and the pure date arithmetic behind them."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.tools.simulator import Simulator
from handlers.milestones.handler import Milestones
from handlers.tracking import Tracking
from rules.onboarding import anniversary, due_milestones, parse_milestone
from tests.support import START, SimFactory, log_rows

RULES = """
[defaults]
[defaults.milestones]
milestones = ["1m", "3m", "1y"]
post_at = "10:00"
points = 5
"""


def congratulations(sim: Simulator) -> list[str]:
    return [t for t in sim.adapter.sent_texts() if t.startswith("🎂")]


async def test_anniversaries_are_grouped_daily_and_sent_once(make_sim: SimFactory, tmp_path: Path) -> None:
    url = str(tmp_path / "m.db")
    sim = await make_sim(RULES, features=[Tracking(), Milestones()], db_url=url)
    for uid, name in (("o_a", "上海-互联网-阿安"), ("o_b", "上海-金融-贝贝"), ("o_c", "上海-教育-小C")):
        sim.add_user(uid, name)
    await sim.join("o_a")  # Mon 2 Mar 08:00
    await sim.join("o_b")
    await sim.advance("1d")
    await sim.join("o_c")  # Tue 3 Mar
    await sim.advance_to(START + timedelta(days=30, hours=3))  # 1 Apr 11:00: nobody is a month in yet
    assert congratulations(sim) == []
    await sim.advance("1d")  # 2 Apr 10:00: A and B, in one message
    assert congratulations(sim) == [
        "🎂 入群纪念日快乐！\n• @上海-互联网-阿安 入群满 1 个月（+5 积分）\n"
        "• @上海-金融-贝贝 入群满 1 个月（+5 积分）\n感谢一路同行 ❤️"
    ]
    await sim.advance("1d")  # 3 Apr: C
    assert congratulations(sim)[-1].count("•") == 1 and "小C 入群满 1 个月" in congratulations(sim)[-1]
    await sim.advance("3d")
    assert len(congratulations(sim)) == 2
    await sim.app.writer.flush()

    # a restart re-runs the day's job within its grace: nothing is sent twice
    again = await make_sim(RULES, features=[Tracking(), Milestones()], db_url=url, start=sim.clock.now())
    await again.app.scheduler.catch_up()
    await again.advance("1d")
    assert congratulations(again) == []

    await again.advance_to(START + timedelta(days=93, hours=3))  # 3 Jun 11:00: 3 months for all
    assert [t.count("3 个月") for t in congratulations(again)] == [2, 1]
    rows = await log_rows(again, ["milestone.congratulated"])
    assert sorted((r.user_id, r.detail["milestone"]) for r in rows) == [
        ("o_a", "1m"),
        ("o_a", "3m"),
        ("o_b", "1m"),
        ("o_b", "3m"),
        ("o_c", "1m"),
        ("o_c", "3m"),
    ]


async def test_a_member_who_left_is_not_congratulated(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, features=[Tracking(), Milestones()])
    sim.add_user("o_a", "阿安")
    sim.add_user("o_b", "贝贝")
    await sim.join("o_a")
    await sim.join("o_b")
    await sim.advance("3d")
    await sim.leave("o_b")
    await sim.advance("31d")
    [text] = congratulations(sim)
    assert "阿安" in text and "贝贝" not in text


async def test_an_english_group_gets_english_labels(make_sim: SimFactory) -> None:
    rules = '[defaults]\nlanguage = "en"\n[defaults.milestones]\nmilestones = ["100d"]\n'
    sim = await make_sim(rules, features=[Tracking(), Milestones()])
    sim.add_user("o_a", "Anna", username="anna")
    await sim.join("o_a")
    await sim.advance("101d")
    assert congratulations(sim) == [
        "🎂 Happy membership anniversary!\n• @anna: 100 days with us\nThank you for being here ❤️"
    ]


@pytest.mark.parametrize(
    ("joined", "spec", "expected"),
    [
        (date(2026, 1, 31), "1m", date(2026, 2, 28)),
        (date(2024, 2, 29), "1y", date(2025, 2, 28)),
        (date(2026, 11, 15), "3m", date(2027, 2, 15)),
        (date(2026, 3, 2), "100d", date(2026, 6, 10)),
        (date(2026, 3, 2), "2w", date(2026, 3, 16)),
    ],
)
def test_anniversary_dates(joined: date, spec: str, expected: date) -> None:
    assert anniversary(joined, parse_milestone(spec)) == expected


def test_due_milestones_catch_up_but_never_send_old_ones() -> None:
    ms = [parse_milestone(m) for m in ("1m", "3m", "1y")]
    joined = date(2025, 3, 1)
    # switched on a year and three days later: only the year is recent enough
    assert [m.key for m in due_milestones(joined, date(2026, 3, 4), ms, set(), 7)] == ["1y"]
    assert due_milestones(joined, date(2026, 3, 4), ms, {"1y"}, 7) == []
    assert due_milestones(joined, date(2026, 3, 9), ms, set(), 7) == []  # a week late: too late
    assert [m.key for m in due_milestones(joined, date(2025, 4, 1), ms, set(), 7)] == ["1m"]


@pytest.mark.parametrize("bad", ["", "1", "0m", "1x", "m1", "-1d"])
def test_bad_milestones_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match=r"expected e\.g\."):
        parse_milestone(bad)
