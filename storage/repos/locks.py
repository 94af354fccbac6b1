"""Locks admins set or lifted by command. Repos never commit (``bot/`` commits once per event)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.door import GroupLock
from storage.sql import dialect_insert


class LockRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def overrides(self, group_key: str) -> dict[str, bool]:
        """kind → locked (True) or unlocked (False), for the kinds an admin changed."""
        rows = await self.session.scalars(select(GroupLock).where(GroupLock.group_key == group_key))
        return {row.kind: row.locked for row in rows}

    async def set(self, group_key: str, kind: str, locked: bool, by: str, at: datetime) -> None:
        values = {"locked": locked, "set_by": by, "set_at": at}
        stmt = dialect_insert(self.session, GroupLock.__table__).values(
            group_key=group_key, kind=kind, **values
        )
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=["group_key", "kind"], set_=values)
        )
