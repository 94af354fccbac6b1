"""Rhythm repositories: topics posted and rotated, check-ins, profiles, badges, stock, activity.

Never commits (``bot/`` commits once per event). Writes that must be unique across instances go
through ``insert_ignore`` or a conditional UPDATE whose row count says who won.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import Member
from storage.models.rhythm import ActivityDay, Badge, Checkin, RedeemStock, RhythmProfile, TopicPost, TopicUse
from storage.sql import dialect_insert, insert_ignore

DAILY_JOB = "topics.daily"


async def topic_for_day(session: AsyncSession, group_key: str, day: date) -> str | None:
    """The topic the group got on its local ``day``: the morning topic if there was one, else the first
    calendar topic of that day; None before anything was posted (the welcome then leaves it out)."""
    stmt = (
        select(TopicPost.topic)
        .where(TopicPost.group_key == group_key, TopicPost.day == day)
        .order_by((TopicPost.job != DAILY_JOB), TopicPost.scheduled_for, TopicPost.id)
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def welcome_topic(session: AsyncSession, group_key: str, day: date) -> str | None:
    """The topic a newcomer is shown on the group's local ``day``: the morning topic if there was one,
    else the latest calendar topic posted that day; None before anything was posted."""
    stmt = (
        select(TopicPost.topic)
        .where(TopicPost.group_key == group_key, TopicPost.day == day)
        .order_by(case((TopicPost.job == DAILY_JOB, 0), else_=1), TopicPost.posted_at.desc())
        .limit(1)
    )
    topic = (await session.scalars(stmt)).first()
    return topic.strip() or None if topic else None


async def record_topic(
    session: AsyncSession,
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
        session,
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


async def rotation_state(
    session: AsyncSession, group_key: str, pool: str
) -> tuple[int, set[str], str | None]:
    """The current round of a pool, the items used in it, and the last item used (round 0, nothing
    used, None at first)."""
    last = (
        await session.execute(
            select(TopicUse.round, TopicUse.item)
            .where(TopicUse.group_key == group_key, TopicUse.pool == pool)
            .order_by(TopicUse.id.desc())
            .limit(1)
        )
    ).first()
    if last is None:
        return 0, set(), None
    current = int(last[0])
    used = await session.scalars(
        select(TopicUse.item).where(
            TopicUse.group_key == group_key, TopicUse.pool == pool, TopicUse.round == current
        )
    )
    return current, set(used), str(last[1])


async def use_topic(
    session: AsyncSession, group_key: str, pool: str, round_: int, item: str, at: datetime
) -> bool:
    return await insert_ignore(
        session,
        TopicUse.__table__,
        {"group_key": group_key, "pool": pool, "round": round_, "item": item, "used_at": at},
        conflict=("group_key", "pool", "round", "item"),
    )


# --- check-ins -----------------------------------------------------------------------------------
async def add_checkin(session: AsyncSession, group_key: str, user_id: str, day: date, at: datetime) -> bool:
    """True if this is the member's first check-in of the local day; False for every later one."""
    return await insert_ignore(
        session,
        Checkin.__table__,
        {"group_key": group_key, "user_id": user_id, "day": day, "at": at},
        conflict=("group_key", "user_id", "day"),
    )


async def checkin_rank(session: AsyncSession, group_key: str, user_id: str, day: date) -> int:
    """The member's place among the day's check-ins (第 N 位), 0 if they have not checked in; one query."""
    mine = (
        select(Checkin.id)
        .where(Checkin.group_key == group_key, Checkin.user_id == user_id, Checkin.day == day)
        .scalar_subquery()
    )
    stmt = (
        select(func.count())
        .select_from(Checkin)
        .where(Checkin.group_key == group_key, Checkin.day == day, Checkin.id <= mine)
    )
    return int((await session.execute(stmt)).scalar_one())


async def checkin_counts(
    session: AsyncSession, group_key: str, first: date, last: date
) -> list[tuple[str, int]]:
    """(user, check-ins) between two local days inclusive, most first (monthly 打卡王)."""
    stmt = (
        select(Checkin.user_id, func.count())
        .where(Checkin.group_key == group_key, Checkin.day >= first, Checkin.day <= last)
        .group_by(Checkin.user_id)
        .order_by(func.count().desc(), Checkin.user_id)
    )
    return [(user, int(n)) for user, n in (await session.execute(stmt)).all()]


# --- profiles ------------------------------------------------------------------------------------
async def profile(session: AsyncSession, group_key: str, user_id: str) -> RhythmProfile:
    """The member's profile row, created on first use (race-safe: insert-ignore, then read)."""
    found = await get_profile(session, group_key, user_id)
    if found is not None:
        return found
    await insert_ignore(
        session,
        RhythmProfile.__table__,
        {
            "group_key": group_key,
            "user_id": user_id,
            "streak": 0,
            "best_streak": 0,
            "checkins": 0,
            "remind": True,
            "inactive_weeks": 0,
        },
        conflict=("group_key", "user_id"),
    )
    created = await get_profile(session, group_key, user_id)
    assert created is not None
    return created


