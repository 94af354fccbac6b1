"""Points: award or spend with a reason; the ledger keeps every change, the member row the balance."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from storage.models.core import Member, PointsEntry
from storage.repos.members import MemberRepo, new_member_row
from storage.sql import dialect_insert


class NotEnoughPoints(ValueError):
    def __init__(self, balance: int, needed: int) -> None:
        super().__init__(f"balance {balance} < {needed}")
        self.balance = balance
        self.needed = needed


class PointsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def change(
        self,
        group_key: str,
        user_id: str,
        delta: int,
        reason: str,
        source: str,
        at: datetime,
        actor: str | None = None,
        name: str = "",
        allow_negative: bool = False,
    ) -> int:
        """Apply ``delta`` and return the new balance; spending below zero raises ``NotEnoughPoints``.

        One ``UPDATE … SET points = points + delta … RETURNING points``: the database adds, so two
        transactions (two instances on PostgreSQL) changing the same balance at once both count, where a
        read-then-write would lose one. A member not stored yet is created (insert-ignore) and the
        UPDATE tried once more. A gain (or a change allowed below zero) is one upsert instead: the member
        is created with it or their balance added to, so a member's first event being a check-in is one
        statement, not three."""
        balance: int | None
        if delta >= 0 or allow_negative:
            balance = await self._upsert(group_key, user_id, delta, name, at)
        else:
            balance = await self._add(group_key, user_id, delta, allow_negative)
        if balance is None:  # not stored yet, or not enough points
            await MemberRepo(self.session).create(new_member_row(group_key, user_id, name, at))
            balance = await self._add(group_key, user_id, delta, allow_negative)
            if balance is None:
                raise NotEnoughPoints(await self.balance(group_key, user_id), -delta)
        self.session.add(
            PointsEntry(
                ts=at,
                group_key=group_key,
                user_id=user_id,
                delta=delta,
                balance=balance,
                reason=reason,
                source=source,
                actor=actor,
            )
        )
        return balance

    async def _upsert(self, group_key: str, user_id: str, delta: int, name: str, at: datetime) -> int:
        """INSERT the member with ``delta`` points, or add ``delta`` to the stored balance: the new one."""
        members = Member.__table__
        stmt = (
            dialect_insert(self.session, members)
            .values(**{**new_member_row(group_key, user_id, name, at), "points": delta})
            .on_conflict_do_update(
                index_elements=["group_key", "user_id"], set_={"points": members.c.points + delta}
            )
            .returning(members.c.id, members.c.points)
        )
        member_id, balance = (await self.session.execute(stmt)).one()
        self._refresh_loaded(member_id, balance)
        return int(balance)

    def _refresh_loaded(self, member_id: int, balance: int) -> None:
        """A member object read earlier in this session gets the stored result, not a sum computed on its
        copy: another transaction may have changed the balance since it was read."""
        loaded = self.session.identity_map.get(identity_key(Member, member_id))
        if loaded is not None:
            set_committed_value(loaded, "points", balance)

    async def _add(self, group_key: str, user_id: str, delta: int, allow_negative: bool) -> int | None:
        """The new balance, or None when no row matched (no such member, or not enough points)."""
        stmt = (
            update(Member)
            .where(Member.group_key == group_key, Member.user_id == user_id)
            .values(points=Member.points + delta)
            .returning(Member.id, Member.points)
            .execution_options(synchronize_session=False)
        )
        if delta < 0 and not allow_negative:
            stmt = stmt.where(Member.points + delta >= 0)
        row = (await self.session.execute(stmt)).first()
        if row is None:
            return None
        member_id, balance = row
        self._refresh_loaded(member_id, balance)
        return int(balance)

    async def balance(self, group_key: str, user_id: str) -> int:
        """The stored balance (read from the row, never from a member object loaded earlier)."""
        stmt = select(Member.points).where(Member.group_key == group_key, Member.user_id == user_id)
        return int((await self.session.scalar(stmt)) or 0)

    async def history(self, group_key: str, user_id: str, limit: int = 20) -> Sequence[PointsEntry]:
        stmt = (
            select(PointsEntry)
            .where(PointsEntry.group_key == group_key, PointsEntry.user_id == user_id)
            .order_by(PointsEntry.id.desc())
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()

    async def earned_since(self, group_key: str, since: datetime) -> list[tuple[str, int]]:
        """(user, points earned) since a time, highest first: for monthly leaderboards."""
        stmt = (
            select(PointsEntry.user_id, func.sum(PointsEntry.delta))
            .where(PointsEntry.group_key == group_key, PointsEntry.ts >= since, PointsEntry.delta > 0)
            .group_by(PointsEntry.user_id)
            .order_by(func.sum(PointsEntry.delta).desc())
        )
        return [(user, int(total)) for user, total in (await self.session.execute(stmt)).all()]
