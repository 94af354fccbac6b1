"""How long ``qunbot run`` takes from its start to its first ``getUpdates`` (ready to hear members), on a
fresh SQLite database (migrations included) and again on the one the first start made (the goal: < 3 s).
``PYTHONPATH=. .venv/bin/python bench/bench_startup.py [ROUNDS]``

Each round: the fake Bot API on loopback, ``qunbot run`` as a subprocess polling it, the time from the
spawn to the fake's first ``getUpdates``, then SIGTERM. Prints min / median / max of each.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.platforms.fake_bot_api import FakeBotApi

RULES = "[defaults.topics]\nenabled = false\n"


async def until_polling(fake: FakeBotApi, tmp: Path) -> float:
    """Seconds from spawning ``qunbot run`` to its first getUpdates; the process is stopped after."""
    env = {
        **os.environ,
        "QUNBOT_TELEGRAM__TOKEN": fake.token,
        "QUNBOT_TELEGRAM__BASE_URL": fake.base_url,
        "QUNBOT_TELEGRAM__POLL_TIMEOUT": "1",
        "QUNBOT_HTTP__PORT": "0",
    }
    qunbot = Path(sys.executable).parent / "qunbot"
    polls = len(fake.of("getUpdates"))
    began = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        str(qunbot),
        *("run", "--config", str(tmp / "rules.toml"), "--db", str(tmp / "q.db")),
        env=env,
        cwd=tmp,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await fake.wait_for(lambda: len(fake.of("getUpdates")) > polls, within_s=60)
        return time.perf_counter() - began
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), timeout=30)
        except TimeoutError:
            proc.kill()
            await proc.wait()


async def one_round() -> tuple[float, float]:
    fake = FakeBotApi()
    await fake.start()
    try:
        with tempfile.TemporaryDirectory() as name:
            tmp = Path(name)
            (tmp / "rules.toml").write_text(RULES, encoding="utf-8")
            fresh = await until_polling(fake, tmp)
            again = await until_polling(fake, tmp)
            return fresh, again
    finally:
        await fake.stop()


def _spread(label: str, seconds: list[float]) -> str:
    return f"{label}: {min(seconds):.2f} / {statistics.median(seconds):.2f} / {max(seconds):.2f} s"


async def main(rounds: int) -> None:
    results = [await one_round() for _ in range(rounds)]
    print(_spread("start_to_polling_fresh_db", [fresh for fresh, _ in results]))
    print(_spread("start_to_polling_existing_db", [again for _, again in results]))
    print(f"(min / median / max of {rounds}; goal < 3 s)")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
