"""The optional daily backup: runs at its time on the clock it is given, names copies by day, keeps the
newest N, survives a failed copy, and is off unless a directory is set (and for PostgreSQL)."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.backups import DailyBackup, from_settings

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _database(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x INTEGER)")
        conn.execute("INSERT INTO t VALUES (1)")
    return path


def test_next_run_is_the_local_time(tmp_path: Path) -> None:
    job = DailyBackup(tmp_path / "db.sqlite", tmp_path / "b", 3, "03:30", SHANGHAI)
    now = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # 08:00 in Shanghai
    assert job.next_run(now) == datetime(2026, 3, 2, 19, 30, tzinfo=UTC)  # 03:30 on the 3rd, Shanghai


async def test_daily_copies_rotate(tmp_path: Path) -> None:
    source = _database(tmp_path / "live.db")
    job = DailyBackup(source, tmp_path / "backups", 2, "03:30", SHANGHAI)
    start = datetime(2026, 3, 2, 19, 30, tzinfo=UTC)
    for day in range(4):
        assert await job.run_once(start + timedelta(days=day)) is not None
    names = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert names == ["qunbot-2026-03-05.db", "qunbot-2026-03-06.db"]
    with sqlite3.connect(tmp_path / "backups" / names[-1]) as conn:
        assert conn.execute("SELECT x FROM t").fetchall() == [(1,)]


async def test_a_failed_copy_is_logged_and_the_loop_stops_on_request(tmp_path: Path) -> None:
    job = DailyBackup(tmp_path / "missing.db", tmp_path / "backups", 2, "every 1s")
    assert await job.run_once(datetime(2026, 3, 2, tzinfo=UTC)) is None
    stop = asyncio.Event()
    task = asyncio.create_task(job.run(stop))
    await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(task, 5)
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").glob("qunbot-*.db"))


def test_off_unless_a_directory_is_set_and_the_database_is_sqlite(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'q.db'}"
    assert from_settings(None, "03:30", "UTC", 7, url) is None
    assert from_settings(tmp_path, "03:30", "UTC", 7, "postgresql+asyncpg://u@h/db") is None
    job = from_settings(tmp_path, "03:30", "UTC", 7, url)
    assert job is not None and job.source == tmp_path / "q.db" and job.keep == 7
