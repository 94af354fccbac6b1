"""A delivery whose transaction failed at commit was not handled: its redelivery is handled again, not
dropped as a duplicate (the in-memory dedupe forgets it); the dedupe memory stays within its capacity."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.dedupe import RecentDeliveries
from handlers.contract.actions import Action, Record
from handlers.contract.events import Event, EventKind
from handlers.feature import Context, Feature
from handlers.tracking import Tracking
from storage.models.core import Delivery
from tests.support import SimFactory


class ClashOnce(Feature):
    """Writes a row whose key is already taken the first time, so the event's commit fails."""

    name = "clash_once"

    def __init__(self) -> None:
        self.clash = True

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind != EventKind.MESSAGE:
            return []
        key = "taken" if self.clash else f"fine:{event.delivery}"
        self.clash = False
        ctx.session.add(Delivery(delivery=key, seen_at=event.at))
        return [Record(event.chat, "clash_once", "wrote a row", event.user_id)]


async def test_a_delivery_whose_commit_failed_is_handled_again_on_redelivery(make_sim: SimFactory) -> None:
    sim = await make_sim(features=[Tracking(), ClashOnce()])
    async with sim.app.db.session() as session:
        session.add(Delivery(delivery="taken", seen_at=datetime(2026, 1, 1, tzinfo=UTC)))
        await session.commit()
    sim.add_user("u1", "小王")
    failed = await sim.say("u1", "你好")
    assert failed.errors == ["pipeline failed (see the log)"] and not failed.duplicate
    handled = await sim.redeliver()
    assert not handled.duplicate
    assert [r.kind for r in handled.records] == ["clash_once"]
    assert (await sim.redeliver()).duplicate  # handled now: a third delivery is a duplicate


def test_the_dedupe_memory_stays_within_its_capacity_and_forgets_the_oldest() -> None:
    """Each id is remembered for at least capacity // 2 later deliveries and at most capacity; the memory
    never holds more than capacity ids."""
    recent = RecentDeliveries(capacity=10)
    for i in range(100):
        assert recent.first_time(f"d{i}") and not recent.first_time(f"d{i}")
        assert len(recent) <= 10
        assert all(f"d{j}" in recent for j in range(max(0, i - 4), i + 1))  # the last 5 at least
        assert all(f"d{j}" not in recent for j in range(0, i - 9))  # nothing older than 10 back
    assert recent.first_time("d0")  # long forgotten: a new delivery as far as memory goes
    recent.forget("d0")
    assert "d0" not in recent and recent.first_time("d0")
    with pytest.raises(ValueError, match="at least 2"):
        RecentDeliveries(capacity=1)
