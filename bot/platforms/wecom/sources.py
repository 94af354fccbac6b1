"""Message sources: where the text of customer-group messages comes from.

A WeCom app never receives group messages; only 会话内容存档 (the paid chat archive) has them, and its SDK
is a native C library a company runs itself. qunbot defines the seam and two ways to feed it:

- ``SpoolSource``: a JSON-lines file the company's archive puller appends to (one decrypted archive record
  a line). Read from a stored offset, so a restart neither replays nor skips; a half-written last line waits
  for its newline; a file that shrank (rotated) is read from the start; a bad line is logged and skipped.
- ``HttpPushSource``: ``POST /wecom/archive`` with ``Authorization: Bearer <secret>`` (compared in constant
  time) and JSON lines or a JSON array as the body. 401 on a wrong secret, 400 (with the line) on a bad
  body, and then nothing of the batch is taken, so the sender can fix it and send it again.
- Anything else: ``QUNBOT_WECOM__ARCHIVE_SOURCE="package.module:factory"``, a callable taking the
  ``WecomSettings`` and returning a ``MessageSource`` (e.g. a wrapper around the native SDK).

A record is the archive's decrypted JSON (``msgid``, ``action``, ``from``, ``roomid``, ``msgtime`` in ms,
``msgtype``, ``text.content`` / ``link``); ``archive_event`` turns a group's text or link into an Event.
Deliveries are deduplicated by the pipeline (``wecom:archive:<msgid>``)."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import importlib
import json
from collections.abc import Awaitable, Callable, Collection, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import structlog
from aiohttp import web

from bot.platforms.wecom.convert import PLATFORM, text_event
from handlers.contract.events import Chat, Event, User

log = structlog.get_logger(__name__)

Record = Mapping[str, Any]
Deliver = Callable[[Record], Awaitable[None]]
ARCHIVE_PATH = "/wecom/archive"


class MessageSource(Protocol):
    """Feeds archive records to ``deliver`` from ``start`` until ``stop``."""

    name: str

    async def start(self, deliver: Deliver) -> None: ...

    async def stop(self) -> None: ...


class BadRecord(ValueError):
    """A record that is not an archive message (the reason is in the text)."""


def record_text(record: Record) -> str | None:
    """The words a record carries: a text's content, a link's title, description and URL; None for kinds
    with no words (images, voice …)."""
    kind = record.get("msgtype")
    if kind == "text":
        return str((record.get("text") or {}).get("content", ""))
    if kind == "link":
        link = record.get("link") or {}
        parts = (link.get("title"), link.get("description"), link.get("link_url"))
        return " ".join(str(p) for p in parts if p)
    return None


def archive_event(
    record: Record, admins: Collection[str], names: Mapping[str, str] | None = None
) -> Event | None:
    """A group message from the archive as an Event (None: not a sent group message with words). The
    record names its sender by user id only: ``names`` (the group's roster) gives the group nickname the
    bot's texts and the nickname rule use."""
    if not isinstance(record, Mapping):
        raise BadRecord("expected a JSON object")
    msg_id, sender, room = record.get("msgid"), record.get("from"), record.get("roomid")
    if not msg_id or not sender:
        raise BadRecord("missing msgid or from")
    if record.get("action", "send") != "send" or not room:
        return None  # recalls, switch notices and one-to-one chats are not group messages
    text = record_text(record)
    if text is None:
        return None
    try:
        at = datetime.fromtimestamp(int(record.get("msgtime") or 0) / 1000, UTC)
    except (TypeError, ValueError, OverflowError) as exc:
        raise BadRecord(f"bad msgtime {record.get('msgtime')!r}") from exc
    chat = Chat(PLATFORM, str(room), "group")
    name = (names or {}).get(str(sender)) or str(sender)
    user = User(str(sender), name, is_admin=str(sender) in admins)
    return text_event(chat, user, text, str(msg_id), at, f"wecom:archive:{msg_id}")


def parse_lines(body: str) -> list[Record]:
    """JSON lines or one JSON array; raises ``BadRecord`` naming the line."""
    stripped = body.strip()
    if stripped.startswith("["):
        try:
            records = json.loads(stripped)
        except ValueError as exc:
            raise BadRecord(f"not JSON: {exc}") from exc
        if not all(isinstance(r, dict) for r in records):
            raise BadRecord("expected an array of objects")
        return list(records)
    out: list[Record] = []
    for number, line in enumerate(body.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise BadRecord(f"line {number}: not JSON ({exc})") from exc
        if not isinstance(record, dict):
            raise BadRecord(f"line {number}: expected a JSON object")
        out.append(record)
    return out


class SpoolSource:
    """Tails a JSON-lines spool file; the offset read so far is kept through ``load`` / ``save``."""

    name = "spool"

    def __init__(
        self,
        path: Path,
        load: Callable[[], Awaitable[int]],
        save: Callable[[int], Awaitable[None]],
        poll_s: float = 2.0,
    ) -> None:
        self.path = path
        self.load = load
        self.save = save
        self.poll_s = poll_s
        self._task: asyncio.Task[None] | None = None

    async def start(self, deliver: Deliver) -> None:
        offset = await self.load()
        self._task = asyncio.get_running_loop().create_task(self._tail(deliver, offset))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _tail(self, deliver: Deliver, offset: int) -> None:
        while True:
            try:
                offset = await self.read_from(deliver, offset)
            except OSError as exc:  # not there yet, or unreadable: said, then tried again
                log.warning("wecom_archive_spool_unreadable", path=str(self.path), error=str(exc))
            await asyncio.sleep(self.poll_s)

    async def read_from(self, deliver: Deliver, offset: int) -> int:
        """Deliver every complete line after ``offset``; returns (and stores) the new offset."""
        size = self.path.stat().st_size
        if size < offset:
            log.info("wecom_archive_spool_rotated", path=str(self.path), was=offset, size=size)
            offset = 0
        if size == offset:
            return offset
        with self.path.open("rb") as spool:
            spool.seek(offset)
            chunk = spool.read(size - offset)
        complete = chunk[: chunk.rfind(b"\n") + 1]  # a line still being written waits for its newline
        for number, raw in enumerate(complete.splitlines(), 1):
            if not raw.strip():
                continue
            try:
                await deliver(parse_lines(raw.decode("utf-8"))[0])
            except (BadRecord, UnicodeDecodeError) as exc:
                log.warning(
                    "wecom_archive_bad_line", path=str(self.path), offset=offset, line=number, why=str(exc)
                )
        offset += len(complete)
        if complete:
            await self.save(offset)
        return offset


class HttpPushSource:
    """``POST /wecom/archive`` on the process's HTTP server, guarded by a shared secret."""

    name = "http"

    def __init__(self, secret: str) -> None:
        if len(secret) < 16:
            raise ValueError("QUNBOT_WECOM__ARCHIVE_SECRET: use at least 16 characters")
        self.expected = f"Bearer {secret}".encode()
        self.deliver: Deliver | None = None

    async def start(self, deliver: Deliver) -> None:
        self.deliver = deliver

    async def stop(self) -> None:
        self.deliver = None

    async def receive(self, request: web.Request) -> web.Response:
        given = request.headers.get("Authorization", "").encode()
        if not hmac.compare_digest(given, self.expected):
            log.warning("wecom_archive_rejected", why="bad secret", peer=request.remote)
            return web.json_response({"error": "bad secret"}, status=401)
        if self.deliver is None:
            return web.json_response({"error": "not running"}, status=503)
        try:
            records = parse_lines(await request.text())
        except (BadRecord, UnicodeDecodeError) as exc:
            log.warning("wecom_archive_rejected", why=str(exc))
            return web.json_response({"error": str(exc)}, status=400)
        for record in records:
            try:
                await self.deliver(record)
            except BadRecord as exc:
                log.warning("wecom_archive_bad_record", msgid=record.get("msgid"), why=str(exc))
        return web.json_response({"accepted": len(records)})


def plugged(path: str, settings: object) -> MessageSource:
    """``package.module:factory`` → ``factory(settings)``: a company's own source."""
    module_name, _, attr = path.partition(":")
    if not module_name or not attr:
        raise ValueError(f"QUNBOT_WECOM__ARCHIVE_SOURCE: expected 'package.module:factory', got {path!r}")
    factory = getattr(importlib.import_module(module_name), attr)
    source: MessageSource = factory(settings)
    return source
