"""The callback route (``/wecom/callback``): URL verification, then signed, AES-encrypted XML posts.

The signature is checked and the body decrypted before anything in it is parsed. A good callback is
answered at once (WeCom retries after 5 s) and handled in a background task; a bad signature is 403, a
body that cannot be read is 400, both logged, and nothing here can crash the process.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Literal

import structlog
import xmltodict  # type: ignore[import-untyped]  # wechatpy's own XML parser
from aiohttp import web
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.work.crypto import WeChatCrypto

log = structlog.get_logger(__name__)

Payload = Mapping[str, Any]
OnPayload = Callable[[Payload], Awaitable[None]]


def parse_xml(plain: str) -> Payload:
    """The decrypted callback as a dict. ``Item`` is always a list: xmltodict (as wechatpy's parser)
    turns a single ``<Item>`` into a string, which would iterate as characters."""
    doc = xmltodict.parse(plain, force_list=("Item",))
    body = doc.get("xml") if isinstance(doc, dict) else None
    if not isinstance(body, dict):
        raise ValueError("callback XML has no <xml> root")
    return body


def parse_json(plain: str) -> Payload:
    body = json.loads(plain)
    if not isinstance(body, dict):
        raise ValueError("callback JSON is not an object")
    return body


def items(payload: Payload, field: str) -> list[str]:
    """The ``<Item>`` values under ``field`` (``MemChangeList``), which wechatpy's parsed event drops."""
    holder = payload.get(field)
    if not isinstance(holder, dict):
        return []
    return [str(item) for item in holder.get("Item") or [] if item]


class CallbackRoute:
    def __init__(
        self,
        crypto: WeChatCrypto,
        on_payload: OnPayload,
        name: str = "callback",
        body: Literal["xml", "json"] = "xml",
    ) -> None:
        self.crypto = crypto
        self.body = body
        self.on_payload = on_payload
        self.name = name
        self._tasks: set[asyncio.Task[None]] = set()

    async def verify(self, request: web.Request) -> web.Response:
        """GET: answer the decrypted ``echostr`` exactly (no quotes, no newline)."""
        q = request.query
        try:
            echo = self.crypto.check_signature(
                q.get("msg_signature", ""), q.get("timestamp", ""), q.get("nonce", ""), q.get("echostr", "")
            )
        except InvalidSignatureException:
            log.warning("wecom_callback_rejected", route=self.name, why="bad signature", method="GET")
            return web.Response(status=403, text="bad signature")
        except Exception as exc:  # base64 / AES / corp id errors: nothing to answer
            log.warning("wecom_callback_rejected", route=self.name, why=f"malformed: {exc!r}", method="GET")
            return web.Response(status=400, text="malformed")
        text = echo.decode() if isinstance(echo, bytes) else str(echo)
        return web.Response(text=text, content_type="text/plain")

    async def receive(self, request: web.Request) -> web.Response:
        q = request.query
        body = await request.text()
        try:
            envelope: str | dict[str, str] = body
            if self.body == "json":  # the 智能机器人: {"encrypt": "..."} in, JSON out
                envelope = {"Encrypt": str(json.loads(body)["encrypt"])}
            plain = self.crypto.decrypt_message(
                envelope, q.get("msg_signature", ""), q.get("timestamp", ""), q.get("nonce", "")
            )
            payload = parse_json(plain) if self.body == "json" else parse_xml(plain)
        except InvalidSignatureException:
            log.warning("wecom_callback_rejected", route=self.name, why="bad signature", method="POST")
            return web.Response(status=403, text="bad signature")
        except Exception as exc:
            log.warning("wecom_callback_rejected", route=self.name, why=f"malformed: {exc!r}", method="POST")
            return web.Response(status=400, text="malformed")
        self.spawn(self.on_payload(payload))
        return web.Response(text="")

    def spawn(self, work: Awaitable[None]) -> None:
        async def guarded() -> None:
            try:
                await work
            except Exception:
                log.exception("wecom_callback_failed", route=self.name)

        task = asyncio.get_running_loop().create_task(guarded())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        await asyncio.gather(*self._tasks, return_exceptions=True)
