"""Raid mode periods. Repos never commit (``bot/`` commits once per event)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.door import Raid


class RaidRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current(self, group_key: str) -> Raid | None:
        """The raid not yet ended (announced) in the group, if any."""
        stmt = (
            select(Raid)
            .where(Raid.group_key == group_key, Raid.ended_at.is_(None))
            .order_by(Raid.started_at.desc())
        )
        return (await self.session.scalars(stmt)).first()

    async def active(self, group_key: str, now: datetime) -> Raid | None:
        raid = await self.current(group_key)
        return raid if raid is not None and raid.until > now else None

    async def start(self, group_key: str, at: datetime, until: datetime, trigger_joins: int) -> Raid:
        raid = Raid(
            group_key=group_key, started_at=at, until=until, trigger_joins=trigger_joins, joins=0, held=0
        )
        self.session.add(raid)
        await self.session.flush()
        return raid

    async def count(self, raid_id: int, joins: int = 0, held: int = 0) -> None:
        stmt = update(Raid).where(Raid.id == raid_id).values(joins=Raid.joins + joins, held=Raid.held + held)
        await self.session.execute(stmt)

    async def end(self, raid_id: int, at: datetime) -> bool:
        stmt = update(Raid).where(Raid.id == raid_id, Raid.ended_at.is_(None)).values(ended_at=at)
        result = await self.session.execute(stmt)
        return bool(getattr(result, "rowcount", 0) == 1)
