"""The WeCom adapter: lifecycle, the callback routes, and outbound calls per kind of group.

Inbound: ``/wecom/callback`` (the app: customer-group changes, members' private messages) and
``/wecom/aibot`` (the 智能机器人: messages that @ it). Outbound by kind (``kinds.py``): customer groups get
owner-confirmed mass messages, app groups ``appchat/send``, robot groups the webhook (rate-limited with
aiolimiter), private chats ``message/send``. What a kind cannot do raises ``Unsupported``, and the
executor escalates to the owner / admins by app message (outcome ``escalated``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import aiohttp
import structlog
from aiolimiter import AsyncLimiter
from wechatpy.work.crypto import WeChatCrypto

from bot.http import HttpServer
from bot.platforms.base import EventSink, PlatformError, Unsupported
from bot.platforms.wecom.chats import PLATFORM, CustomerGroups
from bot.platforms.wecom.client import WecomApi, failure
from bot.platforms.wecom.convert import aibot_message, app_message
from bot.platforms.wecom.kinds import KINDS, Kind
from bot.platforms.wecom.receive import CallbackRoute, Payload, items
from bot.platforms.wecom.sources import (
    ARCHIVE_PATH,
    HttpPushSource,
    MessageSource,
    Record,
    SpoolSource,
    archive_event,
    plugged,
)
from bot.settings import WecomSettings
from handlers.contract.actions import Button
from handlers.contract.capabilities import Capabilities
from handlers.contract.events import Chat, User
from handlers.contract.feature import CommandSpec
from storage.db import Database
from storage.repos import wecom as repo

log = structlog.get_logger(__name__)

CALLBACK_PATH = "/wecom/callback"
AIBOT_PATH = "/wecom/aibot"
MEMBERSHIP = frozenset({"add_member", "del_member", "change_owner", "change_name"})


def configured(settings: WecomSettings) -> bool:
    """The app's four secrets are what makes WeCom run (robots and the 智能机器人 ride on the app)."""
    return all((settings.corp_id, settings.agent_id, settings.secret, settings.token, settings.aes_key))


def secret(value: Any) -> str:
    return value.get_secret_value() if value is not None else ""


