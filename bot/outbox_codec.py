"""Actions as JSON and back, for the outbox: a reply decided and committed but not yet carried out is kept
in the database, so a stop (or a crash) between the decision and the platform call does not lose it.

Generic over the action dataclasses (their field types say how to rebuild each value), so a new action
or field needs no change here; only actions with a platform effect are kept.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from handlers.contract import actions as contract
from handlers.contract.events import Chat, User

KEPT: tuple[type, ...] = (
    contract.Send,
    contract.SendPrivate,
    contract.NotifyAdmins,
    contract.Delete,
    contract.Remove,
    contract.Ban,
    contract.Unban,
    contract.Mute,
    contract.Unmute,
    contract.ApproveJoin,
    contract.DeclineJoin,
    contract.Edit,
    contract.LockJoins,
)
_BY_NAME = {cls.__name__: cls for cls in KEPT}


def kept(action: object) -> bool:
    """Whether the outbox keeps ``action`` (a platform effect a member or admin would miss)."""
    return isinstance(action, KEPT)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def dumps(action: object) -> str:
    if not kept(action):
        raise TypeError(f"the outbox does not keep {type(action).__name__}")
    return json.dumps({"type": type(action).__name__, "fields": _plain(action)}, ensure_ascii=False)


@cache
def _hints(cls: type) -> dict[str, Any]:
    namespace = {**vars(contract), "Chat": Chat, "User": User, "datetime": datetime, "timedelta": timedelta}
    return typing.get_type_hints(cls, localns=namespace)


def _build(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _build(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        args = typing.get_args(hint)
        inner = args[0] if args else Any
        return tuple(_build(inner, v) for v in value)
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is timedelta:
        return timedelta(seconds=value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        fields = _hints(hint)
        wanted = {f.name for f in dataclasses.fields(hint) if f.init}
        return hint(**{name: _build(fields[name], v) for name, v in value.items() if name in wanted})
    return value


def loads(text: str) -> Any:
    """The action ``dumps`` wrote; ``ValueError`` for a row that is not one (never guessed)."""
    data = json.loads(text)
    cls = _BY_NAME.get(data.get("type", "")) if isinstance(data, dict) else None
    if cls is None:
        raise ValueError(f"not an outbox action: {text[:80]!r}")
    return _build(cls, data["fields"])
