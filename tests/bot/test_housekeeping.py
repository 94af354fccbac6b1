from __future__ import annotations

from datetime import timedelta

from handlers.housekeeping import Housekeeping
from handlers.tracking import Tracking
from tests.support import SimFactory, log_rows


async def test_old_rows_are_deleted_by_the_daily_job(make_sim: SimFactory) -> None:
    sim = await make_sim("[defaults.privacy]\nretention_days = 2\n", features=[Tracking(), Housekeeping()])
    sim.add_user("u1", "小王")
    await sim.say("u1", "old")
    await sim.app.writer.flush()  # the retention job deletes stored rows
    await sim.advance(timedelta(days=3))
    await sim.say("u1", "new")
    rows = await log_rows(sim, kinds=["message"])
    assert len(rows) == 1 and rows[0].ts > sim.clock.now() - timedelta(days=1)
    records = await log_rows(sim, kinds=["housekeeping"])
    assert records and records[-1].detail["log_rows"] >= 1
