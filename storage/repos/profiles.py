"""Rhythm profiles: a member's streak, best streak, check-in total, reminder switch and weeks below 核心,
one row per member and group, created on first use.

Never commits (``bot/`` commits once per event).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import Member
from storage.models.rhythm import RhythmProfile
from storage.sql import dialect_insert, insert_ignore


class ProfileRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, group_key: str, user_id: str) -> RhythmProfile | None:
        """The member's profile, None if they never had one (nothing is created)."""
        stmt = select(RhythmProfile).where(
            RhythmProfile.group_key == group_key, RhythmProfile.user_id == user_id
        )
        return (await self.session.scalars(stmt)).first()

    async def get_or_create(self, group_key: str, user_id: str) -> RhythmProfile:
        """The member's profile row, created on first use (race-safe: insert-ignore, then read)."""
        found = await self.get(group_key, user_id)
        if found is not None:
            return found
        await insert_ignore(
            self.session,
            RhythmProfile.__table__,
            {
                "group_key": group_key,
                "user_id": user_id,
                "streak": 0,
                "best_streak": 0,
                "checkins": 0,
                "remind": True,
                "inactive_weeks": 0,
            },
            conflict=("group_key", "user_id"),
        )
        created = await self.get(group_key, user_id)
        assert created is not None
        return created

    async def save_streak(
        self, group_key: str, user_id: str, streak: int, best: int, last: date, total: int
    ) -> None:
        """Store a member's streak after a check-in, creating the profile on their first (one upsert, where
        ``get_or_create`` then an update took up to four statements). The reminder switch of a profile made
        meanwhile (``/remind`` in another instance) is kept."""
        values = {"streak": streak, "best_streak": best, "last_checkin": last, "checkins": total}
        insert = dialect_insert(self.session, RhythmProfile.__table__)
        stmt = insert.values(
            group_key=group_key, user_id=user_id, remind=True, inactive_weeks=0, **values
        ).on_conflict_do_update(index_elements=["group_key", "user_id"], set_=values)
        await self.session.execute(stmt)

    async def in_group(self, group_key: str) -> Sequence[RhythmProfile]:
        """Every profile of the group, oldest first."""
        stmt = select(RhythmProfile).where(RhythmProfile.group_key == group_key).order_by(RhythmProfile.id)
        return (await self.session.scalars(stmt)).all()

    async def remind_candidates(
        self, group_key: str, yesterday: date
    ) -> Sequence[tuple[RhythmProfile, Member]]:
        """Members still in the group, reminders on, who checked in yesterday and not yet today."""
        stmt = (
            select(RhythmProfile, Member)
            .join(
                Member,
                (Member.group_key == RhythmProfile.group_key) & (Member.user_id == RhythmProfile.user_id),
            )
            .where(
                RhythmProfile.group_key == group_key,
                RhythmProfile.last_checkin == yesterday,
                RhythmProfile.remind.is_(True),
                Member.left_at.is_(None),
                Member.is_bot.is_(False),
            )
            .order_by(RhythmProfile.id)
        )
        return [(p, m) for p, m in (await self.session.execute(stmt)).all()]
