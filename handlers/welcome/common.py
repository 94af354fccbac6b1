"""Small helpers the onboarding features share: members as users to mention, a group's chat from its key,
names and mentions joined the group's way."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.contract.events import User
from storage.models.core import Member


def member_user(member: Member) -> User:
    """A stored member as a ``User`` the executor can mention, mute or remove."""
    return User(member.user_id, member.display_name or member.user_id, member.username, member.is_bot)


def joined(items: Sequence[str], language: str) -> str:
    return ("、" if language == "zh" else ", ").join(items)
