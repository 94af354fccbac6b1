"""Telegram ``Update`` → our frozen ``Event``s. No network: what needs the API (admin lists, QR payloads)
is looked up by the adapter first and passed in.

Telegram reports some things twice or not at all, and this is where that is evened out:
- A join (or leave) arrives as a ``new_chat_members`` / ``left_chat_member`` service message *and*, when
  the bot is an admin, as a ``chat_member`` update, usually a second or two apart and in either order.
  Both map to one delivery id (``tg:join:<chat>:<user>:<first date seen>``), so the pipeline handles one
  join once. When the bot is known to be an admin the service message is not used at all, because only
  the ``chat_member`` update carries the invite link the member came through.
- Nobody is told about renames: the name seen on a member's next message or ``chat_member`` update is
  compared with the last one seen in that chat (``NICKNAME_CHANGED``).
- An edited message is checked again as a message (ads edited in after posting) but never re-runs a command.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Set
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar

from telegram import Chat as TgChat
from telegram import (
    ChatJoinRequest,
    ChatMember,
    ChatMemberAdministrator,
    ChatMemberOwner,
    ChatMemberRestricted,
    ChatMemberUpdated,
    Message,
    MessageEntity,
    Update,
)
from telegram import User as TgUser
from telegram.constants import ChatMemberStatus, ChatType

from handlers.contract.capabilities import Capabilities
from handlers.contract.events import Chat, Event, EventKind, MessageRef, User
from rules.commands import parse_command

PLATFORM = "tg"
K = TypeVar("K")
V = TypeVar("V")
SAME_CHANGE_WINDOW = timedelta(minutes=2)

_MEDIA: tuple[tuple[str, str], ...] = (
    ("photo", "photo"),
    ("sticker", "sticker"),
    ("animation", "animation"),
    ("video", "video"),
    ("video_note", "video"),
    ("voice", "voice"),
    ("audio", "audio"),
    ("document", "document"),
    ("contact", "card"),  # a contact card is a contact lure, like a WeCom 名片
    ("location", "location"),
    ("venue", "location"),
    ("poll", "poll"),
    ("game", "game"),
)


class ChatFacts(Protocol):
    """What the adapter knows about a chat from the API (admin list, the bot's own status)."""

    def is_admin(self, chat_id: int, user_id: int) -> bool: ...

    def bot_is_admin(self, chat_id: int) -> bool | None: ...  # None: not known (yet, or ever)


@dataclass(frozen=True, slots=True)
class Me:
    id: int
    username: str


class Lru(Generic[K, V]):
    """A dict that forgets its oldest entries beyond ``capacity`` (memory stays bounded)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def pop(self, key: K) -> V | None:
        return self._items.pop(key, None)

    def __contains__(self, key: K) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True, slots=True)
class _Change:
    kind: str  # "join" / "left"
    at: datetime
    delivery: str


@dataclass
class Memory:
    """What conversion remembers between updates: names (renames) and the last join/leave per member."""

    names: Lru[tuple[int, int], str] = field(default_factory=lambda: Lru(200_000))
    changes: Lru[tuple[int, int], _Change] = field(default_factory=lambda: Lru(50_000))

    def change_delivery(self, kind: str, chat_id: int, user_id: int, at: datetime) -> str:
        """The delivery id of a join or leave; the second report of the same change gets the same id."""
        key = (chat_id, user_id)
        last = self.changes.get(key)
        if last is not None and last.kind == kind and abs(at - last.at) <= SAME_CHANGE_WINDOW:
            return last.delivery
        delivery = f"tg:{kind}:{chat_id}:{user_id}:{int(at.timestamp())}"
        self.changes.put(key, _Change(kind, at, delivery))
        return delivery

    def renamed(self, chat_id: int, user_id: int, name: str) -> str | None:
        """The previous name if this member's name changed since last seen here (and remember the new one)."""
        key = (chat_id, user_id)
        old = self.names.get(key)
        self.names.put(key, name)
        return old if old is not None and old != name else None


def chat_of(chat: TgChat) -> Chat | None:
    """Groups and supergroups are ``tg:group:<chat id>``; private chats ``tg:private:<user id>``
    (the same number on Telegram); channels are not ours to run."""
    if chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
        return Chat(PLATFORM, str(chat.id), "group", chat.title or "")
    if chat.type == ChatType.PRIVATE:
        return Chat(PLATFORM, str(chat.id), "private", chat.full_name or "")
    return None


def user_of(user: TgUser, chat_id: int, facts: ChatFacts, is_admin: bool | None = None) -> User:
    admin = facts.is_admin(chat_id, user.id) if is_admin is None else is_admin
    return User(str(user.id), user.full_name, user.username, user.is_bot, admin)


def sender_of(message: Message, facts: ChatFacts) -> User | None:
    """Who wrote it. An anonymous admin writes as the group itself; a member may also write as a channel."""
    sender_chat = message.sender_chat
    if sender_chat is not None:
        anonymous_admin = sender_chat.id == message.chat.id
        name = sender_chat.title or sender_chat.full_name or ""
        return User(str(sender_chat.id), name, sender_chat.username, False, anonymous_admin)
    if message.from_user is None:
        return None
    return user_of(message.from_user, message.chat.id, facts)


ANONYMOUS_ADMIN_ID = 1087968824  # "GroupAnonymousBot": the sender of an admin posting as the group


def is_member(member: ChatMember) -> bool:
    if member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.MEMBER):
        return True
    return isinstance(member, ChatMemberRestricted) and member.is_member


