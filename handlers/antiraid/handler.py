"""Anti-raid: N joins within M seconds switch the group into raid mode for a while. In raid mode every
newcomer is verified (``handlers/verify`` asks them even where the group's method is "none"), links and
media from members who joined during it are held (deleted), joins and leaves are logged, and the admins
are told once, with the figures. Raid mode ends by itself; the end is logged and announced to the admins.

The join window lives in memory (a restart forgets at most one window's joins); the raid itself is a
row, so the door stays shut across a restart and ends once.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

from handlers.antiraid import texts
from handlers.config import GroupConfig
from handlers.contract.actions import Action, Delete, LockJoins, NotifyAdmins, Record, Stop
from handlers.contract.events import Event, EventKind, User
from handlers.contract.texts import render
from handlers.feature import Context, Feature, JobSpec, Phase
from rules.dates import format_local
from rules.locks import message_kinds
from rules.raid import is_wave
from storage.repos.raids import RaidRepo

SWEEP = "antiraid.sweep"


class Antiraid(Feature):
    name = "antiraid"
    phase = Phase.MODERATION
    kinds = frozenset({EventKind.MEMBER_JOINED, EventKind.MEMBER_LEFT, EventKind.MESSAGE, EventKind.TICK})

    def __init__(self) -> None:
        self._joins: dict[str, deque[datetime]] = {}  # group → recent join times
        # group → end of raid mode as far as this process knows (None: no raid); absent: not read yet
        self._until: dict[str, datetime | None] = {}
        self._newcomers: dict[str, set[str]] = {}  # group → members who joined during raid mode

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        return [JobSpec(SWEEP, config.antiraid.sweep, grace_s=600)] if config.antiraid.enabled else []

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        cfg = ctx.config.antiraid
        if event.chat.kind != "group" or not cfg.enabled:
            return []
        key = event.chat.key
        if event.kind == EventKind.TICK:
            return await self._sweep(event, ctx) if event.data == SWEEP else []
        user = event.user
        if user is None or user.is_admin or user.id == ctx.bot_user_id:
            return []
        if event.kind == EventKind.MEMBER_JOINED:
            return await self._joined(event, ctx, user)
        until = self._until.get(key)
        raiding = until is not None and until > ctx.now
        if event.kind == EventKind.MEMBER_LEFT:
            if raiding:
                return [Record(event.chat, "raid.leave", "left during raid mode", user.id)]
            return []
        if raiding and cfg.hold_links_and_media and user.id in self._newcomers.get(key, ()):
            kinds = message_kinds(event.text, event.urls, event.media, event.forwarded, event.via_bot)
            if event.message_id and (kinds or event.media or event.urls or event.qr_texts):
                raid = await RaidRepo(ctx.session).active(key, ctx.now)
                if raid is not None:
                    await RaidRepo(ctx.session).count(raid.id, held=1)
                reason = "raid mode: a newcomer's links and media are held"
                return [
                    Delete(event.chat, event.message_id, reason, event.user),
                    Record(event.chat, "raid.held", reason, user.id),
                    Stop(reason),
                ]
        return []

    async def _joined(self, event: Event, ctx: Context, user: User) -> list[Action]:
        cfg, key = ctx.config.antiraid, event.chat.key
        repo = RaidRepo(ctx.session)
        wave = is_wave(self._joins.setdefault(key, deque()), ctx.now, cfg.joins, cfg.seconds)
        raid = await repo.active(key, ctx.now)
        actions: list[Action] = []
        if raid is None and wave:
            until = ctx.now + timedelta(minutes=cfg.minutes)
            figures = len(self._joins[key])
            raid = await repo.start(key, ctx.now, until, figures)
            text = render(
                texts.STARTED,
                ctx.config.language,
                group=ctx.config.name or event.chat.title or key,
                joins=figures,
                seconds=cfg.seconds,
                minutes=cfg.minutes,
                until=format_local(until, ctx.config.tz, ctx.config.language),
            )
            reason = f"{figures} joins within {cfg.seconds} s (threshold {cfg.joins})"
            actions += [
                NotifyAdmins(event.chat, text, "raid mode started"),
                Record(
                    event.chat, "raid.started", reason, None, {"joins": figures, "until": until.isoformat()}
                ),
                *self._door(ctx, event, locked=True),
            ]
        elif raid is not None and wave:
            raid.until = max(raid.until, ctx.now + timedelta(minutes=cfg.minutes))  # the wave goes on
        if raid is not None:
            self._until[key] = raid.until
            self._newcomers.setdefault(key, set()).add(user.id)
            await repo.count(raid.id, joins=1)
            actions.append(Record(event.chat, "raid.join", "joined during raid mode", user.id))
        return actions

    async def _sweep(self, event: Event, ctx: Context) -> list[Action]:
        key = event.chat.key
        if key in self._until:
            until = self._until[key]
            if until is None or until > ctx.now:
                return []  # no raid, or not over yet: an idle tick costs no query
        repo = RaidRepo(ctx.session)
        raid = await repo.current(key)
        if raid is None or raid.until > ctx.now:
            self._until[key] = raid.until if raid is not None else None  # after a restart: it goes on
            return []
        if not await repo.end(raid.id, ctx.now):
            return []
        self._until[key] = None
        self._newcomers.pop(key, None)
        text = render(
            texts.ENDED, ctx.config.language, group=ctx.config.name or key, joins=raid.joins, held=raid.held
        )
        minutes = int((raid.until - raid.started_at).total_seconds() // 60)
        reason = f"raid mode over after {minutes} min: {raid.joins} joins, {raid.held} held"
        return [
            NotifyAdmins(event.chat, text, "raid mode ended"),
            Record(event.chat, "raid.ended", reason, None, {"joins": raid.joins, "held": raid.held}),
            *self._door(ctx, event, locked=False),
        ]

    @staticmethod
    def _door(ctx: Context, event: Event, locked: bool) -> list[Action]:
        """Lock joins for the raid, or open them when it ends: where the platform can (declared in
        ``can_lock_joins``), and only if the group wants it. Join requests during the raid are declined
        by ``handlers/verify/requests``."""
        if not ctx.config.antiraid.lock_joins:
            return []
        if not ctx.caps.can_lock_joins:
            why = "the platform cannot lock joins here"
            return [Record(event.chat, "raid.lock_unavailable", why)] if locked else []
        if locked:
            reason = "raid mode: joins through the bot's links need approval; join requests are declined"
            return [LockJoins(event.chat, True, reason), Record(event.chat, "raid.lock", reason)]
        reason = "raid mode over: the bot's links let members in again"
        return [LockJoins(event.chat, False, reason), Record(event.chat, "raid.unlock", reason)]
