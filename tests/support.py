"""Helpers shared by the tests (importable as ``tests.support``; fixtures live in conftest.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from bot.tools.simulator import Simulator
from storage.repos import events

START = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # Monday 08:00 in Asia/Shanghai

SimFactory = Callable[..., Awaitable[Simulator]]


async def log_rows(sim: Simulator, kinds: list[str] | None = None) -> list[events.EventLogRow]:
    """The event log so far (after flushing the batched writes)."""
    await sim.app.writer.flush()
    async with sim.app.db.session() as session:
        return [row async for row in events.iter_rows(session, kinds=kinds)]
