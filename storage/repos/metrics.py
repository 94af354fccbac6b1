"""The community numbers per group and local day, and over a period: 日发言率, DAU / WAU / MAU, weekly
participation, check-ins, new / active / silent / core members, strikes, removals, reports, the newcomer
funnel, referral conversion, retention by join cohort and messages by hour of day.

Complete days are rolled up once into ``stats_days`` / ``stats_member_days`` (``storage/models/stats.py``)
and read from there; the days not yet settled (today) are computed from the sources on every read and never
stored. Days are the group's local days. Rows are fetched with plain range queries and bucketed in Python,
because SQLite and PostgreSQL spell "the local date of a timestamp" differently.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import EventLogRow, Group, Member
from storage.models.moderation import Report, Sanction, Strike
from storage.models.onboarding import Newcomer, NewcomerTask
from storage.models.rhythm import Checkin
from storage.models.stats import StatsDay, StatsMemberDay
from storage.sql import insert_ignore_many

SPEAKING = ("message", "command")
MEMBERSHIP = ("member_joined", "member_left")
REMOVALS = ("remove", "ban")
# A day is rolled up once it ended this long ago: late batched writes of its last seconds are in by then.
SETTLE = timedelta(hours=1)
RETENTION_DAYS = (1, 7, 30, 90)
FUNNEL_STEPS = ("joined", "nickname", "rules", "questionnaire", "intro", "first_post", "all_done")


@dataclass(frozen=True)
class Definitions:
    """How the operator counts (the group's ``[stats]`` section): who is new, active, silent or core."""

    new_days: int = 30  # new: joined less than this many days ago
    active_days: int = 7  # active: spoke in the last this many days
    silent_days: int = 30  # silent: did not speak in the last this many days (or never)
    core_min_interactions: int = 3  # core: at least this many interactions in the last 7 days
    tasks: tuple[str, ...] = ("nickname", "rules", "questionnaire", "intro", "first_post")  # "all done"
    cohort_weeks: int = 12  # retention curves for the join weeks of this many weeks


@dataclass
class DayFigures:
    day: date
    members: int = 0  # present at the end of the day
    joins: int = 0
    leaves: int = 0
    speakers: int = 0  # DAU: members who sent a message or a command
    messages: int = 0
    checkins: int = 0
    removals: int = 0
    reports: int = 0
    strikes: dict[str, int] = field(default_factory=dict)
    hours: list[int] = field(default_factory=lambda: [0] * 24)
    wau: int = 0  # distinct speakers in the 7 days ending this day
    mau: int = 0  # … in the 30 days ending this day

    @property
    def in_group(self) -> int:
        """Everyone who was a member during the day: those at its end and those who left that day (a member
        who spoke and then left counts on both sides of 日发言率, which so never passes 100 %)."""
        return self.members + self.leaves

    @property
    def speak_rate(self) -> float | None:
        """日发言率: speakers / members (during the day)."""
        return self.speakers / self.in_group if self.in_group else None

    @property
    def checkin_rate(self) -> float | None:
        return self.checkins / self.in_group if self.in_group else None

    @property
    def weekly_participation(self) -> float | None:
        return self.wau / self.members if self.members else None


@dataclass
class Cohort:
    week: date  # the Monday of the join week (local)
    size: int
    retention: dict[int, float | None]  # days → share still a member that many days after joining


@dataclass
class Period:
    group: str
    first: date
    last: date
    days: list[DayFigures]
    members: int = 0
    new: int = 0
    active: int = 0
    silent: int = 0
    core: int = 0
    wau: int = 0
    mau: int = 0
    funnel: dict[str, int] = field(default_factory=dict)
    stuck: list[str] = field(default_factory=list)  # newcomers past a day without their basic tasks
    names: dict[str, str] = field(default_factory=dict)  # display names of the stuck newcomers
    referred: int = 0
    referred_active: int = 0
    cohorts: list[Cohort] = field(default_factory=list)
    retention: dict[int, float | None] = field(default_factory=dict)  # over the cohorts that matured
    top: list[tuple[str, str, int]] = field(default_factory=list)  # (user id, name, interactions)

    def total(self, name: str) -> int:
        return int(sum(getattr(d, name) for d in self.days))

    @property
    def strikes(self) -> dict[str, int]:
        out: Counter[str] = Counter()
        for day in self.days:
            out.update(day.strikes)
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))

    @property
    def hours(self) -> list[int]:
        return [sum(d.hours[h] for d in self.days) for h in range(24)]

    @property
    def dau_avg(self) -> float:
        return sum(d.speakers for d in self.days) / len(self.days) if self.days else 0.0

    @property
    def speak_rate_avg(self) -> float | None:
        rates = [r for r in (d.speak_rate for d in self.days) if r is not None]
        return sum(rates) / len(rates) if rates else None

    @property
    def weekly_participation(self) -> float | None:
        return self.wau / self.members if self.members else None

    @property
    def referral_conversion(self) -> float | None:
        return self.referred_active / self.referred if self.referred else None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON for ``--json``, the report and the dashboard."""
        return {
            "group": self.group,
            "from": self.first.isoformat(),
            "until": self.last.isoformat(),
            "members": self.members,
            "joins": self.total("joins"),
            "leaves": self.total("leaves"),
            "messages": self.total("messages"),
            "checkins": self.total("checkins"),
            "removals": self.total("removals"),
            "reports": self.total("reports"),
            "dau_avg": round(self.dau_avg, 2),
            "speak_rate_avg": _round(self.speak_rate_avg),
            "wau": self.wau,
            "mau": self.mau,
            "weekly_participation": _round(self.weekly_participation),
            "new": self.new,
            "active": self.active,
            "silent": self.silent,
            "core": self.core,
            "strikes": self.strikes,
            "funnel": self.funnel,
            "stuck": len(self.stuck),
            "referred": self.referred,
            "referral_conversion": _round(self.referral_conversion),
            "retention": {str(n): _round(r) for n, r in self.retention.items()},
            "cohorts": [
                {
                    "week": c.week.isoformat(),
                    "size": c.size,
                    **{str(n): _round(r) for n, r in c.retention.items()},
                }
                for c in self.cohorts
            ],
            "hours": self.hours,
            "top": [{"user": u, "name": n, "interactions": c} for u, n, c in self.top],
            "days": [
                {
                    "day": d.day.isoformat(),
                    "members": d.members,
                    "joins": d.joins,
                    "leaves": d.leaves,
                    "speakers": d.speakers,
                    "messages": d.messages,
                    "speak_rate": _round(d.speak_rate),
                    "wau": d.wau,
                    "mau": d.mau,
                    "weekly_participation": _round(d.weekly_participation),
                    "checkins": d.checkins,
                    "checkin_rate": _round(d.checkin_rate),
                    "removals": d.removals,
                    "reports": d.reports,
                    "strikes": d.strikes,
                }
                for d in self.days
            ],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def day_start(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant a local day begins."""
    return datetime.combine(day, time(), tz).astimezone(UTC)


