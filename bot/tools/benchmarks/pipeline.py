"""Decision-path benchmark: messages through the whole pipeline (dedupe, every registered feature,
decision rows, executor) on the console platform, on a real database. Prints figures; asserts nothing.

Two workloads:
- ``chat``: ordinary group chat (questions, replies, links, prices), the hot path every message takes;
- ``mixed``: the same with a realistic share of state-changing events: each member checks in once a day
  (打卡), some run ``/me``, a few ads get deleted with a strike.

``decisions_per_s`` and the latencies time ``Pipeline.process`` (what a member waits for);
``end_to_end_per_s`` also counts the batched writes to the database, on the same core. Between two events
the loop gets a turn, as between two deliveries, so the batched writer runs in the background as it does
in service (a state-changing event may then wait for its transaction). Latencies are also
given per kind of message (``chat_p99_ms``, ``checkin_p50_ms`` …) where the workload has more than one, so
the report says which events make the tail.
"""

from __future__ import annotations

import asyncio
import resource
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot import heap
from bot.app import App
from bot.clock import FakeClock
from bot.config import ConfigStore, parse_rules
from bot.platforms.console import ConsoleAdapter
from bot.settings import Settings
from bot.tools.benchmarks import community
from handlers.contract.events import Chat, Event, EventKind, User
from rules.commands import parse_command
from storage.db import Database
from storage.models.core import EventLogRow

CHAT = (
    "大家好，今天的话题很有意思",
    "我觉得这个方案可以再讨论一下",
    "周末有人一起去看展吗？",
    "分享一篇文章 https://mp.weixin.qq.com/s/abc123 写得不错",
    "收到，谢谢",
    "这个价格 299 元还挺划算的",
    "有没有做 B 端 SaaS 的朋友，想请教一下定价",
    "会议号 123 456 789，晚上八点见",
    "哈哈哈",
    "同意楼上",
)
AD = "加我薇信 abc12345 带你日赚500，名额有限"

Workload = Callable[[int, int], str]


def chat_only(i: int, users: int) -> str:
    """A member's n-th message: a different pairing of phrases each time (members do not repeat themselves;
    the same text over and over is what the flood and repeat checks are for)."""
    n = i // users
    return f"{CHAT[n % len(CHAT)]}，{CHAT[(n // len(CHAT) + i) % len(CHAT)]}"


def kind_of(text: str) -> str:
    """The class of a workload message, for the latencies per kind."""
    if text == "打卡":
        return "checkin"
    if text == AD:
        return "ad"
    return "command" if text.startswith("/") else "chat"


def mixed(i: int, users: int) -> str:
    """Every member checks in on their first message of the day; 1 in 50 asks /me; 1 in 500 is an ad."""
    if i < users:
        return "打卡"
    if i % 500 == 7:
        return AD
    if i % 50 == 3:
        return "/me"
    return chat_only(i, users)


async def _run(n: int, users: int, db_url: str, workload: Workload) -> dict[str, float]:
    start = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    clock = FakeClock(start)
    adapter = ConsoleAdapter()
    db = Database(db_url)
    app = App(Settings(), ConfigStore(parse_rules("")), db, {"console": adapter}, clock)
    await app.open()
    # A fresh group and delivery ids per run: a database given with --db keeps earlier runs' deliveries and
    # check-ins, which would make every event of this run a duplicate.
    tag = secrets.token_hex(4)
    chat = Chat("console", f"bench-{tag}", "group", "bench")
    people = [User(str(i), f"上海-互联网-用户{i}") for i in range(users)]
    latencies: list[float] = []
    by_kind: dict[str, list[float]] = {}
    began = time.perf_counter()
    for i in range(n):
        text = workload(i, users)
        command = parse_command(text)
        event = Event(
            kind=EventKind.COMMAND if command else EventKind.MESSAGE,
            chat=chat,
            at=start + timedelta(milliseconds=i * 50),
            delivery=f"bench:{tag}:{i}",
            user=people[i % users],
            message_id=str(i),
            text=text,
            command=command[0] if command else None,
        )
        t0 = time.perf_counter()
        await app.pipeline.process(event)
        took = time.perf_counter() - t0
        latencies.append(took)
        by_kind.setdefault(kind_of(text), []).append(took)
        await asyncio.sleep(0)  # as between two deliveries: the batched writer gets its turns
    await app.writer.flush()
    elapsed = time.perf_counter() - began
    await app.close()
    figures = {
        "events": float(n),
        "decisions_per_s": n / sum(latencies),
        "end_to_end_per_s": n / elapsed,
        "p50_ms": _median_ms(latencies),
        "p99_ms": _p99_ms(latencies),
    }
    if len(by_kind) > 1:
        for kind, values in sorted(by_kind.items()):
            figures[f"{kind}_p50_ms"] = _median_ms(values)
            figures[f"{kind}_p99_ms"] = _p99_ms(values)
    return figures


def _median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def _p99_ms(seconds: list[float]) -> float:
    """Nearest-rank 99th percentile, in milliseconds."""
    ordered = sorted(seconds)
    return ordered[max(int(len(ordered) * 0.99) - 1, 0)] * 1000


WORKLOADS: dict[str, Workload] = {"chat": chat_only, "mixed": mixed}


