"""Actions: what a handler wants done, as data. Only the executor in ``bot/`` carries them out.

Every action carries the ``reason`` that goes to the event log (and, for public notices, to the group):
the bot never does anything it cannot explain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from handlers.contract.events import Chat, Event, User

# "survey": an invitation a member may ignore: where it cannot be delivered, the group is not pointed to it
Purpose = Literal["info", "moderation", "welcome", "reminder", "report", "survey"]

# The log chat's buttons under a removal or strike line (``bot/logchat.py`` puts them there, for the admins
# of the group; the moderation feature answers the press): ``log:undo:<user id>`` takes back what the bot
# did to the member, as /pardon does; ``log:ok:<user id>`` confirms it.
LOG_UNDO = "log:undo:"
LOG_CONFIRM = "log:ok:"


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button. ``data`` comes back as a ``button_pressed`` event; ``url`` opens a link;
    ``start`` opens a private chat with the bot whose ``/start`` carries this payload (Telegram's deep
    link ``t.me/<bot>?start=<payload>``: 1-64 of ``A-Z a-z 0-9 _ -``), so a member who never wrote to the
    bot lands on the right step. Platforms without such links drop the button."""

    text: str
    data: str = ""
    url: str = ""
    start: str = ""
    # only admins of this group (a chat key) may press it, wherever it is shown (the log chat, an admin's
    # private chat): the platform checks its own admin list at the press and refuses anyone else itself
    # (Telegram: an answerCallbackQuery text); the press arrives as ``button_pressed`` in that group, with
    # ``Event.pressed_in`` the chat holding the message
    admins_of: str = ""


@dataclass(frozen=True, slots=True)
class Send:
    """Post a message in ``chat``. ``tag`` names a message slot: a new Send with ``replace_tag`` deletes the
    previous message sent with the same tag (so welcomes do not pile up).

    ``mentions`` are the members the text names by ``User.mention`` (``@username``, or ``@name`` for a
    member without a username): a platform that can turns those into real mentions that notify the member
    (Telegram: a ``text_mention`` entity for a member without a username); others show the text as is."""

    chat: Chat
    text: str
    reason: str
    reply_to: str | None = None
    buttons: tuple[Button, ...] = ()
    purpose: Purpose = "info"
    delete_after_s: int | None = None
    pin: bool = False
    tag: str | None = None
    replace_tag: bool = False
    mentions: tuple[User, ...] = ()


@dataclass(frozen=True, slots=True)
class SendPrivate:
    """Message one member in a private chat (questionnaires, reminders, gifts). The content never goes to
    the group: where it cannot be delivered (the member never started the bot), the group gets at most a
    neutral line mentioning them with a button into the private chat at ``start`` (its /start payload)."""

    chat: Chat  # the group the member belongs to (for the fallback and the log)
    user: User
    text: str
    reason: str
    buttons: tuple[Button, ...] = ()
    purpose: Purpose = "info"
    start: str = ""


@dataclass(frozen=True, slots=True)
class Delete:
    """Delete one message. ``author``: whose it is, so that where the bot cannot delete (WeCom customer
    groups) the admins asked to do it are told whose message to look for, not only its id."""

    chat: Chat
    message_id: str
    reason: str
    author: User | None = None


@dataclass(frozen=True, slots=True)
class Remove:
    """Take a member out of the group (Telegram: ban + unban; WeCom app group: appchat/update)."""

    chat: Chat
    user: User
    reason: str


@dataclass(frozen=True, slots=True)
class Ban:
    """Remove and keep out until ``/pardon`` or an admin unbans."""

    chat: Chat
    user: User
    reason: str


@dataclass(frozen=True, slots=True)
class Unban:
    chat: Chat
    user: User
    reason: str


@dataclass(frozen=True, slots=True)
class Mute:
    chat: Chat
    user: User
    until: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class Unmute:
    chat: Chat
    user: User
    reason: str


