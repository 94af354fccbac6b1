"""Locks by message kind, night mode and slow mode: pure decisions on a message's facts and the local time.

A lock is a kind of content a group does not allow (links, stickers, …); a scheduled lock (night mode)
applies only inside a daily window of the group's local time. Inputs are plain facts, time is a parameter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Literal, get_args

LockKind = Literal[
    "links", "forwards", "stickers", "gifs", "voice", "video", "contacts", "games", "inline", "bots"
]
LOCK_KINDS: tuple[str, ...] = get_args(LockKind)

# names members and admins may type after /lock, besides the kinds themselves
ALIASES: dict[str, str] = {
    "link": "links",
    "url": "links",
    "urls": "links",
    "链接": "links",
    "forward": "forwards",
    "转发": "forwards",
    "sticker": "stickers",
    "贴纸": "stickers",
    "表情": "stickers",
    "gif": "gifs",
    "动图": "gifs",
    "语音": "voice",
    "视频": "video",
    "videos": "video",
    "contact": "contacts",
    "名片": "contacts",
    "game": "games",
    "游戏": "games",
    "inline_bots": "inline",
    "bot": "bots",
    "机器人": "bots",
}

_LINK_IN_TEXT = re.compile(r"(?:https?://|tg://|www\.|t\.me/)", re.IGNORECASE)
_MEDIA_KIND = {
    "sticker": "stickers",
    "animation": "gifs",
    "voice": "voice",
    "video": "video",
    "card": "contacts",
}
_MEDIA_KIND["game"] = "games"


def lock_kind(name: str) -> str | None:
    """``"links"``, ``"链接"``, ``"Sticker"`` → the lock kind; None for an unknown name."""
    key = name.strip().lower()
    return key if key in LOCK_KINDS else ALIASES.get(key)


def message_kinds(
    text: str, urls: Iterable[str], media: str | None, forwarded: bool, via_bot: bool
) -> frozenset[str]:
    """The lock kinds one message falls under (a forwarded sticker is both)."""
    kinds: set[str] = set()
    if any(True for _ in urls) or _LINK_IN_TEXT.search(text):
        kinds.add("links")
    if forwarded:
        kinds.add("forwards")
    if via_bot:
        kinds.add("inline")
    if media in _MEDIA_KIND:
        kinds.add(_MEDIA_KIND[media])
    return frozenset(kinds)


def in_window(local: datetime, start: time, end: time) -> bool:
    """Whether a local time falls in a daily window; a window past midnight (23:00-07:00) wraps."""
    now = local.time().replace(tzinfo=None)
    if start == end:
        return False
    if start < end:
        return start <= now < end
    return now >= start or now < end


def slow_mode_wait(last_post: datetime | None, now: datetime, seconds: int) -> timedelta | None:
    """How long a member must still wait before posting again in slow mode; None: they may post now."""
    if seconds <= 0 or last_post is None:
        return None
    left = last_post + timedelta(seconds=seconds) - now
    return left if left > timedelta(0) else None
