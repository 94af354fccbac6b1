"""How long ``qunbot run`` takes to stop on SIGTERM while a group's replies still wait on Telegram's
per-group limit (``docker stop`` allows 10 s).
``PYTHONPATH=. .venv/bin/python bench/bench_sigterm.py [ROUNDS]``

Each round: the fake Bot API on loopback, ``qunbot run`` as a subprocess polling it, an ad wave of 40 in
one group (a delete and a warning each: the warnings beyond Telegram's 20 a minute wait), SIGTERM once 20
warnings are out; the time from the signal to the process's exit. Prints min / median / max.
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

from tests.platforms.fake_bot_api import FULL_RIGHTS, FakeBotApi, group, message, url_entities, user

G = -100_5150
WAVE = 40
RULES = "[defaults.topics]\nenabled = false\n[defaults.ads]\nenabled = true\n"


def ad(n: int) -> dict[str, object]:
    link = f"https://bc{n}.example/x"
    text = f"加微信 abc{n:05d}xyz 兼职日结 300 元 {link}"
    return message(group(G, "测速群"), user(700 + n, f"号{n}"), text, entities=url_entities(text, link))


async def one_round() -> float:
    fake = FakeBotApi()
    fake.set_bot_rights(G, **FULL_RIGHTS)
    await fake.start()
    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "rules.toml"
        rules.write_text(RULES, encoding="utf-8")
        env = {
            **os.environ,
            "QUNBOT_TELEGRAM__TOKEN": fake.token,
            "QUNBOT_TELEGRAM__BASE_URL": fake.base_url,
            "QUNBOT_TELEGRAM__POLL_TIMEOUT": "1",
            "QUNBOT_HTTP__PORT": "0",
            "QUNBOT_LOG__FORMAT": "json",
        }
        qunbot = Path(sys.executable).parent / "qunbot"
        proc = await asyncio.create_subprocess_exec(
            str(qunbot),
            "run",
            "--config",
            str(rules),
            "--db",
            str(Path(tmp) / "q.db"),
            env=env,
            cwd=tmp,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            for n in range(WAVE):
                fake.push(message=ad(n))
            await fake.wait_for(lambda: len(fake.sent(G)) >= 20, within_s=60)
            began = time.perf_counter()
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), timeout=60)
            return time.perf_counter() - began
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
            await fake.stop()


async def main(rounds: int) -> None:
    seconds = [await one_round() for _ in range(rounds)]
    print(
        f"sigterm_to_exit_s: {min(seconds):.2f} / {statistics.median(seconds):.2f} / {max(seconds):.2f}"
        f"  (min / median / max of {rounds}; budget 10 s)"
    )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
