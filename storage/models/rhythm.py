"""Rhythm tables: topics posted and their rotation, check-ins, per-member rhythm profiles, badges,
redemption stock and daily interaction counts.

Uniqueness that must hold across instances and retries is a unique key here, never a check in Python:
one check-in per member per local day, one use of a topic per rotation round, one badge per award.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import BigIntId, UTCDateTime


class TopicPost(Base):
    """A topic the bot posted, keyed by the run that posted it; ``day`` is the group's local day."""

    __tablename__ = "topic_posts"
    __table_args__ = (
        UniqueConstraint("group_key", "job", "scheduled_for"),
        Index("ix_topic_posts_group_day", "group_key", "day"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    job: Mapped[str] = mapped_column(String(64))  # topics.daily / topics.calendar.<id>
    day: Mapped[date] = mapped_column(Date)
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime())
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    topic: Mapped[str] = mapped_column(Text)  # the topic itself (operator text, not member text)
    text: Mapped[str] = mapped_column(Text)  # the message as posted


class TopicUse(Base):
    """An item of a topic pool used in a rotation round: a pool is used up before anything repeats."""

    __tablename__ = "topic_rotation"
    __table_args__ = (UniqueConstraint("group_key", "pool", "round", "item"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    pool: Mapped[str] = mapped_column(String(64))  # daily / calendar.<id>
    round: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(String(32))  # a digest of the item's text (pool edits keep history)
    used_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Checkin(Base):
    """One check-in; the unique key makes a second one the same local day a no-op on every instance."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("group_key", "user_id", "day"),
        Index("ix_checkins_group_day", "group_key", "day"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(96))
    day: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class RhythmProfile(Base):
    """A member's streak state, reminder choice and tier bookkeeping (``members.tier`` holds the tier)."""

    __tablename__ = "rhythm_profiles"
    __table_args__ = (UniqueConstraint("group_key", "user_id"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(96))
    streak: Mapped[int] = mapped_column(Integer, default=0)  # as of ``last_checkin``
    best_streak: Mapped[int] = mapped_column(Integer, default=0)
    last_checkin: Mapped[date | None] = mapped_column(Date, nullable=True)
    checkins: Mapped[int] = mapped_column(Integer, default=0)
    remind: Mapped[bool] = mapped_column(Boolean, default=True)
    inactive_weeks: Mapped[int] = mapped_column(Integer, default=0)  # consecutive weeks below 核心


class Badge(Base):
    """A badge awarded once per ``award`` key (``checkin.streak.21``, ``honours.star.2026-03-08``)."""

    __tablename__ = "badges"
    __table_args__ = (
        UniqueConstraint("group_key", "user_id", "award"),
        Index("ix_badges_group_user", "group_key", "user_id"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(96))
    award: Mapped[str] = mapped_column(String(96))
    name: Mapped[str] = mapped_column(String(64))  # as members see it: 21天打卡挑战, 活跃之星
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(String(255), default="")


class RedeemStock(Base):
    """How many of a catalogue item were redeemed; the TOML sets the stock (raise it there to restock).
    The conditional ``UPDATE … SET redeemed = redeemed + 1 WHERE redeemed < stock`` keeps two instances
    from selling the last one twice."""

    __tablename__ = "redeem_stock"
    __table_args__ = (UniqueConstraint("group_key", "item"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    item: Mapped[str] = mapped_column(String(64))
    redeemed: Mapped[int] = mapped_column(Integer, default=0)


class ActivityDay(Base):
    """Interactions (messages and commands, bots excluded) per member per local day: the weekly star,
    tiers and the lottery read this instead of scanning the event log."""

    __tablename__ = "activity_days"
    __table_args__ = (
        UniqueConstraint("group_key", "user_id", "day"),
        Index("ix_activity_days_group_day", "group_key", "day"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(96))
    day: Mapped[date] = mapped_column(Date)
    interactions: Mapped[int] = mapped_column(Integer, default=0)
