"""Scrubbing a member out of every table: their id where it is a value, their names where they are text.

Erasure deletes the member's own rows (``bot/privacy.py``); what is left are other rows that name them:
an admin's ``actor`` id, a referrer, the reasons the bot wrote ("nickname reminder for 上海-互联网-小王"),
the texts of its own messages ("@xiaowang 欢迎…"). Every text and JSON column of every table is searched
for the member's names, usernames and id, and each occurrence is replaced with the pseudonym. JSON is
searched in its stored form too (``\\u`` escapes), so Chinese names inside JSON are found on both
databases.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, String, Table, Text, cast, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base
from storage.models.core import EventLogRow, Member
from storage.models.moderation import AdSample, NicknamePending
from storage.repos import events
from storage.repos.ad_samples import flagged_of
from storage.repos.events import LogRow


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


def pseudonym(user_id: str) -> str:
    return "erased:" + hashlib.sha256(user_id.encode()).hexdigest()[:12]


# The column that says whose row it is: a member's own rows, and posts an admin kept as 精华 (their author's).
MEMBER_COLUMNS = ("user_id", "author_id")


def member_tables() -> list[tuple[Table, Column[Any]]]:
    """(table, its member column) for every table whose rows belong to one member, other than the event
    log (which is pseudonymised instead)."""
    found = []
    for table in Base.metadata.sorted_tables:
        column = next((table.c[name] for name in MEMBER_COLUMNS if name in table.c), None)
        if column is not None and table.name != "event_log":
            found.append((table, column))
    return found


async def names_of(session: AsyncSession, user_id: str) -> set[str]:
    """Every name the member went by that the bot stored: display names, usernames (with and without @),
    names that failed the nickname check."""
    query = select(Member.display_name, Member.username).where(Member.user_id == user_id)
    names = {v for row in await session.execute(query) for v in row if v}
    pending = await session.scalars(select(NicknamePending.name).where(NicknamePending.user_id == user_id))
    names.update(v for v in pending if v)
    usernames = await session.scalars(select(Member.username).where(Member.user_id == user_id))
    names |= {f"@{u}" for u in usernames if u}
    return names


async def summary(session: AsyncSession, user_id: str) -> dict[str, int]:
    """How many rows each table holds about the member (the event log included), for ``/mydata``."""
    out = {}
    log: Table = Base.metadata.tables[EventLogRow.__tablename__]
    for table, column in [*member_tables(), (log, log.c.user_id)]:
        n = await session.scalar(select(func.count()).select_from(table).where(column == user_id))
        if n:
            out[table.name] = int(n)
    return out


async def erase_member(session: AsyncSession, user_id: str, now: datetime, reason: str) -> dict[str, int]:
    """Delete the member's rows, pseudonymise their event-log rows, scrub what other rows say about them,
    and log the erasure (once per group they were in). The caller commits."""
    alias = pseudonym(user_id)
    groups = sorted(set(await session.scalars(select(Member.group_key).where(Member.user_id == user_id))))
    scrubber = Scrubber(user_id, await names_of(session, user_id), alias)
    counts: dict[str, int] = {}
    flagged = [sample.id for sample in await flagged_of(session, user_id)]  # before their strikes go
    if flagged:
        await session.execute(delete(AdSample).where(AdSample.id.in_(flagged)))
    counts["ad_samples"] = len(flagged)
    for table, column in member_tables():
        result = await session.execute(delete(table).where(column == user_id))
        counts[table.name] = int(getattr(result, "rowcount", 0) or 0)
    counts["event_log"] = await events.erase_user(session, user_id, alias)
    # what other rows still say about them: ids as values, names in reasons and in the bot's own texts
    for table_name, n in (await scrub(session, scrubber)).items():
        counts[f"scrubbed.{table_name}"] = n
    rows = [LogRow(now, key.split(":", 1)[0], key, "privacy.erased", reason, alias) for key in groups]
    await events.append(session, rows)
    return counts
