"""The outbox: a reply committed with its event's state but not sent when the process stopped is sent by
the next process (and only once); a process still running keeps its own (PostgreSQL: its advisory lock
says it is alive); every kept action survives the trip through JSON."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.outbox import Outbox
from bot.outbox_codec import KEPT, dumps, loads
from bot.platforms.console import ConsoleAdapter
from handlers.contract.actions import (
    ApproveJoin,
    Ban,
    Button,
    DeclineJoin,
    Delete,
    Edit,
    LockJoins,
    Mute,
    NotifyAdmins,
    Record,
    Remove,
    Send,
    SendPrivate,
    Unban,
    Unmute,
)
from handlers.contract.events import Chat, User
from storage.db import Database
from storage.migrate import upgrade
from storage.models.outbox import OutboxEntry
from storage.repos import outbox as repo
from tests.support import SimFactory, log_rows

CHAT = Chat("tg", "-100", "group", "群")
WANG = User("7", "上海-产品-小王", "xw", is_admin=False)
AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
EXAMPLES = [
    Send(
        CHAT,
        "你好",
        "r",
        reply_to="5",
        buttons=(Button("规则", data="rules:ack", admins_of=CHAT.key),),
        purpose="welcome",
        delete_after_s=30,
        pin=True,
        tag="welcome",
        replace_tag=True,
        mentions=(WANG,),
    ),
    SendPrivate(CHAT, WANG, "问卷", "r", (Button("开始", start="q1"),), purpose="survey", start="q1"),
    NotifyAdmins(CHAT, "通知", "r", (Button("撤销", data="log:undo:7"),)),
    Delete(CHAT, "99", "ad", WANG),
    Remove(CHAT, WANG, "third strike"),
    Ban(CHAT, WANG, "r"),
    Unban(CHAT, WANG, "r"),
    Mute(CHAT, WANG, AT + timedelta(hours=1), "r"),
    Unmute(CHAT, WANG, "r"),
    ApproveJoin(CHAT, WANG, "r"),
    DeclineJoin(CHAT, WANG, "r"),
    Edit(CHAT, "5", "改", "r"),
    LockJoins(CHAT, True, "raid"),
]


def test_every_kept_action_survives_json() -> None:
    assert {type(a) for a in EXAMPLES} == set(KEPT)
    for action in EXAMPLES:
        assert loads(dumps(action)) == action
    with pytest.raises(TypeError):
        dumps(Record(CHAT, "strike", "r"))  # no platform effect: never kept
    with pytest.raises(ValueError, match="not an outbox action"):
        loads('{"type": "Nope", "fields": {}}')


@dataclass
class Stuck(ConsoleAdapter):
    """A platform whose sends never return (the process is stopped while they wait)."""

    def __post_init__(self) -> None:
        self.waiting = asyncio.Event()

    async def send(self, *args: object, **kwargs: object) -> str:
        self.waiting.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


async def test_a_reply_not_sent_before_a_stop_is_sent_by_the_next_process(
    make_sim: SimFactory, db_url: str
) -> None:
    stuck = Stuck()
    first = await make_sim(db_url=db_url, adapter=stuck)
    first.add_user("a", "上海-产品-小王")
    handling = asyncio.get_running_loop().create_task(first.say("a", "/checkin"))
    await asyncio.wait_for(stuck.waiting.wait(), 10)  # committed; the reply is on its way
    handling.cancel()  # SIGTERM's grace ran out
    with pytest.raises(asyncio.CancelledError):
        await handling
    await first.app.close()
    db = Database(db_url)
    async with db.session() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxEntry)) >= 1
    await db.close()

    second = await make_sim(db_url=db_url)
    assert await second.app.resume() >= 1
    [reply] = [t for t in second.adapter.sent_texts() if "打卡" in t]
    assert "上海-产品-小王" in reply
    await second.app.writer.flush()
    rows = [r for r in await log_rows(second, ["action.send"]) if r.detail.get("resumed")]
    assert len(rows) == 1 and rows[0].detail["outcome"] == "done"
    assert await second.app.resume() == 0  # taken once
    async with second.app.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxEntry)) == 0


async def test_a_reply_sent_leaves_no_row(make_sim: SimFactory) -> None:
    sim = await make_sim()
    sim.add_user("a", "上海-产品-小王")
    await sim.say("a", "/checkin")
    assert any("打卡" in t for t in sim.adapter.sent_texts())
    await sim.app.writer.flush()
    async with sim.app.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxEntry)) == 0


@pytest.mark.postgres
async def test_a_running_process_keeps_its_rows_and_a_gone_ones_are_taken_once(pg_url: str) -> None:
    db = Database(pg_url)
    await upgrade(db)
    alive, other, third = Outbox(db), Outbox(db), Outbox(db)
    for box in (alive, other, third):
        await box.liveness.start()
    adapter = ConsoleAdapter(platform="tg")
    async with db.session() as session:
        await repo.add(session, alive.rows(CHAT, [Send(CHAT, "还在路上", "r")], AT))
        await session.commit()
    rows: list[object] = []

    async def take(box: Outbox) -> int:
        from bot.executor import Executor
        from handlers.config import GroupConfig

        return await box.take_over(Executor(), {"tg": adapter}, lambda _k: GroupConfig(), rows.extend, AT)

    assert await take(other) == 0  # its owner is alive: not touched
    await alive.liveness.stop()  # the process is gone (its session, and the lock, with it)
    assert sorted(await asyncio.gather(take(other), take(third))) == [0, 1]  # exactly one takes it
    assert adapter.sent_texts() == ["还在路上"] and len(rows) == 1
    for box in (other, third):
        await box.liveness.stop()
    await db.close()
