"""The community numbers against a small history computed by hand, on SQLite and PostgreSQL.

The group's days are Shanghai days (UTC+8). History, March 2026 (Mon 2 … Fri 6), bots excluded:
a, b were there before the bot; c joins Mon 10:00 and leaves Wed 09:00; e joins Tue 08:00 (referred by a),
d Tue 20:00, f Thu 12:00; h joined in February and stays. Older cohort (week of Feb 2): g (left after 3 days),
h, i (left Mar 1).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select

from storage.db import Database
from storage.models.core import EventLogRow, Member
from storage.models.moderation import Report, Sanction, Strike
from storage.models.onboarding import Newcomer, NewcomerTask
from storage.models.rhythm import Checkin
from storage.models.stats import StatsDay, StatsMemberDay
from storage.repos.metrics import Definitions, Roster, activity_span, known_group, period, roll_up

TZ = ZoneInfo("Asia/Shanghai")
G = "tg:group:-100"
DEFS = Definitions(new_days=4, active_days=2, silent_days=3, core_min_interactions=2)
FIRST, LAST = date(2026, 3, 2), date(2026, 3, 6)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """A Shanghai wall-clock time, as the aware UTC instant the database stores."""
    return datetime(2026, month, day, hour, minute, tzinfo=TZ).astimezone(UTC)


def member(user: str, joined: datetime | None, left: datetime | None = None, **kw: Any) -> Member:
    return Member(
        group_key=G, user_id=user, display_name=f"name-{user}", joined_at=joined, left_at=left, **kw
    )


def event(ts: datetime, kind: str, user: str) -> EventLogRow:
    return EventLogRow(ts=ts, platform="tg", group_key=G, user_id=user, kind=kind, reason="", detail={})


def newcomer(user: str, joined: datetime, **kw: Any) -> Newcomer:
    return Newcomer(group_key=G, user_id=user, joined_at=joined, questions=[], **kw)


def tasks(user: str, *kinds: str) -> list[NewcomerTask]:
    return [NewcomerTask(group_key=G, user_id=user, task=k, done_at=at(5, 12)) for k in kinds]


async def seed(db: Database) -> None:
    rows: list[Any] = [
        member("a", None),
        member("b", None),
        member("c", at(2, 10), at(4, 9)),
        member("d", at(3, 20)),
        member("e", at(3, 8), invited_by="a"),
        member("f", at(5, 12)),
        member("x", at(2, 9), is_bot=True),
        member("g", at(2, 10, month=2), at(5, 10, month=2)),
        member("h", at(3, 10, month=2)),
        member("i", at(4, 10, month=2), at(1, 10)),
        # joins and leaves (the bot's own join is not counted)
        event(at(2, 9), "member_joined", "x"),
        event(at(2, 10), "member_joined", "c"),
        event(at(3, 8), "member_joined", "e"),
        event(at(3, 20), "member_joined", "d"),
        event(at(4, 9), "member_left", "c"),
        event(at(5, 12), "member_joined", "f"),
        # Mon: a twice at 9, b at 21, c a command (speaks, not a message), the bot (ignored)
        event(at(2, 9, 5), "message", "a"),
        event(at(2, 9, 40), "message", "a"),
        event(at(2, 21), "message", "b"),
        event(at(2, 11), "command", "c"),
        event(at(2, 10), "message", "x"),
        # Tue: a at 9:30; Wed: d at 00:30 local (still Tuesday in UTC), e at 10; Thu silence; Fri: b returns
        event(at(3, 9, 30), "message", "a"),
        event(at(4, 0, 30), "message", "d"),
        event(at(4, 10), "message", "e"),
        event(at(6, 15), "message", "b"),
        # outside the period, and another group
        event(at(7, 9), "message", "a"),
        EventLogRow(ts=at(3, 9), platform="tg", group_key="tg:group:-999", user_id="a", kind="message"),
        Checkin(group_key=G, user_id="a", day=date(2026, 3, 2), at=at(2, 8)),
        Checkin(group_key=G, user_id="b", day=date(2026, 3, 2), at=at(2, 8)),
        Checkin(group_key=G, user_id="a", day=date(2026, 3, 3), at=at(3, 8)),
        # strikes: Mon 23:00 ad; a flood at Tue 01:00 local (Monday in UTC); Wed nickname
        Strike(group_key=G, user_id="c", category="ad", reason="", source="s1", created_at=at(2, 23)),
        Strike(group_key=G, user_id="c", category="flood", reason="", source="s2", created_at=at(3, 1)),
        Strike(group_key=G, user_id="e", category="nickname", reason="", source="s3", created_at=at(4, 12)),
        Sanction(group_key=G, user_id="c", kind="remove", reason="", created_at=at(4, 9)),
        Sanction(group_key=G, user_id="d", kind="mute", reason="", created_at=at(5, 9)),
        Report(group_key=G, message_id="m1", reported_user_id="c", reporter_id="a", created_at=at(4, 8)),
        Report(group_key=G, message_id="m1", reported_user_id="c", reporter_id="b", created_at=at(4, 8, 30)),
        newcomer("c", at(2, 10), left_at=at(4, 9)),
        newcomer("d", at(3, 20), spoke_at=at(4, 0, 30)),
        newcomer("e", at(3, 8), referrer_id="a", spoke_at=at(4, 10)),
        newcomer("f", at(5, 12)),
        *tasks("c", "nickname"),
        *tasks("d", "nickname", "rules", "questionnaire", "intro"),
        *tasks("e", "nickname", "rules", "questionnaire", "intro", "first_post"),
    ]
    async with db.session() as session:
        session.add_all(rows)
        await session.commit()


NOW = at(20, 12)


async def test_daily_figures(db: Database) -> None:
    await seed(db)
    async with db.session() as session:
        p = await period(session, G, FIRST, LAST, TZ, NOW, DEFS)
    got = [(d.day.day, d.members, d.joins, d.leaves, d.speakers, d.messages) for d in p.days]
    assert got == [
        (2, 4, 1, 0, 3, 3),  # a b c h; c joined; a b c spoke (c by command), 3 messages
        (3, 6, 2, 0, 1, 1),  # + d e
        (4, 5, 0, 1, 2, 2),  # - c; d (00:30 local) and e
        (5, 6, 1, 0, 0, 0),  # + f, silence
        (6, 6, 0, 0, 1, 1),  # b returns
    ]
    # members during the day: Wednesday counts c, who left that morning (2 of 6, not 2 of 5)
    assert [d.speak_rate for d in p.days] == [0.75, 1 / 6, 2 / 6, 0.0, 1 / 6]
    assert [d.wau for d in p.days] == [3, 3, 5, 5, 5]
    assert [d.mau for d in p.days] == [3, 3, 5, 5, 5]
    assert [d.checkins for d in p.days] == [2, 1, 0, 0, 0]
    assert p.days[0].checkin_rate == 0.5
    assert [d.strikes for d in p.days] == [{"ad": 1}, {"flood": 1}, {"nickname": 1}, {}, {}]
    assert p.strikes == {"ad": 1, "flood": 1, "nickname": 1}
    assert [d.removals for d in p.days] == [0, 0, 1, 0, 0]  # the mute is not a removal
    assert [d.reports for d in p.days] == [0, 0, 2, 0, 0]
    hours = p.hours
    assert sum(hours) == 7
    assert {h: n for h, n in enumerate(hours) if n} == {0: 1, 9: 3, 10: 1, 15: 1, 21: 1}


async def test_members_by_definition(db: Database) -> None:
    await seed(db)
    async with db.session() as session:
        p = await period(session, G, FIRST, LAST, TZ, NOW, DEFS)
    assert p.members == 6  # a b d e f h
    assert p.wau == 4 and p.weekly_participation == 4 / 6  # a b d e spoke this week
    assert p.mau == 4  # c spoke too but is gone
    assert p.active == 1  # only b spoke in the last 2 days
    assert p.silent == 3  # a (last spoke Tuesday), f and h (never)
    assert p.new == 3  # d e f joined in the last 4 days
    assert p.core == 2  # a (3 interactions) and b (2) reach 2 a week
    assert p.top == [
        ("a", "name-a", 3),
        ("b", "name-b", 2),
        ("c", "name-c", 1),
        ("d", "name-d", 1),
        ("e", "name-e", 1),
    ]
    wider = await _period(db, Definitions(new_days=3, silent_days=2, core_min_interactions=3))
    assert (wider.new, wider.silent, wider.core) == (1, 5, 1)


async def _period(db: Database, defs: Definitions) -> Any:
    async with db.session() as session:
        result = await period(session, G, FIRST, LAST, TZ, NOW, defs)
        await session.commit()  # the caller commits the roll-up, as the CLI and the jobs do
        return result


async def test_funnel_referrals_and_stuck_newcomers(db: Database) -> None:
    await seed(db)
    p = await _period(db, DEFS)
    assert p.funnel == {
        "joined": 4,
        "nickname": 3,
        "rules": 2,
        "questionnaire": 2,
        "intro": 2,
        "first_post": 2,  # d by speaking, e by the task
        "all_done": 2,
    }
    assert p.stuck == ["f"]  # c left; d and e did the basic tasks
    assert (p.referred, p.referral_conversion) == (1, 1.0)
    only_basic = await _period(db, Definitions(tasks=("nickname",)))
    assert only_basic.funnel["all_done"] == 3


async def test_retention_by_join_cohort(db: Database) -> None:
    await seed(db)
    p = await _period(db, DEFS)
    cohorts = {c.week: (c.size, c.retention) for c in p.cohorts}
    assert cohorts == {
        date(2026, 2, 2): (3, {1: 1.0, 7: 2 / 3, 30: 1 / 3, 90: None}),  # g h i; g left day 3, i day 25
        date(2026, 3, 2): (4, {1: 1.0, 7: None, 30: None, 90: None}),  # c d e f: f is not a week old
    }
    # joined 1–31 days before the end: c d e f i, all there a day later; 7–37: g h i; 30–60: g h i
    assert p.retention == {1: 1.0, 7: 2 / 3, 30: 1 / 3, 90: None}


async def test_settled_days_are_rolled_up_once_and_read_back(db: Database) -> None:
    await seed(db)
    before = await _period(db, DEFS)
    async with db.session() as session:
        assert await session.scalar(select(func.count()).select_from(StatsDay)) > 0
        assert await roll_up(session, G, FIRST, LAST, TZ, NOW) == 0  # nothing left to do
        await session.execute(delete(EventLogRow))  # the roll-up keeps the figures
        await session.commit()
    after = await _period(db, DEFS)
    assert after.as_dict() == before.as_dict()


async def test_the_unsettled_day_is_computed_live_and_not_stored(db: Database) -> None:
    await seed(db)
    now = at(6, 16)
    async with db.session() as session:
        p = await period(session, G, FIRST, LAST, TZ, now, DEFS)
        await session.commit()
        stored = set(await session.scalars(select(StatsDay.day).where(StatsDay.day >= FIRST)))
        assert date(2026, 3, 6) not in stored and date(2026, 3, 5) in stored
        assert not await session.scalar(
            select(StatsMemberDay.id).where(StatsMemberDay.day == date(2026, 3, 6))
        )
    assert p.days[-1].speakers == 1
    # a later message that day shows up on the next read
    async with db.session() as session:
        session.add(event(at(6, 17), "message", "d"))
        await session.commit()
        p = await period(session, G, FIRST, LAST, TZ, at(6, 18), DEFS)
    assert p.days[-1].speakers == 2


@pytest.mark.parametrize("group", [G, "tg:group:-999"])
async def test_known_groups_and_their_span_of_activity(db: Database, group: str) -> None:
    await seed(db)
    async with db.session() as session:
        assert await known_group(session, group)
        assert not await known_group(session, "tg:group:-1")
        assert await activity_span(session, "tg:group:-1") is None
        span = await activity_span(session, group)
    assert span == ((at(2, 9), at(7, 9)) if group == G else (at(3, 9), at(3, 9)))


async def test_an_empty_group_has_no_rates(db: Database) -> None:
    async with db.session() as session:
        p = await period(session, G, FIRST, LAST, TZ, NOW, DEFS)
    assert p.members == 0 and all(d.speak_rate is None for d in p.days)
    assert p.weekly_participation is None and p.referral_conversion is None
    assert p.cohorts == [] and p.retention == dict.fromkeys((1, 7, 30, 90))
    assert p.days[0].day == FIRST and len(p.days) == 5 and timedelta(days=4) == p.days[-1].day - FIRST


async def test_weekly_and_monthly_windows_end_on_the_day(db: Database) -> None:
    await seed(db)
    async with db.session() as session:
        p = await period(session, G, FIRST, date(2026, 3, 9), TZ, NOW, DEFS)
    # c spoke only on Monday the 2nd: in the week up to Sunday the 8th, out of the one up to Monday the 9th
    assert [d.wau for d in p.days][-3:] == [5, 5, 4]
    assert p.days[-1].mau == 5


async def test_a_newcomer_is_stuck_only_after_a_day(db: Database) -> None:
    await seed(db)
    async with db.session() as session:
        p = await period(session, G, FIRST, date(2026, 3, 5), TZ, at(5, 20), DEFS)
    assert p.stuck == [] and p.funnel["joined"] == 4  # f joined 8 hours ago


def test_presence_at_the_instant_of_leaving() -> None:
    left = at(4, 9)
    people = Roster({"c": at(2, 10), "a": None}, {"c": left, "a": None}, {}, frozenset())
    assert people.present_at(left) == {"a", "c"} and people.counter().at(left) == 2
    later = left + timedelta(seconds=1)
    assert people.present_at(later) == {"a"} and people.counter().at(later) == 1
    assert people.present_at(at(2, 10)) == {"a"} and people.counter().at(at(2, 10)) == 1
