"""The event log: append rows (batched), read them back for export and stats."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import EventLogRow
from storage.types import UTCDateTime

__all__ = [
    "EventLogRow",
    "LogRow",
    "append",
    "count",
    "count_by_kind",
    "delete_before",
    "erase_user",
    "iter_rows",
]


@dataclass(frozen=True, slots=True)
class LogRow:
    """One event-log row, its detail serialised to JSON when it is made: a detail that cannot be stored
    fails at the event that made it, never the batch it would have been flushed with, and the flush only
    binds strings."""

    ts: datetime
    platform: str
    group_key: str
    kind: str
    reason: str = ""
    user_id: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)
    detail_json: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # json.dumps with its defaults: the same text SQLAlchemy's JSON type writes.
        object.__setattr__(self, "detail_json", json.dumps(dict(self.detail)))

    def values(self) -> dict[str, Any]:
        return {
            "ts": self.ts,
            "platform": self.platform,
            "group_key": self.group_key,
            "user_id": self.user_id,
            "kind": self.kind,
            "reason": self.reason,
            "detail": self.detail_json,
        }


# Plain SQL for the batch (executemany): no ORM unit of work, no per-row JSON processing at flush time;
# only the time goes through its column type (UTC, as every other time column is stored).
_INSERT = text(
    "INSERT INTO event_log (ts, platform, group_key, user_id, kind, reason, detail) "
    "VALUES (:ts, :platform, :group_key, :user_id, :kind, :reason, :detail)"
).bindparams(bindparam("ts", type_=UTCDateTime()))


async def append(session: AsyncSession, rows: Sequence[LogRow]) -> None:
    """One INSERT for the batch (executemany on both drivers)."""
    if rows:
        await session.execute(_INSERT, [row.values() for row in rows])


async def iter_rows(
    session: AsyncSession,
    since: datetime | None = None,
    until: datetime | None = None,
    group_key: str | None = None,
    user_id: str | None = None,
    kinds: Sequence[str] | None = None,
    chunk: int = 2000,
) -> AsyncIterator[EventLogRow]:
    """Rows in time order (ties in id order), streamed in chunks so a large export does not load the whole
    log. Time, not id, because batched rows and an event's own transaction may reach the table in either
    order."""
    last: tuple[datetime, int] | None = None
    while True:
        stmt = select(EventLogRow).order_by(EventLogRow.ts, EventLogRow.id).limit(chunk)
        if last is not None:
            stmt = stmt.where(
                or_(EventLogRow.ts > last[0], and_(EventLogRow.ts == last[0], EventLogRow.id > last[1]))
            )
        if since is not None:
            stmt = stmt.where(EventLogRow.ts >= since)
        if until is not None:
            stmt = stmt.where(EventLogRow.ts < until)
        if group_key is not None:
            stmt = stmt.where(EventLogRow.group_key == group_key)
        if user_id is not None:
            stmt = stmt.where(EventLogRow.user_id == user_id)
        if kinds:
            stmt = stmt.where(EventLogRow.kind.in_(list(kinds)))
        batch = (await session.scalars(stmt)).all()
        if not batch:
            return
        for row in batch:
            yield row
        last = (batch[-1].ts, batch[-1].id)


async def count_by_kind(session: AsyncSession, group_key: str | None = None) -> dict[str, int]:
    stmt = select(EventLogRow.kind, func.count()).group_by(EventLogRow.kind)
    if group_key:
        stmt = stmt.where(EventLogRow.group_key == group_key)
    return {kind: int(n) for kind, n in (await session.execute(stmt)).all()}


async def count(
    session: AsyncSession,
    kind: str,
    group_key: str,
    user_id: str | None = None,
    since: datetime | None = None,
) -> int:
    stmt = (
        select(func.count())
        .select_from(EventLogRow)
        .where(EventLogRow.kind == kind, EventLogRow.group_key == group_key)
    )
    if user_id is not None:
        stmt = stmt.where(EventLogRow.user_id == user_id)
    if since is not None:
        stmt = stmt.where(EventLogRow.ts >= since)
    return int((await session.execute(stmt)).scalar_one())


async def erase_user(session: AsyncSession, user_id: str, pseudonym: str) -> int:
    """GDPR/PIPL erasure: the user's rows stay (the audit trail) but lose the id and the detail."""
    result = await session.execute(
        update(EventLogRow).where(EventLogRow.user_id == user_id).values(user_id=pseudonym, detail={})
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def delete_before(session: AsyncSession, before: datetime, group_key: str | None = None) -> int:
    """Delete log rows older than ``before`` (of one group where ``group_key`` is given); how many."""
    stmt = delete(EventLogRow).where(EventLogRow.ts < before)
    if group_key is not None:
        stmt = stmt.where(EventLogRow.group_key == group_key)
    result = await session.execute(stmt)
    return int(getattr(result, "rowcount", 0) or 0)