async def get_profile(session: AsyncSession, group_key: str, user_id: str) -> RhythmProfile | None:
    stmt = select(RhythmProfile).where(RhythmProfile.group_key == group_key, RhythmProfile.user_id == user_id)
    return (await session.scalars(stmt)).first()


async def profiles(session: AsyncSession, group_key: str) -> Sequence[RhythmProfile]:
    stmt = select(RhythmProfile).where(RhythmProfile.group_key == group_key).order_by(RhythmProfile.id)
    return (await session.scalars(stmt)).all()


async def remind_candidates(
    session: AsyncSession, group_key: str, yesterday: date
) -> Sequence[tuple[RhythmProfile, Member]]:
    """Members still in the group, reminders on, who checked in yesterday and not yet today."""
    stmt = (
        select(RhythmProfile, Member)
        .join(
            Member,
            (Member.group_key == RhythmProfile.group_key) & (Member.user_id == RhythmProfile.user_id),
        )
        .where(
            RhythmProfile.group_key == group_key,
            RhythmProfile.last_checkin == yesterday,
            RhythmProfile.remind.is_(True),
            Member.left_at.is_(None),
            Member.is_bot.is_(False),
        )
        .order_by(RhythmProfile.id)
    )
    return [(p, m) for p, m in (await session.execute(stmt)).all()]


# --- badges --------------------------------------------------------------------------------------
async def award_badge(
    session: AsyncSession,
    group_key: str,
    user_id: str,
    award: str,
    name: str,
    at: datetime,
    reason: str = "",
) -> bool:
    """True when the badge is new; the same ``award`` twice (retry, second instance) is a no-op."""
    return await insert_ignore(
        session,
        Badge.__table__,
        {
            "group_key": group_key,
            "user_id": user_id,
            "award": award,
            "name": name,
            "awarded_at": at,
            "reason": reason[:255],
        },
        conflict=("group_key", "user_id", "award"),
    )


async def badges_of(session: AsyncSession, group_key: str, user_id: str) -> list[tuple[str, int]]:
    """(badge name, times awarded), in the order first awarded."""
    stmt = (
        select(Badge.name, func.count(), func.min(Badge.id))
        .where(Badge.group_key == group_key, Badge.user_id == user_id)
        .group_by(Badge.name)
        .order_by(func.min(Badge.id))
    )
    return [(name, int(n)) for name, n, _ in (await session.execute(stmt)).all()]


# --- redemption stock ----------------------------------------------------------------------------
async def take_stock(session: AsyncSession, group_key: str, item: str, stock: int) -> bool:
    """Take one of ``stock`` (from the catalogue); False when none is left. The conditional UPDATE is
    atomic on both databases, so two instances cannot both take the last one."""
    await insert_ignore(
        session,
        RedeemStock.__table__,
        {"group_key": group_key, "item": item, "redeemed": 0},
        conflict=("group_key", "item"),
    )
    result = await session.execute(
        update(RedeemStock)
        .where(
            RedeemStock.group_key == group_key,
            RedeemStock.item == item,
            RedeemStock.redeemed < stock,
        )
        .values(redeemed=RedeemStock.redeemed + 1)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


async def redeemed(session: AsyncSession, group_key: str) -> dict[str, int]:
    rows = await session.execute(
        select(RedeemStock.item, RedeemStock.redeemed).where(RedeemStock.group_key == group_key)
    )
    return {item: int(n) for item, n in rows.all()}


# --- activity ------------------------------------------------------------------------------------
async def add_activity(session: AsyncSession, counts: Mapping[tuple[str, str, date], int]) -> None:
    """Add buffered interaction counts in one upsert whatever their number (this runs inside the batched
    writer's transaction): the database adds to what is stored, so another instance's counts are kept;
    rows go in key order, so two instances lock them in one order."""
    if not counts:
        return
    rows = [
        {"group_key": g, "user_id": u, "day": d, "interactions": n} for (g, u, d), n in sorted(counts.items())
    ]
    stmt = dialect_insert(session, ActivityDay.__table__)
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_key", "user_id", "day"],
        set_={"interactions": ActivityDay.__table__.c.interactions + stmt.excluded.interactions},
    )
    await session.execute(stmt, rows)


async def interactions(session: AsyncSession, group_key: str, first: date, last: date) -> dict[str, int]:
    """Interactions per member between two local days inclusive."""
    stmt = (
        select(ActivityDay.user_id, func.sum(ActivityDay.interactions))
        .where(ActivityDay.group_key == group_key, ActivityDay.day >= first, ActivityDay.day <= last)
        .group_by(ActivityDay.user_id)
    )
    return {user: int(n) for user, n in (await session.execute(stmt)).all()}


async def posted_on(session: AsyncSession, group_key: str, job: str, day: date) -> bool:
    """Did ``job`` already post on the local ``day``?"""
    stmt = (
        select(TopicPost.id)
        .where(TopicPost.group_key == group_key, TopicPost.job == job, TopicPost.day == day)
        .limit(1)
    )
    return (await session.execute(stmt)).first() is not None
