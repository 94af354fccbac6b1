"""Members per group: presence, names, activity counters. Rows are kept after leaving (retention)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import Member
from storage.sql import dialect_insert, insert_ignore


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


async def add_message_counts(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Add a batch of buffered message counters (rows of ``new_member_row`` with ``message_count``,
    ``first_message_at`` and ``last_message_at`` set) in one upsert, executed once for all rows.

    The database adds the counts (``message_count + excluded``) instead of writing back a value read
    earlier, so two instances flushing counters of one member at once both count. Members not stored
    yet are created by the same statement. Rows go in key order: two instances lock them in one order."""
    if not rows:
        return
    table = Member.__table__
    stmt = dialect_insert(session, table)
    new = stmt.excluded

    def later(column: str) -> ColumnElement[Any]:
        return case(
            (or_(table.c[column].is_(None), new[column] > table.c[column]), new[column]),
            else_=table.c[column],
        )

    stmt = stmt.on_conflict_do_update(
        index_elements=["group_key", "user_id"],
        set_={
            "message_count": table.c.message_count + new.message_count,
            "first_message_at": func.coalesce(table.c.first_message_at, new.first_message_at),
            "last_message_at": later("last_message_at"),
            "last_seen_at": later("last_seen_at"),
            "display_name": case((new.display_name != "", new.display_name), else_=table.c.display_name),
            "username": func.coalesce(new.username, table.c.username),
        },
    )
    await session.execute(stmt, sorted(rows, key=lambda row: (row["group_key"], row["user_id"])))


class History(NamedTuple):
    joined_at: datetime | None
    first_message_at: datetime | None
    message_count: int


class MemberRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def register_name(self, group_key: str, user_id: str, name: str) -> bool:
        """Keep ``name`` as the member's group name (``/nick``); False when they have no row here."""
        member = await self.get(group_key, user_id)
        if member is None:
            return False
        member.registered_name = name[:255]
        return True

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
            await self.create(new_member_row(group_key, user_id, name, at, username, is_bot))
            member = await self.get(group_key, user_id)
        if member is None:
            raise RuntimeError(f"member {user_id} of {group_key} vanished twice while being created")
        return member

    async def create(self, row: dict[str, Any]) -> bool:
        """Store a member row of ``new_member_row``; False (and nothing changed) if it exists already.
        ON CONFLICT DO NOTHING, so another transaction creating the same member at once is not an error."""
        return await insert_ignore(self.session, Member.__table__, row, ("group_key", "user_id"))

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

    async def history(self, group_key: str, user_id: str) -> History | None:
        """When a member joined and first spoke, and how much; None for one never stored. One narrow
        query that loads no row into the session (the ad check asks it on a member's message)."""
        stmt = select(Member.joined_at, Member.first_message_at, Member.message_count).where(
            Member.group_key == group_key, Member.user_id == user_id
        )
        row = (await self.session.execute(stmt)).first()
        return None if row is None else History(row.joined_at, row.first_message_at, row.message_count or 0)

    async def named(self, group_key: str, handle: str) -> Sequence[Member]:
        """Every member ``handle`` could mean: by user id, ``@username`` (case-insensitive) or exact
        display name; one query. Which of them is meant is ``rules.targets.pick``'s to say."""
        stmt = select(Member).where(
            Member.group_key == group_key,
            or_(
                Member.user_id == handle,
                func.lower(Member.username) == handle.lower(),
                Member.display_name == handle,
            ),
        )
        return (await self.session.scalars(stmt)).all()

    async def for_user(self, user_id: str) -> Sequence[Member]:
        return (await self.session.scalars(select(Member).where(Member.user_id == user_id))).all()
