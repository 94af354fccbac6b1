"""Expert matching's storage: the consents, and what the consenting members said about themselves."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import Member
from storage.models.finder import FinderConsent
from storage.models.onboarding import NewcomerAnswer
from storage.sql import insert_ignore

ABOUT_QUESTIONS = ("skill", "intro")  # the questionnaire's 可分享的技能 and the self-introduction


class FinderRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def consent(self, group_key: str, user_id: str, at: datetime) -> bool:
        """True when the member had not agreed before."""
        values = {"group_key": group_key, "user_id": user_id, "since": at}
        return await insert_ignore(self.session, FinderConsent.__table__, values, ["group_key", "user_id"])

    async def withdraw(self, group_key: str, user_id: str) -> bool:
        result = await self.session.execute(
            delete(FinderConsent).where(
                FinderConsent.group_key == group_key, FinderConsent.user_id == user_id
            )
        )
        return bool(getattr(result, "rowcount", 0))

    async def findable(self, group_key: str) -> list[tuple[Member, dict[str, str]]]:
        """The members still in the group who agreed to be found, each with their answers by question."""
        members = (
            await self.session.scalars(
                select(Member)
                .join(
                    FinderConsent,
                    (FinderConsent.group_key == Member.group_key) & (FinderConsent.user_id == Member.user_id),
                )
                .where(Member.group_key == group_key, Member.left_at.is_(None))
            )
        ).all()
        answers: dict[str, dict[str, str]] = {m.user_id: {} for m in members}
        if answers:
            rows = await self.session.execute(
                select(NewcomerAnswer.user_id, NewcomerAnswer.question, NewcomerAnswer.answer).where(
                    NewcomerAnswer.group_key == group_key,
                    NewcomerAnswer.user_id.in_(list(answers)),
                    NewcomerAnswer.question.in_(ABOUT_QUESTIONS),
                )
            )
            for user_id, question, answer in rows.all():
                answers[user_id][question] = answer
        return [(m, answers[m.user_id]) for m in members]
