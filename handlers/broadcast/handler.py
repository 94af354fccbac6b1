"""Broadcast: one announcement to many groups (a rule change, a crisis 公告).

Two ways in, one way out. An operator runs ``qunbot broadcast`` (``bot/cli_broadcast.py``), which plans a
copy per group spread over time (the rate limit); an admin sends ``/broadcast 公告内容`` in a private chat
and presses, for each group, a button that only that group's admins can use (the platform checks its own
admin list at the press). Either way a copy goes out once: the delivery row is claimed before the post,
so a redelivered tick, a second press or a second instance does nothing twice; every copy is logged.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.broadcast import texts
from handlers.config import GroupConfig
from handlers.contract.actions import Action, Button, Record, Send, SendPrivate
from handlers.contract.events import Event, EventKind
from handlers.contract.texts import render
from handlers.feature import CommandSpec, Context, Feature, JobSpec

DELIVER_JOB = "broadcast.deliver"
PRESS_PREFIX = "broadcast:"
PREVIEW_CHARS = 300
MAX_BUTTONS = 20  # a longer list is unreadable in a chat: the operator's CLI serves bigger broadcasts


def press_data(broadcast_id: int) -> str:
    return f"{PRESS_PREFIX}{broadcast_id}"


def _pressed(data: str) -> int | None:
    head, _, tail = data.partition(":")
    return int(tail) if f"{head}:" == PRESS_PREFIX and tail.isdigit() else None


class BroadcastFeature(Feature):
    name = "broadcast"
    kinds = frozenset({EventKind.COMMAND, EventKind.BUTTON_PRESSED, EventKind.TICK})
    commands = (
        CommandSpec(
            "broadcast",
            "群发公告（私聊我）：/broadcast 公告内容",
            "Announce to your groups (in private)",
            True,
        ),
    )

    def __init__(self) -> None:
        # groups with a copy due, as of ``_checked``: one query a minute for the whole process instead of
        # one per group per tick
        self._due: set[str] = set()
        self._checked: datetime | None = None

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        return (
            [JobSpec(DELIVER_JOB, config.broadcast.deliver_check, grace_s=3600)]
            if config.broadcast.enabled
            else []
        )

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind == EventKind.TICK:
            return await self._deliver(event, ctx) if event.data == DELIVER_JOB else []
        if event.kind == EventKind.COMMAND and event.command == "broadcast" and event.user is not None:
            return await self._draft(event, ctx)
        if event.kind == EventKind.BUTTON_PRESSED and (broadcast_id := _pressed(event.data)) is not None:
            return await self._press(event, ctx, broadcast_id)
        return []

    async def _deliver(self, event: Event, ctx: Context) -> list[Action]:
        if not ctx.config.broadcast.enabled:
            return []
        if (
            self._checked is None
            or ctx.now - self._checked >= timedelta(seconds=50)
            or ctx.now < self._checked
        ):
            self._due = await ctx.repos.broadcasts.groups_due(ctx.now)
            self._checked = ctx.now
        if event.chat.key not in self._due:
            return []
        self._due.discard(event.chat.key)
        actions: list[Action] = []
        for broadcast in await ctx.repos.broadcasts.due(event.chat.key, ctx.now):
            if await ctx.repos.broadcasts.claim(broadcast.id, event.chat.key, ctx.now):
                actions += self._post(event, ctx, broadcast.id, broadcast.text, broadcast.origin)
        return actions

    def _post(self, event: Event, ctx: Context, broadcast_id: int, text: str, origin: str) -> list[Action]:
        body = render(texts.ANNOUNCEMENT, ctx.config.language, text=text)
        why = f"broadcast {broadcast_id} ({origin})"
        return [
            Send(event.chat, body, why),
            Record(event.chat, "broadcast.sent", why, None, {"broadcast": broadcast_id, "origin": origin}),
        ]

    async def _draft(self, event: Event, ctx: Context) -> list[Action]:
        assert event.user is not None
        lang = ctx.config.language
        if event.chat.kind != "private":
            return [
                Send(
                    event.chat, render(texts.IN_PRIVATE_ONLY, lang), "/broadcast in a group", event.message_id
                )
            ]
        body = event.text.partition(" ")[2].strip() if event.text else " ".join(event.args)
        if not body:
            return [Send(event.chat, render(texts.USAGE, lang), "/broadcast without text")]
        groups = []
        for member in await ctx.repos.members.for_user(event.user.id):
            if member.left_at is None and member.group_key.split(":", 1)[0] == event.chat.platform:
                groups.append(member.group_key)
        if not groups:
            return [Send(event.chat, render(texts.NO_GROUPS, lang), "/broadcast: no group of theirs")]
        draft = await ctx.repos.broadcasts.create(body, "admin", event.user.id, ctx.now)
        buttons = []
        for key in sorted(groups)[:MAX_BUTTONS]:
            title = await ctx.repos.groups.title(key) or key
            buttons.append(
                Button(render(texts.SEND_TO, lang, group=title), press_data(draft.id), admins_of=key)
            )
        preview = body if len(body) <= PREVIEW_CHARS else body[:PREVIEW_CHARS] + "…"
        text = render(texts.DRAFT, lang, n=len(buttons), preview=preview)
        return [
            Send(event.chat, text, f"broadcast {draft.id} drafted", buttons=tuple(buttons)),
            Record(
                event.chat,
                "broadcast.drafted",
                f"broadcast {draft.id}: {len(buttons)} groups offered",
                event.user.id,
                {"broadcast": draft.id, "groups": len(buttons)},
            ),
        ]

    async def _press(self, event: Event, ctx: Context, broadcast_id: int) -> list[Action]:
        """A button under a draft, pressed: ``event.chat`` is the group it is about."""
        if event.user is None:
            return []
        lang = ctx.config.language
        title = await ctx.repos.groups.title(event.chat.key) or event.chat.title or event.chat.key
        if not event.user.is_admin:
            text = render(texts.NOT_ADMIN, lang, group=title)
            return [SendPrivate(event.chat, event.user, text, "broadcast press by a non-admin")]
        broadcast = await ctx.repos.broadcasts.get(broadcast_id)
        if broadcast is None:
            return [SendPrivate(event.chat, event.user, render(texts.GONE, lang), "broadcast draft gone")]
        if not ctx.config.broadcast.enabled or not await ctx.repos.broadcasts.claim(
            broadcast_id, event.chat.key, ctx.now
        ):
            text = render(texts.ALREADY, lang, group=title)
            return [SendPrivate(event.chat, event.user, text, f"broadcast {broadcast_id} already posted")]
        confirm = SendPrivate(
            event.chat, event.user, render(texts.SENT, lang, group=title), "broadcast posted"
        )
        return [*self._post(event, ctx, broadcast.id, broadcast.text, broadcast.origin), confirm]
