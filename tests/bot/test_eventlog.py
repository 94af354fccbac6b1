"""Batched writes lose nothing when a flush fails: log rows, delivery ids and buffered counters return."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.feature import Feature
from handlers.tracking import Tracking
from storage.models.core import Member
from tests.support import SimFactory, log_rows


class Fragile(Feature):
    """A feature whose buffered write fails once."""

    name = "fragile"

    def __init__(self) -> None:
        self.fail = True

    async def flush(self, session: AsyncSession) -> None:
        if self.fail:
            self.fail = False
            raise RuntimeError("disk full")


async def test_a_failed_flush_keeps_rows_and_counters_for_the_next(make_sim: SimFactory) -> None:
    sim = await make_sim(features=[Tracking(), Fragile()])
    sim.add_user("u1", "小王")
    await sim.say("u1", "一")
    await sim.say("u1", "二")
    try:
        await sim.app.writer.flush()
    except RuntimeError:
        pass
    else:  # pragma: no cover - the fragile flusher must have failed
        raise AssertionError("the first flush should fail")
    await sim.say("u1", "三")
    rows = await log_rows(sim, ["message"])  # flushes again, successfully
    assert len(rows) == 3
    async with sim.app.db.session() as session:
        member = (await session.scalars(select(Member).where(Member.user_id == "u1"))).one()
    assert member.message_count == 3
