"""Pending join verifications. Repos never commit (``bot/`` commits once per event)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.door import Verification
from storage.sql import dialect_insert

PENDING = "pending"


class VerificationRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def start(
        self,
        group_key: str,
        user_id: str,
        user_name: str,
        method: str,
        answer: int,
        at: datetime,
        deadline: datetime,
        invite_link: str | None,
        actor_id: str | None,
        join_delivery: str,
    ) -> None:
        """A (re)join: the member's row starts over as pending (an upsert, atomic on both dialects)."""
        values = {
            "user_name": user_name,
            "method": method,
            "answer": answer,
            "status": PENDING,
            "started_at": at,
            "deadline": deadline,
            "resolved_at": None,
            "invite_link": invite_link,
            "actor_id": actor_id,
            "join_delivery": join_delivery,
        }
        stmt = dialect_insert(self.session, Verification.__table__).values(
            group_key=group_key, user_id=user_id, **values
        )
        stmt = stmt.on_conflict_do_update(index_elements=["group_key", "user_id"], set_=values)
        await self.session.execute(stmt)

    async def pending(self, group_key: str, user_id: str) -> Verification | None:
        stmt = select(Verification).where(
            Verification.group_key == group_key,
            Verification.user_id == user_id,
            Verification.status == PENDING,
        )
        return (await self.session.scalars(stmt)).first()

    async def resolve(self, group_key: str, user_id: str, status: str, at: datetime) -> bool:
        """Pending → ``status``; False when it was not pending any more (someone else resolved it)."""
        stmt = (
            update(Verification)
            .where(
                Verification.group_key == group_key,
                Verification.user_id == user_id,
                Verification.status == PENDING,
            )
            .values(status=status, resolved_at=at)
        )
        result = await self.session.execute(stmt)
        return bool(getattr(result, "rowcount", 0) == 1)

    async def due(self, group_key: str, now: datetime) -> Sequence[Verification]:
        stmt = (
            select(Verification)
            .where(
                Verification.group_key == group_key,
                Verification.status == PENDING,
                Verification.deadline <= now,
            )
            .order_by(Verification.deadline)
        )
        return (await self.session.scalars(stmt)).all()

    async def next_deadline(self, group_key: str) -> datetime | None:
        stmt = select(func.min(Verification.deadline)).where(
            Verification.group_key == group_key, Verification.status == PENDING
        )
        value: datetime | None = await self.session.scalar(stmt)
        return value
