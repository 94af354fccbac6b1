"""The outbox: actions decided and committed with their event's state but not yet carried out on the
platform. A row lives from the commit until the action was tried; a process that stopped (or crashed) in
between leaves its rows, and the next process sends them (``bot/outbox.py``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import UTCDateTime


class OutboxEntry(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_owner", "owner"),)

    key: Mapped[str] = mapped_column(String(32), primary_key=True)  # made by the writer: no round trip
    owner: Mapped[str] = mapped_column(String(32))  # the process that decided it
    group_key: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(Text)  # bot/outbox_codec.py
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