def local_day(ts: datetime, tz: ZoneInfo) -> date:
    return ts.astimezone(tz).date()


def settled_until(now: datetime, tz: ZoneInfo) -> date:
    """The last local day that may be rolled up: it ended at least ``SETTLE`` ago."""
    return local_day(now - SETTLE, tz) - timedelta(days=1)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# --- which groups, which days ----------------------------------------------------------------------


async def known_group(session: AsyncSession, group: str) -> bool:
    """A group the bot has seen: a ``groups`` row or any event-log row."""
    if await session.get(Group, group) is not None:
        return True
    row = await session.scalar(select(EventLogRow.id).where(EventLogRow.group_key == group).limit(1))
    return row is not None


async def activity_span(session: AsyncSession, group: str) -> tuple[datetime, datetime] | None:
    """The times of the group's oldest and newest event-log rows (a database copied off a server ends at
    the newest; a group the bot joined last week starts at the oldest)."""
    row = (
        await session.execute(
            select(func.min(EventLogRow.ts), func.max(EventLogRow.ts)).where(EventLogRow.group_key == group)
        )
    ).one()
    if row[0] is None:
        return None
    first, last = row  # MIN / MAX keep the column's type: aware UTC on both databases
    return first, last


# --- members present -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Roster:
    """The group's people (bots excluded), with their latest join and leave, for "present at t"."""

    joined: dict[str, datetime | None]
    left: dict[str, datetime | None]
    names: dict[str, str]
    bots: frozenset[str]

    def present_at(self, at: datetime) -> set[str]:
        return {
            user
            for user, joined in self.joined.items()
            if (joined is None or joined < at) and ((gone := self.left[user]) is None or gone >= at)
        }

    def counter(self) -> PresenceCounter:
        return PresenceCounter(self)


