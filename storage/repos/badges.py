"""Badges: honours and challenges a member earned, each ``award`` key at most once (a retry or a second
instance awarding it again is a no-op).

Never commits (``bot/`` commits once per event).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.rhythm import Badge
from storage.sql import insert_ignore


class BadgeRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def award(
        self, group_key: str, user_id: str, award: str, name: str, at: datetime, reason: str = ""
    ) -> bool:
        """True when the badge is new; the same ``award`` twice (retry, second instance) is a no-op."""
        return await insert_ignore(
            self.session,
            Badge.__table__,
            {
                "group_key": group_key,
                "user_id": user_id,
                "award": award,
                "name": name,
                "awarded_at": at,
                "reason": reason[:255],
            },
            conflict=("group_key", "user_id", "award"),
        )

    async def of(self, group_key: str, user_id: str) -> list[tuple[str, int]]:
        """(badge name, times awarded), in the order first awarded."""
        stmt = (
            select(Badge.name, func.count(), func.min(Badge.id))
            .where(Badge.group_key == group_key, Badge.user_id == user_id)
            .group_by(Badge.name)
            .order_by(func.min(Badge.id))
        )
        return [(name, int(n)) for name, n, _ in (await self.session.execute(stmt)).all()]
