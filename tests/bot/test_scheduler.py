"""The scheduler on a fake clock: jobs per group in its time zone, catch-up after downtime exactly once,
several instances, rebuild on config reload, and the APScheduler callback path."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.config import ConfigStore, parse_rules
from bot.scheduler import build_jobs
from bot.tools.simulator import Simulator
from handlers.config import GroupConfig
from handlers.contract.actions import Action, After, Send
from handlers.contract.events import Chat, Event, EventKind
from handlers.feature import Context, Feature, JobSpec
from handlers.tracking import Tracking
from storage.models.rhythm import TopicPost
from tests.handlers.rhythm_support import rhythm_features
from tests.support import START, SimFactory

MORNING = """
[defaults]
timezone = "Asia/Shanghai"
[defaults.honours]
enabled = false
[defaults.checkin]
remind_at = ""
[defaults.topics]
daily_at = "08:00"
grace_minutes = 30
pool = ["话题一", "话题二", "话题三"]
"""

CALENDAR = """
[defaults]
timezone = "{tz}"
[defaults.honours]
enabled = false
[defaults.checkin]
remind_at = ""
[defaults.topics]
daily_at = ""
[[defaults.topics.calendar]]
id = "share"
name = "干货分享"
schedule = "mon,wed,fri 20:00"
template = "📚 {{weekday}} 干货分享"
[[defaults.topics.calendar]]
id = "talk"
name = "话题讨论"
schedule = "tue,thu 20:00"
template = "💬 {{weekday}} 话题讨论"
"""


def mornings(sim: Simulator) -> list[str]:
    return [t for t in sim.adapter.sent_texts() if "话题" in t]


async def topic_rows(sim: Simulator) -> int:
    async with sim.app.db.session() as session:
        return int((await session.execute(select(func.count()).select_from(TopicPost))).scalar_one())


def ticks(sim: Simulator) -> list[Event]:
    return [h.event for h in sim.history if h.event.kind == EventKind.TICK and not h.duplicate]


async def test_catch_up_after_downtime_runs_once_and_not_after_a_second_restart(
    make_sim: SimFactory, tmp_path: Path
) -> None:
    """Topic at 08:00, grace 30 min; the bot is down from 07:50 and restarts at 08:05, then again at 08:10."""
    url = str(tmp_path / "q.db")
    before = await make_sim(
        MORNING, db_url=url, start=START - timedelta(minutes=10), features=rhythm_features()
    )
    assert await before.app.scheduler.catch_up() == 0  # 07:50: nothing due
    restart = await make_sim(
        MORNING, db_url=url, start=START + timedelta(minutes=5), features=rhythm_features()
    )
    assert await restart.app.scheduler.catch_up() == 1
    assert mornings(restart) and len(mornings(restart)) == 1
    (tick,) = ticks(restart)
    assert tick.scheduled_for == START and tick.at == START + timedelta(minutes=5)
    again = await make_sim(
        MORNING, db_url=url, start=START + timedelta(minutes=10), features=rhythm_features()
    )
    assert await again.app.scheduler.catch_up() == 0
    assert mornings(again) == [] and await topic_rows(again) == 1
    again._seq = itertools.count(500)
    again.add_user("a", "小王")
    await again.say("a", "/topic")  # the welcome and /topic still see the topic posted at 08:05
    assert again.adapter.sent_texts()[-1].startswith("📌 今日话题：话题")


async def test_no_catch_up_beyond_the_grace(make_sim: SimFactory) -> None:
    sim = await make_sim(MORNING, start=START + timedelta(minutes=31), features=rhythm_features())
    assert await sim.app.scheduler.catch_up() == 0
    assert mornings(sim) == []
    await sim.advance("1d")  # the next morning goes out as planned
    assert len(mornings(sim)) == 1


async def test_two_instances_post_each_run_once(make_sim: SimFactory, tmp_path: Path) -> None:
    url = str(tmp_path / "q.db")
    one = await make_sim(MORNING, db_url=url, features=rhythm_features())
    two = await make_sim(MORNING, db_url=url, features=rhythm_features())
    for _ in range(3):
        await one.advance("1d")
        await two.advance("1d")
    assert len(mornings(one)) + len(mornings(two)) == 3 and await topic_rows(one) == 3
    assert [h.duplicate for h in two.history if h.event.data == "topics.daily"] == [True, True, True]


@pytest.mark.parametrize(
    ("tz", "start"),
    [
        ("Asia/Shanghai", datetime(2026, 3, 2, 0, 0, tzinfo=UTC)),  # Monday 08:00 in Shanghai
        ("Europe/Berlin", datetime(2026, 3, 23, 0, 0, tzinfo=UTC)),  # a week with the switch to summer time
    ],
)
async def test_calendar_runs_on_its_weekdays_at_local_time(
    make_sim: SimFactory, tz: str, start: datetime
) -> None:
    sim = await make_sim(CALENDAR.format(tz=tz), start=start, features=rhythm_features())
    await sim.advance("7d")
    zone = ZoneInfo(tz)
    fired = [(e.data, e.scheduled_for.astimezone(zone)) for e in ticks(sim) if e.scheduled_for]
    calendar = [(job, when) for job, when in fired if job.startswith("topics.calendar.")]
    assert [(job, when.strftime("%a %H:%M")) for job, when in calendar] == [
        ("topics.calendar.share", "Mon 20:00"),
        ("topics.calendar.talk", "Tue 20:00"),
        ("topics.calendar.share", "Wed 20:00"),
        ("topics.calendar.talk", "Thu 20:00"),
        ("topics.calendar.share", "Fri 20:00"),
    ]
    assert sim.adapter.sent_texts() == [
        "📚 周一 干货分享",
        "💬 周二 话题讨论",
        "📚 周三 干货分享",
        "💬 周四 话题讨论",
        "📚 周五 干货分享",
    ]
    utc_hours = {when.astimezone(UTC).hour for _, when in calendar}
    assert utc_hours == ({12} if tz == "Asia/Shanghai" else {19})  # before 29 March Berlin is UTC+1
    if tz == "Europe/Berlin":
        await sim.advance("1d")  # Monday 30 March, summer time: still 20:00 local, now 18:00 UTC
        last = ticks(sim)[-1]
        assert last.scheduled_for is not None
        assert last.scheduled_for.astimezone(zone).strftime("%a %H:%M") == "Mon 20:00"
        assert last.scheduled_for.astimezone(UTC).hour == 18


async def test_groups_in_different_time_zones_get_their_own_times(make_sim: SimFactory) -> None:
    rules = MORNING + '\n[groups."console:group:g1"]\ntimezone = "Europe/London"\n'
    sim = await make_sim(rules, features=rhythm_features())
    other = Chat("console", "g2", "group")
    jobs = build_jobs([sim.chat, other], sim.app.config, sim.app.features)
    times = {
        job.chat.key: job.trigger.get_next_fire_time(None, START).astimezone(UTC)
        for job in jobs
        if job.spec.name == "topics.daily"
    }
    assert times == {
        "console:group:g1": datetime(2026, 3, 2, 8, 0, tzinfo=UTC),  # 08:00 London (UTC in winter)
        "console:group:g2": START,  # 08:00 Shanghai, the defaults
    }


async def test_config_reload_rebuilds_jobs_and_a_bad_file_keeps_them(
    make_sim: SimFactory, tmp_path: Path
) -> None:
    sim = await make_sim(MORNING, start=START - timedelta(hours=1), features=rhythm_features())
    path = tmp_path / "rules.toml"
    sim.app.config.path = path

    async def reload(text: str) -> list[object]:
        path.write_text(text, encoding="utf-8")
        errors: list[object] = list(sim.app.config.reload())
        for task in list(sim.app._rebuilds):
            await task
        return errors

    assert await reload(MORNING.replace('daily_at = "08:00"', 'daily_at = "09:30"')) == []
    assert [j.spec.schedule for j in sim.app.scheduler.jobs if j.spec.name == "topics.daily"] == ["09:30"]
    assert await reload(MORNING.replace('daily_at = "08:00"', 'daily_at = "25:00"'))  # rejected
    assert [j.spec.schedule for j in sim.app.scheduler.jobs if j.spec.name == "topics.daily"] == ["09:30"]
    await sim.advance("2h")  # 09:00: nothing yet
    assert mornings(sim) == []
    await sim.advance("1h")  # 10:00
    assert len(mornings(sim)) == 1
    await reload(MORNING.replace('daily_at = "08:00"', 'daily_at = "11:00"'))
    await sim.advance("2h")  # the moved schedule fires at 11:00 but today's topic is out already
    assert len(mornings(sim)) == 1
    assert [h.records[0].kind for h in sim.history if h.event.data == "topics.daily"] == [
        "topic_posted",
        "topic_skipped",
    ]
    await reload(MORNING.replace("[defaults.topics]", "[defaults.topics]\nenabled = false"))
    assert "topics.daily" not in [j.spec.name for j in sim.app.scheduler.jobs]


async def test_fire_now_runs_the_due_run_once_and_nothing_outside_the_grace(make_sim: SimFactory) -> None:
    sim = await make_sim(MORNING, start=START + timedelta(seconds=2), features=rhythm_features())
    (job,) = [j for j in sim.app.scheduler.jobs if j.spec.name == "topics.daily"]
    assert await sim.app.scheduler._fire_now(job) is True
    assert await sim.app.scheduler._fire_now(job) is False  # APScheduler firing twice: claimed already
    sim.clock.set(START + timedelta(days=1, minutes=45))  # tomorrow, 45 min late with a 30 min grace
    assert await sim.app.scheduler._fire_now(job) is False
    assert len(mornings(sim)) == 1


async def test_a_job_without_catch_up_still_runs_on_time(make_sim: SimFactory) -> None:
    """grace_minutes = 0 turns catch-up after downtime off, not the run itself: APScheduler wakes a few
    milliseconds after 08:00 and the topic goes out; a second late is too late for no grace."""
    rules = MORNING.replace("grace_minutes = 30", "grace_minutes = 0")
    sim = await make_sim(rules, start=START + timedelta(milliseconds=4), features=rhythm_features())
    (job,) = [j for j in sim.app.scheduler.jobs if j.spec.name == "topics.daily"]
    assert await sim.app.scheduler._fire_now(job) is True
    sim.clock.set(START + timedelta(days=1, seconds=2))
    assert await sim.app.scheduler._fire_now(job) is False
    assert len(mornings(sim)) == 1


async def test_start_registers_apscheduler_jobs_then_catches_up(make_sim: SimFactory) -> None:
    sim = await make_sim(MORNING, start=START + timedelta(minutes=1), features=rhythm_features())
    scheduler = sim.app.scheduler
    await scheduler.start()
    try:
        assert scheduler._aps is not None
        aps = {job.id: job for job in scheduler._aps.get_jobs()}
        assert set(aps) == {j.job_id for j in scheduler.jobs}
        daily = aps["console:group:g1/topics.daily"]
        assert daily.misfire_grace_time == 30 * 60 and daily.coalesce
        assert len(mornings(sim)) == 1  # caught up the 08:00 run at 08:01
        await scheduler.rebuild()  # a reload while running replaces the APScheduler jobs
        assert {job.id for job in scheduler._aps.get_jobs()} == set(aps)
    finally:
        await scheduler.stop()
    assert scheduler._aps is None


class Broken(Feature):
    name = "broken"

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        raise RuntimeError("bad jobs()")


class Twice(Feature):
    name = "twice"

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        return [JobSpec("same", "08:00"), JobSpec("same", "09:00"), JobSpec("bad", "25:00")]

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind == EventKind.TICK:
            return [Send(event.chat, f"{event.data} {event.scheduled_for:%H:%M}", "tick")]
        return []


async def test_a_broken_feature_or_schedule_does_not_stop_the_others(make_sim: SimFactory) -> None:
    store = ConfigStore(parse_rules(""))
    jobs = build_jobs([Chat("console", "g1")], store, [Broken(), Twice()])
    assert [(j.spec.name, j.spec.schedule) for j in jobs] == [("same", "08:00")]
    sim = await make_sim("", features=[Tracking(), Broken(), Twice()])
    await sim.advance("1d")
    assert sim.adapter.sent_texts() == ["same 00:00"]  # 08:00 Shanghai is 00:00 UTC


class Deadline(Feature):
    """Asks for a one-shot tick 30 s after each message; the tick may ask for the next one (a chain)."""

    name = "deadline"

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind == EventKind.MESSAGE:
            return [After(event.chat, timedelta(seconds=30), f"deadline:{event.text}", "a deadline")]
        if event.kind == EventKind.TICK and event.data.startswith("deadline:"):
            actions: list[Action] = [Send(event.chat, f"{event.data} at {event.at:%H:%M:%S}", "deadline")]
            if event.data == "deadline:chain":
                actions.append(After(event.chat, timedelta(seconds=5), "deadline:next", "the next one"))
            return actions
        return []


async def test_one_shot_timers_fire_at_their_time_once_and_chain_within_one_advance(
    make_sim: SimFactory,
) -> None:
    sim = await make_sim("", features=[Tracking(), Deadline()])
    sim.add_user("u1", "上海-互联网-小王")
    await sim.say("u1", "a")
    await sim.advance("29s")
    assert sim.adapter.sent_texts() == []
    await sim.advance("1s")
    assert sim.adapter.sent_texts() == ["deadline:a at 00:00:30"]
    await sim.say("u1", "chain")  # 00:00:30 → fires at 00:01:00, which asks for 00:01:05
    sim.app.scheduler.once(sim.chat, START + timedelta(seconds=60), "deadline:chain")  # asked twice: once
    await sim.advance("1m")
    assert sim.adapter.sent_texts()[1:] == ["deadline:chain at 00:01:00", "deadline:next at 00:01:05"]
    assert sim.app.scheduler.timers == {}


async def test_timers_are_apscheduler_date_jobs_kept_over_a_rebuild_and_handled_once(
    make_sim: SimFactory,
) -> None:
    sim = await make_sim("", features=[Tracking(), Deadline()])
    scheduler = sim.app.scheduler
    await scheduler.start()
    try:
        later = datetime.now(UTC) + timedelta(hours=1)  # APScheduler runs on the real clock
        timer = scheduler.once(sim.chat, later, "deadline:x")
        assert scheduler._aps is not None
        await scheduler.rebuild()  # a config reload does not drop what features asked for
        [job] = [j for j in scheduler._aps.get_jobs() if j.id.startswith("once:")]
        assert job.next_run_time == later and job.misfire_grace_time is None
        assert await scheduler._fire_timer(timer) is True
        assert await scheduler._fire_timer(timer) is False  # fired already: not again
    finally:
        await scheduler.stop()
    assert sim.adapter.sent_texts() == ["deadline:x at 00:00:00"]