class PresenceCounter:
    """How many were present at t, by bisection (a year of days × hundreds of members stays cheap)."""

    def __init__(self, roster: Roster) -> None:
        self._always = sum(1 for j in roster.joined.values() if j is None)
        self._joins = sorted(j for j in roster.joined.values() if j is not None)
        self._leaves = sorted(g for g in roster.left.values() if g is not None)

    def at(self, at: datetime) -> int:
        # joined before t, minus those whose (latest) leave came before t (a leave implies a join or "always")
        return self._always + bisect.bisect_left(self._joins, at) - bisect.bisect_left(self._leaves, at)


async def roster(session: AsyncSession, group: str) -> Roster:
    rows = (
        await session.execute(
            select(
                Member.user_id, Member.joined_at, Member.left_at, Member.display_name, Member.is_bot
            ).where(Member.group_key == group)
        )
    ).all()
    people = [r for r in rows if not r.is_bot]
    return Roster(
        joined={r.user_id: r.joined_at for r in people},
        left={r.user_id: _left(r.joined_at, r.left_at) for r in people},
        names={r.user_id: r.display_name for r in people},
        bots=frozenset(r.user_id for r in rows if r.is_bot),
    )


def _left(joined: datetime | None, left: datetime | None) -> datetime | None:
    """A leave older than the latest join belongs to an earlier membership: the member is back."""
    if left is not None and joined is not None and left < joined:
        return None
    return left


# --- computing days from the sources ---------------------------------------------------------------


@dataclass
class Computed:
    days: dict[date, DayFigures]
    activity: dict[date, dict[str, int]]


async def compute(
    session: AsyncSession, group: str, first: date, last: date, tz: ZoneInfo, people: Roster
) -> Computed:
    """Figures for the local days ``first``..``last`` straight from the event log and the feature tables."""
    start, end = day_start(first, tz), day_start(last + timedelta(days=1), tz)
    days = {d: DayFigures(d) for d in _days(first, last)}
    activity: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    events = await session.execute(
        select(EventLogRow.ts, EventLogRow.kind, EventLogRow.user_id).where(
            EventLogRow.group_key == group,
            EventLogRow.kind.in_(SPEAKING + MEMBERSHIP),
            EventLogRow.ts >= start,
            EventLogRow.ts < end,
        )
    )
    for ts, kind, user in events:
        if user is None or user in people.bots:
            continue
        local = ts.astimezone(tz)
        figures = days[local.date()]
        if kind == "member_joined":
            figures.joins += 1
        elif kind == "member_left":
            figures.leaves += 1
        else:
            activity[local.date()][user] += 1
            if kind == "message":
                figures.messages += 1
                figures.hours[local.hour] += 1
    for day, users in activity.items():
        days[day].speakers = len(users)
    checkins = await session.execute(
        select(Checkin.day, func.count())
        .where(Checkin.group_key == group, Checkin.day >= first, Checkin.day <= last)
        .group_by(Checkin.day)
    )
    for day, n in checkins:
        days[day].checkins = int(n)
    strikes = await session.execute(
        select(Strike.created_at, Strike.category).where(
            Strike.group_key == group, Strike.created_at >= start, Strike.created_at < end
        )
    )
    for ts, category in strikes:
        bucket = days[local_day(ts, tz)].strikes
        bucket[category] = bucket.get(category, 0) + 1
    for ts in await session.scalars(
        select(Sanction.created_at).where(
            Sanction.group_key == group,
            Sanction.kind.in_(REMOVALS),
            Sanction.created_at >= start,
            Sanction.created_at < end,
        )
    ):
        days[local_day(ts, tz)].removals += 1
    for ts in await session.scalars(
        select(Report.created_at).where(
            Report.group_key == group, Report.created_at >= start, Report.created_at < end
        )
    ):
        days[local_day(ts, tz)].reports += 1
    present = people.counter()
    for day, figures in days.items():
        figures.members = present.at(day_start(day + timedelta(days=1), tz))
    return Computed(days, {d: dict(users) for d, users in activity.items()})


# --- the roll-up ------------------------------------------------------------------------------------


