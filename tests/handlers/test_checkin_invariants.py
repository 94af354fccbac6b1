"""What a faster check-in must keep (mutations of these survived the rest of the suite): the in-memory
"already checked in" answer resets with the local day, the evening reminder is sent once a day however
often its job fires, and a group without points gives none."""

from __future__ import annotations

from datetime import timedelta

from handlers.checkin.handler import REMIND_JOB
from handlers.contract.events import Event, EventKind
from storage.repos.points import PointsRepo
from tests.handlers.rhythm_support import rhythm_features
from tests.handlers.test_checkin import _sim, checkins, rules
from tests.support import SimFactory


async def test_twice_on_one_day_then_the_next_day_counts_the_second_day(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)  # Monday 08:00
    await sim.say("a", "打卡")
    await sim.say("a", "打卡")  # refused by the database, then remembered for the day
    await sim.say("a", "打卡")  # answered from memory
    await sim.advance("1d")
    await sim.say("a", "打卡")
    assert await checkins(sim, "a") == 2
    assert sim.adapter.sent_texts()[-1].startswith("✅ @xw 打卡成功！今天第 1 位，已连续打卡 2 天")


async def test_the_evening_reminder_job_firing_twice_sends_one_reminder(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)  # Monday 08:00
    await sim.say("a", "打卡")
    await sim.advance("1d13h")  # Tuesday 21:00: a's streak would break tonight
    assert len([t for t in sim.adapter.sent_texts() if t.startswith("⏰")]) == 1
    at = sim.clock.now()
    again = Event(EventKind.TICK, sim.chat, at, "tick:again", data=REMIND_JOB, scheduled_for=at)
    handled = await sim.app.dispatch(again)  # e.g. the schedule was edited and the job fired once more
    assert handled is not None and not handled.duplicate
    assert [r.kind for r in handled.records] == ["checkin_remind_skipped"]
    assert len([t for t in sim.adapter.sent_texts() if t.startswith("⏰")]) == 1


async def test_with_points_off_a_check_in_gives_no_points(make_sim: SimFactory) -> None:
    sim = await make_sim(rules() + "[defaults.points]\nenabled = false\n", features=rhythm_features())
    sim.add_user("a", "上海-产品-小王", username="xw")
    await sim.join("a")
    for _ in range(3):  # through the 3-day streak reward (20 points) too
        await sim.say("a", "打卡")
        await sim.advance(timedelta(days=1))
    assert await checkins(sim, "a") == 3
    async with sim.app.db.session() as session:
        assert await PointsRepo(session).balance(sim.chat.key, "a") == 0
    assert not [t for t in sim.adapter.sent_texts() if "积分" in t and "打卡成功" in t]
