"""What an adapter must offer the executor. Every method may raise ``PlatformError``; the executor
then applies the fallback, so one refused call never stops the bot."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Protocol

from handlers.contract.actions import Button
from handlers.contract.capabilities import Capabilities
from handlers.contract.events import Chat, Event, User
from handlers.contract.feature import CommandSpec

EventSink = Callable[[Event], Awaitable[object]]


class NoPlatform(ValueError):
    """No platform can start (none configured, or settings that cannot work): ``qunbot run`` exits
    with this one line."""


class PlatformError(Exception):
    """The platform refused or failed a call (no rights, unknown method, network)."""


class Unsupported(PlatformError):
    """The platform (or this chat) cannot do this at all."""


class Adapter(Protocol):
    platform: str

    @property
    def bot_user_id(self) -> str:
        """The bot's own user id on this platform, read for every event (the "never act on itself"
        guards); "" only until the platform has told us, and no event is handed over before that."""
        ...

    def set_commands(self, commands: Sequence[CommandSpec]) -> None:
        """The features' commands, before ``start``: a platform with a command menu registers them."""
        ...

    def capabilities(self, chat: Chat) -> Capabilities: ...

    async def send(
        self,
        chat: Chat,
        text: str,
        reply_to: str | None = None,
        buttons: Sequence[Button] = (),
        mentions: Sequence[User] = (),
    ) -> str | None: ...

    async def send_private(self, user: User, text: str, buttons: Sequence[Button] = ()) -> str | None: ...

    async def delete(self, chat: Chat, message_id: str) -> None: ...

    async def remove(self, chat: Chat, user: User) -> None: ...

    async def ban(self, chat: Chat, user: User) -> None: ...

    async def unban(self, chat: Chat, user: User) -> None: ...

    async def mute(self, chat: Chat, user: User, until: datetime) -> None: ...

    async def unmute(self, chat: Chat, user: User) -> None: ...

    async def pin(self, chat: Chat, message_id: str) -> None: ...

    async def notify_admins(self, chat: Chat, text: str, buttons: Sequence[Button] = ()) -> None: ...

    async def approve_join(self, chat: Chat, user: User) -> None: ...

    async def lock_joins(self, chat: Chat, locked: bool) -> int:
        """Joins through the bot's links need approval (``locked``) or not; the number of links changed."""
        ...

    async def decline_join(self, chat: Chat, user: User) -> None: ...

    async def edit(self, chat: Chat, message_id: str, text: str, buttons: Sequence[Button] = ()) -> None: ...

    async def create_invite_link(self, chat: Chat, name: str) -> str: ...

    async def start(self, sink: EventSink) -> None: ...

    async def stop(self) -> None: ...