async def roll_up(
    session: AsyncSession, group: str, first: date, last: date, tz: ZoneInfo, now: datetime
) -> int:
    """Store the settled days of ``first``..``last`` not stored yet; the number of days written.
    Idempotent (unique keys, insert-or-ignore): two instances rolling up at once write each day once."""
    last = min(last, settled_until(now, tz))
    if last < first:
        return 0
    stored = set(
        await session.scalars(
            select(StatsDay.day).where(
                StatsDay.group_key == group, StatsDay.day >= first, StatsDay.day <= last
            )
        )
    )
    missing = [d for d in _days(first, last) if d not in stored]
    if not missing:
        return 0
    people = await roster(session, group)
    computed = await compute(session, group, missing[0], missing[-1], tz, people)
    wanted = set(missing)
    await insert_ignore_many(
        session,
        StatsDay.__table__,
        [
            {
                "group_key": group,
                "day": f.day,
                "members": f.members,
                "joins": f.joins,
                "leaves": f.leaves,
                "speakers": f.speakers,
                "messages": f.messages,
                "checkins": f.checkins,
                "removals": f.removals,
                "reports": f.reports,
                "strikes": f.strikes,
                "hours": f.hours,
                "computed_at": now,
            }
            for f in computed.days.values()
            if f.day in wanted
        ],
        ("group_key", "day"),
    )
    await insert_ignore_many(
        session,
        StatsMemberDay.__table__,
        [
            {"group_key": group, "day": day, "user_id": user, "interactions": n}
            for day, users in computed.activity.items()
            if day in wanted
            for user, n in users.items()
        ],
        ("group_key", "day", "user_id"),
    )
    return len(missing)


async def _stored(
    session: AsyncSession, group: str, first: date, last: date
) -> tuple[dict[date, DayFigures], dict[date, dict[str, int]]]:
    days = {
        row.day: DayFigures(
            row.day,
            members=row.members,
            joins=row.joins,
            leaves=row.leaves,
            speakers=row.speakers,
            messages=row.messages,
            checkins=row.checkins,
            removals=row.removals,
            reports=row.reports,
            strikes=dict(row.strikes),
            hours=list(row.hours) or [0] * 24,
        )
        for row in await session.scalars(
            select(StatsDay).where(StatsDay.group_key == group, StatsDay.day >= first, StatsDay.day <= last)
        )
    }
    activity: dict[date, dict[str, int]] = defaultdict(dict)
    rows = await session.execute(
        select(StatsMemberDay.day, StatsMemberDay.user_id, StatsMemberDay.interactions).where(
            StatsMemberDay.group_key == group, StatsMemberDay.day >= first, StatsMemberDay.day <= last
        )
    )
    for day, user, n in rows:
        activity[day][user] = n
    return days, dict(activity)


# --- a period ---------------------------------------------------------------------------------------


def _window(activity: dict[date, dict[str, int]], last: date, days: int) -> Counter[str]:
    """Interactions per member over the ``days`` days ending ``last``."""
    out: Counter[str] = Counter()
    for offset in range(days):
        out.update(activity.get(last - timedelta(days=offset), {}))
    return out


def _rolling_active(series: list[DayFigures], activity: dict[date, dict[str, int]], begin: date) -> None:
    """WAU and MAU of every day in one sweep: each member counts on the day they last spoke, so the
    members active in the N days ending d are those whose last day so far is one of those N days."""
    last_spoke: dict[str, date] = {}
    by_last: Counter[date] = Counter()
    wanted = {f.day: f for f in series}
    for day in _days(begin, series[-1].day) if series else []:
        for user in activity.get(day, {}):
            previous = last_spoke.get(user)
            if previous is not None:
                by_last[previous] -= 1
            last_spoke[user] = day
            by_last[day] += 1
        figures = wanted.get(day)
        if figures is not None:
            figures.wau = sum(by_last[day - timedelta(days=k)] for k in range(7))
            figures.mau = sum(by_last[day - timedelta(days=k)] for k in range(30))


async def period(
    session: AsyncSession,
    group: str,
    first: date,
    last: date,
    tz: ZoneInfo,
    now: datetime,
    defs: Definitions = Definitions(),
    top: int = 10,
) -> Period:
    """Every number for the local days ``first``..``last`` (settled days are rolled up on the way)."""
    lookback = max(29, defs.active_days - 1, defs.silent_days - 1, 6)
    begin = first - timedelta(days=lookback)
    await roll_up(session, group, begin, last, tz, now)
    days, activity = await _stored(session, group, begin, last)
    people = await roster(session, group)
    live_from = max(begin, settled_until(now, tz) + timedelta(days=1))
    if live_from <= last:
        live = await compute(session, group, live_from, last, tz, people)
        days.update(live.days)
        activity.update(live.activity)
    series = [days.get(d) or DayFigures(d) for d in _days(first, last)]
    _rolling_active(series, activity, begin)
    end = day_start(last + timedelta(days=1), tz)
    present = people.present_at(end)
    result = Period(group, first, last, series, members=len(present))
    week = _window(activity, last, 7)
    result.wau = len(present.intersection(week))
    result.mau = len(present.intersection(_window(activity, last, 30)))
    recent = _window(activity, last, defs.active_days)
    quiet = _window(activity, last, defs.silent_days)
    result.active = len(present.intersection(recent))
    result.silent = len(present.difference(quiet))
    result.core = sum(1 for user in present if week.get(user, 0) >= defs.core_min_interactions)
    result.new = sum(
        1
        for user in present
        if (joined := people.joined[user]) is not None and joined >= end - timedelta(days=defs.new_days)
    )
    spoke = _window(activity, last, (last - first).days + 1)
    result.top = [
        (user, people.names.get(user, ""), n)
        for user, n in sorted(spoke.items(), key=lambda kv: (-kv[1], kv[0]))
        if user not in people.bots
    ][:top]
    await _funnel(session, group, day_start(first, tz), end, now, defs, result)
    result.names = {user: people.names.get(user, "") for user in result.stuck}
    result.cohorts = _cohorts(people, last, tz, end, defs)
    result.retention = _retention(people, end)
    return result


