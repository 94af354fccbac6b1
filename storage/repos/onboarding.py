"""Onboarding state: newcomers, tasks done, questionnaire answers, referrals, anniversaries sent.

Repos never commit (``bot/`` commits once per event). "Once only" writes use ``insert_ignore`` on the
tables' unique keys, so they hold across redeliveries, restarts and instances.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import Member
from storage.models.onboarding import (
    MilestoneSent,
    Newcomer,
    NewcomerAnswer,
    NewcomerTask,
    ReferralReward,
)
from storage.sql import insert_ignore

__all__ = ["MilestoneRepo", "NewcomerRepo", "ReferralRepo"]

Pair = tuple[Newcomer, Member]


class NewcomerRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, group_key: str, user_id: str) -> Newcomer | None:
        stmt = select(Newcomer).where(Newcomer.group_key == group_key, Newcomer.user_id == user_id)
        return (await self.session.scalars(stmt)).first()

    async def joined(
        self,
        group_key: str,
        user_id: str,
        at: datetime,
        referrer_id: str | None = None,
        rejoin_within: timedelta = timedelta(0),
    ) -> tuple[Newcomer, bool]:
        """The membership's row and whether this join starts a new membership (first join, or a
        rejoin after a leave). A redelivered or late-reported join of a current member is not new, and
        neither is a return within ``rejoin_within`` of the last join: leave-and-rejoin churn continues
        the membership (no second welcome, questionnaire or task list)."""
        row = await self.get(group_key, user_id)
        if row is None:
            row = Newcomer(
                group_key=group_key,
                user_id=user_id,
                joined_at=at,
                referrer_id=referrer_id,
                questions=[],
                reminders_sent=0,
            )
            self.session.add(row)
            await self.session.flush()
            return row, True
        if row.left_at is None or at < row.left_at:
            return row, False
        if at - row.joined_at < rejoin_within:
            row.left_at = None
            return row, False
        row.joined_at, row.left_at = at, None
        row.welcomed_at = row.spoke_at = row.nudged_at = None
        row.due_at = row.missed_at = None
        row.missed_action = None
        row.reminders_sent = 0
        if referrer_id and not row.referrer_id:
            row.referrer_id = referrer_id
        return row, True

    async def left(self, group_key: str, user_id: str, at: datetime) -> None:
        row = await self.get(group_key, user_id)
        if row is not None and row.left_at is None and at >= row.joined_at:
            row.left_at = at

    def _with_member(self) -> Any:  # a Select of (Newcomer, Member); its generic form differs by version
        return select(Newcomer, Member).join(
            Member, and_(Member.group_key == Newcomer.group_key, Member.user_id == Newcomer.user_id)
        )

    async def _pairs(self, stmt: Any) -> list[Pair]:
        return [(row, member) for row, member in (await self.session.execute(stmt)).all()]

    async def unwelcomed(self, group_key: str, since: datetime) -> list[Pair]:
        """Present members who joined since ``since`` and have not been greeted, oldest first."""
        stmt = (
            self._with_member()
            .where(
                Newcomer.group_key == group_key,
                Newcomer.welcomed_at.is_(None),
                Newcomer.left_at.is_(None),
                Newcomer.joined_at >= since,
                Member.is_bot.is_(False),
            )
            .order_by(Newcomer.joined_at, Newcomer.id)
        )
        return await self._pairs(stmt)

    async def silent(self, group_key: str, joined_after: datetime, joined_before: datetime) -> list[Pair]:
        """Present newcomers, not nudged, whose first words this table has not recorded; the caller
        checks ``Member.first_message_at`` too (message counters are written in batches)."""
        stmt = (
            self._with_member()
            .where(
                Newcomer.group_key == group_key,
                Newcomer.nudged_at.is_(None),
                Newcomer.spoke_at.is_(None),
                Newcomer.left_at.is_(None),
                Newcomer.joined_at > joined_after,
                Newcomer.joined_at <= joined_before,
                Member.is_bot.is_(False),
            )
            .order_by(Newcomer.joined_at, Newcomer.id)
        )
        return await self._pairs(stmt)

    async def watched_silent(self, group_key: str, joined_after: datetime) -> list[tuple[str, datetime]]:
        """(user, joined at) of newcomers whose first words the welcome feature still waits for."""
        stmt = select(Newcomer.user_id, Newcomer.joined_at).where(
            Newcomer.group_key == group_key,
            Newcomer.spoke_at.is_(None),
            Newcomer.nudged_at.is_(None),
            Newcomer.left_at.is_(None),
            Newcomer.joined_at > joined_after,
        )
        return [(user_id, at) for user_id, at in (await self.session.execute(stmt)).all()]

    async def mark_spoke(self, spoke: Iterable[tuple[str, str, datetime]]) -> None:
        """Batched: (group, user, time) of first words seen on the hot path."""
        params = [{"g": g, "u": u, "at": at} for g, u, at in spoke]
        if not params:
            return
        table = cast(Table, Newcomer.__table__)
        stmt = (
            update(table)
            .where(
                table.c.group_key == bindparam("g"),
                table.c.user_id == bindparam("u"),
                table.c.spoke_at.is_(None),
            )
            .values(spoke_at=bindparam("at"))
        )
        connection = await self.session.connection()  # Core executemany, not the ORM's bulk-by-key form
        await connection.execute(stmt, params)

    async def in_progress(self, group_key: str, joined_after: datetime) -> list[Pair]:
        """Present newcomers with tasks set up, joined after ``joined_after`` (the open window)."""
        stmt = (
            self._with_member()
            .where(
                Newcomer.group_key == group_key,
                Newcomer.left_at.is_(None),
                Newcomer.due_at.is_not(None),
                Newcomer.joined_at > joined_after,
            )
            .order_by(Newcomer.joined_at, Newcomer.id)
        )
        return await self._pairs(stmt)

    async def for_user(self, user_id: str) -> Sequence[Newcomer]:
        """A user's memberships with tasks, latest join first (private answers find their group)."""
        stmt = (
            select(Newcomer)
            .where(Newcomer.user_id == user_id, Newcomer.left_at.is_(None), Newcomer.due_at.is_not(None))
            .order_by(Newcomer.joined_at.desc(), Newcomer.id.desc())
        )
        return (await self.session.scalars(stmt)).all()

    async def done(self, group_key: str, user_id: str) -> dict[str, datetime]:
        stmt = select(NewcomerTask.task, NewcomerTask.done_at).where(
            NewcomerTask.group_key == group_key, NewcomerTask.user_id == user_id
        )
        return {task: at for task, at in (await self.session.execute(stmt)).all()}

    async def done_many(self, group_key: str, user_ids: Sequence[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {u: set() for u in user_ids}
        if not user_ids:
            return out
        stmt = select(NewcomerTask.user_id, NewcomerTask.task).where(
            NewcomerTask.group_key == group_key, NewcomerTask.user_id.in_(list(user_ids))
        )
        for user_id, task in (await self.session.execute(stmt)).all():
            out.setdefault(user_id, set()).add(task)
        return out

    async def mark_done(self, group_key: str, user_id: str, task: str, at: datetime, via: str) -> bool:
        """True the first time the task is done."""
        values = {"group_key": group_key, "user_id": user_id, "task": task, "done_at": at, "via": via}
        return await insert_ignore(
            self.session, NewcomerTask.__table__, values, ("group_key", "user_id", "task")
        )

    async def answers(self, group_key: str, user_id: str) -> dict[str, str]:
        stmt = select(NewcomerAnswer.question, NewcomerAnswer.answer).where(
            NewcomerAnswer.group_key == group_key, NewcomerAnswer.user_id == user_id
        )
        return {q: a for q, a in (await self.session.execute(stmt)).all()}

    async def answer(self, group_key: str, user_id: str, question: str, text: str, at: datetime) -> bool:
        """Store an answer; True when it is the first for that question (answers are not overwritten)."""
        values = {
            "group_key": group_key,
            "user_id": user_id,
            "question": question,
            "answer": text,
            "answered_at": at,
        }
        return await insert_ignore(
            self.session, NewcomerAnswer.__table__, values, ("group_key", "user_id", "question")
        )

    async def update_answer(
        self, group_key: str, user_id: str, question: str, text: str, at: datetime
    ) -> None:
        """Replace an answer (a corrected self-introduction)."""
        stmt = (
            update(NewcomerAnswer)
            .where(
                NewcomerAnswer.group_key == group_key,
                NewcomerAnswer.user_id == user_id,
                NewcomerAnswer.question == question,
            )
            .values(answer=text, answered_at=at)
        )
        await self.session.execute(stmt)


class ReferralRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count(self, group_key: str, referrer_id: str, present_only: bool) -> int:
        stmt = (
            select(func.count())
            .select_from(Member)
            .where(Member.group_key == group_key, Member.invited_by == referrer_id)
        )
        if present_only:
            stmt = stmt.where(Member.left_at.is_(None))
        return int((await self.session.execute(stmt)).scalar_one())

    async def leaderboard(self, group_key: str, limit: int, present_only: bool) -> list[tuple[str, int]]:
        """(referrer, referrals), most first; ties by who got there first (lowest member id)."""
        n = func.count(Member.id)
        stmt = (
            select(Member.invited_by, n)
            .where(Member.group_key == group_key, Member.invited_by.is_not(None))
            .group_by(Member.invited_by)
            .order_by(n.desc(), func.min(Member.id))
            .limit(limit)
        )
        if present_only:
            stmt = stmt.where(Member.left_at.is_(None))
        return [(str(ref), int(k)) for ref, k in (await self.session.execute(stmt)).all()]

    async def rewarded(self, group_key: str, user_id: str) -> set[int]:
        stmt = select(ReferralReward.invites).where(
            ReferralReward.group_key == group_key, ReferralReward.user_id == user_id
        )
        return set((await self.session.scalars(stmt)).all())

    async def reward(self, group_key: str, user_id: str, invites: int, points: int, at: datetime) -> bool:
        """True the first time this step is rewarded."""
        values = {
            "group_key": group_key,
            "user_id": user_id,
            "invites": invites,
            "points": points,
            "rewarded_at": at,
        }
        return await insert_ignore(
            self.session, ReferralReward.__table__, values, ("group_key", "user_id", "invites")
        )


class MilestoneRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def members_joined_between(self, group_key: str, after: datetime, before: datetime) -> list[Member]:
        stmt = (
            select(Member)
            .where(
                Member.group_key == group_key,
                Member.left_at.is_(None),
                Member.is_bot.is_(False),
                Member.joined_at > after,
                Member.joined_at <= before,
            )
            .order_by(Member.joined_at, Member.id)
        )
        return list((await self.session.scalars(stmt)).all())

    async def sent(self, group_key: str, user_ids: Sequence[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        if not user_ids:
            return out
        stmt = select(MilestoneSent.user_id, MilestoneSent.milestone).where(
            MilestoneSent.group_key == group_key, MilestoneSent.user_id.in_(list(user_ids))
        )
        for user_id, key in (await self.session.execute(stmt)).all():
            out.setdefault(user_id, set()).add(key)
        return out

    async def mark(self, group_key: str, user_id: str, milestone: str, at: datetime) -> bool:
        values = {"group_key": group_key, "user_id": user_id, "milestone": milestone, "sent_at": at}
        return await insert_ignore(
            self.session, MilestoneSent.__table__, values, ("group_key", "user_id", "milestone")
        )
