"""The door's tables: newcomers waiting to pass join verification, locks set by admin command.

One row per (group, member): a rejoin starts the row over. ``status`` is the promise that a member is
released, removed or timed out once, whatever the redeliveries and restarts. Rows carry ``user_id``, so
``bot/privacy.py`` exports and erases them with the member's other data.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import BigIntId, UTCDateTime


class Verification(Base):
    """A newcomer's challenge: the passing choice, the deadline, and how it ended."""

    __tablename__ = "verifications"
    __table_args__ = (
        UniqueConstraint("group_key", "user_id"),
        Index("ix_verifications_due", "group_key", "status", "deadline"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(96))
    user_name: Mapped[str] = mapped_column(String(256), default="")
    method: Mapped[str] = mapped_column(String(16))
    answer: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending/passed/failed/timeout/left
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # the join's own details, handed on to onboarding with ``member_verified``
    invite_link: Mapped[str | None] = mapped_column(String(512), nullable=True)
    actor_id: Mapped[str | None] = mapped_column(String(96), nullable=True)
    join_delivery: Mapped[str] = mapped_column(String(200), default="")


class GroupLock(Base):
    """A lock an admin set or lifted with /lock or /unlock: it overrides the TOML's ``[locks] locked``."""

    __tablename__ = "group_locks"
    __table_args__ = (UniqueConstraint("group_key", "kind"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    locked: Mapped[bool] = mapped_column(Boolean)
    set_by: Mapped[str] = mapped_column(String(96))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Raid(Base):
    """A period of raid mode in one group: started by a wave of joins, over at ``until`` (extended by
    further waves); ``ended_at`` is set once, when the end is announced."""

    __tablename__ = "raids"
    __table_args__ = (Index("ix_raids_group_until", "group_key", "until"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    until: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    trigger_joins: Mapped[int] = mapped_column(Integer)
    joins: Mapped[int] = mapped_column(Integer, default=0)
    held: Mapped[int] = mapped_column(Integer, default=0)


class JoinRequest(Base):
    """A request to join a group that approves new members: the questions asked in the private chat (fixed
    at the request), where to write, and how it ended (once: ``status`` leaves "pending" one time)."""

    __tablename__ = "join_requests"
    __table_args__ = (
        UniqueConstraint("group_key", "user_id"),
        Index("ix_join_requests_due", "group_key", "status", "deadline"),
        Index("ix_join_requests_user", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(96))
    user_name: Mapped[str] = mapped_column(String(256), default="")
    private_chat_id: Mapped[str] = mapped_column(String(96), default="")
    questions: Mapped[list[list[str]]] = mapped_column(JSON, default=list)  # [[key, text], …]
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending/approved/declined/expired
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(96), nullable=True)  # an admin, or None
    invite_link: Mapped[str | None] = mapped_column(String(512), nullable=True)
    delivery: Mapped[str] = mapped_column(String(200), default="")
