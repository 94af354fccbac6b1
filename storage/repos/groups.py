"""Groups the bot is in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import Group


class GroupRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def ensure(self, key: str, platform: str, chat_id: str, title: str, at: datetime) -> Group:
        group = await self.session.get(Group, key)
        if group is None:
            group = Group(
                key=key, platform=platform, chat_id=chat_id, title=title, first_seen=at, updated_at=at
            )
            self.session.add(group)
        elif title and group.title != title:
            group.title = title
            group.updated_at = at
        return group

    async def title(self, key: str) -> str:
        """The group's name as the platform last showed it ("" if unknown)."""
        group = await self.session.get(Group, key)
        return group.title if group is not None else ""

    async def set_rights(self, key: str, rights: Mapping[str, Any], at: datetime) -> None:
        group = await self.session.get(Group, key)
        if group is not None:
            group.rights = dict(rights)
            group.updated_at = at

    async def all(self, platform: str | None = None) -> Sequence[Group]:
        stmt = select(Group).order_by(Group.key)
        if platform:
            stmt = stmt.where(Group.platform == platform)
        return (await self.session.scalars(stmt)).all()