def is_admin_status(member: ChatMember) -> bool:
    return member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


def membership_change(update: ChatMemberUpdated) -> tuple[bool, bool]:
    """(was a member, is a member), after PTB's ``examples/chatmemberbot.py``."""
    return is_member(update.old_chat_member), is_member(update.new_chat_member)


def urls_of(message: Message) -> tuple[str, ...]:
    """Links from the entities: visible URLs and hidden ``text_link`` targets (PTB handles UTF-16)."""
    kinds: list[str | None] = [MessageEntity.URL, MessageEntity.TEXT_LINK]
    found = message.parse_entities(kinds) if message.text else message.parse_caption_entities(kinds)
    urls: list[str] = []
    for entity, text in found.items():
        url = entity.url if entity.type == MessageEntity.TEXT_LINK and entity.url else text
        if url and url not in urls:
            urls.append(url)
    return tuple(urls)


def media_of(message: Message) -> str | None:
    for attribute, media in _MEDIA:
        if getattr(message, attribute, None):
            return media
    return None


def reply_of(message: Message, facts: ChatFacts) -> MessageRef | None:
    """The replied-to message; in forum topics every message "replies" to the topic's first message,
    which is not a reply anyone wrote."""
    reply = message.reply_to_message
    if reply is None or (message.is_topic_message and reply.forum_topic_created is not None):
        return None
    return MessageRef(str(reply.message_id), sender_of(reply, facts), reply.text or reply.caption or "")


def is_forwarded_from_channel(message: Message) -> bool:
    origin = message.forward_origin
    return origin is not None and origin.type == "channel"


def convert_update(
    update: Update,
    me: Me,
    memory: Memory,
    facts: ChatFacts,
    now: datetime,
    qr_texts: tuple[str, ...] = (),
) -> list[Event]:
    """The events one update means (often one, sometimes none: a service message nobody acts on)."""
    if update.message is not None:
        return _message(update.update_id, update.message, me, memory, facts, qr_texts, edited=False)
    if update.edited_message is not None:
        return _message(update.update_id, update.edited_message, me, memory, facts, qr_texts, edited=True)
    if update.chat_member is not None:
        return _chat_member(update.update_id, update.chat_member, me, memory, facts)
    if update.my_chat_member is not None:
        return _my_chat_member(update.update_id, update.my_chat_member, facts)
    if update.chat_join_request is not None:
        return _join_request(update.update_id, update.chat_join_request, facts)
    if update.callback_query is not None:
        query = update.callback_query
        message = query.message
        if message is None or not isinstance(query.data, str) or not query.data:
            return []
        chat = chat_of(message.chat)
        if chat is None:
            return []
        return [
            Event(
                EventKind.BUTTON_PRESSED,
                chat,
                now,
                f"tg:update:{update.update_id}",
                user=user_of(query.from_user, message.chat.id, facts),
                message_id=str(message.message_id),
                text=getattr(message, "text", None) or "",  # the bot's message the button is under
                data=query.data,
            )
        ]
    return []


def _membership_events(message: Message, me: Me, memory: Memory, facts: ChatFacts, chat: Chat) -> list[Event]:
    """``new_chat_members`` / ``left_chat_member`` service messages. Skipped when the bot is known to be
    an admin: the ``chat_member`` update for the same change comes too, with the invite link."""
    events: list[Event] = []
    chat_id = message.chat.id
    actor_tg = message.from_user
    use_service = facts.bot_is_admin(chat_id) is not True
    for member in message.new_chat_members or ():
        if member.id == me.id:
            continue  # the bot itself: my_chat_member says it, with the rights
        memory.names.put((chat_id, member.id), member.full_name)
        if not use_service:
            continue
        actor = user_of(actor_tg, chat_id, facts) if actor_tg and actor_tg.id != member.id else None
        events.append(
            Event(
                EventKind.MEMBER_JOINED,
                chat,
                message.date,
                memory.change_delivery("join", chat_id, member.id, message.date),
                user=user_of(member, chat_id, facts),
                actor=actor,
                extra=(("via", "service_message"),),
            )
        )
    left = message.left_chat_member
    if left is not None and left.id != me.id and use_service:
        actor = user_of(actor_tg, chat_id, facts) if actor_tg and actor_tg.id != left.id else None
        events.append(
            Event(
                EventKind.MEMBER_LEFT,
                chat,
                message.date,
                memory.change_delivery("left", chat_id, left.id, message.date),
                user=user_of(left, chat_id, facts),
                actor=actor,
                extra=(("via", "service_message"),),
            )
        )
    return events


