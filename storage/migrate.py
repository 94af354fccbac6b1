"""Apply Alembic migrations in-process (at start, and by ``qunbot db upgrade``).

Features add migrations that revise ``0001_core``; upgrading to ``heads`` applies every branch.

On PostgreSQL several processes may start at once (``docker compose up --scale``): the upgrade runs in one
transaction holding a transaction-level advisory lock, so exactly one process migrates while the others wait
for it and then find nothing left to do. SQLite is single-instance (one process per file).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.db import Database

MIGRATIONS = Path(__file__).with_name("migrations")
# pg_advisory_xact_lock key (any 64-bit number unique to qunbot's own locks): "qunbot" + "mig".
MIGRATION_LOCK = 0x71756E626F74_01


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


def _upgrade(connection: Connection, target: str) -> None:
    if connection.dialect.name == "postgresql":  # held until this transaction ends: one migrator at a time
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, target)


async def upgrade(db: Database, target: str = "heads") -> None:
    async with db.engine.begin() as connection:
        await connection.run_sync(_upgrade, target)


def _current(connection: Connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


def heads() -> set[str]:
    """The revisions ``upgrade`` brings a database to (one per branch)."""
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


async def is_current(db: Database) -> bool:
    async with db.engine.connect() as connection:
        current = await connection.run_sync(_current)
    return current == heads()
