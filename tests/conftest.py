"""Shared fixtures: databases (SQLite and the PostgreSQL at 127.0.0.1:5432), and a simulator factory.

PostgreSQL tests get a fresh database of their own (created and dropped here), so parallel runs and
developers' runs never see each other's rows. They skip, saying why, only where no server answers.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import settings

from bot.app import App
from bot.clock import FakeClock
from bot.config import ConfigStore, parse_rules
from bot.platforms.console import ConsoleAdapter
from bot.settings import Settings
from bot.tools.simulator import Simulator
from handlers.contract.capabilities import Capabilities
from handlers.contract.events import Chat
from handlers.feature import Feature
from storage.db import Database
from tests.support import START, SimFactory

# Property tests check behaviour, never speed: no per-example deadline (the machine is shared and a busy
# neighbour made a 200 ms deadline fail at random). Benchmarks measure speed.
settings.register_profile("qunbot", deadline=None)
settings.load_profile("qunbot")

PG_ADMIN_URL = os.environ.get("QUNBOT_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


async def _pg_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN_URL, timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session; dropped afterwards."""
    try:
        import asyncpg  # noqa: F401
    except ImportError:
        pytest.skip("asyncpg is not installed (pip install qunbot[postgres])")
    name = f"qunbot_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    except (TimeoutError, OSError) as exc:
        pytest.skip(f"no PostgreSQL at {PG_ADMIN_URL}: {exc}")
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}".replace("postgresql://", "postgresql+asyncpg://")
    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each storage test runs on SQLite and on PostgreSQL (tables reset between tests)."""
    if request.param == "sqlite":
        yield str(tmp_path / "test.db")
        return
    url = request.getfixturevalue("pg_server_url")
    yield url
    asyncio.run(_reset_pg(url))


@pytest.fixture
def pg_url(pg_server_url: str) -> Iterator[str]:
    """The session's PostgreSQL database for one test, emptied afterwards (for tests that need two apps on
    one PostgreSQL, such as several instances)."""
    yield pg_server_url
    asyncio.run(_reset_pg(pg_server_url))


async def _reset_pg(url: str) -> None:
    db = Database(url)
    try:
        async with db.engine.begin() as conn:
            from sqlalchemy import text

            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await db.close()


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    from storage import migrate

    database = Database(db_url)
    await migrate.upgrade(database)
    yield database
    await database.close()


@pytest.fixture
async def make_sim(tmp_path: Path) -> AsyncIterator[SimFactory]:
    """Build a simulator: ``await make_sim(rules_toml, caps=..., start=..., db_url=...)``.
    Apps are closed at the end of the test."""
    apps: list[App] = []

    async def factory(
        rules: str = "",
        caps: Capabilities | None = None,
        start: datetime = START,
        db_url: str | None = None,
        group: str = "g1",
        settings: Settings | None = None,
        adapter: ConsoleAdapter | None = None,
        features: list[Feature] | None = None,
    ) -> Simulator:
        adapter = adapter or ConsoleAdapter()
        chat = Chat("console", group, "group", "测试群")
        if caps is not None:
            adapter.caps[chat.key] = caps
        clock = FakeClock(start)
        app = App(
            settings or Settings(),
            ConfigStore(parse_rules(rules)),
            Database(db_url or str(tmp_path / f"sim{len(apps)}.db")),
            {"console": adapter},
            clock,
            features=features,
        )
        await app.open()
        apps.append(app)
        sim = Simulator(app, adapter, clock, chat)
        async with app.db.session() as session:
            from storage.repos.groups import GroupRepo

            await GroupRepo(session).ensure(chat.key, chat.platform, chat.id, chat.title, clock.now())
            await session.commit()
        await app.scheduler.rebuild()
        return sim

    yield factory
    for app in apps:
        await app.close()
