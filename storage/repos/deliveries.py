"""Dedupe of platform deliveries (webhook redeliveries, overlapping polls, WeCom's 3 retries)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import Delivery
from storage.sql import insert_ignore


async def claim(session: AsyncSession, delivery: str, at: datetime) -> bool:
    """True the first time ``delivery`` is seen; False for every later delivery of it."""
    return await insert_ignore(
        session, Delivery.__table__, {"delivery": delivery, "seen_at": at}, conflict=("delivery",)
    )


async def forget_before(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(delete(Delivery).where(Delivery.seen_at < before))
    return int(getattr(result, "rowcount", 0) or 0)


class DeliveryRepo:
    """The same over one session, as handlers see it (``ctx.repos.deliveries``): ``claim("once:…")`` makes a
    scheduled run act once across instances and redeliveries."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, delivery: str, at: datetime) -> bool:
        return await claim(self.session, delivery, at)

    async def forget_before(self, before: datetime) -> int:
        return await forget_before(self.session, before)
