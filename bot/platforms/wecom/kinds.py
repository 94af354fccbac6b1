"""The kinds of WeCom group and what the bot can do in each: declared once, used by the executor and
rendered into the README's matrix (``matrix_markdown``; a test keeps README and code in step)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

from handlers.contract.capabilities import Capabilities

Kind = Literal["customer", "appchat", "robot", "private"]


@dataclass(frozen=True, slots=True)
class GroupKind:
    kind: Kind
    title: str
    caps: Capabilities
    how: str  # how messages go out and what happens instead of what it cannot do


KINDS: dict[Kind, GroupKind] = {
    "customer": GroupKind(
        "customer",
        "Customer group (客户群)",
        Capabilities(
            can_send=True,
            private_chat=False,
            sees_all_messages=False,
            hears_members=False,
            can_list_members=True,
            name_source="group_nickname",
            platform_welcome=True,
        ),
        "joins/leaves/nicknames from callbacks + groupchat/get; welcome = group_welcome_template; "
        "posts = owner-confirmed add_msg_template; removal escalated to the owner",
    ),
    "appchat": GroupKind(
        "appchat",
        "App-created group (appchat)",
        Capabilities(
            can_send=True,
            can_remove=True,
            private_chat=True,
            sees_all_messages=False,
            hears_members=False,
            can_list_members=True,
        ),
        "appchat/send; removal with appchat/update del_user_list",
    ),
    "robot": GroupKind(
        "robot",
        "Internal group with a group robot",
        Capabilities(can_send=True, private_chat=True, sees_all_messages=False, hears_members=False),
        "send-only webhook, 20 messages a minute; commands heard where the 智能机器人 is a member "
        "(QUNBOT_WECOM__AIBOT_CHATS)",
    ),
    "private": GroupKind(
        "private",
        "Private (app message)",
        Capabilities(can_send=True, private_chat=True),
        "message/send to the member",
    ),
}

MATRIX_ROWS = (
    ("can_send", "Post messages"),
    ("platform_welcome", "Welcome by WeCom's template"),
    ("can_remove", "Remove a member"),
    ("can_delete", "Delete a message"),
    ("can_mute", "Mute"),
    ("private_chat", "Private messages (app)"),
    ("sees_all_messages", "Sees every message (ads, flood)"),
    ("hears_members", "Hears members' commands (/答, 打卡)"),
    ("can_list_members", "Member list (missed joins found)"),
    ("can_approve_joins", "Approve join requests (else the owner is asked)"),
    ("can_lock_joins", "Lock joins in raid mode"),
    ("buttons", "Buttons"),
)


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def matrix_markdown() -> str:
    """The README table: one row per capability, one column per group kind."""
    kinds = [KINDS["customer"], KINDS["appchat"], KINDS["robot"]]
    known = {f.name for f in fields(Capabilities)}
    rows = [*MATRIX_ROWS, ("name_source", "Name the nickname rule checks")]
    lines = [
        "| | " + " | ".join(k.title for k in kinds) + " |",
        "|---|" + "---|" * len(kinds),
    ]
    for name, label in rows:
        assert name in known, name
        lines.append(f"| {label} | " + " | ".join(_cell(getattr(k.caps, name)) for k in kinds) + " |")
    lines.append("| How | " + " | ".join(k.how for k in kinds) + " |")
    return "\n".join(lines)