class WecomAdapter:
    platform = PLATFORM

    def __init__(self, settings: WecomSettings, http: HttpServer, db: Database) -> None:
        if not configured(settings):
            raise ValueError("WeCom needs QUNBOT_WECOM__CORP_ID, __SECRET, __AGENT_ID, __TOKEN and __AES_KEY")
        self.settings = settings
        self.corp_id = str(settings.corp_id)
        self.agent_id = str(settings.agent_id)
        self.db = db
        self.api = WecomApi(self.corp_id, secret(settings.secret), self.agent_id, settings.api_base, db)
        self.groups = CustomerGroups(self.api, db)
        self.sink: EventSink | None = None
        self.commands: list[CommandSpec] = []
        self._robot_limits = {chat: AsyncLimiter(settings.robot_per_minute, 60) for chat in settings.robots}
        self._reply_urls: OrderedDict[str, str] = OrderedDict()  # aibot message id → its response_url
        self._http: aiohttp.ClientSession | None = None
        self._sweep: asyncio.Task[None] | None = None
        crypto = WeChatCrypto(secret(settings.token), secret(settings.aes_key), self.corp_id)
        self.callback = CallbackRoute(crypto, self.on_callback)
        http.add_route("GET", CALLBACK_PATH, self.callback.verify)
        http.add_route("POST", CALLBACK_PATH, self.callback.receive)
        self.sources = self._sources(settings, http)
        self.aibot: CallbackRoute | None = None
        if settings.aibot_token is not None and settings.aibot_aes_key is not None:
            # an internal 智能机器人's receive id is empty
            aicrypto = WeChatCrypto(secret(settings.aibot_token), secret(settings.aibot_aes_key), "")
            self.aibot = CallbackRoute(aicrypto, self.on_aibot, name="aibot", body="json")
            http.add_route("GET", AIBOT_PATH, self.aibot.verify)
            http.add_route("POST", AIBOT_PATH, self.aibot.receive)

    def _sources(self, settings: WecomSettings, http: HttpServer) -> list[MessageSource]:
        sources: list[MessageSource] = []
        if settings.archive_spool is not None:
            key = f"{self.api.key}:archive_spool:{settings.archive_spool}"

            async def load() -> int:
                async with self.db.session() as session:
                    return int(await repo.state(session, key) or 0)

            async def save(offset: int) -> None:
                async with self.db.session() as session:
                    await repo.set_state(session, key, str(offset))
                    await session.commit()

            sources.append(SpoolSource(settings.archive_spool, load, save, settings.archive_poll_s))
        if settings.archive_secret is not None:
            push = HttpPushSource(secret(settings.archive_secret))
            http.add_route("POST", ARCHIVE_PATH, push.receive)
            sources.append(push)
        if settings.archive_source:
            sources.append(plugged(settings.archive_source, settings))
        return sources

    def archived(self, chat_id: str) -> bool:
        """Whether a message source feeds this group's messages (会话内容存档)."""
        return bool(self.sources) and (
            not self.settings.archive_chats or chat_id in self.settings.archive_chats
        )

    # ------------------------------------------------------------------ protocol: identity and lifecycle

    @property
    def bot_user_id(self) -> str:
        return f"app:{self.agent_id}"  # the app is never a group member, so never a target

    def set_commands(self, commands: Sequence[CommandSpec]) -> None:
        """WeCom has no command menu; kept for /help-like listings."""
        self.commands = list(commands)

    def kind(self, chat: Chat) -> Kind:
        if chat.kind == "private":
            return "private"
        if chat.id in self.settings.robots:
            return "robot"
        if chat.id in self.settings.appchats:
            return "appchat"
        return "customer"

    def capabilities(self, chat: Chat) -> Capabilities:
        caps = KINDS[self.kind(chat)].caps
        if chat.kind == "group" and self.archived(chat.id):
            caps = replace(caps, sees_all_messages=True, hears_members=True)  # the archive has every message
        elif chat.kind == "group" and chat.id in self.settings.aibot_chats:
            caps = replace(caps, hears_members=True)  # messages that @ the 智能机器人 reach the bot
        return caps

    async def start(self, sink: EventSink) -> None:
        """Read every customer group once (first sight: recorded without events; known groups: what was
        missed while down is emitted), then re-read them every ``reconcile_every_s``."""
        self.sink = sink
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
        try:
            await self.sweep(seed=True)
        except PlatformError as exc:
            log.warning("wecom_start_reconcile_failed", error=str(exc))
        for source in self.sources:
            await source.start(self.on_archived)
        self._sweep = asyncio.get_running_loop().create_task(self._sweep_forever())
        log.info(
            "wecom_started",
            agent_id=self.agent_id,
            aibot=self.aibot is not None,
            sources=[s.name for s in self.sources],
        )

    async def sweep(self, seed: bool = False) -> int:
        assert self.sink is not None
        count = 0
        for chat_id in await self.groups.list_ids():
            try:
                count += len(await self.groups.reconcile(chat_id, self.sink, seed=seed))
            except PlatformError as exc:
                log.warning("wecom_reconcile_failed", chat=chat_id, error=str(exc))
            if not self.archived(chat_id):
                try:
                    await self.say_unseen(chat_id)
                except PlatformError as exc:  # said again at the next sweep
                    log.warning("wecom_unseen_notice_failed", chat=chat_id, error=str(exc))
        return count

    async def say_unseen(self, chat_id: str) -> bool:
        """Tell the group's owner and the admins, once per group (kept in storage, so not again after a
        restart), that without a message source the bot cannot see messages there: ad and flood detection
        are off, instead of seeming to work. Returns whether the notice went out now."""
        key = f"{self.api.key}:unseen_notice:{chat_id}"
        async with self.db.session() as session:
            if await repo.state(session, key) is not None:
                return False
        await self.notify_admins(Chat(PLATFORM, chat_id, "group"), UNSEEN_NOTICE.format(chat=chat_id))
        async with self.db.session() as session:
            await repo.set_state(session, key, datetime.now(UTC).isoformat())
            await session.commit()
        log.warning("wecom_ads_detection_off", chat=chat_id, why="no message source for this group")
        return True

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self.settings.reconcile_every_s)
            try:
                await self.sweep()
            except PlatformError as exc:
                log.warning("wecom_sweep_failed", error=str(exc))

    async def stop(self) -> None:
        for source in self.sources:
            await source.stop()
        if self._sweep is not None:
            self._sweep.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweep
        await self.callback.drain()
        if self.aibot is not None:
            await self.aibot.drain()
        if self._http is not None:
            await self._http.close()

    async def sync_welcome(self, text: str) -> str:
        """Keep WeCom's group welcome template (入群欢迎语, ``%NICKNAME%``) equal to the rules' welcome: added
        once, edited when the text changes, left alone when it has not. Returns the template id."""
        async with self.db.session() as session:
            template_id = await repo.state(session, f"{self.api.key}:welcome_id") or ""
            synced = await repo.state(session, f"{self.api.key}:welcome_text")
        if template_id and synced == text:
            return template_id
        body = {"text": {"content": text}}
        if template_id:
            await self.api.call(
                "group_welcome_template/edit",
                lambda c: c.external_contact.update_group_welcome_template(body, template_id),
            )
        else:
            result = await self.api.call(
                "group_welcome_template/add", lambda c: c.external_contact.add_group_welcome_template(body)
            )
            template_id = str(result["template_id"])
        async with self.db.session() as session:
            await repo.set_state(session, f"{self.api.key}:welcome_id", template_id)
            await repo.set_state(session, f"{self.api.key}:welcome_text", text)
            await session.commit()
        log.info("wecom_welcome_synced", template_id=template_id)
        return template_id

    # ------------------------------------------------------------------ inbound

    async def on_callback(self, payload: Payload) -> None:
        if self.sink is None:
            return
        if payload.get("Event") == "change_external_chat":
            chat_id = str(payload.get("ChatId", ""))
            change, detail = payload.get("ChangeType"), payload.get("UpdateDetail")
            log.info(
                "wecom_group_change",
                chat=chat_id,
                change=change,
                detail=detail,
                members=items(payload, "MemChangeList"),
            )
            if change == "dismiss":
                at = datetime.fromtimestamp(int(payload.get("CreateTime") or 0), UTC)
                await self.groups.dismissed(chat_id, at, self.sink)
            elif change == "create" or detail in MEMBERSHIP:
                await self.groups.reconcile(chat_id, self.sink, seed=change == "create")
            return
        event = app_message(payload)
        if event is not None:
            await self.sink(event)

    async def on_archived(self, record: Record) -> None:
        """One 会话内容存档 record from a message source: a covered group's message becomes an event."""
        room = str(record.get("roomid") or "")
        if self.sink is None or (room and not self.archived(room)):
            return
        owner = await self.groups.owner(room) if room else ""
        names = await self.groups.names(room) if room else {}
        event = archive_event(record, {u for u in (owner, *self.settings.admins) if u}, names)
        if event is not None:
            await self.sink(event)

    async def on_aibot(self, payload: Payload) -> None:
        event = aibot_message(payload, datetime.now(UTC))
        if event is None or self.sink is None:
            return
        url = str(payload.get("response_url") or "")
        if url and event.message_id:
            self._reply_urls[event.message_id] = url
            while len(self._reply_urls) > 10_000:
                self._reply_urls.popitem(last=False)
        await self.sink(event)

    # ------------------------------------------------------------------ outbound

    async def send(
        self,
        chat: Chat,
        text: str,
        reply_to: str | None = None,
        buttons: Sequence[Button] = (),
        mentions: Sequence[User] = (),  # WeCom has no mention entities for bots: the text says "@name"
    ) -> str | None:
        if reply_to and reply_to in self._reply_urls:
            await self._post_json("aibot/reply", self._reply_urls.pop(reply_to), markdown(text))
            return None
        kind = self.kind(chat)
        if kind == "private":
            return await self._app_message([chat.id], text)
        if kind == "robot":
            async with self._robot_limits[chat.id]:
                url = f"{self.settings.api_base}webhook/send?key={secret(self.settings.robots[chat.id])}"
                await self._post_json("webhook/send", url, {"msgtype": "text", "text": {"content": text}})
            return None
        if kind == "appchat":
            await self.api.call("appchat/send", lambda c: c.appchat.send_text(chat.id, text))
            return None
        owner = await self.groups.owner(chat.id)
        if not owner:
            raise PlatformError(f"wecom: customer group {chat.id} has no known owner to send through")
        template = {
            "chat_type": "group",
            "sender": owner,
            "chat_id_list": [chat.id],
            "text": {"content": text},
        }
        result = await self.api.call(
            "add_msg_template", lambda c: c.external_contact.add_msg_template(template)
        )
        log.info("wecom_mass_message_queued", chat=chat.id, owner=owner, msgid=result.get("msgid"))
        return None

    async def send_private(self, user: User, text: str, buttons: Sequence[Button] = ()) -> str | None:
        if user.id.startswith("wm") or user.id.startswith("wo"):
            raise Unsupported("wecom: a WeChat (external) member cannot get app messages")
        return await self._app_message([user.id], text)

    async def _app_message(self, user_ids: list[str], text: str) -> str | None:
        result = await self.api.call(
            "message/send", lambda c: c.message.send_text(self.agent_id, user_ids, text)
        )
        return str(result.get("msgid") or "") or None

    async def _post_json(self, method: str, url: str, body: dict[str, Any]) -> None:
        assert self._http is not None, "adapter not started"
        try:
            async with self._http.post(url, data=json.dumps(body, ensure_ascii=False).encode()) as resp:
                result = await resp.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise failure(method, exc) from exc
        if int(result.get("errcode") or 0):
            raise failure(method, WecomReply(int(result["errcode"]), str(result.get("errmsg", ""))))

    async def remove(self, chat: Chat, user: User) -> None:
        if self.kind(chat) != "appchat":
            raise Unsupported(f"wecom {KINDS[self.kind(chat)].title}: no API removes a member")
        await self.api.call("appchat/update", lambda c: c.appchat.update(chat.id, del_user_list=[user.id]))

    async def ban(self, chat: Chat, user: User) -> None:
        raise Unsupported("wecom: no bans; an app group can only remove")

    async def unban(self, chat: Chat, user: User) -> None:
        raise Unsupported("wecom: no bans")

    async def delete(self, chat: Chat, message_id: str) -> None:
        raise Unsupported("wecom: messages in groups cannot be deleted by an app")

    async def mute(self, chat: Chat, user: User, until: datetime) -> None:
        raise Unsupported("wecom: no mute")

    async def unmute(self, chat: Chat, user: User) -> None:
        raise Unsupported("wecom: no mute")

    async def pin(self, chat: Chat, message_id: str) -> None:
        raise Unsupported("wecom: no pinning")

    async def create_invite_link(self, chat: Chat, name: str) -> str:
        raise Unsupported("wecom: join links are 群活码 (qunbot wecom join-way)")

    async def lock_joins(self, chat: Chat, locked: bool) -> int:
        raise Unsupported("wecom: joins cannot be locked by an app (the owner manages 群活码)")

    async def approve_join(self, chat: Chat, user: User) -> None:
        raise Unsupported("wecom: no join requests to approve (the owner decides who joins)")

    async def decline_join(self, chat: Chat, user: User) -> None:
        raise Unsupported("wecom: no join requests to decline (the owner decides who joins)")

    async def edit(self, chat: Chat, message_id: str, text: str, buttons: Sequence[Button] = ()) -> None:
        raise Unsupported("wecom: sent messages cannot be edited")

    async def notify_admins(self, chat: Chat, text: str, buttons: Sequence[Button] = ()) -> None:
        """To the group's owner (customer groups, known from groupchat/get) and the configured admins,
        by app message: the bot cannot act there itself, so it asks them."""
        owner = await self.groups.owner(chat.id) if self.kind(chat) == "customer" else ""
        to = list(dict.fromkeys([u for u in (owner, *self.settings.admins) if u]))
        if not to:
            raise PlatformError(f"wecom: nobody to notify for {chat.key} (set QUNBOT_WECOM__ADMINS)")
        await self._app_message(to, text)
        log.info("wecom_admins_notified", chat=chat.key, to=to)


UNSEEN_NOTICE = (
    "【qunbot】客户群 {chat} 没有消息来源（会话内容存档），机器人看不到群里的消息："
    "本群的广告和刷屏检测已关闭，入群、昵称检查和欢迎语照常。接入消息来源见 README「Run on WeCom」。\n"
    "qunbot: customer group {chat} has no message source (chat archive), so the bot cannot see its "
    "messages: ad and flood detection are off there; joins, nickname checks and the welcome work as usual."
)


class WecomReply(Exception):
    """An errcode in a JSON answer that did not go through wechatpy (webhook, aibot reply)."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"{errcode} {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


def markdown(text: str) -> dict[str, Any]:
    return {"msgtype": "markdown", "markdown": {"content": text}}
