"""Engine and sessions. SQLite gets WAL, a busy timeout and foreign keys; PostgreSQL goes through asyncpg.

Nothing happens at import time: the process (or a test) creates a ``Database`` and passes it on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from storage import inline_sqlite

SUPPORTED_BACKENDS = ("sqlite", "postgresql")


class DatabaseUrlError(ValueError):
    """A database URL qunbot cannot use (an unknown scheme, a malformed URL)."""


def checked_url(url_or_path: str) -> str:
    """``normalize_url`` for input from people: an unsupported or malformed URL is a ``DatabaseUrlError``
    naming what is supported, not a driver's ImportError deep inside SQLAlchemy."""
    try:
        url = make_url(normalize_url(url_or_path))
    except ArgumentError as exc:
        raise DatabaseUrlError(f"not a database URL: {url_or_path!r} ({exc})") from exc
    if url.get_backend_name() not in SUPPORTED_BACKENDS:
        raise DatabaseUrlError(
            f"unsupported database {url.get_backend_name()!r} in {url_or_path!r}: "
            "use a SQLite file path, sqlite:///FILE or postgresql://USER@HOST/DB"
        )
    return url.render_as_string(hide_password=False)


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL (None for PostgreSQL and in-memory SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not _on_disk(url):
        return None
    return Path(str(parsed.database))


def normalize_url(url_or_path: str) -> str:
    """A bare file path means SQLite; ``postgresql://`` and ``sqlite://`` get their async drivers."""
    if "://" not in url_or_path:
        return f"sqlite+aiosqlite:///{Path(url_or_path).expanduser()}"
    url = make_url(url_or_path)
    if url.drivername in ("sqlite", "sqlite+pysqlite"):
        url = url.set(drivername="sqlite+aiosqlite")
    elif url.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        url = url.set(drivername="postgresql+asyncpg")
    return url.render_as_string(hide_password=False)


class WriteTrackingSession(Session):
    """A session that knows whether it wrote anything, so a read-only unit of work needs no commit
    (and a scheduler tick that changed nothing needs no claim)."""


@event.listens_for(WriteTrackingSession, "do_orm_execute")
def _mark_dml(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["wrote"] = True


@event.listens_for(WriteTrackingSession, "after_flush")
def _mark_flush(session: Session, _context: UOWTransaction) -> None:
    session.info["wrote"] = True


def wrote(session: AsyncSession) -> bool:
    """True once any INSERT / UPDATE / DELETE ran, or ORM changes are pending (added, modified, deleted)."""
    sync = session.sync_session
    return bool(sync.info.get("wrote") or sync.new or sync.dirty or sync.deleted)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own lazy BEGIN is off: we emit BEGIN IMMEDIATE ourselves (below), so a transaction
    # that reads and then writes never fails with SQLITE_BUSY on upgrade; savepoints work as documented.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA wal_autocheckpoint={inline_sqlite.AUTOCHECKPOINT_PAGES}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(url: str, echo: bool = False) -> AsyncEngine:
    """On SQLite, one pooled connection: every transaction holds the database's single write lock from
    BEGIN IMMEDIATE to its end anyway, so a second one waiting in SQLite's busy handler would sleep in
    growing steps (1, 2, 5 … 100 ms) and wake late; waiting for the pool's one connection instead wakes it
    the moment the first transaction returns it. SQLite runs on the loop's own thread
    (``storage/inline_sqlite.py``): no thread hand-off per call."""
    url = normalize_url(url)
    options: dict[str, Any] = {"pool_pre_ping": True}
    if url.startswith("sqlite"):
        options = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 30} if _on_disk(url) else {}
        options["async_creator"] = inline_sqlite.async_creator(url)
    engine = create_async_engine(url, echo=echo, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
    return engine


def _on_disk(sqlite_url: str) -> bool:
    database = make_url(sqlite_url).database
    return bool(database) and database != ":memory:" and "mode=memory" not in sqlite_url


class Database:
    """One engine and its session factory; ``session()`` is one unit of work (commit once, in bot/)."""

    def __init__(self, url: str, echo: bool = False) -> None:
        self.url = normalize_url(url)
        self.engine = create_engine(self.url, echo=echo)
        self.sessions = async_sessionmaker(
            self.engine, expire_on_commit=False, sync_session_class=WriteTrackingSession
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session:
            yield session

    async def checkpoint(self) -> None:
        """Move the SQLite WAL into the database file, off the event loop (nothing to do on PostgreSQL or
        an in-memory database)."""
        path = sqlite_file(self.url)
        if path is not None:
            await inline_sqlite.checkpoint(path)

    async def close(self) -> None:
        await self.engine.dispose()