def _message(
    update_id: int,
    message: Message,
    me: Me,
    memory: Memory,
    facts: ChatFacts,
    qr_texts: tuple[str, ...],
    edited: bool,
) -> list[Event]:
    chat = chat_of(message.chat)
    if chat is None or message.is_automatic_forward:
        return []  # channels, and the group's own linked channel posts mirrored into it
    if message.new_chat_members or message.left_chat_member:
        return _membership_events(message, me, memory, facts, chat)
    text = message.text or message.caption or ""
    media = media_of(message)
    if not text and media is None:
        return []  # other service messages (title changed, pinned, …)
    user = sender_of(message, facts)
    at = message.edit_date if edited and message.edit_date else message.date
    events: list[Event] = []
    sender = message.from_user
    if chat.kind == "group" and user is not None and message.sender_chat is None and sender is not None:
        old = memory.renamed(message.chat.id, sender.id, user.name)
        if old is not None:
            events.append(
                Event(
                    EventKind.NICKNAME_CHANGED,
                    chat,
                    at,
                    f"tg:rename:{message.chat.id}:{sender.id}:{update_id}",
                    user=user,
                    old_name=old,
                )
            )
    command = None if edited or not message.text else parse_command(message.text, me.username)
    extra: tuple[tuple[str, str], ...] = (("edited", "1"),) if edited else ()
    events.append(
        Event(
            EventKind.COMMAND if command else EventKind.MESSAGE,
            chat,
            at,
            f"tg:update:{update_id}",
            user=user,
            message_id=str(message.message_id),
            text=text,
            command=command[0] if command else None,
            args=command[1] if command else (),
            reply_to=reply_of(message, facts),
            urls=urls_of(message),
            qr_texts=qr_texts,
            media=media,
            forwarded_from_channel=is_forwarded_from_channel(message),
            forwarded=message.forward_origin is not None,
            via_bot=message.via_bot is not None,
            extra=extra,
        )
    )
    return events


def _chat_member(
    update_id: int, change: ChatMemberUpdated, me: Me, memory: Memory, facts: ChatFacts
) -> list[Event]:
    chat = chat_of(change.chat)
    member = change.new_chat_member.user
    if chat is None or chat.kind != "group" or member.id == me.id:
        return []
    chat_id = change.chat.id
    was, now_member = membership_change(change)
    user = user_of(member, chat_id, facts, is_admin=is_admin_status(change.new_chat_member))
    by = change.from_user
    actor = user_of(by, chat_id, facts) if by.id != member.id else None
    events: list[Event] = []
    if (
        change.old_chat_member.status == ChatMemberStatus.BANNED
        and change.new_chat_member.status != ChatMemberStatus.BANNED
        # Bots remove members with a ban and an unban (this one and Rose-style ones alike): only a person
        # taking a ban back (an anonymous admin shows as Telegram's GroupAnonymousBot) says something.
        and (not by.is_bot or by.id == ANONYMOUS_ADMIN_ID)
    ):
        events.append(
            Event(
                EventKind.MEMBER_UNBANNED,
                chat,
                change.date,
                f"tg:unban:{chat_id}:{member.id}:{update_id}",
                user=user,
                actor=actor,
                extra=(("via", "chat_member"),),
            )
        )
    if not was and now_member:
        memory.names.put((chat_id, member.id), user.name)
        link = change.invite_link.name if change.invite_link is not None else None
        return [
            *events,
            Event(
                EventKind.MEMBER_JOINED,
                chat,
                change.date,
                memory.change_delivery("join", chat_id, member.id, change.date),
                user=user,
                actor=actor,
                invite_link=link or None,
                extra=(("via", "chat_member"),),
            ),
        ]
    if was and not now_member:
        return [
            Event(
                EventKind.MEMBER_LEFT,
                chat,
                change.date,
                memory.change_delivery("left", chat_id, member.id, change.date),
                user=user,
                actor=actor,
                extra=(("via", "chat_member"),),
            )
        ]
    if was and now_member:
        old = memory.renamed(chat_id, member.id, user.name)
        if old is not None:
            return [
                Event(
                    EventKind.NICKNAME_CHANGED,
                    chat,
                    change.date,
                    f"tg:rename:{chat_id}:{member.id}:{update_id}",
                    user=user,
                    old_name=old,
                )
            ]
    return events


