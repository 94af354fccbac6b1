"""群活码 (join QR codes) kept equal to the rules' ``[wecom.join_ways."<community>"]``.

Each community's ``config_id`` (and the body it was last written with) is stored, so running ``sync``
again updates the existing QR (``update_join_way``) or leaves it alone, and never adds a second one.
WeCom's answer for an app without the customer-contact group rights becomes ``NoRight``: one plain line
for the operator instead of an errcode."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from bot.platforms.wecom.client import WecomApi, WecomError
from bot.platforms.wecom.join_way_rules import JoinWay
from storage.db import Database
from storage.repos import wecom as repo

# api forbidden (the API is not enabled for the app, or the caller's IP is not trusted) / no privilege
# (the groups or their owners are outside the app's visible range) / the 客户联系 right is not granted /
# no right to operate on the app (WeCom's global error codes).
NO_RIGHT = frozenset({48002, 60011, 84061, 301002})
ADD, UPDATE, GET, DELETE = (
    "externalcontact/groupchat/add_join_way",
    "externalcontact/groupchat/update_join_way",
    "externalcontact/groupchat/get_join_way",
    "externalcontact/groupchat/del_join_way",
)

Change = Literal["create", "update", "unchanged", "delete", "absent"]


class NoRight(Exception):
    """The corp's app may not manage 群活码: what to grant, in one line."""

    def __init__(self, error: WecomError) -> None:
        super().__init__(
            f"the WeCom app has no right to manage 群活码 (errcode {error.errcode} on {error.method}): "
            "in the admin console give the app 客户联系 → 客户群 API access, "
            "put the groups' owners in its visible range and add this server's IP to its trusted IPs"
        )
        self.errcode = error.errcode


class UnknownJoinWay(Exception):
    """A community name that is neither in the rules nor stored."""


@dataclass(frozen=True, slots=True)
class Outcome:
    name: str
    change: Change
    config_id: str = ""
    chat_id_list: tuple[str, ...] = ()

    def line(self, dry_run: bool) -> str:
        verb = {"create": "would create", "update": "would update", "delete": "would delete"}
        said = verb.get(self.change, self.change) if dry_run else self.change
        where = f" ({', '.join(self.chat_id_list)})" if self.chat_id_list else ""
        return f"{self.name}: {said}{where}" + (f" config_id={self.config_id}" if self.config_id else "")


def fingerprint(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


class JoinWays:
    def __init__(self, api: WecomApi, db: Database) -> None:
        self.api = api
        self.db = db

    def _key(self, name: str) -> str:
        return f"{self.api.key}:join_way:{name}"

    async def stored(self, name: str) -> tuple[str, str] | None:
        """(config_id, fingerprint of the body last written) for a community, if one was created."""
        async with self.db.session() as session:
            raw = await repo.state(session, self._key(name))
        if raw is None:
            return None
        value = json.loads(raw)
        return str(value["config_id"]), str(value["fingerprint"])

    async def _store(self, name: str, config_id: str, body: Mapping[str, Any]) -> None:
        value = json.dumps({"config_id": config_id, "fingerprint": fingerprint(body)})
        async with self.db.session() as session:
            await repo.set_state(session, self._key(name), value)
            await session.commit()

    async def _post(self, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        try:
            result: dict[str, Any] = await self.api.call(path, lambda c: c.post(path, data=dict(body)))
        except WecomError as exc:
            if exc.errcode in NO_RIGHT:
                raise NoRight(exc) from exc
            raise
        return result

    async def sync_one(self, name: str, way: JoinWay, dry_run: bool = False) -> Outcome:
        body = way.body()
        chats = tuple(way.chat_id_list)
        stored = await self.stored(name)
        if stored is not None and stored[1] == fingerprint(body):
            return Outcome(name, "unchanged", stored[0], chats)
        change: Change = "create" if stored is None else "update"
        if dry_run:
            return Outcome(name, change, stored[0] if stored else "", chats)
        if stored is None:
            config_id = str((await self._post(ADD, body))["config_id"])
        else:
            config_id = stored[0]
            await self._post(UPDATE, {"config_id": config_id, **body})
        await self._store(name, config_id, body)
        return Outcome(name, change, config_id, chats)

    async def sync(self, ways: Mapping[str, JoinWay], dry_run: bool = False) -> list[Outcome]:
        return [await self.sync_one(name, way, dry_run) for name, way in ways.items()]

    async def qr_code(self, name: str) -> tuple[str, str]:
        """(config_id, the QR image URL WeCom serves for it)."""
        stored = await self.stored(name)
        if stored is None:
            raise UnknownJoinWay(f"no 群活码 created for {name!r} yet (run `qunbot wecom join-way sync`)")
        result = await self._post(GET, {"config_id": stored[0]})
        return stored[0], str(result["join_way"]["qr_code"])

    async def delete(self, name: str, dry_run: bool = False) -> Outcome:
        stored = await self.stored(name)
        if stored is None:
            return Outcome(name, "absent")
        if not dry_run:
            await self._post(DELETE, {"config_id": stored[0]})
            async with self.db.session() as session:
                await repo.drop_state(session, self._key(name))
                await session.commit()
        return Outcome(name, "delete", stored[0])
