"""Members' personal data: export everything about one user, or erase it (PIPL / GDPR requests).

Erasure keeps the audit trail's shape (what was decided and when) but replaces the user id with a
pseudonym and drops names, details and per-member rows; the erasure itself is logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.export import row_dict
from storage.db import Database
from storage.repos import events
from storage.repos.ad_samples import flagged_of
from storage.repos.erasure import erase_member, member_tables, pseudonym

__all__ = ["erase_user", "export_user", "member_tables", "pseudonym"]

_SAMPLE_COLUMNS = ("group_key", "label", "text", "created_at", "source")


def _plain(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {str(k): (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}


async def export_user(db: Database, user_id: str) -> dict[str, Any]:
    out: dict[str, Any] = {"user_id": user_id, "tables": {}, "events": []}
    async with db.session() as session:
        for table, column in member_tables():
            result = await session.execute(table.select().where(column == user_id))
            out["tables"][table.name] = [_plain(row._mapping) for row in result]
        # Deleted ads' texts a group keeps for a while carry no author id: found through the member's strikes.
        flagged = await flagged_of(session, user_id)
        out["tables"]["ad_samples"] = [_plain({c: getattr(s, c) for c in _SAMPLE_COLUMNS}) for s in flagged]
        async for row in events.iter_rows(session, user_id=user_id):
            out["events"].append(row_dict(row))
    return out


async def erase_user(db: Database, user_id: str, now: datetime) -> dict[str, int]:
    async with db.session() as session:
        counts = await erase_member(session, user_id, now, "member data erased on request")
        await session.commit()
    return counts
