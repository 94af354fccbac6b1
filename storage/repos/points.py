"""Points: award or spend with a reason; the ledger keeps every change, the member row the balance."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import PointsEntry
from storage.repos.members import MemberRepo


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
        """Apply ``delta`` and return the new balance; spending below zero raises ``NotEnoughPoints``."""
        member = await MemberRepo(self.session).ensure(group_key, user_id, name, at)
        balance = (member.points or 0) + delta
        if balance < 0 and not allow_negative:
            raise NotEnoughPoints(member.points or 0, -delta)
        member.points = balance
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

    async def balance(self, group_key: str, user_id: str) -> int:
        member = await MemberRepo(self.session).get(group_key, user_id)
        return member.points if member is not None else 0

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
