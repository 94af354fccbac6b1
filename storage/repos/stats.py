"""Community metrics from the event log and member rows: 日发言率, DAU/WAU, joins, leaves, retention.

Days are the group's local days. Bucketing happens in Python so the same code runs on SQLite and
PostgreSQL (their date functions differ).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models.core import EventLogRow, Member

SPEAKING = ("message", "command")


@dataclass
class GroupStats:
    group: str
    members: int
    joined: int
    left: int
    days: list[tuple[date, int, float]] = field(default_factory=list)  # (day, speakers, speak rate)
    wau: int = 0
    retention_30d: float | None = None

    @property
    def dau_avg(self) -> float:
        return sum(n for _, n, _ in self.days) / len(self.days) if self.days else 0.0


async def group_stats(db: Database, group: str, now: datetime, days: int, tz: ZoneInfo) -> GroupStats:
    async with db.session() as session:
        return await stats_in(session, group, now, days, tz)


async def stats_in(session: AsyncSession, group: str, now: datetime, days: int, tz: ZoneInfo) -> GroupStats:
    """The same figures inside a unit of work (the in-chat ``/stats`` uses the event's session)."""
    since = now - timedelta(days=days)
    members = (await session.scalars(select(Member).where(Member.group_key == group))).all()
    rows = (
        await session.execute(
            select(EventLogRow.ts, EventLogRow.user_id).where(
                EventLogRow.group_key == group, EventLogRow.kind.in_(SPEAKING), EventLogRow.ts >= since
            )
        )
    ).all()
    present = [m for m in members if m.left_at is None]
    speakers: dict[date, set[str]] = defaultdict(set)
    for ts, user in rows:
        if user:
            speakers[ts.astimezone(tz).date()].add(user)
    stats = GroupStats(
        group=group,
        members=len(present),
        joined=sum(1 for m in members if m.joined_at and m.joined_at >= since),
        left=sum(1 for m in members if m.left_at and m.left_at >= since),
    )
    today = now.astimezone(tz).date()
    for offset in range(days - 1, -1, -1):
        day = today - timedelta(days=offset)
        n = len(speakers.get(day, ()))
        stats.days.append((day, n, n / len(present) if present else 0.0))
    week = {u for day, users in speakers.items() if day > today - timedelta(days=7) for u in users}
    stats.wau = len(week)
    cohort = [
        m
        for m in members
        if m.joined_at and now - timedelta(days=60) <= m.joined_at < now - timedelta(days=30)
    ]
    if cohort:
        stats.retention_30d = sum(1 for m in cohort if m.left_at is None) / len(cohort)
    return stats
