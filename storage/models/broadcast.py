"""Broadcasts: one announcement to many groups (a rule change, a crisis 公告), from an operator's
``qunbot broadcast`` or an admin's private ``/broadcast``.

Each target group is a delivery row, unique per (broadcast, group), sent once: a delivery is claimed by a
conditional UPDATE, so two instances or a redelivered tick never post it twice. ``not_before`` spreads a
large broadcast over time (the rate limit), and the rows survive a restart: what was not sent yet is sent
after it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import BigIntId, UTCDateTime


class Broadcast(Base):
    """The announcement: operator or admin text, not a member's message."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16))  # "cli" (an operator) or "admin" (a private command)
    created_by: Mapped[str] = mapped_column(String(96))  # the admin's id, or the operator's login
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BroadcastDelivery(Base):
    """One group's copy: due from ``not_before``, ``sent_at`` set once when it went out."""

    __tablename__ = "broadcast_deliveries"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "group_key"),
        Index("ix_broadcast_deliveries_due", "group_key", "sent_at", "not_before"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    broadcast_id: Mapped[int] = mapped_column(BigIntId)
    group_key: Mapped[str] = mapped_column(String(128))
    not_before: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
