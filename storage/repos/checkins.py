"""Check-ins: one per member and local day (a unique key decides across instances), the day's order and
the counts per member over a span of days.

Never commits (``bot/`` commits once per event).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.rhythm import Checkin, RhythmProfile
from storage.sql import insert_ignore


class CheckinRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, group_key: str, user_id: str, day: date, at: datetime) -> bool:
        """True if this is the member's first check-in of the local day; False for every later one."""
        return await insert_ignore(
            self.session,
            Checkin.__table__,
            {"group_key": group_key, "user_id": user_id, "day": day, "at": at},
            conflict=("group_key", "user_id", "day"),
        )

    async def rank(self, group_key: str, user_id: str, day: date) -> int:
        """The member's place in the day's check-ins (第 N 位), 0 if they have not checked in; one query."""
        stmt = select(_rank(group_key, user_id, day))
        return int((await self.session.execute(stmt)).scalar_one())

    async def standing(self, group_key: str, user_id: str, day: date) -> tuple[int, RhythmProfile | None]:
        """The member's place in the day's check-ins and their streak profile (None before their first),
        read together in one statement: a check-in's hot path (its row must exist: ``add`` first)."""
        stmt = (
            select(_rank(group_key, user_id, day).label("rank"), RhythmProfile)
            .select_from(Checkin)
            .outerjoin(
                RhythmProfile,
                (RhythmProfile.group_key == Checkin.group_key) & (RhythmProfile.user_id == Checkin.user_id),
            )
            .where(Checkin.group_key == group_key, Checkin.user_id == user_id, Checkin.day == day)
        )
        row = (await self.session.execute(stmt)).one()
        return int(row[0]), row[1]

    async def counts(self, group_key: str, first: date, last: date) -> list[tuple[str, int]]:
        """(user, check-ins) between two local days inclusive, most first (monthly 打卡王)."""
        stmt = (
            select(Checkin.user_id, func.count())
            .where(Checkin.group_key == group_key, Checkin.day >= first, Checkin.day <= last)
            .group_by(Checkin.user_id)
            .order_by(func.count().desc(), Checkin.user_id)
        )
        return [(user, int(n)) for user, n in (await self.session.execute(stmt)).all()]


def _rank(group_key: str, user_id: str, day: date) -> ScalarSelect[int]:
    """Check-ins of the group's day up to and including the member's own (0 without one)."""
    mine = (
        select(Checkin.id)
        .where(Checkin.group_key == group_key, Checkin.user_id == user_id, Checkin.day == day)
        .scalar_subquery()
    )
    return (
        select(func.count())
        .select_from(Checkin)
        .where(Checkin.group_key == group_key, Checkin.day == day, Checkin.id <= mine)
        .scalar_subquery()
    )
