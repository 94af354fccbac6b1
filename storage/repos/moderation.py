"""Sanctions, reports and nickname deadlines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import Member
from storage.models.moderation import NicknamePending, Report, Sanction
from storage.sql import insert_ignore


class SanctionRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(
        self,
        group_key: str,
        user_id: str,
        kind: str,
        reason: str,
        at: datetime,
        actor: str | None = None,
        until: datetime | None = None,
    ) -> Sanction:
        sanction = Sanction(
            group_key=group_key,
            user_id=user_id,
            kind=kind,
            reason=reason[:2000],
            actor=actor,
            created_at=at,
            until=until,
        )
        self.session.add(sanction)
        return sanction

    async def lift_open(self, group_key: str, user_id: str, at: datetime, by: str) -> list[Sanction]:
        """Lift removals, bans and mutes still in force (a mute whose time is over is not in force)."""
        stmt = select(Sanction).where(
            Sanction.group_key == group_key,
            Sanction.user_id == user_id,
            Sanction.lifted_at.is_(None),
            or_(Sanction.until.is_(None), Sanction.until > at),
        )
        lifted = list((await self.session.scalars(stmt)).all())
        for sanction in lifted:
            sanction.lifted_at = at
            sanction.lifted_by = by
        return lifted

    async def open(self, group_key: str, user_id: str, at: datetime) -> Sequence[Sanction]:
        stmt = (
            select(Sanction)
            .where(
                Sanction.group_key == group_key,
                Sanction.user_id == user_id,
                Sanction.lifted_at.is_(None),
                or_(Sanction.until.is_(None), Sanction.until > at),
            )
            .order_by(Sanction.created_at)
        )
        return (await self.session.scalars(stmt)).all()


class ReportRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self, group_key: str, message_id: str, reporter_id: str, reported_user_id: str | None, at: datetime
    ) -> bool:
        """Record a report; False when this member already reported this message."""
        return await insert_ignore(
            self.session,
            Report.__table__,
            {
                "group_key": group_key,
                "message_id": message_id,
                "reporter_id": reporter_id,
                "reported_user_id": reported_user_id,
                "created_at": at,
            },
            ("group_key", "message_id", "reporter_id"),
        )

    async def reporters(self, group_key: str, message_id: str) -> int:
        stmt = (
            select(func.count())
            .select_from(Report)
            .where(Report.group_key == group_key, Report.message_id == message_id)
        )
        return int((await self.session.execute(stmt)).scalar_one())


class NicknameRepo:
    """Members whose name breaks the format, with their deadlines (the sweep job reads these)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, group_key: str, user_id: str) -> NicknamePending | None:
        stmt = select(NicknamePending).where(
            NicknamePending.group_key == group_key, NicknamePending.user_id == user_id
        )
        return (await self.session.scalars(stmt)).first()

    async def open(
        self,
        group_key: str,
        user_id: str,
        name: str,
        username: str | None,
        at: datetime,
        deadline: datetime,
        next_reminder: datetime,
    ) -> bool:
        """Start the grace period; False when one is already running (it keeps its deadline)."""
        return await insert_ignore(
            self.session,
            NicknamePending.__table__,
            {
                "group_key": group_key,
                "user_id": user_id,
                "name": name[:255],
                "username": username,
                "noticed_at": at,
                "deadline_at": deadline,
                "next_reminder_at": next_reminder,
                "reminders": 1,
                "consequences": 0,
            },
            ("group_key", "user_id"),
        )

    async def close(self, group_key: str, user_id: str) -> bool:
        """End the grace period (name fixed, member left); True when there was one."""
        stmt = delete(NicknamePending).where(
            NicknamePending.group_key == group_key, NicknamePending.user_id == user_id
        )
        result = await self.session.execute(stmt)
        return bool(getattr(result, "rowcount", 0))

    async def forget(self, row: NicknamePending) -> None:
        """Drop a row already loaded (``due``): deleted with the event's other writes, no extra query."""
        await self.session.delete(row)

    async def due(self, group_key: str, at: datetime) -> Sequence[NicknamePending]:
        """Rows whose reminder or deadline has come."""
        stmt = (
            select(NicknamePending)
            .where(
                NicknamePending.group_key == group_key,
                or_(NicknamePending.next_reminder_at <= at, NicknamePending.deadline_at <= at),
            )
            .order_by(NicknamePending.deadline_at, NicknamePending.id)
        )
        return (await self.session.scalars(stmt)).all()


async def members_by_id(session: AsyncSession, group_key: str, user_ids: Sequence[str]) -> dict[str, Member]:
    if not user_ids:
        return {}
    stmt = select(Member).where(Member.group_key == group_key, Member.user_id.in_(list(user_ids)))
    return {m.user_id: m for m in (await session.scalars(stmt)).all()}
