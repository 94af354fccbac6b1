"""Decrypted callbacks → platform-neutral events (messages and commands; membership goes through the
reconciliation in ``chats.py``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from handlers.contract.events import Chat, ChatKind, Event, EventKind, User

PLATFORM = "wecom"
_MENTION = re.compile(r"^\s*@\S+\s*")


def parse_command(text: str) -> tuple[str, tuple[str, ...]] | None:
    """``/warn 3 spam`` → ("warn", ("3", "spam")); anything else → None."""
    if not text.startswith("/"):
        return None
    head, *args = text.split()
    name = head[1:].split("@", 1)[0].lower()
    return (name, tuple(args)) if name else None


def text_event(chat: Chat, user: User, text: str, message_id: str, at: datetime, delivery: str) -> Event:
    """One message or command; a leading @-mention of the bot (智能机器人) is dropped first."""
    text = _MENTION.sub("", text, count=1).strip() if text.lstrip().startswith("@") else text.strip()
    command = parse_command(text)
    return Event(
        EventKind.COMMAND if command else EventKind.MESSAGE,
        chat,
        at,
        delivery,
        user=user,
        message_id=message_id,
        text=text,
        command=command[0] if command else None,
        args=command[1] if command else (),
    )


def app_message(payload: Mapping[str, Any]) -> Event | None:
    """A member's private message to the app (``MsgType`` text): commands work in the private chat."""
    if payload.get("MsgType") != "text":
        return None
    sender = str(payload.get("FromUserName", ""))
    msg_id = str(payload.get("MsgId") or f"{sender}:{payload.get('CreateTime', '')}")
    at = datetime.fromtimestamp(int(payload.get("CreateTime") or 0), UTC)
    chat = Chat(PLATFORM, sender, "private")
    return text_event(
        chat, User(sender, sender), str(payload.get("Content", "")), msg_id, at, f"wecom:msg:{msg_id}"
    )


def aibot_message(payload: Mapping[str, Any], at: datetime) -> Event | None:
    """A message that @-mentions the 智能机器人 (its JSON callback): ``打卡`` and commands in the group."""
    if payload.get("msgtype") != "text":
        return None
    sender = payload.get("from") or {}
    user_id = str(sender.get("userid", ""))
    msg_id = str(payload.get("msgid", ""))
    if not user_id or not msg_id:
        return None
    chat_id = str(payload.get("chatid") or user_id)
    kind: ChatKind = "group" if payload.get("chattype") == "group" else "private"
    text = str((payload.get("text") or {}).get("content", ""))
    return text_event(
        Chat(PLATFORM, chat_id, kind), User(user_id, user_id), text, msg_id, at, f"wecom:aibot:{msg_id}"
    )
