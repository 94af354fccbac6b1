"""Broadcasts and their per-group deliveries. A delivery is sent by whoever claims it (a conditional
UPDATE of ``sent_at``), so a redelivered tick, a second press or a second instance never posts twice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.broadcast import Broadcast, BroadcastDelivery
from storage.sql import insert_ignore, insert_ignore_many


def schedule(group_keys: Sequence[str], start: datetime, per_minute: int) -> list[tuple[str, datetime]]:
    """When each group gets its copy: ``per_minute`` groups a minute, in the order given (the rate limit
    that keeps a broadcast to hundreds of groups inside the platforms' limits)."""
    return [(key, start + timedelta(minutes=i // per_minute)) for i, key in enumerate(group_keys)]


class BroadcastRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create(self, text: str, origin: str, created_by: str, at: datetime) -> Broadcast:
        row = Broadcast(text=text, origin=origin, created_by=created_by, created_at=at)
        self.session.add(row)
        await self.session.flush()  # the id goes into buttons and delivery rows
        return row

    async def get(self, broadcast_id: int) -> Broadcast | None:
        return await self.session.get(Broadcast, broadcast_id)

    async def plan(self, broadcast_id: int, when: Sequence[tuple[str, datetime]]) -> None:
        """A pending delivery per group (a group planned twice keeps its first row)."""
        rows = [{"broadcast_id": broadcast_id, "group_key": key, "not_before": at} for key, at in when]
        await insert_ignore_many(
            self.session, BroadcastDelivery.__table__, rows, ["broadcast_id", "group_key"]
        )

    async def groups_due(self, now: datetime) -> set[str]:
        """Groups with a copy waiting to be sent (one query for the whole process per check)."""
        rows = await self.session.scalars(
            select(BroadcastDelivery.group_key)
            .where(BroadcastDelivery.sent_at.is_(None), BroadcastDelivery.not_before <= now)
            .distinct()
        )
        return set(rows.all())

    async def due(self, group_key: str, now: datetime) -> Sequence[Broadcast]:
        """The broadcasts whose copy for this group is due and not sent yet, oldest first."""
        rows = await self.session.scalars(
            select(Broadcast)
            .join(BroadcastDelivery, Broadcast.id == BroadcastDelivery.broadcast_id)
            .where(
                BroadcastDelivery.group_key == group_key,
                BroadcastDelivery.sent_at.is_(None),
                BroadcastDelivery.not_before <= now,
            )
            .order_by(BroadcastDelivery.not_before, BroadcastDelivery.id)
        )
        return rows.all()

    async def claim(self, broadcast_id: int, group_key: str, now: datetime) -> bool:
        """Mark the group's copy sent; True for the one caller that did (the others must not post).
        A group with no planned copy (an admin's press) gets one, sent now."""
        fresh = await insert_ignore(
            self.session,
            BroadcastDelivery.__table__,
            {"broadcast_id": broadcast_id, "group_key": group_key, "not_before": now, "sent_at": now},
            ["broadcast_id", "group_key"],
        )
        if fresh:
            return True
        result = await self.session.execute(
            update(BroadcastDelivery)
            .where(
                BroadcastDelivery.broadcast_id == broadcast_id,
                BroadcastDelivery.group_key == group_key,
                BroadcastDelivery.sent_at.is_(None),
            )
            .values(sent_at=now)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    async def progress(self, broadcast_id: int) -> tuple[int, int]:
        """(sent, waiting) copies of a broadcast."""
        rows = await self.session.execute(
            select(BroadcastDelivery.sent_at.is_(None), func.count())
            .where(BroadcastDelivery.broadcast_id == broadcast_id)
            .group_by(BroadcastDelivery.sent_at.is_(None))
        )
        counts = {bool(waiting): int(n) for waiting, n in rows.all()}
        return counts.get(False, 0), counts.get(True, 0)
