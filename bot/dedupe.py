"""Recent deliveries in memory, so a redelivery is caught without a database round trip.

The ids are persisted in the batched writes and loaded back at start (the last ``window``), so a
redelivery after a restart is caught too. Scheduler ticks are claimed in the database instead (strict),
because two instances may fire the same job.

Memory: what is kept is each id's 64-bit hash in two generations of plain sets, not the id strings in an
ordered dict (~75 bytes an id instead of ~175; 200,000 ids were ~35 MB of a 1,000-group process). When the
newer generation is full it becomes the older one and the oldest generation is dropped: an id is remembered
for at least ``capacity`` // 2 and at most ``capacity`` later deliveries. Two different ids share a hash
with a chance of about 1 in 10^9 at full capacity; the hash is the process's own ``hash`` (salted per run),
and ``load`` rebuilds the sets from the stored ids at start.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import Delivery


class RecentDeliveries:
    __slots__ = ("_generation", "_newer", "_older", "capacity")

    def __init__(self, capacity: int = 200_000) -> None:
        if capacity < 2:
            raise ValueError(f"capacity must be at least 2, got {capacity}")
        self.capacity = capacity
        self._generation = capacity // 2
        self._newer: set[int] = set()
        self._older: set[int] = set()

    def __len__(self) -> int:
        return len(self._newer) + len(self._older)

    def __contains__(self, delivery: str) -> bool:
        key = hash(delivery)
        return key in self._newer or key in self._older

    def first_time(self, delivery: str) -> bool:
        """True (and remembered) the first time; False for a repeat."""
        if delivery in self:
            return False
        self._remember(hash(delivery))
        return True

    def forget(self, delivery: str) -> None:
        key = hash(delivery)
        self._newer.discard(key)
        self._older.discard(key)

    def _remember(self, key: int) -> None:
        newer = self._newer
        newer.add(key)
        if len(newer) >= self._generation:
            self._older, self._newer = newer, set()

    async def load(self, session: AsyncSession, since: datetime) -> int:
        stmt = select(Delivery.delivery).where(Delivery.seen_at >= since).order_by(Delivery.seen_at)
        count = 0
        for delivery in (await session.scalars(stmt)).all():
            self.first_time(delivery)
            count += 1
        return count
