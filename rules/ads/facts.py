"""The input of the ad detector: one message, already flattened by the adapter into plain facts.

Frozen and precomputed (after tg-spam's ``spamcheck.Request``): the adapter decodes QR codes, the pipeline
counts repeats, and the checks only look. ``from_text`` builds facts for a bare text (tests, evaluation, the
benchmark).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["MessageFacts"]


class MessageFacts(NamedTuple):
    """What the detector knows about one message; every field but ``text`` has a neutral default.

    A ``NamedTuple`` (immutable, ~4x cheaper to build than a frozen dataclass: one per message on the hot
    path); ``facts._replace(is_first_message=True)`` makes a variant."""

    text: str
    urls: tuple[str, ...] = ()  # from platform entities; the checks also find links in ``text``
    qr_texts: tuple[str, ...] = ()  # payloads the adapter decoded from attached images
    media: str | None = None  # "photo", "mini_program", "card", "sticker", "video", "file", ...
    forwarded_from_channel: bool = False
    sender_is_admin: bool = False
    is_first_message: bool = False  # the sender's first message in this group
    is_reply: bool = False  # a reply inside a thread
    repeat_count: int = 0  # same normalised text from this sender recently, across groups (caller counts)
    mentions: tuple[str, ...] = ()  # @usernames from platform entities, without the "@"
    is_command: bool = False  # "/points +99999 @x": the model never judges a command's odd syntax
    sender_known: bool = False  # an established member (weeks of honest messages): judged with that history

    @classmethod
    def from_text(cls, text: str) -> MessageFacts:
        """A plain text message from an ordinary member with no context: the strictest reading."""
        return cls(text=text)
