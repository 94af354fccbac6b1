"""Receiving Telegram updates: the ``getUpdates`` loop or the webhook route, each chat's updates in
order (different chats side by side), and the retry with backoff that keeps the loop alive while the
server is away.

The loop never waits for a chat to finish: each update is handed to its chat's turn and the next
``getUpdates`` goes out at once, so a chat whose replies wait on Telegram's per-group limit (an ad wave)
never delays another chat's check-in. The offset still confirms only what was handled: it stays at the
oldest update in flight (Telegram confirms everything below the offset it is asked for), so a crash gets
the unhandled ones again; the ones in flight that come back are skipped. One malformed update is logged and
skipped instead of failing its whole batch; a repeated update id is handled once.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

import structlog
from aiohttp import web
from telegram import Update
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError
from telegram.ext import ExtBot
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, wait_random_exponential

from bot.platforms.base import EventSink
from bot.platforms.telegram.convert import Lru
from bot.platforms.telegram.limiter import retry_after_seconds
from handlers.contract.events import Event

log = structlog.get_logger(__name__)

T = TypeVar("T")

ALLOWED_UPDATES = (
    "message",
    "edited_message",
    "chat_member",
    "my_chat_member",
    "callback_query",
    "chat_join_request",
)
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_WEBHOOK_INFLIGHT = 1000
# While updates are in flight the offset stays below them, so getUpdates returns them again at once: the
# loop then waits for one to finish (or this long) before asking again instead of spinning.
REFETCH_PAUSE_S = 1.0


class QunbotBot(ExtBot[int]):
    async def get_raw_updates(
        self, offset: int | None, poll_s: int, limit: int = 100
    ) -> list[dict[str, Any]]:
        """``getUpdates`` without parsing, so one malformed update cannot make the whole batch fail
        (``get_updates`` parses the list in one go)."""
        result = await self._post(
            "getUpdates",
            {"offset": offset, "timeout": poll_s, "limit": limit, "allowed_updates": list(ALLOWED_UPDATES)},
            read_timeout=poll_s + 10,
        )
        return [item for item in result if isinstance(item, dict)] if isinstance(result, list) else []


class Stopping(Exception):
    """Raised out of a backoff sleep when the adapter stops."""


class Background:
    """The adapter's background tasks and its stop signal, shared by the loop, the webhook route and
    the admin refreshes, so ``stop`` can let them finish."""

    def __init__(self) -> None:
        self.closing = asyncio.Event()
        self.tasks: set[asyncio.Task[None]] = set()

    def spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def pause(self, seconds: float) -> None:
        """Sleep that ends early (raising ``Stopping``) when the adapter stops."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.closing.wait(), timeout=seconds)
        if self.closing.is_set():
            raise Stopping

    async def drain(self, grace_s: float) -> None:
        """Wait for the running tasks; cancel those still running after ``grace_s``."""
        if not self.tasks:
            return
        _, pending = await asyncio.wait(set(self.tasks), timeout=grace_s)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)


