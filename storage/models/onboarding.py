"""Onboarding tables: newcomers (welcome, nudge, task deadlines), their tasks and questionnaire answers,
referral rewards and anniversaries sent.

Every "never twice" promise of the onboarding features is a stored time or a unique key here, so a
restart, a redelivered join or a second instance cannot greet, remind, reward or congratulate twice.
All rows carry ``user_id``: ``bot/privacy.py`` exports and erases them with the member's other data.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import BigIntId, UTCDateTime


class Newcomer(Base):
    """One membership's onboarding state. A rejoin after leaving starts a new welcome and deadline;
    tasks already done stay done."""

    __tablename__ = "newcomers"
    __table_args__ = (
        UniqueConstraint("group_key", "user_id"),
        Index("ix_newcomers_group_joined", "group_key", "joined_at"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(96))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    referrer_id: Mapped[str | None] = mapped_column(String(96), nullable=True)
    welcomed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    spoke_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    nudged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # tasks: the questions asked ([[key, text], …], fixed at join), the basic tasks' deadline
    questions: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    missed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    missed_action: Mapped[str | None] = mapped_column(String(16), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class NewcomerTask(Base):
    """A task one member has done (unique: done once)."""

    __tablename__ = "newcomer_tasks"
    __table_args__ = (UniqueConstraint("group_key", "user_id", "task"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(96))
    task: Mapped[str] = mapped_column(String(32))
    done_at: Mapped[datetime] = mapped_column(UTCDateTime())
    via: Mapped[str] = mapped_column(String(32), default="")  # button / command / rename / message / …


class NewcomerAnswer(Base):
    """A questionnaire answer or the self-introduction: personal data (export / erase)."""

    __tablename__ = "newcomer_answers"
    __table_args__ = (UniqueConstraint("group_key", "user_id", "question"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(96))
    question: Mapped[str] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReferralReward(Base):
    """A referrer rewarded for reaching ``invites`` referrals (unique: each step rewarded once)."""

    __tablename__ = "referral_rewards"
    __table_args__ = (UniqueConstraint("group_key", "user_id", "invites"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(96))
    invites: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer, default=0)
    rewarded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MilestoneSent(Base):
    """An anniversary congratulated (unique per membership milestone: ``1m``, ``3m``, ``1y``)."""

    __tablename__ = "member_milestones"
    __table_args__ = (UniqueConstraint("group_key", "user_id", "milestone"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(96))
    milestone: Mapped[str] = mapped_column(String(16))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
