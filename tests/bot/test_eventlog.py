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


def test_a_detail_that_cannot_be_stored_fails_where_it_is_made() -> None:
    """The detail is serialised when the row is made, so one bad row never fails the batch it joins."""
    from datetime import UTC, datetime

    import pytest

    from storage.repos.events import LogRow

    with pytest.raises(TypeError, match="not JSON serializable"):
        LogRow(datetime(2026, 3, 2, tzinfo=UTC), "console", "console:group:g1", "x", detail={"at": object()})
    row = LogRow(datetime(2026, 3, 2, tzinfo=UTC), "console", "console:group:g1", "x", detail={"n": "小王"})
    assert row.values()["detail"] == '{"n": "\\u5c0f\\u738b"}'  # the text SQLAlchemy's JSON type writes


async def test_rows_written_in_plain_sql_read_back_whole(make_sim: SimFactory) -> None:
    """Time (UTC), nested detail and Chinese text come back from the batched plain-SQL insert as given."""
    sim = await make_sim(features=[Tracking()])
    sim.add_user("u1", "上海-互联网-小王")
    await sim.say("u1", "一")
    (row,) = await log_rows(sim, ["message"])
    assert row.ts == sim.clock.now() and row.ts.utcoffset() is not None
    assert row.detail["name"] == "上海-互联网-小王" and row.detail["length"] == 1
