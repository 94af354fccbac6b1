"""Quiz rounds, their right answers, and 话题接龙. Entries are INSERT … ON CONFLICT DO NOTHING (one per
member and round); closing a round is a conditional UPDATE, so exactly one check draws."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import Member
from storage.models.quiz import ChainEntry, QuizEntry, QuizRound
from storage.sql import insert_ignore


class QuizRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def rounds_so_far(self, group_key: str) -> int:
        count = await self.session.scalar(
            select(func.count()).select_from(QuizRound).where(QuizRound.group_key == group_key)
        )
        return int(count or 0)

    async def ask(
        self, group_key: str, index: int, question: str, at: datetime, closes_at: datetime
    ) -> QuizRound:
        row = QuizRound(
            group_key=group_key, question_index=index, question=question, asked_at=at, closes_at=closes_at
        )
        self.session.add(row)
        await self.session.flush()
        return row

    async def current(self, group_key: str, now: datetime) -> QuizRound | None:
        """The round taking answers now (the newest, if an operator made windows overlap)."""
        return await self.session.scalar(
            select(QuizRound)
            .where(QuizRound.group_key == group_key, QuizRound.drawn_at.is_(None), QuizRound.closes_at > now)
            .order_by(QuizRound.asked_at.desc(), QuizRound.id.desc())
            .limit(1)
        )

    async def enter(self, round_id: int, user_id: str, at: datetime) -> bool:
        """True for the member's first right answer in this round."""
        values = {"round_id": round_id, "user_id": user_id, "answered_at": at}
        return await insert_ignore(self.session, QuizEntry.__table__, values, ["round_id", "user_id"])

    async def entrants(self, round_id: int) -> list[str]:
        rows = await self.session.scalars(select(QuizEntry.user_id).where(QuizEntry.round_id == round_id))
        return list(rows.all())

    async def due(self, group_key: str, now: datetime) -> Sequence[QuizRound]:
        rows = await self.session.scalars(
            select(QuizRound)
            .where(QuizRound.group_key == group_key, QuizRound.drawn_at.is_(None), QuizRound.closes_at <= now)
            .order_by(QuizRound.closes_at)
        )
        return rows.all()

    async def next_closing(self, group_key: str) -> datetime | None:
        return await self.session.scalar(
            select(func.min(QuizRound.closes_at)).where(
                QuizRound.group_key == group_key, QuizRound.drawn_at.is_(None)
            )
        )

    async def close(self, row: QuizRound, at: datetime, seed: str) -> bool:
        """True for the one caller that closed the round (and so draws)."""
        result = await self.session.execute(
            update(QuizRound)
            .where(QuizRound.id == row.id, QuizRound.drawn_at.is_(None))
            .values(drawn_at=at, seed=seed)
        )
        return bool(getattr(result, "rowcount", 0) == 1)


class ChainRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, group_key: str, day: date, user_id: str, text: str, at: datetime) -> int:
        """Append to the day's chain; returns the new link's number."""
        last = await self.session.scalar(
            select(func.max(ChainEntry.position)).where(
                ChainEntry.group_key == group_key, ChainEntry.day == day
            )
        )
        position = int(last or 0) + 1
        self.session.add(
            ChainEntry(
                group_key=group_key, day=day, position=position, user_id=user_id, text=text, added_at=at
            )
        )
        await self.session.flush()
        return position

    async def links(self, group_key: str, day: date) -> list[tuple[int, str, str]]:
        """(number, author's name, text) of the day's chain, in order."""
        rows = await self.session.execute(
            select(ChainEntry.position, Member.display_name, ChainEntry.user_id, ChainEntry.text)
            .outerjoin(Member, (Member.group_key == group_key) & (Member.user_id == ChainEntry.user_id))
            .where(ChainEntry.group_key == group_key, ChainEntry.day == day)
            .order_by(ChainEntry.position)
        )
        return [(int(pos), name or uid, text) for pos, name, uid, text in rows.all()]