def _join_request(update_id: int, request: ChatJoinRequest, facts: ChatFacts) -> list[Event]:
    """Someone asked to join a group with "approve new members". ``user_chat_id`` is the private chat the
    bot may write to for 5 minutes (until they answer, then as usual): the user's own id."""
    chat = chat_of(request.chat)
    if chat is None or chat.kind != "group":
        return []
    user = user_of(request.from_user, request.chat.id, facts, is_admin=False)
    link = request.invite_link.name if request.invite_link is not None else None
    return [
        Event(
            EventKind.JOIN_REQUEST,
            chat,
            request.date,
            f"tg:join_request:{request.chat.id}:{request.from_user.id}:{int(request.date.timestamp())}",
            user=user,
            invite_link=link or None,
            private_chat_id=str(request.user_chat_id),
            extra=(("update", str(update_id)),),
        )
    ]


def _my_chat_member(update_id: int, change: ChatMemberUpdated, facts: ChatFacts) -> list[Event]:
    """The bot was added, or its rights changed: ``BOT_ADDED`` with ``data`` "added" or "changed";
    it left or was removed: ``BOT_REMOVED``."""
    chat = chat_of(change.chat)
    if chat is None or chat.kind != "group":
        return []
    was, now_member = membership_change(change)
    by = user_of(change.from_user, change.chat.id, facts)
    if not now_member:
        if not was:
            return []
        status = str(change.new_chat_member.status)
        return [
            Event(EventKind.BOT_REMOVED, chat, change.date, f"tg:update:{update_id}", actor=by, data=status)
        ]
    return [
        Event(
            EventKind.BOT_ADDED,
            chat,
            change.date,
            f"tg:update:{update_id}",
            user=by,
            actor=by,
            data="changed" if was else "added",
            extra=(("status", str(change.new_chat_member.status)),),
        )
    ]


def capabilities_from(
    member: ChatMember | None, reads_all: bool, unsupported: Set[str], supergroup: bool | None = None
) -> Capabilities:
    """What the bot can do in a group, from its own chat member record. ``None``: the rights could not be
    learned (the lookup failed or timed out), and unknown is not "no": every right is tried, and the
    platform's refusal is what sends the executor to the admins. Methods the server refused are taken
    away, so they are not called again. Admin bots see every message whatever their privacy mode."""

    def ok(method: str) -> bool:
        return method not in unsupported

    common = {"buttons": True, "private_chat": True, "can_edit": ok("editMessageText")}
    if member is None:
        return Capabilities(
            can_send=True,
            can_delete=ok("deleteMessage"),
            can_remove=ok("banChatMember") and ok("unbanChatMember"),
            can_ban=ok("banChatMember"),
            can_mute=supergroup is not False and ok("restrictChatMember"),
            can_pin=ok("pinChatMessage"),
            invite_links=ok("createChatInviteLink"),
            can_approve_joins=ok("approveChatJoinRequest"),
            can_lock_joins=ok("editChatInviteLink"),
            sees_all_messages=reads_all,
            name_source="first_last_name",
            **common,
        )
    owner = isinstance(member, ChatMemberOwner)
    admin = isinstance(member, ChatMemberAdministrator)
    if isinstance(member, ChatMemberRestricted):
        can_send = bool(member.can_send_messages) and member.is_member
    else:
        can_send = is_member(member)

    def right(name: str) -> bool:
        return owner or (admin and bool(getattr(member, name, False)))

    restrict = right("can_restrict_members")
    return Capabilities(
        can_send=can_send,
        can_delete=right("can_delete_messages") and ok("deleteMessage"),
        can_remove=restrict and ok("banChatMember") and ok("unbanChatMember"),
        can_ban=restrict and ok("banChatMember"),
        can_mute=restrict and supergroup is not False and ok("restrictChatMember"),  # not in basic groups
        can_pin=right("can_pin_messages") and ok("pinChatMessage"),
        invite_links=right("can_invite_users") and ok("createChatInviteLink"),
        can_approve_joins=right("can_invite_users") and ok("approveChatJoinRequest"),
        can_lock_joins=right("can_invite_users") and ok("editChatInviteLink"),
        sees_all_messages=reads_all or owner or admin,
        name_source="first_last_name",
        **common,
    )
