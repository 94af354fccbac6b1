"""SQLite on the event loop's own thread: aiosqlite's API without its worker thread.

aiosqlite runs every call of a connection (cursor, execute, fetch, close, commit) on a thread of its own and
hands the result back through the loop: measured on the community benchmark, ~8 thread hand-offs per event
(40,328 for 5,000 events) and a third of the run spent with the loop waiting in ``epoll`` for them. A
statement on a local SQLite file in WAL mode with ``synchronous=NORMAL`` takes microseconds and never waits
for the disk (nothing is fsynced at commit), so each call here runs at once, on the caller's
thread: SQLAlchemy still drives it through its asyncio adaptation (greenlet switches, no thread), and a
unit of work costs no hand-off at all.

The one step that does wait for the disk, the WAL checkpoint, is taken off the loop: the connection's own
automatic checkpoint is raised to a safety net (``AUTOCHECKPOINT_PAGES``) and ``checkpoint`` runs a passive
checkpoint on a connection of its own in a worker thread, one hand-off per call, from the batched writer
(``bot/eventlog.py``). A passive checkpoint never blocks a writer.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import aiosqlite
from sqlalchemy.engine import make_url

# The loop's connection checkpoints by itself only when the WAL passes this many pages (~40 MB): the
# writer's passive checkpoints keep it far below that.
AUTOCHECKPOINT_PAGES = 10_000


class _RunNow:
    """Stands in for aiosqlite's queue to its worker thread: runs each call as it is queued."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as exc:  # handed to the awaiting caller, as the worker thread does
            if future is not None and not future.done():
                future.set_exception(exc)
            return
        if future is not None and not future.done():
            future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    """An ``aiosqlite.Connection`` whose calls run on the caller's thread (no worker thread is started)."""

    def __init__(self, connector: Callable[[], sqlite3.Connection], iter_chunk_size: int = 64) -> None:
        super().__init__(connector, iter_chunk_size)
        self._tx = _RunNow()  # type: ignore[assignment]

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)

    def __await__(self) -> Any:
        return self._connect().__await__()  # the base class starts its thread here: there is none


def async_creator(url: str) -> Callable[[], Any]:
    """For ``create_async_engine(async_creator=…)``: connections to ``url`` (a SQLite URL) that run inline,
    with the connect arguments SQLAlchemy's own SQLite dialect derives from the URL."""
    parsed = make_url(url)
    args, kwargs = parsed.get_dialect()().create_connect_args(parsed)
    connector = partial(sqlite3.connect, *args, **kwargs)

    async def connect() -> InlineConnection:
        connection = InlineConnection(connector)
        await connection._connect()  # what awaiting an aiosqlite.Connection does, minus its thread
        return connection

    return connect


def checkpoint_now(path: Path) -> None:
    """A passive WAL checkpoint on a connection of its own (blocking: run it in a worker thread)."""
    conn = sqlite3.connect(path, timeout=0)
    try:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    finally:
        conn.close()


async def checkpoint(path: Path) -> None:
    """``checkpoint_now`` off the event loop: the one thread hand-off of the SQLite path."""
    await asyncio.to_thread(checkpoint_now, path)
