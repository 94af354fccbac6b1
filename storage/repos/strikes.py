"""Strikes: add one (once per source), count the active ones in a window, list, pardon.

Counting is ``CountWithin`` from tg-spam: rows created after ``now - window`` and not pardoned, summed by
weight, on the index ``(group_key, user_id, created_at)``. Observe-only groups keep their strikes apart
(``observed``), so switching to enforcing does not start members on strikes they were never told about.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.moderation import Strike
from storage.sql import insert_ignore


class StrikeRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self,
        group_key: str,
        user_id: str,
        category: str,
        reason: str,
        source: str,
        at: datetime,
        weight: int = 1,
        actor: str | None = None,
        observed: bool = False,
    ) -> bool:
        """Count a strike; False when ``source`` was already counted for this member (a redelivery)."""
        return await insert_ignore(
            self.session,
            Strike.__table__,
            {
                "group_key": group_key,
                "user_id": user_id,
                "category": category,
                "weight": weight,
                "reason": reason[:2000],
                "actor": actor,
                "source": source[:200],
                "created_at": at,
                "observed": observed,
            },
            ("group_key", "user_id", "source"),
        )

    def _active(self, group_key: str, user_id: str, since: datetime, observed: bool):  # type: ignore[no-untyped-def]
        return (
            Strike.group_key == group_key,
            Strike.user_id == user_id,
            Strike.created_at > since,
            Strike.pardoned_at.is_(None),
            Strike.observed.is_(observed),
        )

    async def count_within(
        self, group_key: str, user_id: str, since: datetime, observed: bool = False
    ) -> int:
        """The weighted number of active strikes created after ``since``."""
        stmt = select(func.coalesce(func.sum(Strike.weight), 0)).where(
            *self._active(group_key, user_id, since, observed)
        )
        return int((await self.session.execute(stmt)).scalar_one())

    async def active(
        self, group_key: str, user_id: str, since: datetime, observed: bool = False
    ) -> Sequence[Strike]:
        """Active strikes, oldest first."""
        stmt = (
            select(Strike)
            .where(*self._active(group_key, user_id, since, observed))
            .order_by(Strike.created_at, Strike.id)
        )
        return (await self.session.scalars(stmt)).all()

    async def pardon_latest(
        self, group_key: str, user_id: str, since: datetime, at: datetime, by: str, observed: bool = False
    ) -> Strike | None:
        """Pardon the most recent active strike (``/unwarn``); None when there is none."""
        stmt = (
            select(Strike)
            .where(*self._active(group_key, user_id, since, observed))
            .order_by(Strike.created_at.desc(), Strike.id.desc())
            .limit(1)
        )
        strike = (await self.session.scalars(stmt)).first()
        if strike is not None:
            strike.pardoned_at = at
            strike.pardoned_by = by
        return strike

    async def pardon_source(self, group_key: str, user_id: str, source: str, at: datetime, by: str) -> bool:
        """Pardon the strike one event caused (``/notspam`` on a message the bot struck for)."""
        stmt = (
            update(Strike)
            .where(
                Strike.group_key == group_key,
                Strike.user_id == user_id,
                Strike.source == source,
                Strike.pardoned_at.is_(None),
            )
            .values(pardoned_at=at, pardoned_by=by)
        )
        result = await self.session.execute(stmt)
        return bool(getattr(result, "rowcount", 0))

    async def pardon_all(self, group_key: str, user_id: str, at: datetime, by: str) -> int:
        """Pardon every strike not pardoned yet (``/pardon``); returns how many."""
        stmt = (
            update(Strike)
            .where(Strike.group_key == group_key, Strike.user_id == user_id, Strike.pardoned_at.is_(None))
            .values(pardoned_at=at, pardoned_by=by)
        )
        result = await self.session.execute(stmt)
        return int(getattr(result, "rowcount", 0) or 0)
