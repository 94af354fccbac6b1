"""Batched writes: event-log rows, delivery ids and features' buffered counters, flushed together.

Rows queue in memory and are written in one transaction when the batch is full or after a short delay,
so a burst of ordinary messages costs one commit instead of one each. Events whose handlers changed
state write their rows in their own transaction instead (``bot/pipeline.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models.core import Delivery
from storage.repos.events import LogRow, append
from storage.sql import insert_ignore_many

log = structlog.get_logger(__name__)

# Seconds between two WAL checkpoints of a SQLite database.
CHECKPOINT_S = 1.0

Flusher = Callable[[AsyncSession], Awaitable[None]]


class EventLogWriter:
    def __init__(self, db: Database, batch: int = 200, flush_ms: int = 200) -> None:
        self.db = db
        self.batch = batch
        self.flush_s = flush_ms / 1000
        self._rows: list[LogRow] = []
        self._deliveries: list[dict[str, object]] = []
        self._flushers: list[tuple[Flusher, Callable[[], None]]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._closing = False

    def add_flusher(self, flusher: Flusher, failed: Callable[[], None]) -> None:
        """A feature's buffered writes (e.g. message counters), run inside every flush; ``failed`` is told
        when that flush was rolled back, so nothing buffered is lost."""
        self._flushers.append((flusher, failed))

    def add(self, rows: list[LogRow]) -> None:
        self._rows.extend(rows)
        if len(self._rows) >= self.batch:
            self._wake.set()

    def add_delivery(self, delivery: str, at: datetime) -> None:
        self._deliveries.append({"delivery": delivery, "seen_at": at})

    @property
    def pending(self) -> int:
        return len(self._rows) + len(self._deliveries)

    def take(self) -> tuple[list[LogRow], list[dict[str, object]]]:
        """Everything pending, removed from the queue (give it back if the write fails)."""
        rows, self._rows = self._rows, []
        deliveries, self._deliveries = self._deliveries, []
        return rows, deliveries

    def give_back(self, rows: list[LogRow], deliveries: list[dict[str, object]]) -> None:
        self._rows[:0] = rows
        self._deliveries[:0] = deliveries

    @staticmethod
    async def write(session: AsyncSession, rows: list[LogRow], deliveries: list[dict[str, object]]) -> None:
        await append(session, rows)
        if deliveries:
            await insert_ignore_many(session, Delivery.__table__, deliveries, ("delivery",))

    async def flush(self) -> int:
        async with self._lock:
            rows, deliveries = self.take()
            ran: list[Callable[[], None]] = []
            try:
                async with self.db.session() as session:
                    await self.write(session, rows, deliveries)
                    for flusher, failed in self._flushers:
                        ran.append(failed)
                        await flusher(session)
                    await session.commit()
            except Exception:
                log.exception("batched_write_failed", rows=len(rows))
                self.give_back(rows, deliveries)  # keep them for the next try
                for failed in ran:
                    failed()
                raise
            return len(rows)

    async def _run(self) -> None:
        checkpointed = time.monotonic()
        while not self._closing:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.flush_s)
            self._wake.clear()
            try:
                await self.flush()
            except Exception:
                await asyncio.sleep(self.flush_s)
                continue
            if time.monotonic() - checkpointed >= CHECKPOINT_S:
                # SQLite statements run on the loop's thread; the checkpoint (the step that waits for the
                # disk) runs here, in a worker thread, between flushes (storage/inline_sqlite.py).
                checkpointed = time.monotonic()
                try:
                    await self.db.checkpoint()
                except Exception:
                    log.warning("checkpoint_failed", exc_info=True)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def close(self) -> None:
        """Stop the loop between flushes (never cancel one mid-transaction), then write what is left."""
        if self._task is not None:
            self._closing = True
            self._wake.set()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.flush()
