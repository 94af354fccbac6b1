"""`qunbot run` as a subprocess polling the fake Bot API (for the tests and benchmarks of stopping and
starting again), and the ad wave they use."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from tests.platforms.fake_bot_api import FakeBotApi, group, message, url_entities, user

RULES = "[defaults.topics]\nenabled = false\n"
QUNBOT = Path(sys.executable).parent / "qunbot"


def ad(chat_id: int, n: int) -> dict[str, Any]:
    """The ``n``-th ad of a wave, each by a different account (so each is a first strike and a warning)."""
    link = f"https://bc{n}.example/x"
    text = f"加微信 abc{n:05d}xyz 兼职日结 300 元 {link}"
    return message(group(chat_id, "测速群"), user(700 + n, f"号{n}"), text, entities=url_entities(text, link))


async def start(
    fake: FakeBotApi,
    folder: Path,
    *,
    rules_text: str = RULES,
    db: str | None = None,
    env_extra: dict[str, str] | None = None,
) -> asyncio.subprocess.Process:
    """``qunbot run`` polling ``fake``, on the database in ``folder`` (kept between runs) or ``db``."""
    rules = folder / "rules.toml"
    rules.write_text(rules_text, encoding="utf-8")
    env = {
        **os.environ,
        "QUNBOT_TELEGRAM__TOKEN": fake.token,
        "QUNBOT_TELEGRAM__BASE_URL": fake.base_url,
        "QUNBOT_TELEGRAM__POLL_TIMEOUT": "1",
        "QUNBOT_HTTP__PORT": "0",
        "QUNBOT_LOG__FORMAT": "json",
        **(env_extra or {}),
    }
    return await asyncio.create_subprocess_exec(
        str(QUNBOT),
        "run",
        "--config",
        str(rules),
        "--db",
        db or str(folder / "qunbot.db"),
        env=env,
        cwd=folder,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def stopped(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        proc.kill()
        await proc.wait()
