"""Warnings to silent members and their settlement (kept or removed), one row per warning."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.engagement import SilenceWarning
from storage.sql import insert_ignore


class SilenceRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def warned(self, group_key: str) -> set[str]:
        """Members with a warning not yet settled (not warned twice)."""
        rows = await self.session.scalars(
            select(SilenceWarning.user_id).where(
                SilenceWarning.group_key == group_key, SilenceWarning.settled_at.is_(None)
            )
        )
        return set(rows.all())

    async def warn(self, group_key: str, user_id: str, at: datetime) -> bool:
        values = {"group_key": group_key, "user_id": user_id, "warned_at": at}
        return await insert_ignore(
            self.session, SilenceWarning.__table__, values, ("group_key", "user_id", "warned_at")
        )

    async def due(self, group_key: str, warned_before: datetime) -> Sequence[SilenceWarning]:
        rows = await self.session.scalars(
            select(SilenceWarning).where(
                SilenceWarning.group_key == group_key,
                SilenceWarning.settled_at.is_(None),
                SilenceWarning.warned_at <= warned_before,
            )
        )
        return rows.all()

    async def settle(self, warning: SilenceWarning, at: datetime) -> bool:
        """True for the one caller that settled it (a second instance or a repeated tick gets False)."""
        result = await self.session.execute(
            update(SilenceWarning)
            .where(SilenceWarning.id == warning.id, SilenceWarning.settled_at.is_(None))
            .values(settled_at=at)
        )
        return bool(getattr(result, "rowcount", 0) == 1)
