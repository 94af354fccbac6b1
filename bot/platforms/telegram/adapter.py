"""The Telegram adapter: python-telegram-bot 22 as a Bot API *client*, with our own update loop.

Why not PTB's ``Application``/``Updater``: they own dispatch (handlers, their own error handler) and the
poll offset. We need the opposite: every update goes to *our* pipeline (which de-duplicates and logs),
the offset is confirmed only after the update was handed over, one malformed update is logged and
skipped instead of failing its whole batch, network errors back off with jitter (tenacity) forever, and
the webhook is a route on the process's own aiohttp server (``bot/http.py``), not PTB's tornado server.
So ``receive.py`` runs a small loop over ``getUpdates`` (or the webhook route) and this module uses
``ExtBot`` for the calls, with ``BotApiLimiter`` (see ``limiter.py``) keeping under the flood limits.

This module: the lifecycle (token check, ``getMe``, command menu, webhook), turning one update into
events, and the outbound calls. ``receive.py``: the loop, the webhook route, per-chat order, retries.
``chats.py``: admins and the bot's rights per group, and the ``Capabilities`` they give. Servers that
only speak the core methods work: a method they refuse is logged once, never called again, and the
capabilities say so, so the executor asks the admins instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TypeVar

import structlog
from telegram import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeDefault,
    CallbackQuery,
    ChatMemberUpdated,
    ChatPermissions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter
from telegram.request import HTTPXRequest

from bot.http import HttpServer
from bot.platforms.base import EventSink, NoPlatform, PlatformError, Unsupported
from bot.platforms.telegram.chats import ChatDirectory
from bot.platforms.telegram.convert import Me, Memory, convert_update
from bot.platforms.telegram.limiter import BotApiLimiter, retry_after_seconds
from bot.platforms.telegram.outbound import (
    CallbackData,
    admin_target,
    keyboard,
    mention_entities,
    split_text,
)
from bot.platforms.telegram.qr import decode_qr
from bot.platforms.telegram.receive import (
    ALLOWED_UPDATES,
    WEBHOOK_PATH,
    Background,
    QunbotBot,
    Receiver,
    Retry,
    Stopping,
)
from bot.settings import TelegramSettings
from handlers.contract.actions import Button
from handlers.contract.capabilities import Capabilities
from handlers.contract.events import Chat, Event, User
from handlers.contract.feature import CommandSpec

log = structlog.get_logger(__name__)

T = TypeVar("T")

CORE_METHODS = frozenset(
    {"getMe", "getUpdates", "sendMessage", "deleteMessage", "editMessageText", "answerCallbackQuery"}
)
QR_MAX_BYTES = 1 << 20
QR_TIMEOUT_S = 15.0
MAX_LINKS_KEPT = 500  # per group: the raid lock edits the newest links the bot made
MAX_ADMIN_DMS = 20  # big groups have dozens of admins; the first ones (owner first) are asked
_SECRET_OK = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_COMMAND_OK = re.compile(r"^[a-z0-9_]{1,32}$")


class TelegramStartError(NoPlatform):
    """Settings or a token that cannot work: ``qunbot run`` exits with this one line (exit code 2)."""


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
        self.ready = asyncio.Event()  # set once getMe answered (tests and the webhook route wait for it)
        self._me: Me | None = None
        self._commands: list[CommandSpec] = []
        self._memory = Memory()
        self._callback_data = CallbackData()
        self._unsupported: set[str] = set()
        self._links: dict[int, list[str]] = {}  # group → invite links this process made (raid locks)
        self._unreachable: dict[int, float] = {}  # user id → monotonic time until which DMs are not tried
        self._runner: asyncio.Task[None] | None = None
        self._qr_slots = asyncio.Semaphore(2)
        self._background = Background()
        self._retrying = Retry(self._background, backoff_max_s, self._clean)
        self._chats = ChatDirectory(
            self.bot, self._api, self._background, self._unsupported, admin_ttl_s=admin_ttl_s
        )
        self._receiver = Receiver(
            self.bot,
            self._background,
            self._retrying,
            self._events_for,
            poll_timeout=settings.poll_timeout,
            secret=self._secret,
            ready=self.ready,
        )
        if settings.mode == "webhook":
            http.add_route("POST", WEBHOOK_PATH, self._receiver.on_webhook)

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
        self._receiver.sink = sink
        self._background.closing.clear()
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
        self._me = self._chats.me = Me(me.id, me.username or "")
        self._chats.reads_all = bool(me.can_read_all_group_messages)
        if not self._chats.reads_all:
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
                await self._receiver.poll()
        except asyncio.CancelledError:
            raise
        except Stopping:
            return
        except Exception:
            log.exception("telegram_loop_crashed")

    async def stop(self) -> None:
        """Stop fetching, let updates already fetched finish, confirm the offset, close the client."""
        self._background.closing.set()
        runner, self._runner = self._runner, None
        if runner is not None:
            if self._receiver.fetching:
                runner.cancel()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(asyncio.shield(runner), timeout=15)
            if not runner.done():
                runner.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await runner
        # replies still waiting on the limit after this are in the outbox: the next process sends them
        await self._background.drain(grace_s=5)
        self._chats.cancel_refreshes()
        if self.settings.mode == "polling":
            await self._receiver.confirm_offset()
        with contextlib.suppress(Exception):
            await self.bot.shutdown()
        self.ready.clear()

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

    # ------------------------------------------------------------------ one update → events

    async def _events_for(self, update: Update) -> list[Event]:
        if self._me is None:
            return []
        now = datetime.now(UTC)
        chat = update.effective_chat
        group = chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
        if update.my_chat_member is not None:
            self._reachability_changed(update.my_chat_member)
            await self._chats.bot_status_changed(update.my_chat_member)
        elif chat is not None and group:
            await self._chats.ensure(chat.id, chat.title or "", chat.type == ChatType.SUPERGROUP)
        if update.chat_member is not None:
            self._chats.member_status_changed(update.chat_member)
        message = update.message
        if message is not None:
            self._service_notes(message)
        qr: tuple[str, ...] = ()
        if message is not None and group and message.photo:
            qr = await self._qr_texts(message)
        if update.callback_query is not None:
            return await self._callback(update, update.callback_query, now)
        return convert_update(update, self._me, self._memory, self._chats, now, qr)

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

    def _reachability_changed(self, change: ChatMemberUpdated) -> None:
        """``my_chat_member`` in a private chat says whether the user blocked the bot."""
        if change.chat.type != ChatType.PRIVATE:
            return
        if change.new_chat_member.status == ChatMemberStatus.BANNED:
            self._unreachable[change.chat.id] = float("inf")
        else:
            self._unreachable.pop(change.chat.id, None)

    async def _callback(self, update: Update, query: CallbackQuery, now: datetime) -> list[Event]:
        """Always answer (the client shows a spinner until we do), also for data we cannot use. A button
        for the admins of a group (``Button.admins_of``) is checked against that group's admins on
        Telegram at the press: anyone else is refused in the answer, and the press comes as an event in
        that group (``pressed_in``: where the message is), with the presser's admin status as checked."""
        data = self._callback_data.decode(query.data) if isinstance(query.data, str) else None
        answer = None if data is not None or not query.data else "按钮已过期 / This button has expired"
        about = admin_target(data) if data is not None else None
        admin = False
        if about is not None:
            group_id, data = about
            admin = await self._chats.admin_now(group_id, query.from_user.id)
            if not admin:
                answer = "仅该群管理员可操作 / Only admins of that group can do this"
        try:
            await self._api(
                "answerCallbackQuery", partial(self.bot.answer_callback_query, query.id, text=answer)
            )
        except PlatformError as exc:
            log.info("telegram_callback_not_answered", error=str(exc))
        if data is None or self._me is None:
            return []
        events = convert_update(update, self._me, self._memory, self._chats, now)
        if about is None:
            return [_with_data(event, data) for event in events]
        group = Chat(self.platform, str(about[0]), "group")
        return [
            replace(
                event,
                chat=group,
                pressed_in=event.chat,
                data=data,
                user=replace(event.user, is_admin=admin) if event.user else None,
            )
            for event in events
        ]

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
        return self._chats.capabilities(chat)

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
        self,
        chat: Chat,
        text: str,
        reply_to: str | None = None,
        buttons: Sequence[Button] = (),
        mentions: Sequence[User] = (),
    ) -> str | None:
        """Plain text (no parse mode, nothing to escape); long texts in several messages, the buttons on
        the last; the id of the first is returned (for tags and pins). A mentioned member without a
        username gets a ``text_mention`` entity over their ``@name``, so Telegram notifies them."""
        chat_id = self._id(chat.id, "chat")
        if not text.strip():
            raise PlatformError("telegram: empty message not sent")
        markup = keyboard(buttons, self._callback_data, self._me.username if self._me else "")
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
                    entities=mention_entities(piece, mentions) or None,
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

    async def notify_admins(self, chat: Chat, text: str, buttons: Sequence[Button] = ()) -> None:
        """A private message to each human admin (owner first) who has started the bot. If nobody could
        be reached this fails: an admin notice (who filed a report, whom to remove) is never posted in the
        group; the executor tells the group how admins turn notices on."""
        title, admins = await self._chats.human_admins(self._id(chat.id, "chat"))
        title = title or chat.title
        header = f"【{title}】\n" if title else ""
        reached = 0
        for uid in admins[:MAX_ADMIN_DMS]:
            try:
                await self.send_private(User(str(uid), ""), header + text, buttons)
                reached += 1
            except PlatformError as exc:
                log.info("telegram_admin_not_reachable", admin=uid, error=str(exc))
        if reached == 0:
            raise PlatformError("telegram: no admin of this group has started a private chat with the bot")

    async def lock_joins(self, chat: Chat, locked: bool) -> int:
        """Switch the invite links this process made in the group to need approval (``locked``: every
        join through them becomes a join request, which raid mode declines) or back. A bot can edit only
        the links it created: the group's primary link and people's links stay as they are, and links
        made before a restart are not known (README: Raid mode)."""
        chat_id = self._id(chat.id, "chat")
        changed = 0
        for link in list(self._links.get(chat_id, ())):
            call = partial(self.bot.edit_chat_invite_link, chat_id, link, creates_join_request=locked)
            await self._api("editChatInviteLink", call)
            changed += 1
        return changed

    async def approve_join(self, chat: Chat, user: User) -> None:
        chat_id, user_id = self._id(chat.id, "chat"), self._id(user.id, "user")
        await self._api(
            "approveChatJoinRequest", partial(self.bot.approve_chat_join_request, chat_id, user_id)
        )

    async def decline_join(self, chat: Chat, user: User) -> None:
        chat_id, user_id = self._id(chat.id, "chat"), self._id(user.id, "user")
        await self._api(
            "declineChatJoinRequest", partial(self.bot.decline_chat_join_request, chat_id, user_id)
        )

    async def edit(self, chat: Chat, message_id: str, text: str, buttons: Sequence[Button] = ()) -> None:
        """New text for a message the bot sent; ``buttons=()`` removes its keyboard."""
        chat_id, mid = self._id(chat.id, "chat"), self._id(message_id, "message")
        markup = keyboard(buttons, self._callback_data, self._me.username if self._me else "")
        call = partial(self.bot.edit_message_text, split_text(text)[0], chat_id, mid, reply_markup=markup)
        await self._api("editMessageText", call)

    async def create_invite_link(self, chat: Chat, name: str) -> str:
        chat_id = self._id(chat.id, "chat")
        link = await self._api(
            "createChatInviteLink",
            partial(self.bot.create_chat_invite_link, chat_id, name=name[:32], creates_join_request=False),
        )
        links = self._links.setdefault(chat_id, [])
        links.append(link.invite_link)
        del links[:-MAX_LINKS_KEPT]
        return link.invite_link


def _with_data(event: Event, data: str) -> Event:
    return replace(event, data=data)
