"""The floor the end-to-end benchmark is compared with: python-telegram-bot alone parsing
(``Update.de_json``) and dispatching (``Application.process_update``) the same number of group messages
to a handler that does nothing. No network: the application is never started, only its dispatch runs.

The bot cannot be faster than the library it receives through, so ``msgs_per_s / floor`` is a figure that
holds on any machine (both are measured in the same run, on the same cores).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any, ClassVar

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters
from telegram.request import BaseRequest, RequestData

from bot.tools.benchmarks.community import CHAT


def _update(i: int, groups: int, members: int) -> dict[str, Any]:
    """A group text message as Telegram sends it in ``getUpdates``."""
    uid = 1000 + i % members
    return {
        "update_id": i + 1,
        "message": {
            "message_id": i + 1,
            "date": 1_772_400_000 + i,
            "chat": {"id": -1_000_000_000_000 - i % groups, "type": "supergroup", "title": "群"},
            "from": {"id": uid, "is_bot": False, "first_name": f"用户{uid}"},
            "text": CHAT[i % len(CHAT)],
        },
    }


class _Offline(BaseRequest):
    """Answers ``getMe`` (all ``Application.initialize`` asks) without a network; the floor measures
    parsing and dispatch, not HTTP."""

    ME: ClassVar[dict[str, object]] = {
        "id": 123456,
        "is_bot": True,
        "first_name": "bench",
        "username": "bench_bot",
    }

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        return 200, json.dumps({"ok": True, "result": self.ME}).encode()


async def _noop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    return None


async def _run(messages: int, groups: int, members: int) -> float:
    builder = Application.builder().token("123456:bench").updater(None)
    app = builder.request(_Offline()).get_updates_request(_Offline()).build()
    app.add_handler(MessageHandler(filters.ALL, _noop))
    await app.initialize()
    raw = [_update(i, groups, members) for i in range(messages)]
    began = time.perf_counter()
    for data in raw:
        await app.process_update(Update.de_json(data, app.bot))
    rate = messages / (time.perf_counter() - began)
    await app.shutdown()
    return rate


def run(messages: int = 50_000, groups: int = 50, members: int = 200) -> dict[str, float]:
    """Messages per second python-telegram-bot parses and dispatches to a no-op handler."""
    return {"floor_msgs_per_s": asyncio.run(_run(messages, groups, members))}
