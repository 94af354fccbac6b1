"""Roll-up tables for the community numbers: one row per group and local day, one per member and day.

Complete days are summed once from the event log and the feature tables and then read from here, so a
year of figures is 365 small rows instead of a scan of every message. The rows are a cache: dropping
them loses nothing (the next read rebuilds them). ``stats_member_days`` carries ``user_id`` and is
exported and erased with the member's other data.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import BigIntId, UTCDateTime


class StatsDay(Base):
    """A group's figures for one complete local day."""

    __tablename__ = "stats_days"
    __table_args__ = (UniqueConstraint("group_key", "day"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    day: Mapped[date] = mapped_column(Date)
    members: Mapped[int] = mapped_column(Integer, default=0)  # present at the end of the day
    joins: Mapped[int] = mapped_column(Integer, default=0)
    leaves: Mapped[int] = mapped_column(Integer, default=0)
    speakers: Mapped[int] = mapped_column(Integer, default=0)
    messages: Mapped[int] = mapped_column(Integer, default=0)
    checkins: Mapped[int] = mapped_column(Integer, default=0)
    removals: Mapped[int] = mapped_column(Integer, default=0)
    reports: Mapped[int] = mapped_column(Integer, default=0)
    strikes: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # category → count
    hours: Mapped[list[int]] = mapped_column(JSON, default=list)  # messages per local hour, 24 values
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StatsMemberDay(Base):
    """How often one member spoke on one local day (messages and commands): WAU, MAU, active, silent,
    core and top members are sums over these rows."""

    __tablename__ = "stats_member_days"
    __table_args__ = (
        UniqueConstraint("group_key", "day", "user_id"),
        Index("ix_stats_member_days_group_user", "group_key", "user_id"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    day: Mapped[date] = mapped_column(Date)
    user_id: Mapped[str] = mapped_column(String(96))
    interactions: Mapped[int] = mapped_column(Integer, default=0)
