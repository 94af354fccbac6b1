"""Members per group: presence, names, activity counters. Rows are kept after leaving (retention)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import Member
from storage.sql import insert_ignore


def new_member_row(
    group_key: str, user_id: str, name: str, at: datetime, username: str | None = None, is_bot: bool = False
) -> dict[str, Any]:
    """Column values of a member seen for the first time (no join known, nothing counted yet)."""
    return {
        "group_key": group_key,
        "user_id": user_id,
        "display_name": name,
        "username": username,
        "is_bot": is_bot,
        "message_count": 0,
        "points": 0,
        "tier": "regular",
        "last_seen_at": at,
    }


class MemberRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, group_key: str, user_id: str) -> Member | None:
        stmt = select(Member).where(Member.group_key == group_key, Member.user_id == user_id)
        return (await self.session.scalars(stmt)).first()

    async def ensure(
        self,
        group_key: str,
        user_id: str,
        name: str,
        at: datetime,
        username: str | None = None,
        is_bot: bool = False,
    ) -> Member:
        """The member row, created on first sight (a member who spoke before we saw them join).

        Created with ON CONFLICT DO NOTHING and read back, so that the batched counter flush (or another
        instance) creating the same member at the same moment is not an error on PostgreSQL."""
        member = await self.get(group_key, user_id)
        for _ in range(2):  # a second try only if the row was erased between the insert and the read
            if member is not None:
                return member
            row = new_member_row(group_key, user_id, name, at, username, is_bot)
            await insert_ignore(self.session, Member.__table__, row, ("group_key", "user_id"))
            member = await self.get(group_key, user_id)
        if member is None:
            raise RuntimeError(f"member {user_id} of {group_key} vanished twice while being created")
        return member

    async def joined(
        self,
        group_key: str,
        user_id: str,
        name: str,
        at: datetime,
        username: str | None = None,
        is_bot: bool = False,
    ) -> tuple[Member, bool]:
        """Record a join; returns (member, rejoined) where rejoined means they had left before."""
        member = await self.ensure(group_key, user_id, name, at, username, is_bot)
        rejoined = member.left_at is not None
        if member.joined_at is None or rejoined:
            member.joined_at = at
        member.left_at = None
        member.display_name = name
        member.last_seen_at = at
        return member, rejoined

    async def left(self, group_key: str, user_id: str, at: datetime) -> Member | None:
        member = await self.get(group_key, user_id)
        if member is not None:
            member.left_at = at
        return member

    async def spoke(
        self, group_key: str, user_id: str, name: str, at: datetime, username: str | None = None
    ) -> Member:
        member = await self.ensure(group_key, user_id, name, at, username)
        member.message_count = (member.message_count or 0) + 1
        member.last_message_at = at
        member.last_seen_at = at
        if member.first_message_at is None:
            member.first_message_at = at
        if name:
            member.display_name = name
        return member

    async def present(self, group_key: str) -> Sequence[Member]:
        stmt = (
            select(Member).where(Member.group_key == group_key, Member.left_at.is_(None)).order_by(Member.id)
        )
        return (await self.session.scalars(stmt)).all()

    async def count_present(self, group_key: str) -> int:
        stmt = (
            select(func.count())
            .select_from(Member)
            .where(Member.group_key == group_key, Member.left_at.is_(None))
        )
        return int((await self.session.execute(stmt)).scalar_one())

    async def for_user(self, user_id: str) -> Sequence[Member]:
        return (await self.session.scalars(select(Member).where(Member.user_id == user_id))).all()
