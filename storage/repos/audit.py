"""The audit trail and the open strikes, as the dashboard and ``qunbot audit`` read them.

The trail is the event log's admin actions (``admin.*``), privacy requests (``privacy.*``) and the bot's
own sanctions and strikes: who did what to whom, when and why. Only the reason and the ids are read,
never ``detail``'s texts (the bot's outgoing messages) or anything a member wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import EventLogRow, Member
from storage.models.moderation import Strike

PREFIXES = ("admin.", "privacy.")
KINDS = (
    "strike",
    "action.remove",
    "action.ban",
    "action.unban",
    "action.mute",
    "action.unmute",
    "action.delete",
)


@dataclass(frozen=True)
class AuditEntry:
    ts: datetime
    group: str
    kind: str
    actor: str | None  # the admin; None = the bot
    target: str | None
    reason: str


@dataclass(frozen=True)
class OpenStrike:
    id: int
    group: str
    user: str
    name: str
    category: str
    reason: str
    created_at: datetime


async def trail(
    session: AsyncSession, group: str | None = None, since: datetime | None = None, limit: int = 500
) -> list[AuditEntry]:
    """Newest first."""
    audited = or_(*(EventLogRow.kind.startswith(p) for p in PREFIXES), EventLogRow.kind.in_(KINDS))
    columns = (EventLogRow.ts, EventLogRow.group_key, EventLogRow.kind, EventLogRow.user_id)
    query = select(*columns, EventLogRow.reason, EventLogRow.detail).where(audited)
    if group is not None:
        query = query.where(EventLogRow.group_key == group)
    if since is not None:
        query = query.where(EventLogRow.ts >= since)
    rows = await session.execute(query.order_by(EventLogRow.ts.desc(), EventLogRow.id.desc()).limit(limit))
    out = []
    for ts, group_key, kind, user, reason, detail in rows:
        info = detail if isinstance(detail, dict) else {}
        actor = info.get("actor")
        target = info.get("target", user)
        out.append(AuditEntry(ts, group_key, kind, str(actor) if actor else None, target, reason))
    return out


async def open_strikes(
    session: AsyncSession, since: datetime, group: str | None = None, limit: int = 500
) -> list[OpenStrike]:
    """Strikes still counting: given since ``since`` (the window), not pardoned, not observe-only."""
    query = (
        select(Strike, Member.display_name)
        .outerjoin(Member, (Member.group_key == Strike.group_key) & (Member.user_id == Strike.user_id))
        .where(Strike.created_at >= since, Strike.pardoned_at.is_(None), Strike.observed.is_(False))
    )
    if group is not None:
        query = query.where(Strike.group_key == group)
    rows = await session.execute(query.order_by(Strike.created_at.desc()).limit(limit))
    return [
        OpenStrike(s.id, s.group_key, s.user_id, name or "", s.category, s.reason, s.created_at)
        for s, name in rows
    ]
