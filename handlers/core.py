"""Presence tracking: groups and members, joins, leaves, renames, message counters.

Runs first for every event so later phases can rely on the member row existing for joins, leaves and
renames. Message counters are the hot path: they are buffered in memory and written with the batched
writes (``flush``), so an ordinary message costs no database round trip. It decides nothing and never
stops an event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions import Action, Record
from bot.events import Event, EventKind
from handlers.base import Context, Feature, Phase
from storage.models.core import Member
from storage.repos.groups import GroupRepo
from storage.repos.members import MemberRepo, new_member_row
from storage.sql import insert_ignore_many


@dataclass(slots=True)
class _Spoke:
    name: str
    username: str | None
    is_bot: bool
    count: int
    first: datetime
    last: datetime


class Tracking(Feature):
    name = "tracking"
    phase = Phase.TRACK

    def __init__(self) -> None:
        self._known_groups: set[str] = set()
        self._spoke: dict[tuple[str, str], _Spoke] = {}
        self._in_flight: dict[tuple[str, str], _Spoke] = {}  # taken by a flush not yet committed

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.chat.kind != "group" or event.kind == EventKind.TICK:
            return []
        if event.kind in (EventKind.BOT_ADDED, EventKind.BOT_REMOVED):
            return await self._bot_membership(event, ctx)
        if event.chat.key not in self._known_groups:
            group = await GroupRepo(ctx.session).ensure(
                event.chat.key, event.chat.platform, event.chat.id, event.chat.title, ctx.now
            )
            if group not in ctx.session.new:  # remembered once stored, not while this event may roll back
                self._known_groups.add(event.chat.key)
        user = event.user
        if user is None:
            return []
        if event.kind in (EventKind.MESSAGE, EventKind.COMMAND):
            self._buffer(event.chat.key, user.id, user.name, user.username, user.is_bot, ctx.now)
            return []
        buffered = self._spoke.get((event.chat.key, user.id))
        if buffered is not None:
            buffered.name = user.name  # a later flush must not write back the name before this event
        members = MemberRepo(ctx.session)
        if event.kind == EventKind.MEMBER_JOINED:
            member, rejoined = await members.joined(
                event.chat.key, user.id, user.name, ctx.now, user.username, user.is_bot
            )
            if event.invite_link and not member.invite_link:
                member.invite_link = event.invite_link
            if rejoined:
                return [Record(event.chat, "member_rejoined", f"{user.name} rejoined", user.id)]
        elif event.kind == EventKind.MEMBER_LEFT:
            await members.left(event.chat.key, user.id, ctx.now)
        elif event.kind == EventKind.NICKNAME_CHANGED:
            member = await members.ensure(event.chat.key, user.id, user.name, ctx.now, user.username)
            member.display_name = user.name
        return []

    async def _bot_membership(self, event: Event, ctx: Context) -> list[Action]:
        """A group the bot left gets no scheduled posts; adding it back makes it active again."""
        group = await GroupRepo(ctx.session).ensure(
            event.chat.key, event.chat.platform, event.chat.id, event.chat.title, ctx.now
        )
        active = event.kind == EventKind.BOT_ADDED
        if group.active == active:
            return []
        group.active = active
        group.updated_at = ctx.now
        state = "active again" if active else f"inactive ({event.data or 'bot removed'})"
        return [Record(event.chat, "group_active" if active else "group_inactive", f"group {state}")]

    def flush_failed(self) -> None:
        """Merge the counters of the rolled-back flush back into the buffer (newer values win)."""
        for key, old in self._in_flight.items():
            new = self._spoke.get(key)
            if new is None:
                self._spoke[key] = old
            else:
                new.count += old.count
                new.first = min(new.first, old.first)
        self._in_flight = {}

    def _buffer(
        self, group: str, user_id: str, name: str, username: str | None, is_bot: bool, at: datetime
    ) -> None:
        entry = self._spoke.get((group, user_id))
        if entry is None:
            self._spoke[(group, user_id)] = _Spoke(name, username, is_bot, 1, at, at)
        else:
            entry.name, entry.username, entry.count, entry.last = name, username, entry.count + 1, at

    async def flush(self, session: AsyncSession) -> None:
        """One SELECT for the members concerned, new rows for unknown ones, then the ORM's batched UPDATE.

        Unknown members are inserted with ON CONFLICT DO NOTHING and read back: an event's transaction
        (a check-in, a join) may create the same member at the same moment, and on PostgreSQL a plain
        INSERT would fail one of the two."""
        pending, self._spoke = self._spoke, {}
        self._in_flight = pending
        if not pending:
            return
        existing = await _members(session, list(pending))
        # Sorted: two instances inserting the same new members lock them in one order (no deadlock).
        missing = sorted(key for key in pending if key not in existing)
        if missing:
            rows = []
            for group, user_id in missing:
                spoke = pending[(group, user_id)]
                rows.append(
                    new_member_row(group, user_id, spoke.name, spoke.first, spoke.username, spoke.is_bot)
                )
            await insert_ignore_many(session, Member.__table__, rows, ("group_key", "user_id"))
            existing.update(await _members(session, missing))
        for key, spoke in pending.items():
            member = existing.get(key)
            if member is None:  # erased between the insert and the read: nothing left to count
                continue
            member.message_count = (member.message_count or 0) + spoke.count
            member.first_message_at = member.first_message_at or spoke.first
            member.last_message_at = spoke.last
            member.last_seen_at = spoke.last
            if spoke.name:
                member.display_name = spoke.name
            if spoke.username:
                member.username = spoke.username


async def _members(session: AsyncSession, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Member]:
    stmt = select(Member).where(tuple_(Member.group_key, Member.user_id).in_(keys))
    return {(m.group_key, m.user_id): m for m in (await session.scalars(stmt)).all()}
