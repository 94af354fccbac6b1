"""What the bot knows about each Telegram group: its admins (``getChatAdministrators``, cached and
refreshed in the background) and the bot's own rights (its chat member record, and the
``my_chat_member`` updates that carry new rights), turned into ``Capabilities`` for the executor.

A method the server lacks leaves an empty admin list and conservative rights; the capabilities say
so, and the executor asks the admins instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Set
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol, TypeVar

import structlog
from telegram import Bot, ChatMember, ChatMemberUpdated
from telegram.constants import ChatMemberStatus, ChatType

from bot.platforms.base import PlatformError, Unsupported
from bot.platforms.telegram.convert import Me, capabilities_from, is_admin_status
from bot.platforms.telegram.receive import Background
from handlers.contract.capabilities import Capabilities
from handlers.contract.events import Chat

log = structlog.get_logger(__name__)

T = TypeVar("T")


class ApiCall(Protocol):
    """The adapter's call wrapper: every failure becomes a ``PlatformError``."""

    def __call__(self, method: str, call: Callable[[], Awaitable[T]]) -> Awaitable[T]: ...


@dataclass
class _ChatState:
    """What the API told us about one group."""

    title: str = ""
    supergroup: bool | None = None
    bot_member: ChatMember | None = None  # the bot's own status and rights; None: not known
    admins: dict[int, tuple[str, bool, bool]] = field(default_factory=dict)  # id → (name, is_bot, owner)
    checked_at: float = float("-inf")  # monotonic time of the last refresh (attempt)
    refreshing: asyncio.Task[None] | None = None


class ChatDirectory:
    """Admins and the bot's rights per group (the ``ChatFacts`` conversion asks), and the capabilities."""

    def __init__(
        self,
        bot: Bot,
        api: ApiCall,
        background: Background,
        unsupported: Set[str],
        *,
        admin_ttl_s: float,
    ) -> None:
        self._bot = bot
        self._api = api
        self._background = background
        self._unsupported = unsupported  # live view of the methods the server refused
        self._admin_ttl_s = admin_ttl_s
        self._chats: dict[int, _ChatState] = {}
        self.me: Me | None = None  # set once getMe answered
        self.reads_all = False  # privacy mode off: the bot sees every group message

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

    async def ensure(self, chat_id: int, title: str, supergroup: bool) -> None:
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

    def _refresh_soon(self, chat_id: int) -> None:
        state = self._chats.get(chat_id)
        if state is None or self._background.closing.is_set():
            return
        due = time.monotonic() - state.checked_at >= self._admin_ttl_s
        if due and (state.refreshing is None or state.refreshing.done()):
            state.refreshing = self._background.spawn(self._refresh(chat_id))

    async def _refresh(self, chat_id: int) -> None:
        """Admins and the bot's own rights. One failed lookup keeps what was known and is retried in a
        minute; a method the server lacks is not called again (empty admin list, conservative rights)."""
        state = self._chats.setdefault(chat_id, _ChatState())
        state.checked_at = time.monotonic()
        me = self.me
        if me is None:
            return
        try:
            admins = await self._api(
                "getChatAdministrators", partial(self._bot.get_chat_administrators, chat_id)
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
                "getChatMember", partial(self._bot.get_chat_member, chat_id, me.id)
            )
        except Unsupported:
            pass
        except PlatformError as exc:
            log.info("telegram_rights_unknown", chat=chat_id, error=str(exc))

    async def bot_status_changed(self, change: ChatMemberUpdated) -> None:
        """``my_chat_member`` in a group: the new rights are in the update itself, so the capabilities
        are right for the BOT_ADDED event that follows."""
        chat = change.chat
        new = change.new_chat_member
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

    def member_status_changed(self, change: ChatMemberUpdated) -> None:
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

    async def admin_now(self, chat_id: int, user_id: int) -> bool:
        """Is ``user_id`` an admin of the group right now: asked of Telegram at the moment (an admin
        button pressed in a log chat or a private chat, where the cache might be stale or the group
        unknown). A failed lookup is a "no": an admin-only action is refused rather than guessed."""
        try:
            found = await self._api("getChatMember", partial(self._bot.get_chat_member, chat_id, user_id))
        except PlatformError as exc:
            log.info("telegram_admin_check_failed", chat=chat_id, user=user_id, error=str(exc))
            return False
        state = self._chats.get(chat_id)
        if state is not None:  # what we just learnt keeps the cache honest
            if is_admin_status(found):
                owner = found.status == ChatMemberStatus.OWNER
                state.admins[user_id] = (found.user.full_name, found.user.is_bot, owner)
            else:
                state.admins.pop(user_id, None)
        return is_admin_status(found)

    async def human_admins(self, chat_id: int) -> tuple[str, list[int]]:
        """The group's title and its human admins, owner first (refreshed when the cache is stale)."""
        state = self._chats.get(chat_id)
        if state is None or time.monotonic() - state.checked_at >= self._admin_ttl_s:
            await self._refresh(chat_id)
            state = self._chats[chat_id]
        humans = sorted(
            ((uid, owner) for uid, (_, is_bot, owner) in state.admins.items() if not is_bot),
            key=lambda item: not item[1],
        )
        return state.title, [uid for uid, _ in humans]

    def cancel_refreshes(self) -> None:
        for state in self._chats.values():
            if state.refreshing is not None:
                state.refreshing.cancel()

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
            return capabilities_from(None, self.reads_all, self._unsupported)
        state = self._chats.get(chat_id)
        if state is None:
            with contextlib.suppress(RuntimeError):  # no running loop: nothing to schedule
                if self.me is not None and not self._background.closing.is_set():
                    self._chats[chat_id] = state = _ChatState(title=chat.title)
                    state.refreshing = self._background.spawn(self._refresh(chat_id))
            return capabilities_from(None, self.reads_all, self._unsupported)
        self._refresh_soon(chat_id)
        return capabilities_from(state.bot_member, self.reads_all, self._unsupported, state.supergroup)