async def _funnel(
    session: AsyncSession,
    group: str,
    start: datetime,
    end: datetime,
    now: datetime,
    defs: Definitions,
    result: Period,
) -> None:
    """Newcomers who joined in the period and how far they got: each step counts those who did it."""
    newcomers = (
        await session.scalars(
            select(Newcomer).where(
                Newcomer.group_key == group, Newcomer.joined_at >= start, Newcomer.joined_at < end
            )
        )
    ).all()
    ids = [n.user_id for n in newcomers]
    done: dict[str, set[str]] = defaultdict(set)
    for chunk in _chunks(ids, 500):
        for user, task in await session.execute(
            select(NewcomerTask.user_id, NewcomerTask.task).where(
                NewcomerTask.group_key == group, NewcomerTask.user_id.in_(chunk)
            )
        ):
            done[user].add(task)
    for n in newcomers:
        if n.spoke_at is not None:
            done[n.user_id].add("first_post")
    funnel = dict.fromkeys(FUNNEL_STEPS, 0)
    funnel["joined"] = len(newcomers)
    basic = set(defs.tasks) - {"first_post"}
    for n in newcomers:
        tasks = done[n.user_id]
        for step in FUNNEL_STEPS[1:-1]:
            funnel[step] += step in tasks
        funnel["all_done"] += set(defs.tasks) <= tasks
        if n.left_at is None and now - n.joined_at >= timedelta(days=1) and not basic <= tasks:
            result.stuck.append(n.user_id)
    result.funnel = funnel
    referred = [n for n in newcomers if n.referrer_id]
    result.referred = len(referred)
    result.referred_active = sum(1 for n in referred if "first_post" in done[n.user_id])


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _kept(joined: datetime, left: datetime | None, days: int) -> bool:
    return left is None or left >= joined + timedelta(days=days)


def _cohorts(people: Roster, last: date, tz: ZoneInfo, end: datetime, defs: Definitions) -> list[Cohort]:
    """Join weeks (Monday to Sunday, local) of the last ``cohort_weeks`` weeks: the share of each week's
    joiners still members 1 / 7 / 30 / 90 days after joining (None until every joiner is that old)."""
    monday = last - timedelta(days=last.weekday())
    weeks = [monday - timedelta(weeks=w) for w in range(defs.cohort_weeks - 1, -1, -1)]
    members: dict[date, list[tuple[datetime, datetime | None]]] = defaultdict(list)
    for user, joined in people.joined.items():
        if joined is None or joined >= end:
            continue
        local = local_day(joined, tz)
        members[local - timedelta(days=local.weekday())].append((joined, people.left[user]))
    out = []
    for week in weeks:
        group = members.get(week, [])
        if not group:
            continue
        retention: dict[int, float | None] = {}
        for n in RETENTION_DAYS:
            if any(joined + timedelta(days=n) > end for joined, _ in group):
                retention[n] = None
            else:
                retention[n] = sum(_kept(j, gone, n) for j, gone in group) / len(group)
        out.append(Cohort(week, len(group), retention))
    return out


def _retention(people: Roster, end: datetime) -> dict[int, float | None]:
    """N-day retention at the period's end: of those who joined between N + 30 and N days before it, the
    share still members N days after joining."""
    out: dict[int, float | None] = {}
    for n in RETENTION_DAYS:
        lo, hi = end - timedelta(days=n + 30), end - timedelta(days=n)
        group = [(j, people.left[u]) for u, j in people.joined.items() if j is not None and lo <= j < hi]
        out[n] = sum(_kept(j, gone, n) for j, gone in group) / len(group) if group else None
    return out
