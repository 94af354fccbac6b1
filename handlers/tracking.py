"""Presence tracking: groups and members, joins, leaves, renames, message counters.

Runs first for every event so later phases can rely on the member row existing for joins, leaves and
renames. Message counters are the hot path: they are buffered in memory and written with the batched
writes (``flush``), so an ordinary message costs no database round trip. It decides nothing and never
stops an event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.contract.actions import Action, GroupActivity, Record
from handlers.contract.events import Event, EventKind
from handlers.feature import Context, Feature, Phase
from storage.repos.groups import GroupRepo
from storage.repos.members import MemberRepo, add_message_counts, new_member_row


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
        first_seen: list[Action] = []
        if event.chat.key not in self._known_groups:
            group = await GroupRepo(ctx.session).ensure(
                event.chat.key, event.chat.platform, event.chat.id, event.chat.title, ctx.now
            )
            if group in ctx.session.new:
                # first seen through an ordinary update (added before deployment, a fresh database): its
                # scheduled jobs start now, not when something else happens to rebuild them
                first_seen.append(GroupActivity(event.chat, True, "group first seen"))
            else:  # remembered once stored, not while this event may roll back
                self._known_groups.add(event.chat.key)
        user = event.user
        if user is None:
            return first_seen
        if event.kind in (EventKind.MESSAGE, EventKind.COMMAND):
            self._buffer(event.chat.key, user.id, user.name, user.username, user.is_bot, ctx.now)
            return first_seen
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
                first_seen.append(Record(event.chat, "member_rejoined", f"{user.name} rejoined", user.id))
        elif event.kind == EventKind.MEMBER_LEFT:
            await members.left(event.chat.key, user.id, ctx.now)
        elif event.kind == EventKind.NICKNAME_CHANGED:
            member = await members.ensure(event.chat.key, user.id, user.name, ctx.now, user.username)
            member.display_name = user.name
        return first_seen

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
        return [GroupActivity(event.chat, active, f"group {state}")]

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
        """All buffered counters in one upsert: the database adds them to what is stored (another
        instance may be counting the same member) and creates members not stored yet."""
        pending, self._spoke = self._spoke, {}
        self._in_flight = pending
        rows = []
        for (group, user_id), spoke in pending.items():
            row = new_member_row(group, user_id, spoke.name, spoke.last, spoke.username, spoke.is_bot)
            row.update(message_count=spoke.count, first_message_at=spoke.first, last_message_at=spoke.last)
            rows.append(row)
        await add_message_counts(session, rows)
