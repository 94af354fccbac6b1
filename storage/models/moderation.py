"""Moderation tables: strikes (rows counted in a window), sanctions, reports, nickname deadlines, ad samples.

Strikes are rows, never a counter (after tg-spam's ``warnings`` + ``CountWithin``): the history stays, the
window is a query, a pardon marks rows instead of deleting them. ``source`` names the event that caused a
strike, so a redelivered event (or a second instance) cannot count it twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import BigIntId, UTCDateTime


class Strike(Base):
    """One violation counted against a member in one group."""

    __tablename__ = "strikes"
    __table_args__ = (
        Index("ix_strikes_group_user_created", "group_key", "user_id", "created_at"),
        UniqueConstraint("group_key", "user_id", "source"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(96))
    category: Mapped[str] = mapped_column(
        String(32)
    )  # ad / flood / nickname / abuse / off_topic / reported …
    weight: Mapped[int] = mapped_column(Integer, default=1)
    reason: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str | None] = mapped_column(String(96), nullable=True)  # the admin; None = the bot
    source: Mapped[str] = mapped_column(String(200))  # the event that caused it (idempotence)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    observed: Mapped[bool] = mapped_column(Boolean, default=False)  # counted in observe-only mode
    pardoned_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    pardoned_by: Mapped[str | None] = mapped_column(String(96), nullable=True)


class Sanction(Base):
    """A removal, ban or mute the bot decided or an admin ordered; ``/pardon`` lifts the open ones."""

    __tablename__ = "sanctions"
    __table_args__ = (Index("ix_sanctions_group_user_created", "group_key", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(96))
    kind: Mapped[str] = mapped_column(String(16))  # remove / ban / mute
    reason: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str | None] = mapped_column(String(96), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)  # mutes
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    lifted_by: Mapped[str | None] = mapped_column(String(96), nullable=True)


class Report(Base):
    """A member's ``/report`` of a message: one row per reporter and message."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("group_key", "message_id", "reporter_id"),
        Index("ix_reports_group_created", "group_key", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    message_id: Mapped[str] = mapped_column(String(96))
    reported_user_id: Mapped[str | None] = mapped_column(String(96), nullable=True)
    reporter_id: Mapped[str] = mapped_column(String(96))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class NicknamePending(Base):
    """A member whose name breaks the format: the deadline and the next reminder, read by the sweep job."""

    __tablename__ = "nickname_pending"
    __table_args__ = (
        UniqueConstraint("group_key", "user_id"),
        Index("ix_nickname_pending_group_remind", "group_key", "next_reminder_at"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(96))
    name: Mapped[str] = mapped_column(
        String(255), default=""
    )  # the name that failed (as the platform shows it)
    username: Mapped[str | None] = mapped_column(String(96), nullable=True)
    noticed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime())
    next_reminder_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reminders: Mapped[int] = mapped_column(SmallInteger, default=0)
    consequences: Mapped[int] = mapped_column(SmallInteger, default=0)  # grace periods that ran out


class AdSample(Base):
    """A message labelled for retraining the detector: ``/spam`` (1), ``/notspam`` or a pardon (0), or — only
    where a group keeps them (``ads.keep_flagged_days``) — flagged by the bot and awaiting an admin (2).

    The one table that keeps message text: because an admin asked, or for the few days an admin may object
    to a deletion. It keeps no author id. ``source`` ties a flagged sample to the strike it caused
    (``ad:<message id>``), so that pardoning the strike turns the sample into an ordinary message.
    """

    __tablename__ = "ad_samples"
    __table_args__ = (
        Index("ix_ad_samples_created", "created_at"),
        Index("ix_ad_samples_source", "group_key", "source"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    label: Mapped[int] = mapped_column(SmallInteger)  # 1 = ad / spam, 0 = ordinary message, 2 = flagged
    text: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(96))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    source: Mapped[str | None] = mapped_column(String(200), default=None)
