"""Members' personal data: export everything about one user, or erase it (PIPL / GDPR requests).

Erasure keeps the audit trail's shape (what was decided and when) but replaces the user id with a
pseudonym and drops names, details and per-member rows; the erasure itself is logged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.export import row_dict
from handlers.contract.events import Chat
from storage.db import Database
from storage.models import Base
from storage.models.core import Member
from storage.models.moderation import AdSample, NicknamePending
from storage.repos import events
from storage.repos.ad_samples import flagged_of
from storage.repos.erasure import Scrubber, scrub
from storage.repos.events import LogRow
from storage.repos.members import MemberRepo


# Tables whose rows belong to one member (column ``user_id``), other than the event log.
def member_tables() -> list[Any]:
    return [
        table for table in Base.metadata.sorted_tables if "user_id" in table.c and table.name != "event_log"
    ]


_SAMPLE_COLUMNS = ("group_key", "label", "text", "created_at", "source")


def _plain(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {str(k): (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}


def pseudonym(user_id: str) -> str:
    return "erased:" + hashlib.sha256(user_id.encode()).hexdigest()[:12]


async def export_user(db: Database, user_id: str) -> dict[str, Any]:
    out: dict[str, Any] = {"user_id": user_id, "tables": {}, "events": []}
    async with db.session() as session:
        for table in member_tables():
            result = await session.execute(table.select().where(table.c.user_id == user_id))
            out["tables"][table.name] = [_plain(row._mapping) for row in result]
        # Deleted ads' texts a group keeps for a while carry no author id: found through the member's strikes.
        flagged = await flagged_of(session, user_id)
        out["tables"]["ad_samples"] = [_plain({c: getattr(s, c) for c in _SAMPLE_COLUMNS}) for s in flagged]
        async for row in events.iter_rows(session, user_id=user_id):
            out["events"].append(row_dict(row))
    return out


async def names_of(session: AsyncSession, user_id: str) -> set[str]:
    """Every name the member went by that the bot stored: display names, usernames (with and without @),
    names that failed the nickname check."""
    rows = await session.execute(
        select(Member.display_name, Member.username).where(Member.user_id == user_id)
    )
    names = {v for row in rows for v in row if v}
    pending = await session.scalars(select(NicknamePending.name).where(NicknamePending.user_id == user_id))
    names.update(v for v in pending if v)
    usernames = await session.scalars(select(Member.username).where(Member.user_id == user_id))
    names |= {f"@{u}" for u in usernames if u}
    return names


async def erase_user(db: Database, user_id: str, now: datetime) -> dict[str, int]:
    counts: dict[str, int] = {}
    async with db.session() as session:
        rows = await MemberRepo(session).for_user(user_id)
        groups = {m.group_key for m in rows}
        scrubber = Scrubber(user_id, await names_of(session, user_id), pseudonym(user_id))
        flagged = [sample.id for sample in await flagged_of(session, user_id)]  # before their strikes go
        if flagged:
            await session.execute(delete(AdSample).where(AdSample.id.in_(flagged)))
        counts["ad_samples"] = len(flagged)
        for table in member_tables():
            result = await session.execute(delete(table).where(table.c.user_id == user_id))
            counts[table.name] = int(getattr(result, "rowcount", 0) or 0)
        counts["event_log"] = await events.erase_user(session, user_id, pseudonym(user_id))
        # what other rows still say about them: ids as values, names in reasons and in the bot's own texts
        for table, n in (await scrub(session, scrubber)).items():
            counts[f"scrubbed.{table}"] = n
        await events.append(
            session,
            [
                LogRow(
                    now,
                    Chat.from_key(key).platform,
                    key,
                    "privacy.erased",
                    "member data erased on request",
                    pseudonym(user_id),
                )
                for key in sorted(groups)
            ],
        )
        await session.commit()
    return counts
