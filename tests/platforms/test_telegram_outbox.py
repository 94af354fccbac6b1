"""A reply decided but not sent survives a stop: `qunbot run` is stopped (SIGTERM) while an ad wave's
warnings wait on Telegram's 20-a-minute limit; the next `qunbot run` on the same database sends the rest,
each warning once, and handles no ad twice. Through python-telegram-bot and the fake Bot API."""

from __future__ import annotations

import asyncio
import re
import signal
from pathlib import Path

from tests.platforms.fake_bot_api import FULL_RIGHTS, FakeBotApi
from tests.platforms.telegram_run import ad, start, stopped

G = -100_6160
WAVE = 30


def warned(fake: FakeBotApi) -> list[int]:
    """Which accounts' warnings went out (an account is named 号N in its warning)."""
    return [int(m.group(1)) for text in fake.sent(G) for m in [re.search(r"号(\d+)", text)] if m]


async def test_warnings_waiting_at_a_stop_are_sent_after_the_restart(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    fake.set_bot_rights(G, **FULL_RIGHTS)
    first = await start(fake, tmp_path)
    try:
        for n in range(WAVE):
            fake.push(message=ad(G, n))
        await fake.wait_for(lambda: len(warned(fake)) >= 20, within_s=60)
        first.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(first.wait(), 30) == 0
    finally:
        await stopped(first)
    before = warned(fake)
    assert len(before) < WAVE  # some warnings were still waiting on the limit when it stopped

    second = await start(fake, tmp_path)
    try:
        await fake.wait_for(lambda: len(warned(fake)) >= WAVE, within_s=60)
        await asyncio.sleep(2)  # nothing more comes
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.wait(), 30)
        await stopped(second)
    assert sorted(warned(fake)) == list(range(WAVE))  # every account warned, and once
