"""Apply Alembic migrations in-process (at start, and by ``qunbot db upgrade``).

Features add migrations that revise ``0001_core``; upgrading to ``heads`` applies every branch.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from storage.db import Database

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


def _upgrade(connection: Connection, target: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, target)


async def upgrade(db: Database, target: str = "heads") -> None:
    async with db.engine.begin() as connection:
        await connection.run_sync(_upgrade, target)


def _current(connection: Connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


async def is_current(db: Database) -> bool:
    async with db.engine.connect() as connection:
        current = await connection.run_sync(_current)
    return current == set(ScriptDirectory.from_config(alembic_config()).get_heads())
