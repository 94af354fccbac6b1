"""Locks: a message of a locked kind (links, forwards, stickers, GIFs, voice, video, contacts, games,
inline bots) is deleted, and a bot added by a member is removed; night mode lets only admins post in a
daily window, slow mode lets each member post once per N seconds. Admins are never locked.

Locks come from ``[locks] locked`` and from ``/lock`` / ``/unlock`` (admins only; stored, they win over
the TOML). A lock deletes and logs (in observe mode the executor only reports); it strikes only where the
TOML says ``strike = true``. The hot path reads memory only: a group's stored locks are read once.
"""

from __future__ import annotations

from datetime import datetime

from handlers.common.admin import admin_only
from handlers.common.bounded import LruDict
from handlers.common.strikes import Offence, add_strike
from handlers.config import GroupConfig
from handlers.contract.actions import Action, Delete, Record, Remove, Send, Stop
from handlers.contract.events import Event, EventKind, User
from handlers.contract.texts import render
from handlers.feature import CommandSpec, Context, Feature, JobSpec, Phase
from handlers.locks import texts
from handlers.locks.config import parse_hhmm
from rules.locks import LOCK_KINDS, in_window, lock_kind, message_kinds, slow_mode_wait
from storage.repos.locks import LockRepo

NIGHT_ON = "locks.night_on"
NIGHT_OFF = "locks.night_off"


def kind_label(kind: str, language: str) -> str:
    return render(texts.KIND[kind], language)


