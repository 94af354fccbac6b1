"""Several processes starting at once on a fresh PostgreSQL database (``docker compose up --scale``):
the migrations run once, under an advisory lock, while the others wait; nobody dies on ``alembic_version``."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from storage import migrate
from storage.db import Database

pytestmark = pytest.mark.postgres


async def test_three_upgrades_at_once_on_a_fresh_database_all_succeed(pg_url: str) -> None:
    dbs = [Database(pg_url) for _ in range(3)]
    try:
        upgrades = asyncio.gather(*(migrate.upgrade(db) for db in dbs), return_exceptions=True)
        results = await asyncio.wait_for(upgrades, timeout=60)
        assert [r for r in results if isinstance(r, BaseException)] == []
        assert all([await migrate.is_current(db) for db in dbs])
        async with dbs[0].engine.connect() as conn:
            versions = (await conn.execute(text("SELECT count(*) FROM alembic_version"))).scalar_one()
        assert versions == len(migrate.heads())
    finally:
        for db in dbs:
            await db.close()


async def test_the_lock_is_released_after_the_upgrade(pg_url: str) -> None:
    """A later start (or ``qunbot db upgrade``) is not kept waiting by an earlier process that still runs."""
    first, second = Database(pg_url), Database(pg_url)
    try:
        await migrate.upgrade(first)
        async with first.engine.connect() as conn:  # the first process lives on, its pool open
            await conn.execute(text("SELECT 1"))
            await asyncio.wait_for(migrate.upgrade(second), timeout=30)
    finally:
        await first.close()
        await second.close()
