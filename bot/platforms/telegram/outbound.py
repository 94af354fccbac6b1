"""Our ``Send`` → Bot API message parts: texts within Telegram's length limit, inline keyboards within
its 64-byte callback-data limit. Texts go out as plain text (no parse mode), so operator-written
templates with ``<`` or ``*`` need no escaping and can never break a message."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity
from telegram import User as TgUser

from bot.platforms.telegram.convert import Lru
from handlers.contract.actions import Button
from handlers.contract.events import Chat, User

MAX_TEXT = 4096  # UTF-16 code units, as Telegram counts them
MAX_CALLBACK_DATA = 64  # bytes
TOKEN_PREFIX = "qb~"
ADMIN_PREFIX = "qa~"  # qa~<group id>~<data>: a button only that group's admins may press
_START_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what /start accepts from a deep link


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most ``limit`` UTF-16 units, cut after a newline where one is near the end."""
    pieces: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        cut, used = 0, 0
        for index, char in enumerate(rest):
            used += 2 if ord(char) > 0xFFFF else 1
            if used > limit:
                break
            cut = index + 1
        newline = rest.rfind("\n", 0, cut)
        if newline >= cut // 2:
            cut = newline + 1
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest or not pieces:
        pieces.append(rest)
    return pieces


class CallbackData:
    """Button payloads longer than Telegram allows travel as a short token that maps back on the press.
    The map lives in memory: a token from before a restart is answered as "expired" (see the adapter)."""

    def __init__(self, capacity: int = 20_000) -> None:
        self._long: Lru[str, str] = Lru(capacity)

    def encode(self, data: str) -> str:
        if len(data.encode("utf-8")) <= MAX_CALLBACK_DATA and not data.startswith(TOKEN_PREFIX):
            return data
        token = TOKEN_PREFIX + hashlib.sha256(data.encode("utf-8")).hexdigest()[:40]
        self._long.put(token, data)
        return token

    def decode(self, data: str) -> str | None:
        """The original payload; None for a token this process no longer knows."""
        if not data.startswith(TOKEN_PREFIX):
            return data
        return self._long.get(data)


def admin_data(button: Button) -> str:
    """The callback payload of a button: ``admins_of`` a group travels in it, checked at the press."""
    if not button.admins_of:
        return button.data
    group = Chat.from_key(button.admins_of)
    return f"{ADMIN_PREFIX}{group.id}~{button.data}"


def admin_target(data: str) -> tuple[int, str] | None:
    """``qa~-100123~undo:5`` → (-100123, "undo:5"); None for an ordinary payload."""
    if not data.startswith(ADMIN_PREFIX):
        return None
    group, sep, rest = data[len(ADMIN_PREFIX) :].partition("~")
    if not sep or not group.lstrip("-").isdigit():
        return None
    return int(group), rest


def deep_link(username: str, payload: str) -> str | None:
    """``https://t.me/<bot>?start=<payload>``; None when the payload is not one Telegram accepts."""
    if not username or not _START_PAYLOAD.fullmatch(payload):
        return None
    return f"https://t.me/{username}?start={payload}"


def keyboard(
    buttons: Sequence[Button], callback_data: CallbackData, bot_username: str = ""
) -> InlineKeyboardMarkup | None:
    """One button per row (labels are often long Chinese phrases); a ``start`` button becomes the deep
    link into the private chat; buttons with nothing to do are dropped."""
    rows: list[list[InlineKeyboardButton]] = []
    for button in buttons:
        if button.start:
            link = deep_link(bot_username, button.start)
            if link:
                rows.append([InlineKeyboardButton(button.text, url=link)])
        elif button.url:
            rows.append([InlineKeyboardButton(button.text, url=button.url)])
        elif button.data:
            payload = callback_data.encode(admin_data(button))
            rows.append([InlineKeyboardButton(button.text, callback_data=payload)])
    return InlineKeyboardMarkup(rows) if rows else None


def mention_entities(text: str, mentions: Sequence[User]) -> list[MessageEntity]:
    """``text_mention`` entities over every ``@name`` of a mentioned member without a username (one with a
    username is written ``@username``, which Telegram links and notifies by itself). Offsets and lengths
    are UTF-16 units; longer names are placed first so ``@小王`` never claims the start of ``@小王子``."""
    entities: list[MessageEntity] = []
    taken: list[tuple[int, int]] = []
    for user in sorted(mentions, key=lambda u: -len(u.name)):
        if user.username or not user.name or not user.id.lstrip("-").isdigit():
            continue
        needle = user.mention
        start = text.find(needle)
        while start >= 0:
            end = start + len(needle)
            if all(end <= a or start >= b for a, b in taken):
                taken.append((start, end))
                entities.append(
                    MessageEntity(
                        MessageEntity.TEXT_MENTION,
                        utf16_len(text[:start]),
                        utf16_len(needle),
                        user=TgUser(int(user.id), user.name, is_bot=False),
                    )
                )
            start = text.find(needle, end)
    return sorted(entities, key=lambda e: e.offset)
