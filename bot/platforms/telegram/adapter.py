"""The Telegram adapter: python-telegram-bot 22 as a Bot API *client*, with our own update loop.

Why not PTB's ``Application``/``Updater``: they own dispatch (handlers, their own error handler) and the
poll offset. We need the opposite: every update goes to *our* pipeline (which de-duplicates and logs),
the offset is confirmed only after the update was handed over, one malformed update is logged and
skipped instead of failing its whole batch, network errors back off with jitter (tenacity) forever, and
the webhook is a route on the process's own aiohttp server (``bot/http.py``), not PTB's tornado server.
So this module runs a small loop over ``getUpdates`` (or the webhook route) and uses ``ExtBot`` for the
calls, with ``BotApiLimiter`` (see ``limiter.py``) keeping under the flood limits.

Updates of one chat are handled in order; different chats run side by side. What the bot may do in a
chat comes from its own chat member record (``getChatMember``, and ``my_chat_member`` updates, which
carry the new rights); admins come from ``getChatAdministrators``, cached and refreshed in the
background. Servers that only speak the core methods work: a method they refuse is logged once, never
called again, and the capabilities say so, so the executor asks the admins instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

import structlog
from aiohttp import web
from telegram import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeDefault,
    CallbackQuery,
    ChatMember,
    ChatMemberUpdated,
    ChatPermissions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter, ExtBot
from telegram.request import HTTPXRequest
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, wait_random_exponential

from bot.http import HttpServer
from bot.platforms.base import EventSink, PlatformError, Unsupported
from bot.platforms.registry import NoPlatform
from bot.platforms.telegram.convert import (
    Lru,
    Me,
    Memory,
    capabilities_from,
    convert_update,
    is_admin_status,
)
from bot.platforms.telegram.limiter import BotApiLimiter, retry_after_seconds
from bot.platforms.telegram.outbound import CallbackData, keyboard, split_text
from bot.platforms.telegram.qr import decode_qr
from bot.settings import TelegramSettings
from handlers.contract.actions import Button
from handlers.contract.capabilities import Capabilities
from handlers.contract.events import Chat, Event, User
from handlers.contract.feature import CommandSpec

log = structlog.get_logger(__name__)

T = TypeVar("T")

ALLOWED_UPDATES = ("message", "edited_message", "chat_member", "my_chat_member", "callback_query")
CORE_METHODS = frozenset(
    {"getMe", "getUpdates", "sendMessage", "deleteMessage", "editMessageText", "answerCallbackQuery"}
)
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
QR_MAX_BYTES = 1 << 20
QR_TIMEOUT_S = 15.0
MAX_ADMIN_DMS = 20  # big groups have dozens of admins; the first ones (owner first) are asked
MAX_WEBHOOK_INFLIGHT = 1000
_SECRET_OK = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_COMMAND_OK = re.compile(r"^[a-z0-9_]{1,32}$")


class TelegramStartError(NoPlatform):
    """Settings or a token that cannot work: ``qunbot run`` exits with this one line (exit code 2)."""


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


@dataclass
class _ChatState:
    """What the API told us about one group."""

    title: str = ""
    supergroup: bool | None = None
    bot_member: ChatMember | None = None  # the bot's own status and rights; None: not known
    admins: dict[int, tuple[str, bool, bool]] = field(default_factory=dict)  # id → (name, is_bot, owner)
    checked_at: float = float("-inf")  # monotonic time of the last refresh (attempt)
    refreshing: asyncio.Task[None] | None = None


@dataclass
class _Turn:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


def _means_unsupported(exc: TelegramError) -> bool:
    """A server without this method (404 on the method URL, or a 400/501 that says so)."""
    text = exc.message.lower()
    if isinstance(exc, InvalidToken):  # PTB maps 404 to InvalidToken; the token worked for getMe
        return "not found" in text
    return any(
        phrase in text for phrase in ("method not found", "unknown method", "not implemented", "unsupported")
    )


def _base_file_url(settings: TelegramSettings) -> str:
    if settings.base_file_url:
        return settings.base_file_url
    base = settings.base_url
    return base[: -len("bot")] + "file/bot" if base.endswith("/bot") else base.rstrip("/") + "/file/bot"


class TelegramAdapter:
    platform = "tg"

    def __init__(
        self,
        settings: TelegramSettings,
        http: HttpServer,
        *,
        limiter: BaseRateLimiter[int] | None = None,
        backoff_max_s: float = 30.0,
        admin_ttl_s: float = 600.0,
    ) -> None:
        if settings.token is None or not settings.token.get_secret_value().strip():
            raise TelegramStartError(
                "telegram: QUNBOT_TELEGRAM__TOKEN is empty (get a token from @BotFather)"
            )
        self.settings = settings
        self._token = settings.token.get_secret_value().strip()
        self._secret = b""
        if settings.mode == "webhook":
            secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
            if not secret:
                raise TelegramStartError(
                    "telegram: webhook mode needs QUNBOT_TELEGRAM__WEBHOOK_SECRET (1-256 of A-Z a-z 0-9 _ -);"
                    " without it anyone who finds the URL could post fake updates"
                )
            if not _SECRET_OK.match(secret):
                raise TelegramStartError(
                    "telegram: QUNBOT_TELEGRAM__WEBHOOK_SECRET may only contain A-Z a-z 0-9 _ - (1-256 chars)"
                )
            if not settings.webhook_url:
                raise TelegramStartError(
                    "telegram: webhook mode needs QUNBOT_TELEGRAM__WEBHOOK_URL, the public https URL "
                    f"that reaches {WEBHOOK_PATH} on this process"
                )
            self._secret = secret.encode()
            http.add_route("POST", WEBHOOK_PATH, self._on_webhook)
        self.bot = QunbotBot(
            self._token,
            base_url=settings.base_url,
            base_file_url=_base_file_url(settings),
            request=HTTPXRequest(
                connection_pool_size=32,
                connect_timeout=10,
                read_timeout=20,
                write_timeout=20,
                pool_timeout=10,
            ),
            get_updates_request=HTTPXRequest(
                connection_pool_size=2, connect_timeout=10, read_timeout=settings.poll_timeout + 10
            ),
            rate_limiter=limiter or BotApiLimiter(),
        )
        self._backoff_max_s = backoff_max_s
        self._admin_ttl_s = admin_ttl_s
        self._sink: EventSink | None = None
        self._me: Me | None = None
        self._reads_all = False
        self._commands: list[CommandSpec] = []
        self._chats: dict[int, _ChatState] = {}
        self._memory = Memory()
        self._callback_data = CallbackData()
        self._seen_updates: Lru[int, bool] = Lru(20_000)
        self._unsupported: set[str] = set()
        self._unreachable: dict[int, float] = {}  # user id → monotonic time until which DMs are not tried
        self._turns: dict[str, _Turn] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: asyncio.Task[None] | None = None
        self._fetching = False
        self._offset: int | None = None
        self._confirmed: int | None = None
        self._closing = asyncio.Event()
        self._qr_slots = asyncio.Semaphore(2)
        self.ready = asyncio.Event()  # set once getMe answered (tests and the webhook route wait for it)

    # ------------------------------------------------------------------ lifecycle

    @property
    def bot_user_id(self) -> str:
        return str(self._me.id) if self._me else ""

    @property
    def unsupported_methods(self) -> frozenset[str]:
        return frozenset(self._unsupported)

    def set_commands(self, commands: Sequence[CommandSpec]) -> None:
        """The features' commands, for the menu registered with ``setMyCommands`` at start."""
        self._commands = list(commands)

    async def start(self, sink: EventSink) -> None:
        """Check the token (a rejected one stops the process with a clear message), then run the update
        loop in the background; if Telegram cannot be reached yet, the loop keeps trying."""
        self._sink = sink
        self._closing.clear()
        try:
            await self._initialize()
        except InvalidToken:
            raise TelegramStartError(
                "telegram: the server rejected the bot token; check QUNBOT_TELEGRAM__TOKEN (from @BotFather)"
                " and QUNBOT_TELEGRAM__BASE_URL"
            ) from None
        except TelegramError as exc:
            log.warning("telegram_start_deferred", error=self._clean(exc.message))
        self._runner = asyncio.get_running_loop().create_task(self._run())

    async def _initialize(self) -> None:
        await self.bot.initialize()
        me = self.bot.bot
        self._me = Me(me.id, me.username or "")
        self._reads_all = bool(me.can_read_all_group_messages)
        if not self._reads_all:
            log.warning(
                "telegram_privacy_mode_on",
                hint="the bot only sees commands and replies in groups where it is not an admin; "
                "turn privacy mode off with /setprivacy in @BotFather, or make it an admin",
            )
        self.ready.set()
        log.info("telegram_connected", bot=me.username, mode=self.settings.mode)

    async def _run(self) -> None:
        try:
            if not self.ready.is_set():
                await self._retrying(self._initialize, "getMe")
            await self._register_commands()
            if self.settings.mode == "webhook":
                await self._retrying(self._set_webhook, "setWebhook")
            else:
                await self._delete_webhook()
                await self._poll()
        except asyncio.CancelledError:
            raise
        except _Stopping:
            return
        except Exception:
            log.exception("telegram_loop_crashed")

    async def stop(self) -> None:
        """Stop fetching, let updates already fetched finish, confirm the offset, close the client."""
        self._closing.set()
        runner, self._runner = self._runner, None
        if runner is not None:
            if self._fetching:
                runner.cancel()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(asyncio.shield(runner), timeout=15)
            if not runner.done():
                runner.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await runner
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=10)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        for state in self._chats.values():
            if state.refreshing is not None:
                state.refreshing.cancel()
        if self.settings.mode == "polling" and self._offset is not None and self._offset != self._confirmed:
            with contextlib.suppress(TelegramError, TimeoutError):
                await asyncio.wait_for(self.bot.get_raw_updates(self._offset, 0, limit=1), timeout=5)
        with contextlib.suppress(Exception):
            await self.bot.shutdown()
        self.ready.clear()

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _pause(self, seconds: float) -> None:
        """Sleep that ends early (raising ``_Stopping``) when the adapter stops."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), timeout=seconds)
        if self._closing.is_set():
            raise _Stopping

    def _wait(self, state: RetryCallState) -> float:
        """Exponential backoff with jitter; a 429 waits exactly as long as Telegram asked."""
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

    async def _retrying(self, call: Callable[[], Awaitable[T]], what: str) -> T:
        """Call until it works: network errors, 5xx, 429 and conflicts are retried with backoff; the loop
        survives the server going away and coming back."""
        async for attempt in AsyncRetrying(
            retry=retry_if_exception(lambda exc: isinstance(exc, TelegramError)),
            wait=self._wait,
            sleep=self._pause,
            before_sleep=self._log_retry(what),
            reraise=True,
        ):
            with attempt:
                return await call()
        raise AssertionError("unreachable: AsyncRetrying never stops without an outcome")

    # ------------------------------------------------------------------ setup calls

    async def _register_commands(self) -> None:
        """The command menu: members' commands for everyone, all commands for admins; Chinese by
        default, English for clients set to English. Skipped, with a log line, where unsupported."""
        specs: dict[str, CommandSpec] = {}
        for spec in self._commands:
            if _COMMAND_OK.match(spec.name):
                specs.setdefault(spec.name, spec)
            else:
                log.warning("telegram_command_name_invalid", command=spec.name)
        everyone = [spec for spec in specs.values() if not spec.admin]
        admins = list(specs.values())
        scopes = ((BotCommandScopeDefault(), everyone), (BotCommandScopeAllChatAdministrators(), admins))
        for scope, chosen in scopes:
            for language in (None, "en"):
                commands = [
                    BotCommand(spec.name, ((spec.en if language else spec.zh) or spec.name)[:256])
                    for spec in chosen
                ]
                call = partial(self.bot.set_my_commands, commands, scope=scope, language_code=language)
                try:
                    await self._api("setMyCommands", call)
                except Unsupported:
                    log.info("telegram_commands_not_registered", why="setMyCommands is not supported")
                    return
                except PlatformError as exc:
                    log.warning("telegram_commands_not_registered", error=str(exc))

    async def _set_webhook(self) -> None:
        await self.bot.set_webhook(
            url=self.settings.webhook_url or "",
            secret_token=self._secret.decode(),
            allowed_updates=list(ALLOWED_UPDATES),
        )
        log.info("telegram_webhook_set", path=WEBHOOK_PATH)

    async def _delete_webhook(self) -> None:
        """A webhook left set makes getUpdates fail with a conflict."""
        try:
            await self._api("deleteWebhook", partial(self.bot.delete_webhook, drop_pending_updates=False))
        except PlatformError as exc:
            log.info("telegram_delete_webhook_skipped", error=str(exc))

    # ------------------------------------------------------------------ receiving

    async def _poll(self) -> None:
        while not self._closing.is_set():
            self._fetching = True
            try:
                raw = await self._retrying(
                    partial(self.bot.get_raw_updates, self._offset, self.settings.poll_timeout), "getUpdates"
                )
            finally:
                self._fetching = False
            if self._offset is not None:
                self._confirmed = self._offset  # getUpdates with an offset confirms everything before it
            updates: list[Update] = []
            next_offset = self._offset
            for item in raw:
                update_id = item.get("update_id")
                if isinstance(update_id, int) and not isinstance(update_id, bool):
                    next_offset = max(next_offset or 0, update_id + 1)
                update = self._parse(item)
                if update is not None:
                    updates.append(update)
            await self._handle_batch(updates)
            self._offset = next_offset  # confirmed by the next getUpdates, only now that all were handled

    async def _handle_batch(self, updates: Sequence[Update]) -> None:
        """Each chat's updates in order, chats side by side; returns when all were handed over."""
        by_chat: dict[str, list[Update]] = {}
        for update in updates:
            by_chat.setdefault(self._turn_key(update), []).append(update)

        async def run(chain: list[Update]) -> None:
            for update in chain:
                await self._handle_update(update)

        await asyncio.gather(*(run(chain) for chain in by_chat.values()))

    def _parse(self, raw: object) -> Update | None:
        try:
            if not isinstance(raw, dict) or not isinstance(raw.get("update_id"), int):
                raise ValueError("not an update object with an integer update_id")
            return Update.de_json(raw, self.bot)
        except Exception as exc:
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            log.warning(
                "telegram_update_malformed", update_id=update_id, error=f"{type(exc).__name__}: {exc}"
            )
            return None

    async def _on_webhook(self, request: web.Request) -> web.StreamResponse:
        """The secret is compared (in constant time) before the body is read; Telegram gets its answer
        at once and the update is handled in a task (a slow answer makes Telegram resend)."""
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, self._secret):
            log.warning("telegram_webhook_forbidden", remote=request.remote)
            return web.Response(status=403)
        if not self.ready.is_set() or self._sink is None or self._closing.is_set():
            return web.Response(status=503)  # Telegram retries later
        if len(self._tasks) >= MAX_WEBHOOK_INFLIGHT:
            return web.Response(status=429)
        try:
            payload = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError) as exc:
            log.warning("telegram_webhook_malformed", error=f"{type(exc).__name__}: {exc}")
            return web.Response(status=200)
        update = self._parse(payload)
        if update is not None:
            self._spawn(self._handle_update(update))
        return web.Response(status=200)

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

    async def _handle_update(self, update: Update) -> None:
        """Hand one update's events to the pipeline; never raises into the loop."""
        if update.update_id in self._seen_updates:
            log.info("telegram_update_repeated", update_id=update.update_id)
            return
        self._seen_updates.put(update.update_id, True)
        async with self._turn(self._turn_key(update)):
            try:
                for event in await self._events_for(update):
                    if self._sink is not None:
                        await self._sink(event)
            except Exception:
                log.exception("telegram_update_failed", update_id=update.update_id)

    async def _events_for(self, update: Update) -> list[Event]:
        if self._me is None:
            return []
        now = datetime.now(UTC)
        chat = update.effective_chat
        group = chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
        if update.my_chat_member is not None:
            await self._bot_status_changed(update.my_chat_member)
        elif chat is not None and group:
            await self._ensure_chat(chat.id, chat.title or "", chat.type == ChatType.SUPERGROUP)
        if update.chat_member is not None:
            self._member_status_changed(update.chat_member)
        message = update.message
        if message is not None:
            self._service_notes(message)
        qr: tuple[str, ...] = ()
        if message is not None and group and message.photo:
            qr = await self._qr_texts(message)
        if update.callback_query is not None:
            return await self._callback(update, update.callback_query, now)
        return convert_update(update, self._me, self._memory, self, now, qr)

    def _service_notes(self, message: Message) -> None:
        if message.chat.type == ChatType.PRIVATE and message.from_user is not None:
            self._unreachable.pop(message.from_user.id, None)  # they wrote to us: DMs work now
        if message.migrate_to_chat_id:
            log.warning(
                "telegram_group_migrated",
                old=f"tg:group:{message.chat.id}",
                new=f"tg:group:{message.migrate_to_chat_id}",
                hint="the group became a supergroup: rename its table in the rules file to the new key",
            )

    async def _callback(self, update: Update, query: CallbackQuery, now: datetime) -> list[Event]:
        """Always answer (the client shows a spinner until we do), also for data we cannot use."""
        data = self._callback_data.decode(query.data) if isinstance(query.data, str) else None
        answer = None if data is not None or not query.data else "按钮已过期 / This button has expired"
        try:
            await self._api(
                "answerCallbackQuery", partial(self.bot.answer_callback_query, query.id, text=answer)
            )
        except PlatformError as exc:
            log.info("telegram_callback_not_answered", error=str(exc))
        if data is None or self._me is None:
            return []
        events = convert_update(update, self._me, self._memory, self, now)
        return [_with_data(event, data) for event in events]

    # ------------------------------------------------------------------ chat facts

    def is_admin(self, chat_id: int, user_id: int) -> bool:
        """Admin of this group; in a private chat, admin of any group the bot knows."""
        if chat_id > 0:
            return any(user_id in state.admins for state in self._chats.values())
        state = self._chats.get(chat_id)
        return state is not None and user_id in state.admins

    def bot_is_admin(self, chat_id: int) -> bool | None:
        state = self._chats.get(chat_id)
        if state is None or state.bot_member is None:
            return None
        return is_admin_status(state.bot_member)

    async def _ensure_chat(self, chat_id: int, title: str, supergroup: bool) -> _ChatState:
        """First sight of a group: look it up now (this very event needs admins and rights). Later: serve
        what is cached and refresh in the background when it is older than the TTL."""
        state = self._chats.get(chat_id)
        if state is None:
            state = self._chats[chat_id] = _ChatState(title=title, supergroup=supergroup)
            await self._refresh(chat_id)
        else:
            state.title = title or state.title
            state.supergroup = supergroup
            self._refresh_soon(chat_id)
        return state

    def _refresh_soon(self, chat_id: int) -> None:
        state = self._chats.get(chat_id)
        if state is None or self._closing.is_set():
            return
        due = time.monotonic() - state.checked_at >= self._admin_ttl_s
        if due and (state.refreshing is None or state.refreshing.done()):
            state.refreshing = self._spawn(self._refresh(chat_id))

    async def _refresh(self, chat_id: int) -> None:
        """Admins and the bot's own rights. One failed lookup keeps what was known and is retried in a
        minute; a method the server lacks is not called again (empty admin list, conservative rights)."""
        state = self._chats.setdefault(chat_id, _ChatState())
        state.checked_at = time.monotonic()
        me = self._me
        if me is None:
            return
        try:
            admins = await self._api(
                "getChatAdministrators", partial(self.bot.get_chat_administrators, chat_id)
            )
        except Unsupported:
            admins = None
        except PlatformError as exc:
            log.info("telegram_admins_unknown", chat=chat_id, error=str(exc))
            state.checked_at = time.monotonic() - self._admin_ttl_s + 60
            admins = None
        if admins is not None:
            state.admins = {
                m.user.id: (m.user.full_name, m.user.is_bot, m.status == ChatMemberStatus.OWNER)
                for m in admins
            }
            mine = next((m for m in admins if m.user.id == me.id), None)
            if mine is not None:
                state.bot_member = mine
                return
        try:
            state.bot_member = await self._api(
                "getChatMember", partial(self.bot.get_chat_member, chat_id, me.id)
            )
        except Unsupported:
            pass
        except PlatformError as exc:
            log.info("telegram_rights_unknown", chat=chat_id, error=str(exc))

    async def _bot_status_changed(self, change: ChatMemberUpdated) -> None:
        """``my_chat_member``: the new rights are in the update itself, so the capabilities are right
        for the BOT_ADDED event that follows. In a private chat it says whether the user blocked us."""
        chat = change.chat
        new = change.new_chat_member
        if chat.type == ChatType.PRIVATE:
            if new.status == ChatMemberStatus.BANNED:
                self._unreachable[chat.id] = float("inf")
            else:
                self._unreachable.pop(chat.id, None)
            return
        if chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
            return
        if new.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
            state = self._chats.pop(chat.id, None)
            if state is not None and state.refreshing is not None:
                state.refreshing.cancel()
            log.info("telegram_bot_removed", group=f"tg:group:{chat.id}", by=change.from_user.id)
            return
        state = self._chats.setdefault(chat.id, _ChatState())
        state.title = chat.title or state.title
        state.supergroup = chat.type == ChatType.SUPERGROUP
        await self._refresh(chat.id)  # the adder's admin status, the admin list
        state.bot_member = new  # the update is newer than any lookup
        log.info("telegram_bot_rights", group=f"tg:group:{chat.id}", status=str(new.status))

    def _member_status_changed(self, change: ChatMemberUpdated) -> None:
        """Promotions and demotions update the admin cache at once."""
        state = self._chats.get(change.chat.id)
        if state is None:
            return
        user = change.new_chat_member.user
        if is_admin_status(change.new_chat_member):
            state.admins[user.id] = (
                user.full_name,
                user.is_bot,
                change.new_chat_member.status == ChatMemberStatus.OWNER,
            )
        else:
            state.admins.pop(user.id, None)

    async def _qr_texts(self, message: Message) -> tuple[str, ...]:
        """QR payloads of a group photo: the largest size up to 1 MB, decoded in a thread, bounded in
        time and concurrency. Any failure is logged and means "no QR code"."""
        sizes = [p for p in message.photo if p.file_size is not None and p.file_size <= QR_MAX_BYTES]
        if not sizes:
            return ()
        best = max(sizes, key=lambda p: p.width * p.height)
        try:
            async with self._qr_slots, asyncio.timeout(QR_TIMEOUT_S):
                file = await self._api("getFile", partial(self.bot.get_file, best.file_id))
                if file.file_size is not None and file.file_size > QR_MAX_BYTES:
                    return ()
                data = bytes(await file.download_as_bytearray())
                if len(data) > QR_MAX_BYTES:
                    return ()
                return await asyncio.to_thread(decode_qr, data)
        except Exception as exc:
            log.info(
                "telegram_qr_skipped", message_id=message.message_id, error=f"{type(exc).__name__}: {exc}"
            )
            return ()

    # ------------------------------------------------------------------ capabilities

    def capabilities(self, chat: Chat) -> Capabilities:
        if chat.kind == "private":
            return Capabilities(
                can_send=True,
                can_edit=True,
                buttons=True,
                private_chat=True,
                sees_all_messages=True,
                name_source="first_last_name",
            )
        try:
            chat_id = int(chat.id)
        except ValueError:
            return capabilities_from(None, self._reads_all, self._unsupported)
        state = self._chats.get(chat_id)
        if state is None:
            with contextlib.suppress(RuntimeError):  # no running loop: nothing to schedule
                if self._me is not None and not self._closing.is_set():
                    self._chats[chat_id] = state = _ChatState(title=chat.title)
                    state.refreshing = self._spawn(self._refresh(chat_id))
            return capabilities_from(None, self._reads_all, self._unsupported)
        self._refresh_soon(chat_id)
        return capabilities_from(state.bot_member, self._reads_all, self._unsupported, state.supergroup)

    # ------------------------------------------------------------------ calls

    def _clean(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text

    async def _api(self, method: str, call: Callable[[], Awaitable[T]]) -> T:
        """One Bot API call; every failure becomes a ``PlatformError`` (``Unsupported`` for a method
        the server lacks, which is then never called again) so the executor can fall back."""
        if method in self._unsupported:
            raise Unsupported(f"telegram: {method} is not available on this Bot API server")
        try:
            return await call()
        except RetryAfter as exc:
            raise PlatformError(
                f"telegram: {method}: rate limited, retry after {retry_after_seconds(exc):g}s"
            ) from exc
        except TelegramError as exc:
            message = self._clean(exc.message)
            if method not in CORE_METHODS and _means_unsupported(exc):
                self._unsupported.add(method)
                log.warning("telegram_method_unsupported", method=method, error=message)
                raise Unsupported(f"telegram: {method} is not available on this Bot API server") from exc
            raise PlatformError(f"telegram: {method}: {message}") from exc
        except Exception as exc:  # a bug or an odd reply must not stop the other actions
            log.exception("telegram_call_failed", method=method)
            raise PlatformError(f"telegram: {method}: {type(exc).__name__}: {self._clean(str(exc))}") from exc

    @staticmethod
    def _id(value: str, what: str) -> int:
        try:
            return int(value)
        except ValueError:
            raise PlatformError(f"telegram: {what} {value!r} is not a Telegram id") from None

    async def send(
        self, chat: Chat, text: str, reply_to: str | None = None, buttons: Sequence[Button] = ()
    ) -> str | None:
        """Plain text (no parse mode, nothing to escape); long texts in several messages, the buttons on
        the last; the id of the first is returned (for tags and pins)."""
        chat_id = self._id(chat.id, "chat")
        if not text.strip():
            raise PlatformError("telegram: empty message not sent")
        markup = keyboard(buttons, self._callback_data)
        pieces = split_text(text)
        first: str | None = None
        for index, piece in enumerate(pieces):
            reply = (
                ReplyParameters(int(reply_to), allow_sending_without_reply=True)
                if index == 0 and reply_to and reply_to.isdigit()
                else None
            )
            sent = await self._api(
                "sendMessage",
                partial(
                    self.bot.send_message,
                    chat_id,
                    piece,
                    reply_parameters=reply,
                    reply_markup=markup if index == len(pieces) - 1 else None,
                ),
            )
            first = first or str(sent.message_id)
        return first

    async def send_private(self, user: User, text: str, buttons: Sequence[Button] = ()) -> str | None:
        """Fails (``PlatformError``) for a user who never started the bot; the executor then mentions
        them in the group. Such users are not tried again for a while."""
        user_id = self._id(user.id, "user")
        if self._unreachable.get(user_id, 0.0) > time.monotonic():
            raise PlatformError(f"telegram: user {user_id} has not started a private chat with the bot")
        try:
            return await self.send(Chat(self.platform, str(user_id), "private"), text, buttons=buttons)
        except PlatformError as exc:
            cause = exc.__cause__
            if isinstance(cause, Forbidden) or (
                isinstance(cause, BadRequest) and "chat not found" in cause.message.lower()
            ):
                if len(self._unreachable) > 50_000:
                    now = time.monotonic()
                    self._unreachable = {k: v for k, v in self._unreachable.items() if v > now}
                self._unreachable[user_id] = time.monotonic() + 600
            raise

    async def delete(self, chat: Chat, message_id: str) -> None:
        chat_id, mid = self._id(chat.id, "chat"), self._id(message_id, "message")
        await self._api("deleteMessage", partial(self.bot.delete_message, chat_id, mid))

    async def remove(self, chat: Chat, user: User) -> None:
        """Ban, then lift the ban at once, so the member can come back later. The ban is a short one,
        so even if lifting it fails it ends by itself within a minute."""
        chat_id, user_id = self._id(chat.id, "chat"), self._id(user.id, "user")
        until = datetime.now(UTC) + timedelta(seconds=60)
        await self._api(
            "banChatMember", partial(self.bot.ban_chat_member, chat_id, user_id, until_date=until)
        )
        try:
            await self._api(
                "unbanChatMember", partial(self.bot.unban_chat_member, chat_id, user_id, only_if_banned=True)
            )
        except PlatformError as exc:
            log.warning(
                "telegram_unban_after_remove_failed", error=str(exc), note="the ban ends within a minute"
            )

    async def ban(self, chat: Chat, user: User) -> None:
        chat_id, user_id = self._id(chat.id, "chat"), self._id(user.id, "user")
        await self._api("banChatMember", partial(self.bot.ban_chat_member, chat_id, user_id))

    async def unban(self, chat: Chat, user: User) -> None:
        chat_id, user_id = self._id(chat.id, "chat"), self._id(user.id, "user")
        await self._api(
            "unbanChatMember", partial(self.bot.unban_chat_member, chat_id, user_id, only_if_banned=True)
        )

    async def mute(self, chat: Chat, user: User, until: datetime) -> None:
        """Telegram treats a restriction shorter than 30 s as *forever*: short mutes are lengthened."""
        chat_id, user_id = self._id(chat.id, "chat"), self._id(user.id, "user")
        until = max(until, datetime.now(UTC) + timedelta(seconds=40))
        call = partial(
            self.bot.restrict_chat_member,
            chat_id,
            user_id,
            ChatPermissions.no_permissions(),
            until_date=until,
            use_independent_chat_permissions=True,
        )
        await self._api("restrictChatMember", call)

    async def unmute(self, chat: Chat, user: User) -> None:
        """All permissions ``True`` lifts the restriction (the group's defaults apply again)."""
        chat_id, user_id = self._id(chat.id, "chat"), self._id(user.id, "user")
        call = partial(
            self.bot.restrict_chat_member,
            chat_id,
            user_id,
            ChatPermissions.all_permissions(),
            use_independent_chat_permissions=True,
        )
        await self._api("restrictChatMember", call)

    async def pin(self, chat: Chat, message_id: str) -> None:
        chat_id, mid = self._id(chat.id, "chat"), self._id(message_id, "message")
        await self._api(
            "pinChatMessage", partial(self.bot.pin_chat_message, chat_id, mid, disable_notification=True)
        )

    async def notify_admins(self, chat: Chat, text: str) -> None:
        """A private message to each human admin (owner first) who has started the bot; if nobody
        could be reached, the notice goes to the group itself."""
        chat_id = self._id(chat.id, "chat")
        state = self._chats.get(chat_id)
        if state is None or time.monotonic() - state.checked_at >= self._admin_ttl_s:
            await self._refresh(chat_id)
            state = self._chats[chat_id]
        humans = sorted(
            ((uid, owner) for uid, (_, is_bot, owner) in state.admins.items() if not is_bot),
            key=lambda item: not item[1],
        )[:MAX_ADMIN_DMS]
        title = state.title or chat.title
        header = f"【{title}】\n" if title else ""
        reached = 0
        for uid, _ in humans:
            try:
                await self.send_private(User(str(uid), ""), header + text)
                reached += 1
            except PlatformError as exc:
                log.info("telegram_admin_not_reachable", admin=uid, error=str(exc))
        if reached == 0:
            await self.send(chat, text)

    async def create_invite_link(self, chat: Chat, name: str) -> str:
        chat_id = self._id(chat.id, "chat")
        link = await self._api(
            "createChatInviteLink",
            partial(self.bot.create_chat_invite_link, chat_id, name=name[:32], creates_join_request=False),
        )
        return link.invite_link


class _Stopping(Exception):
    """Raised out of a backoff sleep when the adapter stops."""


def _with_data(event: Event, data: str) -> Event:
    return replace(event, data=data)
