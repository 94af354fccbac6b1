"""Event tables: announced events (直播 / 分享 / 线下), sign-ups, the questions collected before, and the
posts already made for each (one row per stage, so a countdown or recap goes out once across restarts
and instances)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import BigIntId, UTCDateTime


class GroupEvent(Base):
    """An event of a group. ``source_key`` is set for events from the TOML (one row per configured item)."""

    __tablename__ = "group_events"
    __table_args__ = (
        UniqueConstraint("group_key", "source_key"),
        Index("ix_group_events_group_open", "group_key", "recapped_at"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # live / talk / offline
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(96))  # an admin's id, or "config"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    source_key: Mapped[str | None] = mapped_column(String(160), nullable=True)
    recapped_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class EventRsvp(Base):
    """A member signed up (one row per member and event)."""

    __tablename__ = "event_rsvps"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(BigIntId)
    user_id: Mapped[str] = mapped_column(String(96))
    signed_up_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EventQuestion(Base):
    """A question a member sent with ``/ask`` for the event's speaker; erased with the member."""

    __tablename__ = "event_questions"
    __table_args__ = (Index("ix_event_questions_event", "event_id"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(BigIntId)
    user_id: Mapped[str] = mapped_column(String(96))
    text: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EventPost(Base):
    """A stage of an event that was posted (``countdown:24h``, ``reminder``, ``recap``)."""

    __tablename__ = "event_posts"
    __table_args__ = (UniqueConstraint("event_id", "stage"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(BigIntId)
    stage: Mapped[str] = mapped_column(String(32))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime())
