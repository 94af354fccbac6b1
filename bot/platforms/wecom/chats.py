"""Customer groups: callbacks can be lost or come out of order, so every callback about a group (and the
start, and a periodic sweep) re-reads it with ``groupchat/get`` and diffs the member list against what
the bot last saw (kept in storage). Each join / leave / group-nickname change becomes one event, with a
delivery id that a second reconciliation (or a second instance) produces identically."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog

from bot.platforms.base import EventSink
from bot.platforms.wecom.client import BaseUrlClient, WecomApi
from handlers.contract.events import Chat, Event, EventKind, User
from storage.db import Database
from storage.repos import wecom as repo

log = structlog.get_logger(__name__)

PLATFORM = "wecom"


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    name: str  # group nickname, else the member's own name
    join_time: int
    is_admin: bool


@dataclass(frozen=True, slots=True)
class GroupInfo:
    chat_id: str
    name: str
    owner: str
    admins: tuple[str, ...]
    member_version: str
    members: tuple[Member, ...]


def group_info(data: Mapping[str, Any]) -> GroupInfo:
    """``groupchat/get``'s ``group_chat`` (requested with ``need_name``)."""
    owner = str(data.get("owner", ""))
    admins = tuple(str(a.get("userid", "")) for a in data.get("admin_list") or [])
    members = tuple(
        Member(
            id=str(m["userid"]),
            name=str(m.get("group_nickname") or m.get("name") or ""),
            join_time=int(m.get("join_time") or 0),
            is_admin=str(m["userid"]) == owner or str(m["userid"]) in admins,
        )
        for m in data.get("member_list") or []
    )
    return GroupInfo(
        str(data["chat_id"]),
        str(data.get("name", "")),
        owner,
        admins,
        str(data.get("member_version", "")),
        members,
    )


def list_page(cursor: str) -> Callable[[BaseUrlClient], dict[str, Any]]:
    return lambda c: dict(c.external_contact_group_chat.list(status_filter=0, cursor=cursor, limit=1000))


class CustomerGroups:
    def __init__(self, api: WecomApi, db: Database) -> None:
        self.api = api
        self.db = db
        self._locks: dict[str, asyncio.Lock] = {}
        self.owners: dict[str, str] = {}
        self._names: dict[str, dict[str, str]] = {}  # chat id → user id → group nickname

    async def names(self, chat_id: str) -> dict[str, str]:
        """The group's members' names as last reconciled (an archive record carries only the user id)."""
        if chat_id not in self._names:
            async with self.db.session() as session:
                self._names[chat_id] = await repo.roster(session, chat_id)
        return self._names[chat_id]

    async def fetch(self, chat_id: str) -> GroupInfo:
        result = await self.api.call(
            "groupchat/get",
            lambda c: c.post("externalcontact/groupchat/get", data={"chat_id": chat_id, "need_name": 1}),
        )
        return group_info(result["group_chat"])

    async def list_ids(self) -> list[str]:
        """Every customer group of the app's staff (``groupchat/list``, paged by cursor)."""
        ids: list[str] = []
        cursor = ""
        while True:
            page = await self.api.call("groupchat/list", list_page(cursor))
            ids += [str(item["chat_id"]) for item in page.get("group_chat_list") or []]
            cursor = str(page.get("next_cursor") or "")
            if not cursor:
                return ids

    async def owner(self, chat_id: str) -> str:
        if chat_id not in self.owners:
            async with self.db.session() as session:
                known = await repo.group(session, chat_id)
            self.owners[chat_id] = known.owner if known is not None else ""
        return self.owners[chat_id]

    async def reconcile(self, chat_id: str, sink: EventSink, seed: bool = False) -> list[Event]:
        """Diff the group against storage and emit what changed. ``seed``: a group seen for the first
        time is recorded without events (its members did not just join)."""
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        async with lock:
            info = await self.fetch(chat_id)
            async with self.db.session() as session:
                known = await repo.group(session, chat_id)
                before = await repo.roster(session, chat_id)
            self.owners[chat_id] = info.owner
            self._names[chat_id] = {m.id: m.name for m in info.members}
            events: list[Event] = []
            if known is not None or not seed:  # always diffed: a nickname change keeps member_version
                events = diff(info, before, datetime.now(UTC))
            for event in events:
                await sink(event)
            async with self.db.session() as session:
                await repo.save_group(
                    session,
                    chat_id,
                    info.member_version,
                    info.owner,
                    info.name,
                    {m.id: m.name for m in info.members},
                )
                await session.commit()
            if events:
                log.info(
                    "wecom_reconciled", chat=chat_id, events=len(events), member_version=info.member_version
                )
            return events

    async def dismissed(self, chat_id: str, at: datetime, sink: EventSink) -> None:
        self._names.pop(chat_id, None)
        async with self.db.session() as session:
            await repo.save_group(session, chat_id, "", "", "", {})
            await session.commit()
        chat = Chat(PLATFORM, chat_id)
        await sink(Event(EventKind.BOT_REMOVED, chat, at, f"wecom:{chat_id}:dismiss"))


def diff(info: GroupInfo, before: Mapping[str, str], at: datetime) -> list[Event]:
    """Joins, group-nickname changes and leaves between the stored roster and ``info``."""
    chat = Chat(PLATFORM, info.chat_id, title=info.name)
    events: list[Event] = []
    now_ids = {m.id for m in info.members}
    for m in info.members:
        user = User(m.id, m.name, is_admin=m.is_admin)
        if m.id not in before:
            joined = datetime.fromtimestamp(m.join_time, UTC) if m.join_time else at
            events.append(
                Event(
                    EventKind.MEMBER_JOINED,
                    chat,
                    joined,
                    f"wecom:{info.chat_id}:join:{m.id}:{m.join_time}",
                    user,
                )
            )
        elif before[m.id] != m.name:
            events.append(
                Event(
                    EventKind.NICKNAME_CHANGED,
                    chat,
                    at,
                    f"wecom:{info.chat_id}:name:{m.id}:{info.member_version}:{m.name}",
                    user,
                    old_name=before[m.id],
                )
            )
    for uid, name in before.items():
        if uid not in now_ids:
            events.append(
                Event(
                    EventKind.MEMBER_LEFT,
                    chat,
                    at,
                    f"wecom:{info.chat_id}:leave:{uid}:{info.member_version}",
                    User(uid, name),
                )
            )
    return events
