"""Keeps the bot under the Bot API flood limits and honours ``RetryAfter``.

PTB's ``AIORateLimiter`` counts *every* call that names a chat against the per-group budget
(20/min), so deleting an ad or checking a member's rights would delay the next welcome, and it
retries nothing by default. Here only messages count against a chat's budget (groups ~20/min, private
chats ~1/s), every call counts against the global ~30/s, and a 429 pauses all calls for the time
Telegram asked and then retries the call a few times, so the message is still delivered.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

import structlog
from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = structlog.get_logger(__name__)

# PTB 22 warns on every RetryAfter unless durations are opted in as timedeltas (PTB 23's behaviour);
# this adapter reads durations as timedeltas already.
os.environ.setdefault("PTB_TIMEDELTA", "true")

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]

_NOT_MESSAGES = frozenset({"sendChatAction"})
_MESSAGE_METHODS = frozenset({"copyMessage", "copyMessages", "forwardMessage", "forwardMessages"})


def retry_after_seconds(exc: RetryAfter) -> float:
    """Seconds Telegram asked us to wait. Read from the timedelta PTB keeps, because the public
    ``retry_after`` property emits a deprecation warning in PTB 22 (AIORateLimiter reads it the same way)."""
    value: object = exc._retry_after
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)  # type: ignore[arg-type]


def message_chat(endpoint: str, data: dict[str, Any]) -> tuple[str, bool] | None:
    """The chat whose per-chat message budget this call uses, and whether it is a group; None when the
    call is not a message (deletes, bans, lookups only count against the global budget)."""
    if endpoint in _NOT_MESSAGES or not (endpoint.startswith("send") or endpoint in _MESSAGE_METHODS):
        return None
    chat_id = data.get("chat_id")
    if chat_id is None:
        return None
    key = str(chat_id)
    return key, key.startswith("-") or key.startswith("@")


class BotApiLimiter(BaseRateLimiter[int]):
    def __init__(
        self,
        overall_per_second: float = 30,
        group_per_minute: float = 20,
        private_per_second: float = 1,
        max_retries: int = 3,
        max_wait_s: float = 120,
    ) -> None:
        self._overall = AsyncLimiter(overall_per_second, 1)
        self._group_per_minute = group_per_minute
        self._private_per_second = private_per_second
        self._chats: dict[str, AsyncLimiter] = {}
        self._max_retries = max_retries
        self._max_wait_s = max_wait_s
        self._resume_at = 0.0  # monotonic time before which no call is made (after a 429)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def _chat_limiter(self, key: str, group: bool) -> AsyncLimiter:
        limiter = self._chats.get(key)
        if limiter is None:
            if len(self._chats) > 1024:  # forget chats whose budget is full again (idle)
                for other, idle in list(self._chats.items()):
                    if idle.has_capacity(idle.max_rate):
                        del self._chats[other]
            limiter = AsyncLimiter(
                *((self._group_per_minute, 60) if group else (self._private_per_second, 1))
            )
            self._chats[key] = limiter
        return limiter

    async def _paused(self) -> None:
        """Wait out a 429 pause; another 429 while waiting moves the deadline, hence the loop."""
        while (delay := self._resume_at - time.monotonic()) > 0:  # noqa: ASYNC110 - a moving deadline
            await asyncio.sleep(delay)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        target = message_chat(endpoint, data)
        attempt = 0
        while True:
            await self._paused()
            chat_budget = self._chat_limiter(*target) if target else contextlib.nullcontext()
            try:
                async with chat_budget, self._overall:
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = retry_after_seconds(exc)
                if attempt >= self._max_retries or wait > self._max_wait_s:
                    log.warning("telegram_rate_limited_giving_up", method=endpoint, retry_after=wait)
                    raise
            attempt += 1
            log.info("telegram_rate_limited", method=endpoint, retry_after=wait, attempt=attempt)
            self._resume_at = max(self._resume_at, time.monotonic() + wait + 0.05)
