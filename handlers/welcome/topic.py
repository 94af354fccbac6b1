"""The seam to the topics feature: today's topic, as the topics feature recorded it.

``handlers/topics`` stores every topic it posts in ``topic_posts`` (one row per run, with the group's
local ``day``). The welcome reads the topic of the day from there, preferring the morning topic
(``topics.daily``) over calendar slots; the caller falls back to the configured pool when nothing was
posted yet today (a newcomer who joins before the morning post).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.rhythm import TopicPost

DAILY_JOB = "topics.daily"


async def topic_today(session: AsyncSession, group_key: str, local_date: date) -> str | None:
    """The topic posted in the group on its local day ``local_date``, or None."""
    stmt = (
        select(TopicPost.topic)
        .where(TopicPost.group_key == group_key, TopicPost.day == local_date)
        .order_by(case((TopicPost.job == DAILY_JOB, 0), else_=1), TopicPost.posted_at.desc())
        .limit(1)
    )
    topic = (await session.scalars(stmt)).first()
    return topic.strip() or None if topic else None
