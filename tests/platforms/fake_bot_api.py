"""A fake Telegram Bot API server on loopback, driven by the real python-telegram-bot client.

It implements the methods the adapter uses, records every call (method, parameters, time, HTTP status),
serves scripted updates to ``getUpdates`` with Telegram's offset semantics (updates survive a restart of
the fake, as they would on Telegram), and can: answer a method with 429 + ``retry_after``, refuse a
method with any status, behave as a server with only the core methods, refuse private messages to users
who never started the bot, and stop and start again on the same port.

Also: JSON factories for the updates Telegram sends (``user``, ``group``, ``message``, ``chat_member``…).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, web

TOKEN = "123456:TEST-fake-token-for-loopback-only"
BOT_ID = 999_000
BOT_USERNAME = "qun_test_bot"
CORE = frozenset(
    {"getMe", "getUpdates", "sendMessage", "deleteMessage", "editMessageText", "answerCallbackQuery"}
)
_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "reply_parameters",
        "allowed_updates",
        "commands",
        "scope",
        "permissions",
        "link_preview_options",
        "entities",
    }
)
_INT_PARAMS = frozenset({"chat_id", "user_id", "message_id", "offset", "limit", "timeout", "until_date"})

Json = dict[str, Any]


@dataclass
class Call:
    method: str
    params: Json
    at: float  # time.monotonic() when the request arrived
    status: int = 200


# ---------------------------------------------------------------------------------------- factories

_message_ids = itertools.count(100)


def user(
    uid: int, first: str, last: str | None = None, username: str | None = None, bot: bool = False
) -> Json:
    out: Json = {"id": uid, "is_bot": bot, "first_name": first}
    if last:
        out["last_name"] = last
    if username:
        out["username"] = username
    return out


BOT_USER = user(BOT_ID, "群助手", username=BOT_USERNAME, bot=True)


def group(chat_id: int, title: str = "测试群", kind: str = "supergroup") -> Json:
    return {"id": chat_id, "type": kind, "title": title}


def private(uid: int, first: str = "someone") -> Json:
    return {"id": uid, "type": "private", "first_name": first}


def message(
    chat: Json,
    sender: Json,
    text: str | None = None,
    *,
    message_id: int | None = None,
    date: int | None = None,
    entities: list[Json] | None = None,
    **fields: Any,
) -> Json:
    out: Json = {
        "message_id": message_id if message_id is not None else next(_message_ids),
        "date": date if date is not None else int(time.time()),
        "chat": chat,
        "from": sender,
    }
    if text is not None:
        out["text"] = text
    if entities:
        out["entities"] = entities
    out.update(fields)
    return out


def url_entities(text: str, *urls: str) -> list[Json]:
    """``url`` entities for the given substrings (offsets in UTF-16 units, as Telegram counts)."""
    out = []
    for url in urls:
        start = text.index(url)
        offset = len(text[:start].encode("utf-16-le")) // 2
        out.append({"type": "url", "offset": offset, "length": len(url.encode("utf-16-le")) // 2})
    return out


def command_entity(text: str) -> list[Json]:
    return [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]


def member(status: str, who: Json, **rights: bool) -> Json:
    """A ChatMember of the given status; administrators get every right field (False unless given)."""
    out: Json = {"status": status, "user": who}
    if status == "administrator":
        names = (
            "can_be_edited",
            "is_anonymous",
            "can_manage_chat",
            "can_delete_messages",
            "can_manage_video_chats",
            "can_restrict_members",
            "can_promote_members",
            "can_change_info",
            "can_invite_users",
            "can_post_stories",
            "can_edit_stories",
            "can_delete_stories",
            "can_pin_messages",
        )
        out.update({name: rights.get(name, False) for name in names})
    elif status == "creator":
        out["is_anonymous"] = False
    elif status == "kicked":
        out["until_date"] = 0
    return out


FULL_RIGHTS = {
    "can_delete_messages": True,
    "can_restrict_members": True,
    "can_invite_users": True,
    "can_pin_messages": True,
    "can_manage_chat": True,
}


def chat_member_update(
    chat: Json,
    who: Json,
    old: str,
    new: str,
    *,
    by: Json | None = None,
    date: int | None = None,
    invite_link_name: str | None = None,
    rights: Mapping[str, bool] | None = None,
) -> Json:
    out: Json = {
        "chat": chat,
        "from": by or who,
        "date": date if date is not None else int(time.time()),
        "old_chat_member": member(old, who),
        "new_chat_member": member(new, who, **(rights or {})),
    }
    if invite_link_name is not None:
        out["invite_link"] = {
            "invite_link": "https://t.me/+fakeLINK",
            "creator": BOT_USER,
            "creates_join_request": False,
            "is_primary": False,
            "is_revoked": False,
            "name": invite_link_name,
        }
    return out


def join_request(
    chat: Json,
    who: Json,
    *,
    user_chat_id: int | None = None,
    date: int | None = None,
    invite_link_name: str | None = None,
) -> Json:
    """A ``chat_join_request`` (a group with "approve new members"); ``user_chat_id`` is where the bot
    may write to the requester (Telegram does not promise it equals the user's id)."""
    out: Json = {
        "chat": chat,
        "from": who,
        "user_chat_id": user_chat_id if user_chat_id is not None else who["id"],
        "date": date if date is not None else int(time.time()),
    }
    if invite_link_name is not None:
        out["invite_link"] = {
            "invite_link": "https://t.me/+fakeJOIN",
            "creator": BOT_USER,
            "creates_join_request": True,
            "is_primary": False,
            "is_revoked": False,
            "name": invite_link_name,
        }
    return out


# ---------------------------------------------------------------------------------------- server


@dataclass
class FakeBotApi:
    token: str = TOKEN
    can_read_all_group_messages: bool = True
    core_only: bool = False
    calls: list[Call] = field(default_factory=list)
    refused: dict[str, tuple[int, str]] = field(default_factory=dict)  # method → (status, description)
    rate_limits: dict[str, list[int]] = field(default_factory=dict)  # method → retry_after of next 429s
    blocked: set[int] = field(default_factory=set)  # users who never started the bot
    admins: dict[int, list[Json]] = field(default_factory=dict)  # chat → admin ChatMembers (humans)
    bot_members: dict[int, Json] = field(default_factory=dict)  # chat → the bot's ChatMember
    titles: dict[int, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    webhook: Json = field(default_factory=dict)
    port: int = 0

    def __post_init__(self) -> None:
        self._updates: list[Json] = []
        self._next_update = 1
        self._changed = asyncio.Condition()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._sent_ids = itertools.count(5000)

    # ------------------------------------------------------------ control

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def running(self) -> bool:
        return self._runner is not None

    async def start(self) -> None:
        """Listen on 127.0.0.1 (a free port the first time, the same port after a ``stop``)."""
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._dispatch)
        app.router.add_get("/bot{token}/{method}", self._dispatch)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        self._closing = False
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", self.port, reuse_address=True)
        await site.start()
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1]
        self._runner = runner

    async def stop(self) -> None:
        """Go away (connections refused) until ``start`` again; pending updates are kept."""
        self._closing = True
        async with self._changed:
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def push(self, **kinds: Json) -> int:
        """Queue one update (``push(message=...)``); returns its update_id."""
        update_id = self._next_update
        self._next_update += 1
        self.push_raw({"update_id": update_id, **kinds})
        return update_id

    def press(self, who: Json, data: str, bot_message: Json) -> int:
        """Queue a member's press of an inline button with ``data`` under ``bot_message``."""
        query = {"id": f"q{time.monotonic_ns()}", "from": who, "chat_instance": "ci", "message": bot_message}
        return self.push(callback_query={**query, "data": data})

    def push_raw(self, update: Json) -> None:
        """Queue an update exactly as given (a redelivery, a malformed one)."""
        self._updates.append(update)
        if isinstance(update.get("update_id"), int):
            self._next_update = max(self._next_update, update["update_id"] + 1)
        asyncio.get_running_loop().create_task(self._notify())

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def set_admin(self, chat_id: int, who: Json, owner: bool = False) -> None:
        self.admins.setdefault(chat_id, []).append(member("creator" if owner else "administrator", who))

    def set_bot_rights(self, chat_id: int, **rights: bool) -> None:
        """The bot as an administrator with these rights (``FULL_RIGHTS`` for all), or a plain member."""
        self.bot_members[chat_id] = (
            member("administrator", BOT_USER, **rights) if rights else member("member", BOT_USER)
        )

    def rate_limit(self, method: str, retry_after: int, times: int = 1) -> None:
        self.rate_limits.setdefault(method, []).extend([retry_after] * times)

    def of(self, method: str, ok_only: bool = True) -> list[Call]:
        return [c for c in self.calls if c.method == method and (c.status == 200 or not ok_only)]

    def sent(self, chat_id: int | None = None) -> list[str]:
        """Texts the bot sent (successfully), optionally to one chat."""
        return [
            str(c.params.get("text", ""))
            for c in self.of("sendMessage")
            if chat_id is None or c.params.get("chat_id") == chat_id
        ]

    async def wait_for(self, predicate: Callable[[], bool], within_s: float = 10.0) -> None:
        """Until ``predicate()`` holds; a bounded wait (fails the test with the calls seen so far)."""
        deadline = time.monotonic() + within_s
        while not predicate():
            if time.monotonic() > deadline:
                seen = [(c.method, c.status) for c in self.calls[-30:]]
                raise AssertionError(f"condition not met within {within_s}s; last calls: {seen}")
            await asyncio.sleep(0.02)

    async def deliver_webhook(self, update: Json, secret: str | None = None) -> int:
        """POST an update to the registered webhook (as Telegram does); returns the HTTP status."""
        headers = {"Content-Type": "application/json"}
        token = self.webhook.get("secret_token") if secret is None else secret
        if token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = str(token)
        async with (
            ClientSession() as session,
            session.post(str(self.webhook["url"]), data=json.dumps(update), headers=headers) as response,
        ):
            return response.status

    # ------------------------------------------------------------ HTTP

    @staticmethod
    async def _params(request: web.Request) -> Json:
        if request.content_type == "application/json":
            body = await request.json()
            return dict(body) if isinstance(body, dict) else {}
        form = await request.post()
        out: Json = {}
        for key, value in form.items():
            text = value if isinstance(value, str) else ""
            if key in _JSON_PARAMS:
                out[key] = json.loads(text)
            elif key in _INT_PARAMS and text.lstrip("-").isdigit():
                out[key] = int(text)
            else:
                out[key] = text
        return out

    @staticmethod
    def _error(status: int, description: str, **parameters: Any) -> web.Response:
        body: Json = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        return web.json_response(body, status=status)

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        params = await self._params(request)
        call = Call(method, params, time.monotonic())
        self.calls.append(call)
        if request.match_info["token"] != self.token:
            call.status = 401
            return self._error(401, "Unauthorized")
        handler = getattr(self, f"_m_{method}", None)
        if handler is None or (self.core_only and method not in CORE):
            call.status = 404
            return self._error(404, "Not Found")
        if method in self.refused:
            call.status, description = self.refused[method]
            return self._error(call.status, description)
        waits = self.rate_limits.get(method)
        if waits:
            retry_after = waits.pop(0)
            call.status = 429
            return self._error(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
        if method == "sendMessage" and params.get("chat_id", 0) in self.blocked:
            call.status = 403
            return self._error(403, "Forbidden: bot can't initiate conversation with a user")
        result = await handler(params)
        return web.json_response({"ok": True, "result": result})

    async def _file(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        data = self.files.get(path.rsplit("/", 1)[-1].split(".")[0])
        self.calls.append(Call("<download>", {"path": path}, time.monotonic(), 200 if data else 404))
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="image/jpeg")

    # ------------------------------------------------------------ methods

    def _chat(self, chat_id: int) -> Json:
        if chat_id > 0:
            return private(chat_id)
        return group(chat_id, self.titles.get(chat_id, "测试群"))

    def _bot_member(self, chat_id: int) -> Json:
        return self.bot_members.get(chat_id, member("member", BOT_USER))

    async def _m_getMe(self, _: Json) -> Json:
        return {
            **BOT_USER,
            "can_join_groups": True,
            "can_read_all_group_messages": self.can_read_all_group_messages,
            "supports_inline_queries": False,
        }

    async def _m_getUpdates(self, params: Json) -> list[Json]:
        offset = params.get("offset")
        if isinstance(offset, int):
            self._updates = [
                u
                for u in self._updates
                if not (isinstance(u.get("update_id"), int) and u["update_id"] < offset)
            ]
        limit = params.get("limit", 100)
        timeout = float(params.get("timeout", 0) or 0)
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not self._updates and not self._closing and time.monotonic() < deadline:
                try:
                    await asyncio.wait_for(
                        self._changed.wait(), timeout=max(0.0, deadline - time.monotonic())
                    )
                except TimeoutError:
                    break
        return [] if self._closing else list(self._updates[:limit])

    async def _m_sendMessage(self, params: Json) -> Json:
        out: Json = {
            "message_id": next(self._sent_ids),
            "date": int(time.time()),
            "chat": self._chat(int(params["chat_id"])),
            "from": BOT_USER,
            "text": params.get("text", ""),
        }
        if "reply_markup" in params:
            out["reply_markup"] = params["reply_markup"]
        if "entities" in params:
            out["entities"] = params["entities"]
        return out

    async def _m_editMessageText(self, params: Json) -> Json:
        return {
            "message_id": int(params["message_id"]),
            "date": int(time.time()),
            "chat": self._chat(int(params["chat_id"])),
            "from": BOT_USER,
            "text": params.get("text", ""),
        }

    async def _ok(self, _: Json) -> bool:
        return True

    _m_deleteMessage = _ok
    _m_answerCallbackQuery = _ok
    _m_banChatMember = _ok
    _m_unbanChatMember = _ok
    _m_restrictChatMember = _ok
    _m_pinChatMessage = _ok
    _m_setMyCommands = _ok
    _m_deleteWebhook = _ok
    _m_approveChatJoinRequest = _ok
    _m_declineChatJoinRequest = _ok
    _m_revokeChatInviteLink = _ok

    async def _m_setWebhook(self, params: Json) -> bool:
        self.webhook = dict(params)
        return True

    async def _m_getChatAdministrators(self, params: Json) -> list[Json]:
        chat_id = int(params["chat_id"])
        admins = list(self.admins.get(chat_id, []))
        mine = self._bot_member(chat_id)
        if mine["status"] == "administrator":
            admins.append(mine)
        return admins

    async def _m_getChatMember(self, params: Json) -> Json:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        if user_id == BOT_ID:
            return self._bot_member(chat_id)
        for admin in self.admins.get(chat_id, []):
            if admin["user"]["id"] == user_id:
                return admin
        return member("member", user(user_id, "member"))

    async def _m_createChatInviteLink(self, params: Json) -> Json:
        return {
            "invite_link": f"https://t.me/+fake{len(self.calls)}",
            "creator": BOT_USER,
            "creates_join_request": False,
            "is_primary": False,
            "is_revoked": False,
            "name": params.get("name"),
        }

    async def _m_editChatInviteLink(self, params: Json) -> Json:
        return {
            "invite_link": params["invite_link"],
            "creator": BOT_USER,
            "creates_join_request": str(params.get("creates_join_request")).lower() == "true",
            "is_primary": False,
            "is_revoked": False,
        }

    async def _m_getFile(self, params: Json) -> Json:
        file_id = str(params["file_id"])
        data = self.files.get(file_id, b"")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(data),
            "file_path": f"photos/{file_id}.jpg",
        }


def photo_sizes(file_id: str, data: bytes, width: int = 400, height: int = 400) -> list[Json]:
    """A photo as Telegram lists it: a thumbnail, the size with ``data``, and a larger one over 1 MB
    (which the adapter must not download)."""
    return [
        {"file_id": f"{file_id}_s", "file_unique_id": "s", "width": 90, "height": 90, "file_size": 900},
        {"file_id": file_id, "file_unique_id": "m", "width": width, "height": height, "file_size": len(data)},
        {
            "file_id": f"{file_id}_xl",
            "file_unique_id": "x",
            "width": 2560,
            "height": 2560,
            "file_size": 1_500_000,
        },
    ]


def calls_by_method(calls: list[Call]) -> Mapping[str, int]:
    counts: dict[str, int] = {}
    for call in calls:
        counts[call.method] = counts.get(call.method, 0) + 1
    return counts
