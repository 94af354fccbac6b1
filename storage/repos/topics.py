"""Topics: the topics posted (per job and scheduled run) and each pool's rotation (which items a round used).

Never commits (``bot/`` commits once per event). A run is recorded through ``insert_ignore``, so two
instances posting the same run record it once.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.rhythm import TopicPost, TopicUse
from storage.sql import insert_ignore

DAILY_JOB = "topics.daily"


class TopicRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def for_day(self, group_key: str, day: date) -> str | None:
        """The topic the group got on its local ``day``: the morning topic if there was one, else the first
        calendar topic of that day; None before anything was posted."""
        stmt = (
            select(TopicPost.topic)
            .where(TopicPost.group_key == group_key, TopicPost.day == day)
            .order_by((TopicPost.job != DAILY_JOB), TopicPost.scheduled_for, TopicPost.id)
            .limit(1)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def for_welcome(self, group_key: str, day: date) -> str | None:
        """The topic a newcomer is shown on the group's local ``day``: the morning topic if there was one,
        else the latest calendar topic posted that day; None before anything was posted."""
        stmt = (
            select(TopicPost.topic)
            .where(TopicPost.group_key == group_key, TopicPost.day == day)
            .order_by(case((TopicPost.job == DAILY_JOB, 0), else_=1), TopicPost.posted_at.desc())
            .limit(1)
        )
        topic = (await self.session.scalars(stmt)).first()
        return topic.strip() or None if topic else None

    async def posted_on(self, group_key: str, job: str, day: date) -> bool:
        """Did ``job`` already post on the local ``day``?"""
        stmt = (
            select(TopicPost.id)
            .where(TopicPost.group_key == group_key, TopicPost.job == job, TopicPost.day == day)
            .limit(1)
        )
        return (await self.session.execute(stmt)).first() is not None

    async def record(
        self,
        group_key: str,
        job: str,
        day: date,
        scheduled_for: datetime,
        posted_at: datetime,
        topic: str,
        text: str,
    ) -> bool:
        """Remember a posted topic; False if this run was already recorded (another instance posted it)."""
        return await insert_ignore(
            self.session,
            TopicPost.__table__,
            {
                "group_key": group_key,
                "job": job,
                "day": day,
                "scheduled_for": scheduled_for,
                "posted_at": posted_at,
                "topic": topic,
                "text": text,
            },
            conflict=("group_key", "job", "scheduled_for"),
        )

    async def rotation(self, group_key: str, pool: str) -> tuple[int, set[str], str | None]:
        """The current round of a pool, the items used in it, and the last item used (round 0, nothing
        used, None at first)."""
        last = (
            await self.session.execute(
                select(TopicUse.round, TopicUse.item)
                .where(TopicUse.group_key == group_key, TopicUse.pool == pool)
                .order_by(TopicUse.id.desc())
                .limit(1)
            )
        ).first()
        if last is None:
            return 0, set(), None
        current = int(last[0])
        used = await self.session.scalars(
            select(TopicUse.item).where(
                TopicUse.group_key == group_key, TopicUse.pool == pool, TopicUse.round == current
            )
        )
        return current, set(used), str(last[1])

    async def use(self, group_key: str, pool: str, round_: int, item: str, at: datetime) -> bool:
        """Mark ``item`` used in ``round_`` of the pool; False if it already was (a retry)."""
        return await insert_ignore(
            self.session,
            TopicUse.__table__,
            {"group_key": group_key, "pool": pool, "round": round_, "item": item, "used_at": at},
            conflict=("group_key", "pool", "round", "item"),
        )
