"""Activity: interactions per member and local day (replies, mentions, reactions), added in batches and
summed over a span of days for the weekly 活跃之星 and the 核心 / 沉默 tiers.

Never commits (the batched writer and ``bot/`` commit).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.rhythm import ActivityDay
from storage.sql import dialect_insert


class ActivityRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, counts: Mapping[tuple[str, str, date], int]) -> None:
        """Add buffered interaction counts in one upsert whatever their number (this runs inside the batched
        writer's transaction): the database adds to what is stored, so another instance's counts are kept;
        rows go in key order, so two instances lock them in one order."""
        if not counts:
            return
        rows = [
            {"group_key": g, "user_id": u, "day": d, "interactions": n}
            for (g, u, d), n in sorted(counts.items())
        ]
        stmt = dialect_insert(self.session, ActivityDay.__table__)
        stmt = stmt.on_conflict_do_update(
            index_elements=["group_key", "user_id", "day"],
            set_={"interactions": ActivityDay.__table__.c.interactions + stmt.excluded.interactions},
        )
        await self.session.execute(stmt, rows)

    async def interactions(self, group_key: str, first: date, last: date) -> dict[str, int]:
        """Interactions per member between two local days inclusive."""
        stmt = (
            select(ActivityDay.user_id, func.sum(ActivityDay.interactions))
            .where(ActivityDay.group_key == group_key, ActivityDay.day >= first, ActivityDay.day <= last)
            .group_by(ActivityDay.user_id)
        )
        return {user: int(n) for user, n in (await self.session.execute(stmt)).all()}