@dataclass(frozen=True, slots=True)
class NotifyAdmins:
    """Tell the group's admins (log chat, owner, or the admins by private message, as the platform allows).
    ``buttons`` go along where the notice can carry them (give them ``admins_of`` the group)."""

    chat: Chat
    text: str
    reason: str
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True, slots=True)
class ApproveJoin:
    """Let a member who asked to join (``join_request``) in. Where the platform cannot, the admins / owner
    are asked to (``escalated``)."""

    chat: Chat
    user: User
    reason: str


@dataclass(frozen=True, slots=True)
class DeclineJoin:
    """Turn a join request down (they may ask again)."""

    chat: Chat
    user: User
    reason: str


@dataclass(frozen=True, slots=True)
class LockJoins:
    """Shut the door for new joins (raid mode) or open it again. Telegram: the invite links the bot made
    are switched to need approval (``editChatInviteLink`` with ``creates_join_request``), and back; the
    group's primary link and links made by people cannot be touched by a bot. Where the platform cannot,
    ``can_lock_joins`` is False and the action is skipped (logged)."""

    chat: Chat
    locked: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text (and buttons: ``()`` removes them) of a message the bot sent in ``chat``."""

    chat: Chat
    message_id: str
    text: str
    reason: str
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True, slots=True)
class CreateInviteLink:
    """Create a named invite link for ``user`` (referrals) and send ``text`` with ``{link}`` filled in."""

    chat: Chat
    user: User
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Record:
    """A decision with no platform effect (strike counted, check-in, points): one event-log row."""

    chat: Chat
    kind: str
    reason: str
    user_id: str | None = None
    detail: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GroupActivity:
    """The bot is in ``chat`` again (``active``) or no longer is. No platform effect: the log gets a
    ``group_active`` / ``group_inactive`` row and the app rebuilds the scheduled jobs, which follow
    the groups the bot is in."""

    chat: Chat
    active: bool
    reason: str

    @property
    def kind(self) -> str:
        return "group_active" if self.active else "group_inactive"


@dataclass(frozen=True, slots=True)
class After:
    """Ask for one ``tick`` in ``chat`` with ``data``, ``delay`` after the event that asked (a one-shot
    timer: a welcome when its batch window closes, a verification deadline). No platform effect.

    The tick goes through the pipeline like a scheduled run (``scheduled_for`` = the planned time) and is
    claimed in the database, so it is handled once even if asked for twice. Timers live in the process:
    a feature whose promise must survive a restart keeps its own state and a sweep job as the fallback.
    """

    chat: Chat
    delay: timedelta
    data: str
    reason: str


@dataclass(frozen=True, slots=True)
class Stop:
    """End handling of this event after the current phase's handler (PTB's ApplicationHandlerStop)."""

    reason: str


@dataclass(frozen=True, slots=True)
class Emit:
    """Handle ``event`` through the whole pipeline after this one (a follow-up such as ``member_verified``):
    the way one feature starts another's work without calling it. The pipeline, not the executor, runs it."""

    event: Event
    reason: str


Action = (
    Send
    | SendPrivate
    | Delete
    | Remove
    | Ban
    | Unban
    | Mute
    | Unmute
    | NotifyAdmins
    | ApproveJoin
    | DeclineJoin
    | Edit
    | LockJoins
    | CreateInviteLink
    | Record
    | GroupActivity
    | After
    | Stop
    | Emit
)

# Actions that change membership or content: skipped (and reported to admins) in observe-only mode.
ENFORCING: tuple[type, ...] = (Delete, Remove, Ban, Mute, DeclineJoin)


def action_name(action: Action) -> str:
    """``Send`` → ``send``, ``NotifyAdmins`` → ``notify_admins``: the log's ``action.<name>`` kinds."""
    name = type(action).__name__
    return "".join("_" + c.lower() if c.isupper() and i else c.lower() for i, c in enumerate(name))
