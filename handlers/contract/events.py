"""Platform-neutral events: adapters normalise every update into one frozen ``Event`` at the edge.

Handlers never see a Telegram ``Update`` or a WeCom XML body, so the same feature code runs on every
platform and in the console simulator (after nonebot2's adapter ``Event`` contract).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal

ChatKind = Literal["group", "private"]

PLATFORMS = ("tg", "wecom", "console")  # the prefixes a chat key may carry
CHAT_KEY_HINT = (
    'a chat key looks like "tg:group:-1001234567890", "wecom:group:wrXXXX", "console:group:demo" '
    'or "tg:private:12345"'
)


class EventKind(StrEnum):
    MEMBER_JOINED = "member_joined"
    MEMBER_LEFT = "member_left"
    MESSAGE = "message"
    NICKNAME_CHANGED = "nickname_changed"
    MEMBER_UNBANNED = (
        "member_unbanned"  # an admin lifted a ban on the platform itself (``actor``), not the bot
    )
    BUTTON_PRESSED = "button_pressed"
    COMMAND = "command"
    TICK = "tick"
    BOT_ADDED = "bot_added"  # the bot became a member / its rights changed
    BOT_REMOVED = "bot_removed"  # the bot left or was removed: the group goes quiet (no scheduled posts)
    # a newcomer passed the door's verification: onboarding (welcome, tasks, referral credit) starts now.
    # Emitted by the verify feature, never by an adapter; a join that needed no verification is not followed
    # by one, so onboarding features take ``ARRIVALS`` as "a member is in".
    MEMBER_VERIFIED = "member_verified"
    # someone asked to join a group that approves new members (Telegram ``chat_join_request``): ``user`` is
    # not a member yet; ``invite_link`` names the link they used. ApproveJoin / DeclineJoin answer it.
    JOIN_REQUEST = "join_request"


# The kinds that mean "a member is in and may be onboarded": a plain join, or a join that passed verification
# (the verify feature stops the plain join and emits ``MEMBER_VERIFIED`` once the newcomer passes).
ARRIVALS = frozenset({EventKind.MEMBER_JOINED, EventKind.MEMBER_VERIFIED})


@dataclass(frozen=True, slots=True)
class Chat:
    """A chat on one platform. ``key`` (``tg:group:-100123``) is how config and storage name it."""

    platform: str
    id: str
    kind: ChatKind = "group"
    title: str = ""
    key: str = field(init=False, repr=False, compare=False)  # computed once: read many times per event

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", f"{self.platform}:{self.kind}:{self.id}")

    @classmethod
    def from_key(cls, key: str) -> Chat:
        """``tg:group:-100123`` → the chat: the one parser of chat keys (config tables, ``log_chat``,
        stored group keys). A malformed key raises ``ValueError`` saying what was expected."""
        platform, _, rest = key.partition(":")
        kind, _, chat_id = rest.partition(":")
        if platform not in PLATFORMS:
            why = f"unknown platform {platform!r} (expected {', '.join(PLATFORMS)})"
        elif kind not in ("group", "private"):
            why = f"{kind!r} is neither group nor private"
        elif not chat_id or chat_id != chat_id.strip():
            why = "the chat id is empty or has spaces around it"
        else:
            return cls(platform, chat_id, "group" if kind == "group" else "private")
        raise ValueError(f"not a chat key: {key!r}, {why}; {CHAT_KEY_HINT}")


@dataclass(frozen=True, slots=True)
class User:
    """A member as the platform shows them. ``name`` is the name the nickname rule checks
    (Telegram: first + last name; WeCom: group nickname); ``is_admin`` is resolved on the platform."""

    id: str
    name: str
    username: str | None = None
    is_bot: bool = False
    is_admin: bool = False

    @property
    def mention(self) -> str:
        return f"@{self.username}" if self.username else f"@{self.name}"


@dataclass(frozen=True, slots=True)
class MessageRef:
    """The message an event replies to (for ``/warn`` as a reply, ``/report``, ``/spam``)."""

    id: str
    user: User | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened. Fields beyond ``kind``/``chat``/``at``/``delivery`` default to empty.

    ``delivery`` is unique per platform delivery (``tg:update:812``): the pipeline does nothing twice
    for the same value. ``at`` is always timezone-aware UTC.
    """

    kind: EventKind
    chat: Chat
    at: datetime
    delivery: str
    user: User | None = None
    # message / command (button_pressed: the text of the bot's message the button is under)
    message_id: str | None = None
    text: str = ""
    command: str | None = None  # without the slash, lower-case: "warn"
    args: tuple[str, ...] = ()
    reply_to: MessageRef | None = None
    urls: tuple[str, ...] = ()  # from platform entities; rules also look in the text
    qr_texts: tuple[str, ...] = ()  # payloads of QR codes decoded from attached images at the edge
    media: str | None = None  # "photo", "sticker", "mini_program", "card", …
    forwarded_from_channel: bool = False
    forwarded: bool = False  # forwarded from anyone (a channel, a user, a group): the forwards lock
    via_bot: bool = False  # sent through an inline bot (@gif, @vote …): the inline lock
    # membership
    old_name: str | None = None  # nickname_changed: the name before
    actor: User | None = None  # who added / removed the member, if not themselves
    invite_link: str | None = None  # the named invite link a member joined through (referrals)
    # join_request: the private chat the bot may write to about the request (Telegram's ``user_chat_id``,
    # open for 5 minutes, and for good once they answer); the user's id where the platform has none
    private_chat_id: str | None = None
    # buttons and ticks
    data: str = ""  # button payload, or the tick's job name
    # button_pressed on a button ``Button.admins_of`` a group: the chat holding the pressed message (a log
    # chat, an admin's private chat) when it is not ``chat`` (then the group the button is about)
    pressed_in: Chat | None = None
    scheduled_for: datetime | None = None  # tick: the planned fire time (may be earlier than ``at``)
    extra: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # adapter-specific, for logs only

    @property
    def group_key(self) -> str:
        return self.chat.key

    @property
    def user_id(self) -> str | None:
        return self.user.id if self.user else None
