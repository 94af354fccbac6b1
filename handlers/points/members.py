"""Naming members in replies and finding the member an admin command is about (``@name`` or a reply).

Shared by the rhythm features (points, honours, check-in); reads only the members table.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.contract.events import Event, User
from storage.models.core import Member
from storage.repos.members import MemberRepo


def label(member: Member | None, fallback: str = "") -> str:
    """How a member is shown in boards and notices: ``@username`` where there is one, else the name."""
    if member is None:
        return fallback
    if member.username:
        return f"@{member.username}"
    return member.display_name or fallback or member.user_id


def as_user(member: Member) -> User:
    """A ``User`` for actions addressed to a stored member (private reminders, tier notices)."""
    return User(member.user_id, member.display_name, member.username, is_bot=member.is_bot)


async def resolve_target(
    session: AsyncSession, group_key: str, event: Event, args: Sequence[str]
) -> tuple[Member | None, list[str]]:
    """The member a command names, and the remaining arguments. A command sent as a reply is about the
    replied-to member; otherwise the first ``@username`` / ``@显示名`` argument that matches a member."""
    rest = list(args)
    replied = event.reply_to.user if event.reply_to is not None else None
    if replied is not None:
        members = MemberRepo(session)
        member = await members.ensure(group_key, replied.id, replied.name, event.at, replied.username)
        rest = [a for a in rest if not (a.startswith("@") and a[1:] in (replied.username, replied.name))]
        return member, rest
    for index, arg in enumerate(rest):
        if not arg.startswith(("@", "＠")) or len(arg) < 2:
            continue
        name = arg[1:]
        stmt = (
            select(Member)
            .where(
                Member.group_key == group_key,
                or_(func.lower(Member.username) == name.lower(), Member.display_name == name),
            )
            .order_by(Member.left_at.is_not(None), Member.id)
            .limit(1)
        )
        found = (await session.scalars(stmt)).first()
        if found is not None:
            return found, rest[:index] + rest[index + 1 :]
    return None, rest
