"""How long ``qunbot run`` takes to stop on SIGTERM while a group's replies still wait on Telegram's
per-group limit (``docker stop`` allows 10 s).
``PYTHONPATH=. .venv/bin/python bench/bench_sigterm.py [ROUNDS]``

Each round: the fake Bot API on loopback, ``qunbot run`` as a subprocess polling it, an ad wave of 40 in
one group (a delete and a warning each: the warnings beyond Telegram's 20 a minute wait), SIGTERM once 20
warnings are out; the time from the signal to the process's exit. Prints min / median / max.
"""

from __future__ import annotations

import asyncio
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.platforms.fake_bot_api import FULL_RIGHTS, FakeBotApi
from tests.platforms.telegram_run import ad, start, stopped

G = -100_5150
WAVE = 40


async def one_round() -> float:
    fake = FakeBotApi()
    fake.set_bot_rights(G, **FULL_RIGHTS)
    await fake.start()
    with tempfile.TemporaryDirectory() as tmp:
        proc = await start(fake, Path(tmp))
        try:
            for n in range(WAVE):
                fake.push(message=ad(G, n))
            await fake.wait_for(lambda: len(fake.sent(G)) >= 20, within_s=60)
            began = time.perf_counter()
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), timeout=60)
            return time.perf_counter() - began
        finally:
            await stopped(proc)
            await fake.stop()


async def main(rounds: int) -> None:
    seconds = [await one_round() for _ in range(rounds)]
    print(
        f"sigterm_to_exit_s: {min(seconds):.2f} / {statistics.median(seconds):.2f} / {max(seconds):.2f}"
        f"  (min / median / max of {rounds}; budget 10 s)"
    )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
