"""WeCom adapter state shared by every instance: the app's access_token (one fetch, many readers) and,
per customer group, the member list the bot has already turned into events (so a join or leave is
emitted once, whether a callback, a retried callback or a reconciliation found it, also after a restart)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import UTCDateTime


class WecomToken(Base):
    __tablename__ = "wecom_tokens"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)  # corp id + agent id
    token: Mapped[str] = mapped_column(String(512))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class WecomGroup(Base):
    """A customer group as last reconciled: ``member_version`` unchanged means nothing to diff."""

    __tablename__ = "wecom_groups"

    chat_id: Mapped[str] = mapped_column(String(96), primary_key=True)
    member_version: Mapped[str] = mapped_column(String(64), default="")
    owner: Mapped[str] = mapped_column(String(96), default="")
    name: Mapped[str] = mapped_column(String(255), default="")


class WecomRosterEntry(Base):
    """One member of a customer group as the bot last saw them (``name`` = group nickname or name)."""

    __tablename__ = "wecom_roster"

    chat_id: Mapped[str] = mapped_column(String(96), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(96), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), default="")


class WecomState(Base):
    """Small named values the adapter keeps across restarts (the welcome template's id and text)."""

    __tablename__ = "wecom_state"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
