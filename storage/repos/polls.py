"""Polls and votes. A vote is an upsert on (poll, member), so pressing twice or on two instances at once
leaves one row; closing is a conditional UPDATE, so exactly one instance announces the results."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import Member
from storage.models.engagement import Poll, PollVote
from storage.sql import dialect_insert


class PollRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def open(
        self,
        group_key: str,
        question: str,
        options: Sequence[str],
        anonymous: bool,
        created_by: str,
        at: datetime,
        closes_at: datetime,
    ) -> Poll:
        poll = Poll(
            group_key=group_key,
            question=question,
            options=list(options),
            anonymous=anonymous,
            created_by=created_by,
            created_at=at,
            closes_at=closes_at,
        )
        self.session.add(poll)
        await self.session.flush()  # the id goes into the buttons
        return poll

    async def get(self, group_key: str, poll_id: int) -> Poll | None:
        poll = await self.session.get(Poll, poll_id)
        return poll if poll is not None and poll.group_key == group_key else None

    async def vote(self, poll_id: int, user_id: str, option: int, at: datetime) -> int | None:
        """Record the member's choice; returns the option they had before (None for a first vote)."""
        before = await self.session.scalar(
            select(PollVote.option).where(PollVote.poll_id == poll_id, PollVote.user_id == user_id)
        )
        stmt = dialect_insert(self.session, PollVote.__table__).values(
            poll_id=poll_id, user_id=user_id, option=option, voted_at=at
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["poll_id", "user_id"], set_={"option": option, "voted_at": at}
        )
        await self.session.execute(stmt)
        return before

    async def counts(self, poll_id: int) -> dict[int, int]:
        rows = await self.session.execute(
            select(PollVote.option, func.count()).where(PollVote.poll_id == poll_id).group_by(PollVote.option)
        )
        return {int(option): int(count) for option, count in rows.all()}

    async def voters(self, poll: Poll) -> dict[int, list[str]]:
        """Option → the voters' names (for polls that are not anonymous)."""
        rows = await self.session.execute(
            select(PollVote.option, Member.display_name, PollVote.user_id)
            .outerjoin(Member, (Member.group_key == poll.group_key) & (Member.user_id == PollVote.user_id))
            .where(PollVote.poll_id == poll.id)
            .order_by(PollVote.voted_at)
        )
        names: dict[int, list[str]] = {}
        for option, name, user_id in rows.all():
            names.setdefault(int(option), []).append(name or user_id)
        return names

    async def due(self, group_key: str, now: datetime) -> Sequence[Poll]:
        rows = await self.session.scalars(
            select(Poll)
            .where(Poll.group_key == group_key, Poll.closed_at.is_(None), Poll.closes_at <= now)
            .order_by(Poll.closes_at)
        )
        return rows.all()

    async def next_closing(self, group_key: str) -> datetime | None:
        """When the group's next open poll closes (None: no open poll)."""
        return await self.session.scalar(
            select(func.min(Poll.closes_at)).where(Poll.group_key == group_key, Poll.closed_at.is_(None))
        )

    async def close(self, poll: Poll, at: datetime) -> bool:
        """True for the one caller that closed it (another instance, or a redelivered tick, gets False)."""
        result = await self.session.execute(
            update(Poll).where(Poll.id == poll.id, Poll.closed_at.is_(None)).values(closed_at=at)
        )
        return bool(getattr(result, "rowcount", 0) == 1)
