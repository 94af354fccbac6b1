"""The optional daily backup of a SQLite database while the bot runs, with rotation.

On when ``QUNBOT_BACKUP__DIR`` is set: at ``QUNBOT_BACKUP__AT`` (a schedule such as "03:30", in
``QUNBOT_BACKUP__TIMEZONE``) the database is copied to ``<dir>/qunbot-YYYY-MM-DD.db`` with SQLite's online
backup API (``storage/backup.py``, in a worker thread, so the bot keeps answering), and all but the newest
``QUNBOT_BACKUP__KEEP`` copies are deleted. A failed copy is logged and retried at the next run.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import structlog

from rules.schedule import fire_times, parse_schedule
from storage.backup import BackupError, backup_sqlite, rotate

log = structlog.get_logger(__name__)
PREFIX = "qunbot-"
UTC_ZONE = ZoneInfo("UTC")


class DailyBackup:
    def __init__(
        self,
        source: Path,
        directory: Path,
        keep: int,
        at: str = "03:30",
        tz: ZoneInfo = UTC_ZONE,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.source = source
        self.directory = directory
        self.keep = max(keep, 1)
        self.tz = tz
        self.trigger = parse_schedule(at, tz)
        self.clock = clock

    def next_run(self, now: datetime) -> datetime:
        return next(fire_times(self.trigger, now, now + timedelta(days=8)))

    async def run_once(self, now: datetime) -> Path | None:
        """One copy named by the local day, then rotation; None (and a log line) if the copy failed."""
        target = self.directory / f"{PREFIX}{now.astimezone(self.tz):%Y-%m-%d}.db"
        try:
            size = await asyncio.to_thread(backup_sqlite, self.source, target)
        except BackupError as exc:
            log.error("backup_failed", source=str(self.source), error=str(exc))
            return None
        removed = rotate(self.directory, PREFIX, self.keep)
        log.info("backup_written", path=str(target), bytes=size, removed=[p.name for p in removed])
        return target

    async def run(self, stop: asyncio.Event) -> None:
        """Until ``stop`` is set: sleep to the next run, copy, repeat."""
        while not stop.is_set():
            now = self.clock()
            wait = (self.next_run(now) - now).total_seconds()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=max(wait, 0.0))
                return
            await self.run_once(self.clock())


def from_settings(dir_: Path | None, at: str, timezone: str, keep: int, db_url: str) -> DailyBackup | None:
    """The daily backup the settings ask for, or None (not asked for, or not a SQLite database: PostgreSQL
    is backed up with pg_dump, which the log says once)."""
    from storage.db import sqlite_file

    if dir_ is None:
        return None
    source = sqlite_file(db_url)
    if source is None:
        log.warning(
            "backup_skipped", reason="QUNBOT_BACKUP__DIR copies SQLite only; use pg_dump for PostgreSQL"
        )
        return None
    return DailyBackup(source, dir_, keep, at, ZoneInfo(timezone))
