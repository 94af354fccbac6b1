"""Group events (直播 / 分享 / 线下): creating them, sign-ups, questions, and claiming each post once.

Sign-ups and posts are INSERT … ON CONFLICT DO NOTHING on unique keys, so a double press, a redelivered
tick or two instances at once change nothing twice; the instance whose insert wins makes the post.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import Member
from storage.models.events import EventPost, EventQuestion, EventRsvp, GroupEvent
from storage.sql import insert_ignore


class GroupEventRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create(
        self,
        group_key: str,
        title: str,
        kind: str,
        starts_at: datetime,
        ends_at: datetime,
        created_by: str,
        at: datetime,
        source_key: str | None = None,
    ) -> GroupEvent | None:
        """The new event; None when ``source_key`` (a TOML item) already has its row."""
        values = {
            "group_key": group_key,
            "title": title,
            "kind": kind,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "created_by": created_by,
            "created_at": at,
            "source_key": source_key,
        }
        if source_key is not None:
            if not await insert_ignore(
                self.session, GroupEvent.__table__, values, ["group_key", "source_key"]
            ):
                return None
            return await self.session.scalar(
                select(GroupEvent).where(
                    GroupEvent.group_key == group_key, GroupEvent.source_key == source_key
                )
            )
        event = GroupEvent(**values)
        self.session.add(event)
        await self.session.flush()  # the id goes into the RSVP button
        return event

    async def get(self, group_key: str, event_id: int) -> GroupEvent | None:
        event = await self.session.get(GroupEvent, event_id)
        return event if event is not None and event.group_key == group_key else None

    async def open_events(self, group_key: str) -> Sequence[GroupEvent]:
        """Events not yet recapped, soonest first."""
        rows = await self.session.scalars(
            select(GroupEvent)
            .where(GroupEvent.group_key == group_key, GroupEvent.recapped_at.is_(None))
            .order_by(GroupEvent.starts_at, GroupEvent.id)
        )
        return rows.all()

    async def sign_up(self, event_id: int, user_id: str, at: datetime) -> bool:
        """True for a new sign-up, False when the member had signed up already."""
        values = {"event_id": event_id, "user_id": user_id, "signed_up_at": at}
        return await insert_ignore(self.session, EventRsvp.__table__, values, ["event_id", "user_id"])

    async def attendees(self, event: GroupEvent) -> list[tuple[str, str, str | None]]:
        """(user id, display name, username) of everyone signed up, in sign-up order."""
        rows = await self.session.execute(
            select(EventRsvp.user_id, Member.display_name, Member.username)
            .outerjoin(Member, (Member.group_key == event.group_key) & (Member.user_id == EventRsvp.user_id))
            .where(EventRsvp.event_id == event.id)
            .order_by(EventRsvp.signed_up_at, EventRsvp.id)
        )
        return [(uid, name or uid, username) for uid, name, username in rows.all()]

    async def rsvp_count(self, event_id: int) -> int:
        count = await self.session.scalar(
            select(func.count()).select_from(EventRsvp).where(EventRsvp.event_id == event_id)
        )
        return int(count or 0)

    async def ask(self, event_id: int, user_id: str, text: str, at: datetime) -> None:
        self.session.add(EventQuestion(event_id=event_id, user_id=user_id, text=text, asked_at=at))

    async def questions(self, event_id: int) -> list[str]:
        rows = await self.session.scalars(
            select(EventQuestion.text)
            .where(EventQuestion.event_id == event_id)
            .order_by(EventQuestion.asked_at, EventQuestion.id)
        )
        return list(rows.all())

    async def posted(self, event_id: int) -> set[str]:
        rows = await self.session.scalars(select(EventPost.stage).where(EventPost.event_id == event_id))
        return set(rows.all())

    async def claim_post(self, event: GroupEvent, stage: str, at: datetime, last: bool = False) -> bool:
        """True for the one caller that makes this post; the ``last`` one (the recap) closes the event."""
        values = {"event_id": event.id, "stage": stage, "posted_at": at}
        if not await insert_ignore(self.session, EventPost.__table__, values, ["event_id", "stage"]):
            return False
        if last:
            await self.session.execute(
                update(GroupEvent).where(GroupEvent.id == event.id).values(recapped_at=at)
            )
        return True
