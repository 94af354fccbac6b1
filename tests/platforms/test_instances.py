"""Several `qunbot run` processes on one PostgreSQL database (#18). Each polls its own fake Bot API and gets
the same updates (as a webhook retried to another instance behind a load balancer would), with strict dedupe
on. One of them decides replies it cannot send (Telegram makes it wait) and is killed with kill -9; a morning
topic falls due after that. Every check-in is answered once, by the survivors, within seconds; every check-in
is stored once; the topic is posted once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from storage.db import Database
from storage.models.rhythm import Checkin
from tests.platforms.fake_bot_api import FULL_RIGHTS, FakeBotApi, command_entity, group, message, user
from tests.platforms.telegram_run import start, stopped

pytestmark = pytest.mark.postgres

G = -100_8900
GROUP = group(G, "多实例群")
TOPIC = "多实例测试话题：你最近在读什么书？"


def rules(due: datetime) -> str:
    return f"""
[defaults]
timezone = "UTC"
[defaults.topics]
daily_at = "{due:%H:%M}"
pool = ["{TOPIC}"]
grace_minutes = 0
[groups."tg:group:{G}"]
name = "多实例群"
"""


def checkin(n: int) -> dict[str, Any]:
    return message(GROUP, user(900 + n, f"成员{n}"), "/checkin", entities=command_entity("/checkin"))


def answered(fakes: list[FakeBotApi]) -> list[str]:
    return [text for fake in fakes for text in fake.sent(G) if "打卡成功" in text]


def topics(fakes: list[FakeBotApi]) -> list[str]:
    return [text for fake in fakes for text in fake.sent(G) if TOPIC in text]


async def stored_checkins(url: str) -> int:
    db = Database(url)
    try:
        async with db.session() as session:
            return int(await session.scalar(select(func.count()).select_from(Checkin)) or 0)
    finally:
        await db.close()


async def test_three_instances_answer_each_delivery_once_and_survive_a_kill(
    pg_url: str, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    due = (now + timedelta(seconds=40)).replace(second=0, microsecond=0) + timedelta(minutes=1)
    fakes = [FakeBotApi() for _ in range(3)]
    for fake in fakes:
        await fake.start()
        fake.set_bot_rights(G, **FULL_RIGHTS)
    fakes[0].rate_limit("sendMessage", 100, times=50)  # the first instance decides, then waits on Telegram
    env = {"QUNBOT_STRICT_DEDUPE": "true"}
    for i in range(3):
        (tmp_path / f"p{i}").mkdir()
    procs = await asyncio.gather(
        *(
            start(fake, tmp_path / f"p{i}", rules_text=rules(due), db=pg_url, env_extra=env)
            for i, fake in enumerate(fakes)
        )
    )
    try:
        for fake in fakes:  # all three are up and polling
            await fake.wait_for(lambda fake=fake: len(fake.of("getUpdates")) > 0, within_s=60)
        first = [checkin(n) for n in range(6)]
        for update_id, update in enumerate(first, 1):
            fakes[0].push_raw({"update_id": update_id, "message": update})
        # the first instance claims 成员0's check-in, stores it and decides the reply, which Telegram holds
        # (retry after 100 s); the chat's next updates wait behind it there
        await fakes[0].wait_for(lambda: any(c.status == 429 for c in fakes[0].calls), within_s=30)
        for fake in fakes[1:]:  # the same deliveries reach the others, which handle the rest, once
            for update_id, update in enumerate(first, 1):
                fake.push_raw({"update_id": update_id, "message": update})
        await fakes[1].wait_for(lambda: len(answered(fakes)) >= 5, within_s=30)
        await asyncio.sleep(1)
        assert sorted(answered(fakes)) == sorted(answered(fakes[1:]))  # the first sent nothing
        assert not any("成员0 " in text for text in answered(fakes))
        procs[0].kill()  # kill -9: no goodbye; its advisory lock goes with its connection
        await procs[0].wait()
        # a survivor sees it gone and sends the reply it decided (a sweep every 10 s)
        await fakes[1].wait_for(lambda: any("成员0 " in text for text in answered(fakes)), within_s=30)

        second = [checkin(n) for n in range(6, 12)]
        for fake in fakes[1:]:
            for update_id, update in enumerate(second, 7):
                fake.push_raw({"update_id": update_id, "message": update})
        # the survivors answer their own at once and the dead one's within a sweep (10 s)
        await fakes[1].wait_for(lambda: len(answered(fakes)) >= 12, within_s=60)
        wait = (due - datetime.now(UTC)).total_seconds() + 8
        await fakes[1].wait_for(lambda: len(topics(fakes)) >= 1, within_s=max(wait, 10) + 30)
        await asyncio.sleep(3)  # nothing more comes
    finally:
        for proc in procs:
            await stopped(proc)
        for fake in fakes:
            await fake.stop()
    names = sorted(int(text.split("成员")[1].split()[0]) for text in answered(fakes))
    assert names == list(range(12))  # each check-in answered once
    assert len(topics(fakes)) == 1
    assert await stored_checkins(pg_url) == 12
