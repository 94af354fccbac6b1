"""Community-numbers benchmark: a year of a 500-member group, then the figures of a year, a month and a
week. Prints min / median / max of three runs each; asserts nothing.

The history: 500 members (100 there before the bot, 400 joining through the year, one in five of them
leaving again), about a fifth of the members speaking each day with a few messages each (≈ 200k event-log
rows), daily check-ins, some strikes, removals and reports, newcomers with their tasks.

``cold`` is the first read of a year (every day rolled up from the event log); ``warm`` reads the roll-up.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert

from storage import migrate
from storage.db import Database
from storage.models.core import EventLogRow, Member
from storage.models.moderation import Report, Sanction, Strike
from storage.models.onboarding import Newcomer, NewcomerTask
from storage.models.rhythm import Checkin
from storage.models.stats import StatsDay, StatsMemberDay
from storage.repos.metrics import period

TZ = ZoneInfo("Asia/Shanghai")
GROUP = "tg:group:-100500"
LAST = date(2026, 11, 30)
FIRST = LAST - timedelta(days=364)
TASKS = ("nickname", "rules", "questionnaire", "intro", "first_post")


def _local(day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ).astimezone(UTC)


def history(members: int = 500, seed: int = 7) -> dict[Any, list[dict[str, Any]]]:
    """Rows per table for one year of one group (deterministic)."""
    rnd = random.Random(seed)
    rows: dict[Any, list[dict[str, Any]]] = {t: [] for t in (Member, EventLogRow, Checkin, Strike, Sanction)}
    rows.update({Report: [], Newcomer: [], NewcomerTask: []})
    spans: list[tuple[str, date, date]] = []
    for i in range(members):
        user = f"u{i}"
        joined_day = FIRST if i < 100 else FIRST + timedelta(days=rnd.randrange(365))
        joined = None if i < 100 else _local(joined_day, rnd.randrange(8, 23), rnd.randrange(60))
        left_day = (
            joined_day + timedelta(days=rnd.randrange(1, 200)) if i >= 100 and rnd.random() < 0.2 else None
        )
        left = _local(left_day, 12, 0) if left_day and left_day <= LAST else None
        rows[Member].append(
            {
                "group_key": GROUP,
                "user_id": user,
                "display_name": f"成员{i}",
                "joined_at": joined,
                "left_at": left,
            }
        )
        spans.append((user, joined_day, left_day if left_day and left else LAST))
        if joined is not None:
            rows[EventLogRow].append(_event(joined, "member_joined", user))
            rows[Newcomer].append({"group_key": GROUP, "user_id": user, "joined_at": joined, "questions": []})
            for task in TASKS[: rnd.randrange(len(TASKS) + 1)]:
                rows[NewcomerTask].append(
                    {"group_key": GROUP, "user_id": user, "task": task, "done_at": joined, "via": "bench"}
                )
        if left is not None:
            rows[EventLogRow].append(_event(left, "member_left", user))
    for offset in range(365):
        day = FIRST + timedelta(days=offset)
        present = [u for u, start, end in spans if start <= day <= end]
        for user in rnd.sample(present, k=len(present) // 5):
            for _ in range(rnd.randrange(1, 9)):
                ts = _local(day, rnd.choice((8, 9, 12, 13, 20, 21, 22)), rnd.randrange(60))
                rows[EventLogRow].append(_event(ts, "message", user))
        for user in rnd.sample(present, k=len(present) // 10):
            rows[Checkin].append({"group_key": GROUP, "user_id": user, "day": day, "at": _local(day, 8, 0)})
        if offset % 3 == 0:
            user = rnd.choice(present)
            ts = _local(day, 15, 0)
            category = rnd.choice(("ad", "flood", "nickname"))
            rows[Strike].append(
                {
                    "group_key": GROUP,
                    "user_id": user,
                    "category": category,
                    "source": f"b{offset}",
                    "created_at": ts,
                }
            )
            rows[Report].append(
                {"group_key": GROUP, "message_id": f"m{offset}", "reporter_id": "u1", "created_at": ts}
            )
        if offset % 20 == 0:
            rows[Sanction].append(
                {
                    "group_key": GROUP,
                    "user_id": rnd.choice(present),
                    "kind": "remove",
                    "created_at": _local(day, 16, 0),
                }
            )
    return rows


def _event(ts: datetime, kind: str, user: str) -> dict[str, Any]:
    return {
        "ts": ts,
        "platform": "tg",
        "group_key": GROUP,
        "user_id": user,
        "kind": kind,
        "reason": "",
        "detail": {},
    }


async def _seed(db: Database, rows: dict[Any, list[dict[str, Any]]]) -> int:
    async with db.session() as session:
        for model, values in rows.items():
            for i in range(0, len(values), 5000):
                await session.execute(insert(model), values[i : i + 5000])
        await session.commit()
    return len(rows[EventLogRow])


async def _timed(job: Callable[[], Awaitable[object]], runs: int = 3) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        await job()
        out.append((time.perf_counter() - started) * 1000)
    return out


async def _run(db_url: str | None) -> dict[str, list[float] | int]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(db_url or str(Path(tmp) / "metrics.db"))
        try:
            await migrate.upgrade(db)
            events = await _seed(db, history())
            now = _local(LAST + timedelta(days=1), 10, 0)

            async def figures(first: date) -> None:
                async with db.session() as session:
                    await period(session, GROUP, first, LAST, TZ, now)
                    await session.commit()

            async def cold() -> None:
                async with db.session() as session:
                    await session.execute(delete(StatsDay))
                    await session.execute(delete(StatsMemberDay))
                    await session.commit()
                await figures(FIRST)

            out: dict[str, list[float] | int] = {"event_log_rows": events}
            out["cold year (roll-up)"] = await _timed(cold)
            out["year"] = await _timed(lambda: figures(FIRST))
            out["month"] = await _timed(lambda: figures(LAST - timedelta(days=29)))
            out["week"] = await _timed(lambda: figures(LAST - timedelta(days=6)))
            return out
        finally:
            await db.close()


def run(db_url: str | None = None) -> dict[str, list[float] | int]:
    """Figures in milliseconds per query (three runs each) and the history's size."""
    return asyncio.run(_run(db_url))


def summary(values: list[float]) -> str:
    return (
        f"min {min(values):,.0f} ms · median {statistics.median(values):,.0f} ms · max {max(values):,.0f} ms"
    )
