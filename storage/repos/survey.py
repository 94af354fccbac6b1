"""Satisfaction survey rounds and answers. An answer is an upsert on (round, member): a second press
changes the score, a redelivered press changes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import Member
from storage.models.survey import SurveyAnswer, SurveyRound
from storage.sql import dialect_insert


class SurveyRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def active_members(self, group_key: str, since: datetime) -> Sequence[Member]:
        """Members still in the group (not bots) who spoke since ``since``: the people whose view counts."""
        stmt = select(Member).where(
            Member.group_key == group_key,
            Member.left_at.is_(None),
            Member.is_bot.is_(False),
            Member.last_message_at >= since,
        )
        return (await self.session.scalars(stmt)).all()

    async def open_round(
        self, group_key: str, at: datetime, closes_at: datetime, invited: int
    ) -> SurveyRound:
        row = SurveyRound(group_key=group_key, asked_at=at, closes_at=closes_at, invited=invited)
        self.session.add(row)
        await self.session.flush()  # the id goes into the buttons
        return row

    async def get(self, round_id: int) -> SurveyRound | None:
        return await self.session.get(SurveyRound, round_id)

    async def answer(self, round_id: int, user_id: str, score: int, at: datetime) -> None:
        stmt = dialect_insert(self.session, SurveyAnswer.__table__).values(
            round_id=round_id, user_id=user_id, score=score, answered_at=at
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["round_id", "user_id"], set_={"score": score, "answered_at": at}
        )
        await self.session.execute(stmt)

    async def scores(self, round_id: int) -> list[int]:
        rows = await self.session.scalars(select(SurveyAnswer.score).where(SurveyAnswer.round_id == round_id))
        return [int(score) for score in rows.all()]

    async def latest(self, group_key: str, start: datetime, end: datetime) -> SurveyRound | None:
        """The newest round asked in [start, end) (the briefing's week)."""
        stmt = (
            select(SurveyRound)
            .where(
                SurveyRound.group_key == group_key, SurveyRound.asked_at >= start, SurveyRound.asked_at < end
            )
            .order_by(SurveyRound.asked_at.desc(), SurveyRound.id.desc())
            .limit(1)
        )
        return (await self.session.scalars(stmt)).first()
