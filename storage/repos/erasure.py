"""Scrubbing a member out of every table: their id where it is a value, their names where they are text.

Erasure deletes the member's own rows (``bot/privacy.py``); what is left are other rows that name them:
an admin's ``actor`` id, a referrer, the reasons the bot wrote ("nickname reminder for 上海-互联网-小王"),
the texts of its own messages ("@xiaowang 欢迎…"). Every text and JSON column of every table is searched
for the member's names, usernames and id, and each occurrence is replaced with the pseudonym. JSON is
searched in its stored form too (``\\u`` escapes), so Chinese names inside JSON are found on both
databases.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import JSON, String, Table, Text, cast, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base


def _id_pattern(user_id: str) -> re.Pattern[str]:
    """The id as a whole token: ``12345`` in "target 12345" but not in "message 9123456"."""
    return re.compile(rf"(?<![\w]){re.escape(user_id)}(?![\w])")


class Scrubber:
    def __init__(self, user_id: str, names: Iterable[str], replacement: str) -> None:
        self.user_id = user_id
        # longest first, so "上海-互联网-小王" goes before a shorter name inside it
        self.names = sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True)
        self.replacement = replacement
        self._id = _id_pattern(user_id)

    def needles(self) -> list[str]:
        """Substrings to look for in the database (raw and as JSON escapes)."""
        out = {self.user_id, *self.names}
        out |= {json.dumps(n)[1:-1] for n in self.names}
        return sorted(out)

    def text(self, value: str) -> str:
        for name in self.names:
            value = value.replace(name, self.replacement)
        return self._id.sub(self.replacement, value)

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {self.text(str(k)): self.value(v) for k, v in value.items()}
        return value


def _text_columns(table: Table) -> list[Any]:
    return [c for c in table.c if isinstance(c.type, String | Text | JSON) and not c.primary_key]


async def scrub(session: AsyncSession, scrubber: Scrubber, skip: Iterable[str] = ()) -> dict[str, int]:
    """Rewrite every row of every table that still names the member; rows changed per table."""
    counts: dict[str, int] = {}
    needles = scrubber.needles()
    for table in Base.metadata.sorted_tables:
        if table.name in skip:
            continue
        columns = _text_columns(table)
        keys = list(table.primary_key.columns)
        if not columns or not keys:
            continue
        hits = or_(*(cast(c, Text).contains(n, autoescape=True) for c in columns for n in needles))
        rows = (await session.execute(select(*keys, *columns).where(hits))).all()
        changed = 0
        for row in rows:
            key = {k.name: row._mapping[k] for k in keys}
            values = {c.name: row._mapping[c] for c in columns}
            fixed = {name: scrubber.value(v) for name, v in values.items() if v is not None}
            fixed = {name: v for name, v in fixed.items() if v != values[name]}
            if fixed:
                where = [k == key[k.name] for k in keys]
                await session.execute(update(table).where(*where).values(**fixed))
                changed += 1
        if changed:
            counts[table.name] = changed
    return counts
