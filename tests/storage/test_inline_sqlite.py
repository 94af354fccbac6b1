"""SQLite runs on the loop's thread: no thread hand-off per statement, the checkpoint in a worker thread."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot import eventlog
from storage import inline_sqlite
from storage.db import Database
from tests.support import SimFactory, log_rows


@pytest.fixture
def hand_offs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts results handed to the loop from another thread (aiosqlite's worker, ``to_thread``)."""
    count = [0]
    original = asyncio.BaseEventLoop.call_soon_threadsafe

    def counted(self: asyncio.BaseEventLoop, *args: Any, **kwargs: Any) -> Any:
        count[0] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(asyncio.BaseEventLoop, "call_soon_threadsafe", counted)
    return count


async def test_events_cost_no_thread_hand_off(
    make_sim: SimFactory, hand_offs: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Joins, chat, check-ins, commands and an ad with its strike: every statement and commit of them ran
    on the loop's thread (aiosqlite's worker thread made ~8 hand-offs per event)."""
    monkeypatch.setattr(eventlog, "CHECKPOINT_S", 3600.0)  # the checkpoint's own hand-off is tested below
    sim = await make_sim()
    before = hand_offs[0]
    for n in range(5):
        sim.add_user(f"u{n}", f"上海-互联网-用户{n}")
        await sim.join(f"u{n}")
        await sim.say(f"u{n}", "打卡")
        await sim.say(f"u{n}", "大家好，今天的话题很有意思")
        await sim.say(f"u{n}", "/me")
    await sim.say("u4", "加我薇信 abc12345 带你日赚500，名额有限")
    rows = await log_rows(sim, ["checkin"])
    assert len(rows) == 5  # the work was done (and written)
    assert hand_offs[0] - before == 0


async def test_the_writer_checkpoints_in_a_worker_thread(
    make_sim: SimFactory, hand_offs: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(eventlog, "CHECKPOINT_S", 0.0)
    done: list[Path] = []
    real = inline_sqlite.checkpoint_now

    def spy(path: Path) -> None:
        done.append(path)
        real(path)

    monkeypatch.setattr(inline_sqlite, "checkpoint_now", spy)
    sim = await make_sim()
    sim.add_user("u1", "上海-互联网-小王")
    await sim.say("u1", "打卡")
    for _ in range(100):  # the writer's loop flushes at least every 200 ms
        if done:
            break
        await asyncio.sleep(0.05)
    assert done
    assert hand_offs[0] >= 1  # it went through a worker thread


async def test_checkpoint_moves_the_wal_into_the_database_file(tmp_path: Path) -> None:
    """Without the checkpoint the rows live only in the WAL (the connection's own automatic checkpoint is
    raised out of the way); after it, the database file alone holds them."""
    path = tmp_path / "x.db"
    db = Database(str(path))
    try:
        async with db.session() as session:
            await session.execute(text("CREATE TABLE t (n INTEGER)"))
            await session.execute(text("INSERT INTO t VALUES (1), (2), (3)"))
            await session.commit()
        assert _rows_in_file_alone(path, tmp_path / "before.db") is None
        await db.checkpoint()
        assert _rows_in_file_alone(path, tmp_path / "after.db") == 3
    finally:
        await db.close()


async def test_an_error_reaches_the_caller_and_the_connection_goes_on(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "e.db"))
    try:
        async with db.session() as session:
            with pytest.raises(Exception, match="no such table"):
                await session.execute(text("SELECT * FROM missing"))
            await session.rollback()
            assert (await session.execute(text("SELECT 41 + 1"))).scalar() == 42
    finally:
        await db.close()


def _rows_in_file_alone(path: Path, copy: Path) -> int | None:
    """Rows of ``t`` in a copy of the database file without its WAL (None: the table is not there yet)."""
    shutil.copy(path, copy)
    conn = sqlite3.connect(copy)
    try:
        return int(conn.execute("SELECT count(*) FROM t").fetchone()[0])
    except sqlite3.OperationalError:
        return None
    finally:
        conn.close()
