"""The console platform: a simulator with a fake clock, for the demo, the tests and trying rules.

It keeps what the bot "posted" per chat, gives every message an id, and lets a test or a scenario set
per-chat capabilities (e.g. a WeCom-customer-group-like chat that cannot remove anyone) and admins.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.platforms.base import EventSink, PlatformError
from handlers.contract.actions import Button
from handlers.contract.capabilities import EVERYTHING, Capabilities
from handlers.contract.events import Chat, User
from handlers.contract.feature import CommandSpec


@dataclass(slots=True)
class Posted:
    """One thing the bot did on the console platform, in order."""

    op: str  # send / private / delete / remove / ban / unban / mute / unmute / pin / admins / invite /
    # approve / decline / edit
    chat: str
    text: str = ""
    message_id: str | None = None
    user: str | None = None
    buttons: tuple[Button, ...] = ()
    reply_to: str | None = None
    deleted: bool = False
    mentions: tuple[str, ...] = ()  # ids of the members the text mentions (the console shows text only)


@dataclass
class ConsoleAdapter:
    platform: str = "console"
    caps: dict[str, Capabilities] = field(default_factory=dict)
    default_caps: Capabilities = EVERYTHING
    refuse: set[str] = field(default_factory=set)  # ops the "server" refuses (tests of fallbacks)
    posted: list[Posted] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    members: dict[str, dict[str, User]] = field(default_factory=dict)  # chat key → user id → user
    bot_user_id: str = ""  # the simulated bot's own id (a scenario or test that lets it speak sets it)
    commands: list[CommandSpec] = field(default_factory=list)  # what a command menu would show
    # (chat key, message id) → what ``posted`` holds under that id: a deletion or an edit finds its message
    # at once, where a scan of everything posted made each deletion cost more the longer a run went on
    _by_id: dict[tuple[str, str], list[Posted]] = field(default_factory=dict, repr=False)

    def set_commands(self, commands: Sequence[CommandSpec]) -> None:
        self.commands = list(commands)

    def _post(self, item: Posted) -> None:
        self.posted.append(item)
        if item.message_id is not None:
            self._by_id.setdefault((item.chat, item.message_id), []).append(item)

    def _posted_as(self, chat: Chat, message_id: str) -> list[Posted]:
        return self._by_id.get((chat.key, message_id), [])

    def next_id(self) -> str:
        return str(next(self._ids))

    def capabilities(self, chat: Chat) -> Capabilities:
        return self.caps.get(chat.key, self.default_caps)

    def _check(self, op: str) -> None:
        if op in self.refuse:
            raise PlatformError(f"console: {op} refused (not enough rights)")

    async def send(
        self,
        chat: Chat,
        text: str,
        reply_to: str | None = None,
        buttons: Sequence[Button] = (),
        mentions: Sequence[User] = (),
    ) -> str:
        self._check("send")
        mid = self.next_id()
        named = tuple(u.id for u in mentions)
        self._post(
            Posted("send", chat.key, text, mid, buttons=tuple(buttons), reply_to=reply_to, mentions=named)
        )
        return mid

    async def send_private(self, user: User, text: str, buttons: Sequence[Button] = ()) -> str:
        self._check("private")
        mid = self.next_id()
        self._post(Posted("private", f"console:private:{user.id}", text, mid, user.id, tuple(buttons)))
        return mid

    async def delete(self, chat: Chat, message_id: str) -> None:
        self._check("delete")
        for item in self._posted_as(chat, message_id):
            item.deleted = True
        self._post(Posted("delete", chat.key, message_id=message_id))

    async def _member_op(self, op: str, chat: Chat, user: User, text: str = "") -> None:
        self._check(op)
        if op in ("remove", "ban"):
            self.members.get(chat.key, {}).pop(user.id, None)
        self._post(Posted(op, chat.key, text, user=user.id))

    async def remove(self, chat: Chat, user: User) -> None:
        await self._member_op("remove", chat, user)

    async def ban(self, chat: Chat, user: User) -> None:
        await self._member_op("ban", chat, user)

    async def unban(self, chat: Chat, user: User) -> None:
        await self._member_op("unban", chat, user)

    async def mute(self, chat: Chat, user: User, until: datetime) -> None:
        await self._member_op("mute", chat, user, until.isoformat())

    async def unmute(self, chat: Chat, user: User) -> None:
        await self._member_op("unmute", chat, user)

    async def pin(self, chat: Chat, message_id: str) -> None:
        self._check("pin")
        self._post(Posted("pin", chat.key, message_id=message_id))

    async def notify_admins(self, chat: Chat, text: str, buttons: Sequence[Button] = ()) -> None:
        self._check("admins")
        self._post(Posted("admins", chat.key, text, self.next_id(), buttons=tuple(buttons)))

    async def lock_joins(self, chat: Chat, locked: bool) -> int:
        self._check("lock")
        self._post(Posted("lock" if locked else "unlock", chat.key))
        return 0

    async def approve_join(self, chat: Chat, user: User) -> None:
        await self._member_op("approve", chat, user)

    async def decline_join(self, chat: Chat, user: User) -> None:
        await self._member_op("decline", chat, user)

    async def edit(self, chat: Chat, message_id: str, text: str, buttons: Sequence[Button] = ()) -> None:
        self._check("edit")
        for item in self._posted_as(chat, message_id):
            item.text, item.buttons = text, tuple(buttons)
        self._post(Posted("edit", chat.key, text, message_id, buttons=tuple(buttons)))

    async def create_invite_link(self, chat: Chat, name: str) -> str:
        self._check("invite")
        link = f"https://console.invalid/join/{chat.id}/{name}"
        self._post(Posted("invite", chat.key, link))
        return link

    async def start(self, sink: EventSink) -> None:
        """Events come from the scenario runner, not from a connection."""

    async def stop(self) -> None:
        return None

    def sent_texts(self, chat_key: str | None = None) -> list[str]:
        return [p.text for p in self.posted if p.op == "send" and (chat_key is None or p.chat == chat_key)]

    def ops(self, op: str) -> list[Posted]:
        return [p for p in self.posted if p.op == op]