class Retry:
    """Call until it works: network errors, 5xx, 429 and conflicts are retried with backoff (jitter;
    a 429 waits exactly as long as Telegram asked); the loop survives the server going away."""

    def __init__(self, background: Background, backoff_max_s: float, clean: Callable[[str], str]) -> None:
        self._background = background
        self._backoff_max_s = backoff_max_s
        self._clean = clean

    async def __call__(self, call: Callable[[], Awaitable[T]], what: str) -> T:
        async for attempt in AsyncRetrying(
            retry=retry_if_exception(lambda exc: isinstance(exc, TelegramError)),
            wait=self._wait,
            sleep=self._background.pause,
            before_sleep=self._log_retry(what),
            reraise=True,
        ):
            with attempt:
                return await call()
        raise AssertionError("unreachable: AsyncRetrying never stops without an outcome")

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RetryAfter):
            return retry_after_seconds(exc)
        return float(wait_random_exponential(multiplier=0.5, max=self._backoff_max_s)(state))

    def _log_retry(self, what: str) -> Callable[[RetryCallState], None]:
        def before_sleep(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            message = self._clean(exc.message if isinstance(exc, TelegramError) else repr(exc))
            level = log.error if isinstance(exc, InvalidToken | Conflict) else log.warning
            hint = ""
            if isinstance(exc, Conflict):
                hint = "another process polls with this token, or a webhook is set for it"
            level(
                "telegram_retrying",
                call=what,
                attempt=state.attempt_number,
                error=message,
                wait_s=round(state.upcoming_sleep, 2),
                hint=hint,
            )

        return before_sleep


@dataclass
class _Turn:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class Receiver:
    """Fetches updates (polling) or takes them from the webhook route, and hands each one's events to
    the sink: updates of one chat in arrival order, chats side by side, a repeated update id once."""

    def __init__(
        self,
        bot: QunbotBot,
        background: Background,
        retry: Retry,
        to_events: Callable[[Update], Awaitable[list[Event]]],
        *,
        poll_timeout: int,
        secret: bytes,
        ready: asyncio.Event,
    ) -> None:
        self._bot = bot
        self._background = background
        self._retry = retry
        self._to_events = to_events
        self._poll_timeout = poll_timeout
        self._secret = secret
        self._ready = ready
        self.sink: EventSink | None = None
        self.fetching = False  # inside a getUpdates long poll (stop may cancel it)
        self._offset: int | None = None  # the next update id after everything fetched
        self._confirmed: int | None = None
        self._inflight: set[int] = set()  # fetched, not handled yet (the offset stays at the lowest)
        self._progress = asyncio.Event()  # set whenever an update in flight is done
        self._seen_updates: Lru[int, bool] = Lru(20_000)
        self._turns: dict[str, _Turn] = {}

    # ------------------------------------------------------------------ polling

    async def poll(self) -> None:
        while not self._background.closing.is_set():
            self.fetching = True
            offset = self.unconfirmed_from()
            try:
                raw = await self._retry(
                    partial(self._bot.get_raw_updates, offset, self._poll_timeout), "getUpdates"
                )
            finally:
                self.fetching = False
            if offset is not None:
                self._confirmed = offset  # getUpdates with an offset confirms everything before it
            self._progress.clear()
            fresh = 0
            for item in raw:
                update_id = item.get("update_id")
                if isinstance(update_id, int) and not isinstance(update_id, bool):
                    if update_id in self._inflight or update_id in self._seen_updates:
                        continue  # in flight (or done) already: returned again because the offset waits
                    self._offset = max(self._offset or 0, update_id + 1)
                update = self.parse(item)
                if update is not None:
                    fresh += 1
                    self._inflight.add(update.update_id)
                    self._background.spawn(self._handle_in_flight(update))
            if not fresh and self._inflight:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._progress.wait(), timeout=REFETCH_PAUSE_S)

    def unconfirmed_from(self) -> int | None:
        """The offset to ask for: the oldest update still in flight, else the one after all fetched."""
        return min(self._inflight) if self._inflight else self._offset

    async def _handle_in_flight(self, update: Update) -> None:
        try:
            await self.handle_update(update)
        except asyncio.CancelledError:
            # cut off by the stop's grace: still unhandled, so the offset stays below it and the next
            # process gets it again (what it had already committed is deduplicated; its replies are in
            # the outbox)
            raise
        else:
            self._inflight.discard(update.update_id)
            self._progress.set()

    async def confirm_offset(self) -> None:
        """At stop: tell the server which updates were handled, so a restart does not get them again
        (and does get those still in flight when the stop's grace ran out)."""
        offset = self.unconfirmed_from()
        if offset is not None and offset != self._confirmed:
            with contextlib.suppress(TelegramError, TimeoutError):
                await asyncio.wait_for(self._bot.get_raw_updates(offset, 0, limit=1), timeout=5)

    def parse(self, raw: object) -> Update | None:
        try:
            if not isinstance(raw, dict) or not isinstance(raw.get("update_id"), int):
                raise ValueError("not an update object with an integer update_id")
            return Update.de_json(raw, self._bot)
        except Exception as exc:
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            log.warning(
                "telegram_update_malformed", update_id=update_id, error=f"{type(exc).__name__}: {exc}"
            )
            return None

    # ------------------------------------------------------------------ webhook

    async def on_webhook(self, request: web.Request) -> web.StreamResponse:
        """The secret is compared (in constant time) before the body is read; Telegram gets its answer
        at once and the update is handled in a task (a slow answer makes Telegram resend)."""
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, self._secret):
            log.warning("telegram_webhook_forbidden", remote=request.remote)
            return web.Response(status=403)
        if not self._ready.is_set() or self.sink is None or self._background.closing.is_set():
            return web.Response(status=503)  # Telegram retries later
        if len(self._background.tasks) >= MAX_WEBHOOK_INFLIGHT:
            return web.Response(status=429)
        try:
            payload = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError) as exc:
            log.warning("telegram_webhook_malformed", error=f"{type(exc).__name__}: {exc}")
            return web.Response(status=200)
        update = self.parse(payload)
        if update is not None:
            self._background.spawn(self.handle_update(update))
        return web.Response(status=200)

    # ------------------------------------------------------------------ per-chat order

    @staticmethod
    def _turn_key(update: Update) -> str:
        chat = update.effective_chat
        if chat is not None:
            return str(chat.id)
        user = update.effective_user
        return f"user:{user.id}" if user is not None else "none"

    @contextlib.asynccontextmanager
    async def _turn(self, key: str) -> AsyncIterator[None]:
        """One chat's updates one at a time, in arrival order (asyncio locks are fair)."""
        turn = self._turns.setdefault(key, _Turn())
        turn.users += 1
        try:
            async with turn.lock:
                yield
        finally:
            turn.users -= 1
            if turn.users == 0:
                self._turns.pop(key, None)

    async def handle_update(self, update: Update) -> None:
        """Hand one update's events to the pipeline; never raises into the loop."""
        if update.update_id in self._seen_updates:
            log.info("telegram_update_repeated", update_id=update.update_id)
            return
        self._seen_updates.put(update.update_id, True)
        async with self._turn(self._turn_key(update)):
            try:
                for event in await self._to_events(update):
                    if self.sink is not None:
                        await self.sink(event)
            except Exception:
                log.exception("telegram_update_failed", update_id=update.update_id)
