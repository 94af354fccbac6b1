"""The satisfaction survey: a round asked of a sample of active members in private, and their scores
(personal data: exported and erased with the member; one answer per member and round, changeable)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import BigIntId, UTCDateTime


class SurveyRound(Base):
    __tablename__ = "survey_rounds"
    __table_args__ = (Index("ix_survey_rounds_group_asked", "group_key", "asked_at"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(String(128))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    invited: Mapped[int] = mapped_column(Integer)


class SurveyAnswer(Base):
    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    round_id: Mapped[int] = mapped_column(BigIntId)
    user_id: Mapped[str] = mapped_column(String(96))
    score: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())
