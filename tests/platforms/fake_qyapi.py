"""A fake qyapi.weixin.qq.com on loopback: enough of the WeCom API for the adapter, driven through
wechatpy's own client. Records every call; can fail a method once with a given errcode; rejects an
access_token it did not issue (or one it has since rotated) with 40014, as WeCom does."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Call:
    path: str
    query: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeGroup:
    chat_id: str
    owner: str
    name: str = "群"
    members: dict[str, str] = field(default_factory=dict)  # userid → group nickname
    joined: dict[str, int] = field(default_factory=dict)
    version: int = 1

    def add(self, user_id: str, nickname: str, at: int) -> None:
        self.members[user_id] = nickname
        self.joined[user_id] = at
        self.version += 1

    def as_json(self) -> dict[str, Any]:
        return {
            "chat_id": self.chat_id,
            "name": self.name,
            "owner": self.owner,
            "member_version": f"v{self.version}",
            "admin_list": [],
            "member_list": [
                {
                    "userid": uid,
                    "type": 2,
                    "join_time": self.joined.get(uid, 1_700_000_000),
                    "join_scene": 3,
                    "group_nickname": nick,
                    "name": f"name-{uid}",
                }
                for uid, nick in self.members.items()
            ],
        }


class FakeQyapi:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.groups: dict[str, FakeGroup] = {}
        self.fail_once: dict[str, int] = {}  # path → errcode returned once
        self.refuse: dict[str, int] = {}  # path → errcode returned every time (an app without the right)
        self.join_ways: dict[str, dict[str, Any]] = {}  # config_id → the body last written
        self.tokens_issued = 0
        self.token = ""
        self.port = 0
        self.app = web.Application()
        self.app.router.add_route("*", "/cgi-bin/{path:.*}", self._handle)
        self._runner: web.AppRunner | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/cgi-bin/"

    def calls_to(self, path: str) -> list[Call]:
        return [c for c in self.calls if c.path == path]

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def wait_for(self, check: Callable[[], bool], within_s: float = 15.0) -> None:
        for _ in range(int(within_s * 20)):
            if check():
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"condition not met; calls: {[c.path for c in self.calls]}")

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        raw = await request.read()
        body = json.loads(raw) if raw else {}
        self.calls.append(Call(path, dict(request.query), body))
        if path == "gettoken":
            if request.query.get("corpsecret") != "app-secret":
                return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
            self.tokens_issued += 1
            self.token = f"tok-{self.tokens_issued}"
            return web.json_response({"errcode": 0, "access_token": self.token, "expires_in": 7200})
        if path == "webhook/send":
            return web.json_response({"errcode": 0, "errmsg": "ok"})
        if request.query.get("access_token") != self.token or not self.token:
            return web.json_response({"errcode": 40014, "errmsg": "invalid access_token"})
        if path in self.refuse:
            return web.json_response({"errcode": self.refuse[path], "errmsg": "api forbidden"})
        if path in self.fail_once:
            errcode = self.fail_once.pop(path)
            if errcode in (40014, 42001):
                self.token = "rotated"  # the old token is no longer valid
            return web.json_response({"errcode": errcode, "errmsg": "failed once"})
        return web.json_response({"errcode": 0, "errmsg": "ok", **self._answer(path, body)})

    def _answer(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        if path == "externalcontact/groupchat/list":
            return {"group_chat_list": [{"chat_id": g, "status": 0} for g in self.groups]}
        if path == "externalcontact/groupchat/get":
            group = self.groups.get(str(body.get("chat_id")))
            if group is None:
                return {"errcode": 86003, "errmsg": "group chat not found"}
            return {"group_chat": group.as_json()}
        if path == "externalcontact/add_msg_template":
            return {"msgid": f"msg{len(self.calls)}", "fail_list": []}
        if path == "message/send":
            return {"msgid": f"m{len(self.calls)}", "invaliduser": ""}
        if path == "externalcontact/group_welcome_template/add":
            return {"template_id": f"tpl{len(self.calls)}"}
        if path.startswith("externalcontact/groupchat/") and path.endswith("_join_way"):
            return self._join_way(path.rsplit("/", 1)[1], body)
        return {}

    def _join_way(self, verb: str, body: dict[str, Any]) -> dict[str, Any]:
        if verb == "add_join_way":
            config_id = f"cfg{len(self.calls)}"
            self.join_ways[config_id] = body
            return {"config_id": config_id}
        config_id = str(body.get("config_id"))
        if config_id not in self.join_ways:
            return {"errcode": 41044, "errmsg": "invalid config_id"}
        if verb == "update_join_way":
            self.join_ways[config_id] = {k: v for k, v in body.items() if k != "config_id"}
        elif verb == "del_join_way":
            del self.join_ways[config_id]
        elif verb == "get_join_way":
            way = {**self.join_ways[config_id], "config_id": config_id}
            return {"join_way": {**way, "qr_code": f"https://wework.qpic.cn/wwpic/{config_id}/0"}}
        return {}
