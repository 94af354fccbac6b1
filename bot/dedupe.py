"""Recent deliveries in memory, so a redelivery is caught without a database round trip.

The ids are persisted in the batched writes and loaded back at start (the last ``window``), so a
redelivery after a restart is caught too. Scheduler ticks are claimed in the database instead (strict),
because two instances may fire the same job.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import Delivery


class RecentDeliveries:
    def __init__(self, capacity: int = 200_000) -> None:
        self.capacity = capacity
        self._seen: OrderedDict[str, None] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    def first_time(self, delivery: str) -> bool:
        """True (and remembered) the first time; False for a repeat."""
        if delivery in self._seen:
            return False
        self._seen[delivery] = None
        if len(self._seen) > self.capacity:
            self._seen.popitem(last=False)
        return True

    def forget(self, delivery: str) -> None:
        self._seen.pop(delivery, None)

    async def load(self, session: AsyncSession, since: datetime) -> int:
        stmt = select(Delivery.delivery).where(Delivery.seen_at >= since).order_by(Delivery.seen_at)
        count = 0
        for delivery in (await session.scalars(stmt)).all():
            self._seen[delivery] = None
            count += 1
        while len(self._seen) > self.capacity:
            self._seen.popitem(last=False)
        return count
