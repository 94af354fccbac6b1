"""Join requests waiting for their questionnaire or an admin. Repos never commit (``bot/`` commits once
per event)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.door import JoinRequest
from storage.sql import dialect_insert

PENDING = "pending"


class JoinRequestRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def start(
        self,
        group_key: str,
        user_id: str,
        user_name: str,
        private_chat_id: str,
        questions: list[list[str]],
        at: datetime,
        deadline: datetime,
        invite_link: str | None,
        delivery: str,
    ) -> bool:
        """A request: a new row, or one that starts over after an earlier request ended. False when this
        delivery was already seen, or the member's earlier request is still pending (nothing asked twice)."""
        values = {
            "user_name": user_name,
            "private_chat_id": private_chat_id,
            "questions": questions,
            "status": PENDING,
            "requested_at": at,
            "deadline": deadline,
            "resolved_at": None,
            "resolved_by": None,
            "invite_link": invite_link,
            "delivery": delivery,
        }
        table = JoinRequest.__table__
        stmt = dialect_insert(self.session, table).values(group_key=group_key, user_id=user_id, **values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["group_key", "user_id"],
            set_=values,
            where=(table.c.status != PENDING) & (table.c.delivery != delivery),
        )
        result = await self.session.execute(stmt)
        return bool(getattr(result, "rowcount", 0) == 1)

    async def pending(self, group_key: str, user_id: str) -> JoinRequest | None:
        stmt = select(JoinRequest).where(
            JoinRequest.group_key == group_key,
            JoinRequest.user_id == user_id,
            JoinRequest.status == PENDING,
        )
        return (await self.session.scalars(stmt)).first()

    async def pending_for_user(self, user_id: str) -> JoinRequest | None:
        """The member's most recent pending request (their private answers go to it)."""
        stmt = (
            select(JoinRequest)
            .where(JoinRequest.user_id == user_id, JoinRequest.status == PENDING)
            .order_by(JoinRequest.requested_at.desc())
        )
        return (await self.session.scalars(stmt)).first()

    async def approved_since(self, group_key: str, user_id: str, since: datetime) -> bool:
        """The member's request was approved after ``since`` (they passed the door before joining)."""
        stmt = select(JoinRequest.id).where(
            JoinRequest.group_key == group_key,
            JoinRequest.user_id == user_id,
            JoinRequest.status == "approved",
            JoinRequest.resolved_at >= since,
        )
        return (await self.session.scalar(stmt)) is not None

    async def resolve(
        self, group_key: str, user_id: str, status: str, at: datetime, by: str | None = None
    ) -> bool:
        """Pending → ``status``; False when it was not pending any more (answered, pressed or swept)."""
        stmt = (
            update(JoinRequest)
            .where(
                JoinRequest.group_key == group_key,
                JoinRequest.user_id == user_id,
                JoinRequest.status == PENDING,
            )
            .values(status=status, resolved_at=at, resolved_by=by)
        )
        result = await self.session.execute(stmt)
        return bool(getattr(result, "rowcount", 0) == 1)

    async def due(self, group_key: str, now: datetime) -> Sequence[JoinRequest]:
        stmt = (
            select(JoinRequest)
            .where(
                JoinRequest.group_key == group_key,
                JoinRequest.status == PENDING,
                JoinRequest.deadline <= now,
            )
            .order_by(JoinRequest.deadline)
        )
        return (await self.session.scalars(stmt)).all()

    async def next_deadline(self, group_key: str) -> datetime | None:
        stmt = select(func.min(JoinRequest.deadline)).where(
            JoinRequest.group_key == group_key, JoinRequest.status == PENDING
        )
        value: datetime | None = await self.session.scalar(stmt)
        return value
