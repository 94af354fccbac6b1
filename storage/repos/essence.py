"""精华 rows: one per message (a unique key), searched by keyword on the normalised text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import Member
from storage.models.engagement import Essence
from storage.sql import insert_ignore


class EssenceRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def mark(
        self, group_key: str, message_id: str, author_id: str, text: str, marked_by: str, at: datetime
    ) -> bool:
        """True when the post is new to the list (a second /精华 on it, or a redelivery, is False)."""
        values = {
            "group_key": group_key,
            "message_id": message_id,
            "author_id": author_id,
            "text": text,
            "marked_by": marked_by,
            "marked_at": at,
        }
        return await insert_ignore(self.session, Essence.__table__, values, ("group_key", "message_id"))

    async def latest(self, group_key: str, limit: int = 500) -> Sequence[tuple[Essence, str | None]]:
        """The newest entries with their authors' names (searching happens on these in Python, after
        normalising, so that 繁體, full-width and case all match)."""
        rows = await self.session.execute(
            select(Essence, Member.display_name)
            .outerjoin(
                Member, (Member.group_key == Essence.group_key) & (Member.user_id == Essence.author_id)
            )
            .where(Essence.group_key == group_key)
            .order_by(Essence.marked_at.desc(), Essence.id.desc())
            .limit(limit)
        )
        return [(essence, name) for essence, name in rows.all()]

    async def count_by_author(self, group_key: str, since: datetime, until: datetime) -> dict[str, int]:
        """Posts kept per author in a period: the honours' 最佳分享者."""
        rows = await self.session.execute(
            select(Essence.author_id, func.count())
            .where(Essence.group_key == group_key, Essence.marked_at >= since, Essence.marked_at < until)
            .group_by(Essence.author_id)
        )
        return {author: int(count) for author, count in rows.all()}
