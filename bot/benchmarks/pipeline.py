"""Decision-path benchmark: messages through the whole pipeline (dedupe, every feature, decision rows,
executor) on the console platform, on a real database. Prints figures; asserts nothing.

``decisions_per_s`` and the latencies time ``Pipeline.process`` (what a member waits for);
``end_to_end_per_s`` also counts the batched writes to the database, on the same core."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import App
from bot.clock import FakeClock
from bot.config import ConfigStore, parse_rules
from bot.events import Chat, Event, EventKind, User
from bot.platforms.console import ConsoleAdapter
from bot.settings import Settings
from storage.db import Database

SAMPLE = (
    "大家好，今天的话题很有意思",
    "我觉得这个方案可以再讨论一下",
    "周末有人一起去看展吗？",
    "分享一篇文章 https://mp.weixin.qq.com/s/abc123 写得不错",
    "收到，谢谢",
    "这个价格 299 元还挺划算的",
    "打卡",
)


async def _run(n: int, users: int, db_url: str) -> dict[str, float]:
    start = datetime(2026, 3, 2, tzinfo=UTC)
    clock = FakeClock(start)
    adapter = ConsoleAdapter()
    app = App(
        Settings(),
        ConfigStore(parse_rules("")),
        Database(db_url, echo=bool(__import__("os").environ.get("QB_ECHO"))),
        {"console": adapter},
        clock,
    )
    await app.open()
    chat = Chat("console", "bench", "group", "bench")
    people = [User(str(i), f"上海-互联网-用户{i}") for i in range(users)]
    latencies: list[float] = []
    began = time.perf_counter()
    for i in range(n):
        event = Event(
            kind=EventKind.MESSAGE,
            chat=chat,
            at=start + timedelta(milliseconds=i * 50),
            delivery=f"bench:{i}",
            user=people[i % users],
            message_id=str(i),
            text=SAMPLE[i % len(SAMPLE)],
        )
        t0 = time.perf_counter()
        await app.pipeline.process(event)
        latencies.append(time.perf_counter() - t0)
    await app.writer.flush()
    elapsed = time.perf_counter() - began
    await app.close()
    decided = sum(latencies)
    latencies.sort()
    return {
        "events": float(n),
        "decisions_per_s": n / decided,
        "end_to_end_per_s": n / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


def run(n: int = 5000, users: int = 200, db_url: str | None = None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        url = db_url or str(Path(tmp) / "bench.db")
        return asyncio.run(_run(n, users, url))
