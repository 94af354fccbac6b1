"""The outbox's rows (``storage/models/outbox.py``): written with an event's commit, deleted once tried,
taken over from a process that is gone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.outbox import OutboxEntry

# plain Core, not the ORM's bulk path (~0.1 ms less on every event that decides a platform action)
_INSERT = cast(Table, OutboxEntry.__table__).insert()


async def add(session: AsyncSession, rows: Sequence[dict[str, object]]) -> None:
    if rows:
        await session.execute(_INSERT, list(rows))


async def done(session: AsyncSession, keys: Sequence[str]) -> None:
    if keys:
        await session.execute(delete(OutboxEntry).where(OutboxEntry.key.in_(list(keys))))


async def owners(session: AsyncSession, other_than: str) -> list[str]:
    rows = await session.scalars(select(OutboxEntry.owner).where(OutboxEntry.owner != other_than).distinct())
    return list(rows.all())


async def take(session: AsyncSession, owner: str) -> list[tuple[str, str, datetime]]:
    """Remove and return a gone process's rows, oldest first: DELETE … RETURNING, so of two processes
    taking over at once only one gets each row."""
    result = await session.execute(
        delete(OutboxEntry)
        .where(OutboxEntry.owner == owner)
        .returning(OutboxEntry.group_key, OutboxEntry.action, OutboxEntry.created_at)
    )
    return sorted(((g, a, c) for g, a, c in result.all()), key=lambda row: row[2])
