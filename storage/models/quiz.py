"""Quiz rounds and the members who answered right (the draw's candidates), and 话题接龙 entries."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import BigIntId, UTCDateTime


class QuizRound(Base):
    """A question asked in a group; ``drawn_at`` is set by the one check that closed it and drew."""

    __tablename__ = "quiz_rounds"
    __table_args__ = (Index("ix_quiz_rounds_group_open", "group_key", "drawn_at"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    question_index: Mapped[int] = mapped_column(Integer)
    question: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    seed: Mapped[str | None] = mapped_column(String(32), nullable=True)


class QuizEntry(Base):
    """A member answered the round right within its window: one entry in the draw, however many tries."""

    __tablename__ = "quiz_entries"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    round_id: Mapped[int] = mapped_column(BigIntId)
    user_id: Mapped[str] = mapped_column(String(96))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChainEntry(Base):
    """One link of the day's 话题接龙 (numbered from 1 each day); erased with the member."""

    __tablename__ = "chain_entries"
    __table_args__ = (UniqueConstraint("group_key", "day", "position"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    day: Mapped[date] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str] = mapped_column(String(96))
    text: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