class Locks(Feature):
    name = "locks"
    phase = Phase.MODERATION
    kinds = frozenset({EventKind.MESSAGE, EventKind.COMMAND, EventKind.MEMBER_JOINED, EventKind.TICK})
    commands = (
        CommandSpec("lock", "锁定一类消息：/lock links", "Lock a kind of message: /lock links", admin=True),
        CommandSpec(
            "unlock", "解锁一类消息：/unlock stickers", "Unlock a kind: /unlock stickers", admin=True
        ),
        CommandSpec("locks", "查看本群的锁定", "Show this group's locks", admin=True),
    )

    def __init__(self) -> None:
        self._overrides: dict[str, dict[str, bool]] = {}  # group → kind → locked, as admins set them
        # Slow mode: (group, member) → last message; past the bound the member who posted longest ago is
        # forgotten (a wait still running then would need 20,000 other members posting since).
        self._last_post: LruDict[tuple[str, str], datetime] = LruDict()

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        night = config.locks.night
        if not (night.enabled and night.announce):
            return []
        return [JobSpec(NIGHT_ON, night.start, grace_s=600), JobSpec(NIGHT_OFF, night.end, grace_s=600)]

    async def locked(self, ctx: Context, group_key: str) -> frozenset[str]:
        overrides = self._overrides.get(group_key)
        if overrides is None:
            overrides = self._overrides[group_key] = await LockRepo(ctx.session).overrides(group_key)
        kinds: set[str] = set(ctx.config.locks.locked)
        kinds |= {kind for kind, on in overrides.items() if on}
        kinds -= {kind for kind, on in overrides.items() if not on}
        return frozenset(kinds)

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.chat.kind != "group":
            return []
        if event.kind == EventKind.TICK:
            return self._night_notice(event, ctx)
        user = event.user
        if user is None or user.id == ctx.bot_user_id:
            return []
        if event.kind == EventKind.COMMAND and event.command in ("lock", "unlock", "locks"):
            return await self._command(event, ctx, user)
        if user.is_admin:
            return []
        if event.kind == EventKind.MEMBER_JOINED:
            return await self._bot_added(event, ctx, user)
        return await self._message(event, ctx, user)

    async def _message(self, event: Event, ctx: Context, user: User) -> list[Action]:
        cfg = ctx.config.locks
        if event.message_id is None:
            return []
        local = ctx.now.astimezone(ctx.config.tz)
        if cfg.night.enabled and in_window(local, *cfg.night.times):
            return self._delete(event, user, "lock.night", f"night mode ({cfg.night.start}-{cfg.night.end})")
        hits = message_kinds(event.text, event.urls, event.media, event.forwarded, event.via_bot)
        if hits:
            locked = sorted(hits & await self.locked(ctx, event.chat.key))
            if locked:
                actions = self._delete(event, user, "lock.deleted", "locked: " + ", ".join(locked))
                if cfg.strike:
                    label = kind_label(locked[0], ctx.config.language)
                    offence = Offence(user, "locked", label, event.delivery, extra={"locks": locked})
                    actions[1:1] = await add_strike(ctx, event.chat, offence)
                return actions
        if cfg.slow.seconds and (
            not cfg.slow.start or in_window(local, parse_hhmm(cfg.slow.start), parse_hhmm(cfg.slow.end))
        ):
            key = (event.chat.key, user.id)
            wait = slow_mode_wait(self._last_post.get(key), ctx.now, cfg.slow.seconds)
            if wait is not None:
                return self._delete(
                    event, user, "lock.slow", f"slow mode: {int(wait.total_seconds()) + 1} s to wait"
                )
            self._last_post[key] = ctx.now
        return []

    @staticmethod
    def _delete(event: Event, user: User, kind: str, reason: str) -> list[Action]:
        assert event.message_id is not None
        return [
            Delete(event.chat, event.message_id, reason, event.user),
            Record(event.chat, kind, reason, user.id),
            Stop(reason),
        ]

    async def _bot_added(self, event: Event, ctx: Context, user: User) -> list[Action]:
        actor = event.actor
        if not user.is_bot or (actor is not None and actor.is_admin):
            return []
        if "bots" not in await self.locked(ctx, event.chat.key):
            return []
        by = f" by {actor.name}" if actor is not None and actor.id != user.id else ""
        reason = f"locked: bots (added{by})"
        return [
            Remove(event.chat, user, reason),
            Record(event.chat, "lock.bot_removed", reason, user.id, {"actor": actor.id if actor else None}),
            Stop(reason),
        ]

    async def _command(self, event: Event, ctx: Context, user: User) -> list[Action]:
        refused = admin_only(event, ctx)
        if refused is not None:
            return [*refused, Stop("not an admin")]
        lang, key = ctx.config.language, event.chat.key
        if event.command == "locks":
            return [
                Send(event.chat, await self._summary(ctx, key), "/locks", reply_to=event.message_id),
                Stop("/locks"),
            ]
        kind = lock_kind(event.args[0]) if event.args else None
        if kind is None:
            usage = render(texts.USAGE, lang, command=event.command, kinds=", ".join(LOCK_KINDS))
            return [
                Send(event.chat, usage, f"/{event.command}: unknown kind", reply_to=event.message_id),
                Stop("usage"),
            ]
        on = event.command == "lock"
        await LockRepo(ctx.session).set(key, kind, on, user.id, ctx.now)
        await self.locked(ctx, key)  # loaded before it is changed in memory
        self._overrides[key][kind] = on
        text = render(texts.LOCKED if on else texts.UNLOCKED, lang, kind=kind_label(kind, lang))
        return [
            Send(event.chat, text, f"/{event.command} {kind}", reply_to=event.message_id),
            Record(
                event.chat,
                "lock.set" if on else "lock.lifted",
                f"{kind} by {user.name}",
                user.id,
                {"kind": kind},
            ),
            Stop(f"/{event.command}"),
        ]

    async def _summary(self, ctx: Context, key: str) -> str:
        cfg, lang = ctx.config.locks, ctx.config.language
        locked = sorted(await self.locked(ctx, key), key=LOCK_KINDS.index)
        names = (
            "、".join(kind_label(k, lang) for k in locked)
            if lang == "zh"
            else ", ".join(kind_label(k, lang) for k in locked)
        )
        night = (
            render(texts.NIGHT_WINDOW, lang, start=cfg.night.start, end=cfg.night.end)
            if cfg.night.enabled
            else render(texts.OFF, lang)
        )
        if cfg.slow.seconds:
            window = (
                render(texts.SLOW_WINDOW, lang, start=cfg.slow.start, end=cfg.slow.end)
                if cfg.slow.start
                else ""
            )
            slow = render(texts.SLOW_EVERY, lang, seconds=cfg.slow.seconds, window=window)
        else:
            slow = render(texts.OFF, lang)
        return render(texts.LIST, lang, locked=names or render(texts.NONE, lang), night=night, slow=slow)

    @staticmethod
    def _night_notice(event: Event, ctx: Context) -> list[Action]:
        night, lang = ctx.config.locks.night, ctx.config.language
        if event.data == NIGHT_ON and night.enabled:
            return [Send(event.chat, render(texts.NIGHT_ON, lang, end=night.end), "night mode starts")]
        if event.data == NIGHT_OFF and night.enabled:
            return [Send(event.chat, render(texts.NIGHT_OFF, lang), "night mode ends")]
        return []
