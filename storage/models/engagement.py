"""Engagement tables: polls and their votes, 精华 (posts an admin kept), silent-member warnings.

One vote per member per poll and one 精华 per message are unique keys, so a double press or a redelivery
on another instance changes nothing twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import BigIntId, UTCDateTime


class Poll(Base):
    """A poll an admin opened: its question and options are operator text, not members' messages."""

    __tablename__ = "polls"
    __table_args__ = (Index("ix_polls_group_open", "group_key", "closed_at"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    question: Mapped[str] = mapped_column(Text)
    options: Mapped[list[Any]] = mapped_column(JSON)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(96))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class PollVote(Base):
    """A member's choice; pressing another option changes it (one row per member and poll)."""

    __tablename__ = "poll_votes"
    __table_args__ = (UniqueConstraint("poll_id", "user_id"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    poll_id: Mapped[int] = mapped_column(BigIntId)
    user_id: Mapped[str] = mapped_column(String(96))
    option: Mapped[int] = mapped_column(Integer)
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Essence(Base):
    """A post an admin marked 精华: kept (with its text, by that explicit choice) for the group's knowledge
    list. Erasing the author deletes these rows."""

    __tablename__ = "essence"
    __table_args__ = (
        UniqueConstraint("group_key", "message_id"),
        Index("ix_essence_group_author", "group_key", "author_id"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    message_id: Mapped[str] = mapped_column(String(96))
    author_id: Mapped[str] = mapped_column(String(96))
    text: Mapped[str] = mapped_column(Text)
    marked_by: Mapped[str] = mapped_column(String(96))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SilenceWarning(Base):
    """A silent member was warned; the cleanup removes only members warned at least the grace period
    ago who stayed silent since. A word from them (``last_message_at`` after ``warned_at``) keeps them."""

    __tablename__ = "silence_warnings"
    __table_args__ = (UniqueConstraint("group_key", "user_id", "warned_at"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(96))
    warned_at: Mapped[datetime] = mapped_column(UTCDateTime())
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)  # kept or removed
