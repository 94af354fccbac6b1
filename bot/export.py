"""Event-log export as JSONL or CSV: one row per event, ``detail`` as a JSON object."""

from __future__ import annotations

import csv
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, TextIO

from storage.db import Database
from storage.models.core import EventLogRow
from storage.repos.events import iter_rows

FIELDS = ("ts", "platform", "group", "user", "kind", "reason", "detail")


def row_dict(row: EventLogRow) -> dict[str, Any]:
    return {
        "ts": row.ts.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "platform": row.platform,
        "group": row.group_key,
        "user": row.user_id,
        "kind": row.kind,
        "reason": row.reason,
        "detail": row.detail or {},
    }


async def rows(
    db: Database, since: datetime | None = None, group: str | None = None, user: str | None = None
) -> AsyncIterator[dict[str, Any]]:
    async with db.session() as session:
        async for row in iter_rows(session, since=since, group_key=group, user_id=user):
            yield row_dict(row)


async def write(
    db: Database,
    out: TextIO,
    fmt: str,
    since: datetime | None = None,
    group: str | None = None,
    user: str | None = None,
) -> int:
    count = 0
    writer = csv.DictWriter(out, fieldnames=FIELDS) if fmt == "csv" else None
    if writer:
        writer.writeheader()
    async for item in rows(db, since, group, user):
        if writer:
            writer.writerow(
                {**item, "detail": json.dumps(item["detail"], ensure_ascii=False, sort_keys=True)}
            )
        else:
            out.write(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count