def run(
    n: int = 5000, users: int = 200, db_url: str | None = None, workload: str = "chat"
) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        url = db_url or str(Path(tmp) / "bench.db")
        return asyncio.run(_run(n, users, url, WORKLOADS[workload]))


Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class Scale:
    """The size of a community run: ``messages`` events across ``groups`` groups of ``members``."""

    groups: int = 50
    members: int = 200
    messages: int = 50_000


async def _run_community(scale: Scale, db_url: str, progress: Progress | None) -> dict[str, float]:
    """The community workload (``community.events``) end to end; figures as in the module docstring plus
    event-log rows per second and the peak resident memory of the process."""
    clock = FakeClock(community.START)
    app = App(
        Settings(), ConfigStore(parse_rules("")), Database(db_url), {"console": ConsoleAdapter()}, clock
    )
    await app.open()
    heap.settle()  # as ``qunbot run`` does after start-up
    rows_before = await _log_rows(app.db)
    tag = secrets.token_hex(4)  # fresh groups and delivery ids: a --db keeps earlier runs' deliveries
    latencies: list[float] = []
    by_kind: dict[str, list[float]] = {kind: [] for kind in community.KINDS}
    began = time.perf_counter()
    for i, step in enumerate(community.events(scale.groups, scale.members, scale.messages, tag)):
        clock.set(step.event.at)
        t0 = time.perf_counter()
        await app.pipeline.process(step.event)
        took = time.perf_counter() - t0
        latencies.append(took)
        by_kind[step.kind].append(took)
        await asyncio.sleep(0)  # as between two deliveries: the batched writer gets its turns
        if progress is not None and i % 500 == 499:
            progress(500)
    await app.writer.flush()
    elapsed = time.perf_counter() - began
    rows = await _log_rows(app.db) - rows_before
    await app.close()
    figures = {
        "events": float(scale.messages),
        "msgs_per_s": scale.messages / elapsed,
        "decisions_per_s": scale.messages / sum(latencies),
        "p50_ms": _median_ms(latencies),
        "p99_ms": _p99_ms(latencies),
        "max_ms": max(latencies) * 1000,
        "eventlog_rows_per_s": rows / elapsed,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    for kind, values in by_kind.items():
        if values:
            figures[f"{kind}_events"] = float(len(values))
            figures[f"{kind}_p50_ms"] = _median_ms(values)
            figures[f"{kind}_p99_ms"] = _p99_ms(values)
    return figures


def rss_now_mb() -> float:
    """The process's resident memory now (``VmRSS``; the peak where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _run_memory(groups: int, members: int, db_url: str, progress: Progress | None) -> dict[str, float]:
    """``community.everyone_once`` through the whole pipeline: resident memory after start-up, at the end
    and at its peak, and what each member seen added (the goal: bounded, not ~2 KB each forever)."""
    clock = FakeClock(community.START)
    app = App(
        Settings(), ConfigStore(parse_rules("")), Database(db_url), {"console": ConsoleAdapter()}, clock
    )
    await app.open()
    heap.settle()
    started = rss_now_mb()
    seen = 0
    began = time.perf_counter()
    for event in community.everyone_once(groups, members, secrets.token_hex(4)):
        clock.set(event.at)
        await app.pipeline.process(event)
        await asyncio.sleep(0)
        seen += 1
        if progress is not None and seen % 1000 == 0:
            progress(1000)
    await app.writer.flush()
    elapsed = time.perf_counter() - began
    end = rss_now_mb()
    await app.close()
    return {
        "members_seen": float(seen),
        "msgs_per_s": seen / elapsed,
        "rss_start_mb": started,
        "rss_end_mb": end,
        # the kernel's high-water mark is updated lazily: it may trail the VmRSS just read
        "rss_mb": max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, started, end),
        "kb_per_member_seen": (end - started) * 1024 / max(seen, 1),
    }


def run_memory(
    groups: int, members: int, db_url: str | None = None, progress: Progress | None = None
) -> dict[str, float]:
    """One memory round (a fresh SQLite file when ``db_url`` is None)."""
    with tempfile.TemporaryDirectory() as tmp:
        url = db_url or str(Path(tmp) / "bench.db")
        return asyncio.run(_run_memory(groups, members, url, progress))


async def _log_rows(db: Database) -> int:
    async with db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(EventLogRow)) or 0)


def run_community(
    scale: Scale, db_url: str | None = None, progress: Progress | None = None
) -> dict[str, float]:
    """One round of the community workload on ``db_url`` (a fresh SQLite file when None)."""
    with tempfile.TemporaryDirectory() as tmp:
        url = db_url or str(Path(tmp) / "bench.db")
        return asyncio.run(_run_community(scale, url, progress))


def ensure_database(url: str) -> None:
    """A PostgreSQL URL names a database the benchmark may create (``qunbot_bench``): make it if missing,
    so ``make bench`` runs on a fresh server. SQLite files are created by the engine itself."""
    if not url.startswith("postgresql"):
        return
    import asyncpg  # type: ignore[import-untyped]

    base, _, name = url.replace("+asyncpg", "").rpartition("/")

    async def go() -> None:
        conn = await asyncpg.connect(f"{base}/postgres")
        try:
            if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(go())
