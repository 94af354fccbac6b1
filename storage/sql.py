"""Small SQL helpers that read the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import FromClause
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def dialect_insert(session: AsyncSession, table: FromClause) -> Any:
    """The dialect's own INSERT (SQLite or PostgreSQL), which has ``on_conflict_do_nothing`` /
    ``on_conflict_do_update`` and ``excluded`` with the same spelling on both."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    module: Any = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table)


async def insert_ignore(
    session: AsyncSession, table: FromClause, values: Mapping[str, Any], conflict: Sequence[str]
) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when the row is new. Both dialects support the clause,
    which is atomic (unlike select-then-insert) when two instances race."""
    stmt = (
        dialect_insert(session, table).values(**values).on_conflict_do_nothing(index_elements=list(conflict))
    )
    result = await session.execute(stmt)
    return bool(getattr(result, "rowcount", 0) == 1)


async def insert_ignore_many(
    session: AsyncSession, table: FromClause, rows: Sequence[Mapping[str, Any]], conflict: Sequence[str]
) -> None:
    """The batch form of ``insert_ignore`` (executemany); rows already present are skipped."""
    if not rows:
        return
    stmt = dialect_insert(session, table).on_conflict_do_nothing(index_elements=list(conflict))
    await session.execute(stmt, [dict(row) for row in rows])
