"""The log channel: a group's ``log_chat`` receives one line for every action the bot took there, not only
admin notices: deletions (the reason, never the deleted text), warnings and strikes, removals, bans and
mutes, verifications, join requests, joins and leaves in raid mode. A removal or strike line carries
**撤销** (undo: what ``/pardon`` does) and **确认** (confirm) for the admins of the group the line is about;
the moderation feature answers the press.

Built from what one event produced (the actions with their outcomes, and the decision rows); the executor
sends it, after the actions ran, as one message per event.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot import texts
from handlers.contract.actions import (
    LOG_CONFIRM,
    LOG_UNDO,
    ApproveJoin,
    Ban,
    Button,
    DeclineJoin,
    Delete,
    Mute,
    Record,
    Remove,
    Unban,
    Unmute,
)
from handlers.contract.events import Chat
from handlers.contract.texts import Texts, render

UNDO = LOG_UNDO  # log:undo:<user id>: take back what the bot did to the member (as /pardon)
CONFIRM = LOG_CONFIRM  # log:ok:<user id>: an admin agrees; the buttons go away

# decision rows that make a line (kind → template); other rows stay in the event log only
RECORD_LINES: Mapping[str, Texts] = {
    "strike": texts.LOG_STRIKE,
    "verify.passed": texts.LOG_VERIFY_PASSED,
    "verify.failed": texts.LOG_VERIFY_FAILED,
    "verify.timeout": texts.LOG_VERIFY_TIMEOUT,
    "raid.started": texts.LOG_RAID_STARTED,
    "raid.ended": texts.LOG_RAID_ENDED,
    "raid.join": texts.LOG_RAID_JOIN,
    "raid.leave": texts.LOG_RAID_LEAVE,
    "raid.lock": texts.LOG_RAID_LOCK,
    "raid.unlock": texts.LOG_RAID_UNLOCK,
    "join_request.received": texts.LOG_JOIN_REQUEST,
    "join_request.approved": texts.LOG_JOIN_APPROVED,
    "join_request.declined": texts.LOG_JOIN_DECLINED,
    "join_request.timeout": texts.LOG_JOIN_TIMEOUT,
}
ACTION_LINES: Mapping[type, Texts] = {
    Delete: texts.LOG_DELETE,
    Remove: texts.LOG_REMOVE,
    Ban: texts.LOG_BAN,
    Mute: texts.LOG_MUTE,
    Unban: texts.LOG_UNBAN,
    Unmute: texts.LOG_UNMUTE,
    ApproveJoin: texts.LOG_APPROVE,
    DeclineJoin: texts.LOG_DECLINE,
}
# 撤销 / 确认 go under what /pardon can take back: a strike (and the removal or mute its ladder brought in
# the same event), an admin's /mute, a ban. A verification's mute or removal is not a sanction: no buttons.
SANCTIONING = frozenset({"strike", "admin.mute", "admin.ban"})


MAX_KEPT_CHARS = 200


def _clip(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_KEPT_CHARS else flat[: MAX_KEPT_CHARS - 1] + "…"


@dataclass(frozen=True, slots=True)
class Done:
    """One carried-out action as the log chat reads it: the action and how it went."""

    action: object
    status: str


@dataclass(frozen=True, slots=True)
class LogMessage:
    text: str
    buttons: tuple[Button, ...]


def compose(
    group: Chat,
    title: str,
    done: Sequence[Done],
    records: Sequence[Record],
    names: Mapping[str, str],
    language: str,
    kept_texts: Mapping[str, str] | None = None,
) -> LogMessage | None:
    """The lines one event gives, under the group's name; None when it gave none. ``names`` maps member
    ids to names (from the actions), so strike lines name the member."""
    lines: list[str] = []
    undo_for: str | None = None
    for record in records:
        template = RECORD_LINES.get(record.kind)
        if template is None:
            continue
        who = names.get(record.user_id or "", record.user_id or "")
        lines.append(render(template, language, name=who, reason=record.reason))
        if record.kind in SANCTIONING and record.user_id:
            undo_for = undo_for or record.user_id
    for item in done:
        template = ACTION_LINES.get(type(item.action))
        if template is None or item.status in ("skipped", "dry_run"):
            continue
        user = getattr(item.action, "user", None)
        status = render(texts.LOG_STATUS.get(item.status, texts.LOG_STATUS["failed"]), language)
        line = render(
            template,
            language,
            name=user.name if user else "",
            reason=getattr(item.action, "reason", ""),
            status=status,
        )
        kept = (kept_texts or {}).get(getattr(item.action, "message_id", "") or "")
        if isinstance(item.action, Delete) and kept:  # only where the group stores message text
            line += "\n   " + render(texts.LOG_DELETED_TEXT, language, text=_clip(kept))
        lines.append(line)
        if isinstance(item.action, Ban) and user is not None and item.status != "failed":
            undo_for = undo_for or user.id
    if not lines:
        return None
    header = render(texts.LOG_HEADER, language, group=title or group.key)
    buttons: tuple[Button, ...] = ()
    if undo_for is not None:
        buttons = (
            Button(render(texts.LOG_UNDO, language), f"{UNDO}{undo_for}", admins_of=group.key),
            Button(render(texts.LOG_CONFIRM, language), f"{CONFIRM}{undo_for}", admins_of=group.key),
        )
    return LogMessage("\n".join([header, *lines]), buttons)
