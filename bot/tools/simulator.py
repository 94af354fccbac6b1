"""Drive an ``App`` on the console platform: members join, rename, speak; time advances and jobs fire.

Used by ``qunbot demo`` (scenario files), the interactive prompt, and end-to-end tests, so everything
the bot does can be watched and asserted without a token or a network.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.app import App
from bot.clock import FakeClock
from bot.pipeline import Handled
from bot.platforms.console import ConsoleAdapter
from handlers.contract.events import Chat, Event, EventKind, MessageRef, User
from rules.commands import parse_command

_DURATION = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>s|m|h|d|w)")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> timedelta:
    """``"90m"``, ``"1d 2h"``, ``"1w"`` → timedelta; anything else is a ValueError naming the forms."""
    parts = list(_DURATION.finditer(text))
    if not parts or "".join(m.group(0) for m in parts).replace(" ", "") != text.replace(" ", ""):
        raise ValueError(f"bad duration {text!r}: expected e.g. 30s, 10m, 2h, 1d, 1w or '1d 2h'")
    total = timedelta()
    for match in parts:
        total += timedelta(**{_UNITS[match["unit"]]: float(match["n"])})
    return total


@dataclass
class Simulator:
    app: App
    adapter: ConsoleAdapter
    clock: FakeClock
    chat: Chat
    users: dict[str, User] = field(default_factory=dict)
    messages: dict[str, MessageRef] = field(default_factory=dict)  # label → message
    history: list[Handled] = field(default_factory=list)
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    last_event: Event | None = None

    def __post_init__(self) -> None:
        self.app.listeners.append(self.history.append)
        self.app.scheduler.dispatch = self._dispatch  # ticks' removals are reflected too

    async def _dispatch(self, event: Event) -> Handled | None:
        """Dispatch, then do what a platform does after the bot removed someone: report that they left."""
        before = len(self.adapter.posted)
        handled = await self.app.dispatch(event)
        for item in self.adapter.posted[before:]:
            if item.op in ("remove", "ban") and item.chat == self.chat.key and item.user in self.users:
                self.adapter.members.get(self.chat.key, {}).pop(item.user, None)
                await self._dispatch(self._event(EventKind.MEMBER_LEFT, item.user))
        return handled

    def add_user(
        self, uid: str, name: str, username: str | None = None, admin: bool = False, bot: bool = False
    ) -> User:
        user = User(uid, name, username, is_bot=bot, is_admin=admin)
        self.users[uid] = user
        return user

    def user(self, uid: str) -> User:
        if uid not in self.users:
            raise KeyError(f"unknown user {uid!r}; declare it first")
        return self.users[uid]

    async def _send(self, event: Event) -> Handled:
        self.last_event = event
        handled = await self._dispatch(event)
        return handled if handled is not None else Handled(event, errors=["pipeline failed (see the log)"])

    def _event(self, kind: EventKind, uid: str | None, chat: Chat | None = None, **fields: object) -> Event:
        n = next(self._seq)
        return Event(
            kind=kind,
            chat=chat or self.chat,
            at=self.clock.now(),
            delivery=f"console:{self.chat.id}:{n}",
            user=self.user(uid) if uid else None,
            **fields,  # type: ignore[arg-type]
        )

    async def join(self, uid: str, invite_link: str | None = None, by: str | None = None) -> Handled:
        user = self.user(uid)
        self.adapter.members.setdefault(self.chat.key, {})[uid] = user
        actor = self.user(by) if by else None
        return await self._send(
            self._event(EventKind.MEMBER_JOINED, uid, invite_link=invite_link, actor=actor)
        )

    async def request_join(self, uid: str, invite_link: str | None = None) -> Handled:
        """``uid`` asks to join a group that approves new members (Telegram's ``chat_join_request``)."""
        event = self._event(EventKind.JOIN_REQUEST, uid, invite_link=invite_link, private_chat_id=uid)
        return await self._send(event)

    async def leave(self, uid: str) -> Handled:
        self.adapter.members.get(self.chat.key, {}).pop(uid, None)
        return await self._send(self._event(EventKind.MEMBER_LEFT, uid))

    async def unban(self, uid: str, by: str) -> Handled:
        """An admin lifts ``uid``'s ban in the platform's own interface (not through the bot)."""
        return await self._send(self._event(EventKind.MEMBER_UNBANNED, uid, actor=self.user(by)))

    async def rename(self, uid: str, new_name: str) -> Handled:
        old = self.user(uid)
        self.users[uid] = User(old.id, new_name, old.username, old.is_bot, old.is_admin)
        return await self._send(self._event(EventKind.NICKNAME_CHANGED, uid, old_name=old.name))

    async def say(
        self,
        uid: str,
        text: str,
        reply_to: str | None = None,
        label: str | None = None,
        private: bool = False,
        media: str | None = None,
        qr_texts: tuple[str, ...] = (),
        urls: tuple[str, ...] = (),
        forwarded_from_channel: bool = False,
        forwarded: bool = False,
        via_bot: bool = False,
    ) -> Handled:
        message_id = self.adapter.next_id()
        ref = self.messages.get(reply_to) if reply_to else None
        if reply_to and ref is None:
            raise KeyError(f"no message labelled {reply_to!r}")
        chat = Chat(self.chat.platform, uid, "private") if private else self.chat
        parsed = parse_command(text)
        kind = EventKind.COMMAND if parsed else EventKind.MESSAGE
        event = self._event(
            kind,
            uid,
            chat=chat,
            message_id=message_id,
            text=text,
            command=parsed[0] if parsed else None,
            args=parsed[1] if parsed else (),
            reply_to=ref,
            media=media,
            qr_texts=qr_texts,
            urls=urls,
            forwarded_from_channel=forwarded_from_channel,
            forwarded=forwarded or forwarded_from_channel,
            via_bot=via_bot,
        )
        self.messages[label or message_id] = MessageRef(message_id, self.user(uid), text)
        return await self._send(event)

    async def edit(self, label: str, text: str) -> Handled:
        """The author edits a message: platforms deliver it again, same message id, new delivery."""
        old = self.messages[label]
        assert old.user is not None, "only members' messages can be edited"
        event = self._event(EventKind.MESSAGE, old.user.id, message_id=old.id, text=text)
        self.messages[label] = MessageRef(old.id, old.user, text)
        return await self._send(event)

    async def press(self, uid: str, data: str, message_id: str | None = None) -> Handled:
        """``uid`` presses a button with ``data`` (under the bot's message ``message_id``, if given; the
        event carries that message's text, as Telegram's callback query does)."""
        posted = next(
            (p for p in self.adapter.posted if message_id and p.message_id == message_id and p.text), None
        )
        text = posted.text if posted else ""
        # a button in the log chat (or a private chat) is about this group: the press comes here
        elsewhere = Chat.from_key(posted.chat) if posted and posted.chat != self.chat.key else None
        event = self._event(
            EventKind.BUTTON_PRESSED, uid, data=data, message_id=message_id, text=text, pressed_in=elsewhere
        )
        return await self._send(event)

    async def redeliver(self) -> Handled:
        """Deliver the last event again, as a webhook retry would."""
        if self.last_event is None:
            raise ValueError("nothing delivered yet")
        return await self._send(self.last_event)

    async def advance(self, delta: timedelta | str) -> int:
        """Move time forward; scheduled jobs fire at their planned times on the way."""
        if isinstance(delta, str):
            delta = parse_duration(delta)
        # Time passes: in service the batched writer (every 200 ms) has long written what was pending, so
        # jobs that read the members' counters (silence, nudges, honours) see the messages before them.
        await self.app.writer.flush()
        before = len(self.history)
        await self.app.scheduler.advance(self.clock.now() + delta)
        return len(self.history) - before

    async def advance_to(self, when: datetime) -> int:
        return await self.advance(max(when - self.clock.now(), timedelta(0)))
