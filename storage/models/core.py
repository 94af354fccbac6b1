"""Core tables: groups, members, the append-only event log, processed deliveries.

Scheduled runs are deliveries too (``tick:<job>:<planned time>``), so a run happens once across restarts
and instances without a table of its own."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import BigIntId, UTCDateTime


class Group(Base):
    __tablename__ = "groups"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)  # "tg:group:-100123"
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(96))
    title: Mapped[str] = mapped_column(String(255), default="")
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    rights: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the bot's rights, last checked
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Member(Base):
    """A person in one group. Leaving keeps the row (``left_at``) for retention stats."""

    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("group_key", "user_id"),
        Index("ix_members_group_joined", "group_key", "joined_at"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(96))
    display_name: Mapped[str] = mapped_column(String(255), default="")
    username: Mapped[str | None] = mapped_column(String(96), nullable=True)
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    first_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    tier: Mapped[str] = mapped_column(String(16), default="regular")  # regular / core / vip
    points: Mapped[int] = mapped_column(Integer, default=0)
    invited_by: Mapped[str | None] = mapped_column(String(96), nullable=True)
    invite_link: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # the name registered with /nick where the group keeps its own names (Telegram has no per-group
    # nickname); shown instead of the account name in every text and list
    registered_name: Mapped[str | None] = mapped_column(String(255), nullable=True)


class EventLogRow(Base):
    """Append-only: every event and every decision, with a human-readable reason. Never updated."""

    __tablename__ = "event_log"
    __table_args__ = (
        Index("ix_event_log_ts", "ts"),
        Index("ix_event_log_group_ts", "group_key", "ts"),
        Index("ix_event_log_group_user_ts", "group_key", "user_id", "ts"),
        Index("ix_event_log_kind_ts", "kind", "ts"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    ts: Mapped[datetime] = mapped_column(UTCDateTime())
    platform: Mapped[str] = mapped_column(String(16))
    group_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str | None] = mapped_column(String(96), nullable=True)
    kind: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Delivery(Base):
    """A platform delivery already handled: a redelivery with the same id does nothing."""

    __tablename__ = "deliveries"

    delivery: Mapped[str] = mapped_column(String(160), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class PointsEntry(Base):
    """The points ledger: every change with its reason; ``Member.points`` is the running balance."""

    __tablename__ = "points_ledger"
    __table_args__ = (Index("ix_points_ledger_group_user_ts", "group_key", "user_id", "ts"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    ts: Mapped[datetime] = mapped_column(UTCDateTime())
    group_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(96))
    delta: Mapped[int] = mapped_column(Integer)
    balance: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(64))  # checkin / task / honour / redeem / admin / …
    actor: Mapped[str | None] = mapped_column(String(96), nullable=True)  # the admin, for manual changes
