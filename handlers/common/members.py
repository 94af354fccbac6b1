"""Stored members as the features show and address them: a ``User`` for actions, a label for boards."""

from __future__ import annotations

from handlers.contract.events import User
from storage.models.core import Member


def shown_name(member: Member) -> str:
    """The name the bot calls a member by: the group name registered with /nick where there is one
    (``nickname.source = "registered"``), else the platform's name."""
    return member.registered_name or member.display_name or member.user_id


def member_user(member: Member) -> User:
    """A stored member as a ``User`` the executor can mention, message, mute or remove. Admin status is
    the platform's to tell and is not stored: such a ``User`` is never taken for an admin."""
    return User(member.user_id, shown_name(member), member.username, member.is_bot)


def label(member: Member | None, fallback: str = "") -> str:
    """How a member is shown in boards and notices: ``@username`` where there is one, else the name (the
    registered group name first)."""
    if member is None:
        return fallback
    if member.username:
        return f"@{member.username}"
    return member.registered_name or member.display_name or fallback or member.user_id
