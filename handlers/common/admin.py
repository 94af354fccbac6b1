"""Admin commands' shared guard and audit trail: who may run them, and the row each one leaves."""

from __future__ import annotations

from handlers.common import texts
from handlers.contract.actions import Action, Record, Send
from handlers.contract.events import Event, User
from handlers.contract.texts import render
from handlers.feature import Context


def admin_only(event: Event, ctx: Context) -> list[Action] | None:
    """None for an admin; for anyone else a polite refusal and a log row."""
    user = event.user
    if user is not None and user.is_admin:
        return None
    command = event.command or ""
    return [
        Send(
            event.chat,
            render(texts.REFUSED, ctx.config.language, command=command),
            reason=f"/{command} refused: not an admin",
            reply_to=event.message_id,
            delete_after_s=ctx.config.moderation.notice_delete_after_s,
        ),
        Record(
            event.chat,
            "admin_refused",
            f"/{command} by a member who is not an admin",
            user.id if user else None,
            {"command": command},
        ),
    ]


def audit(
    event: Event, kind: str, reason: str, target: User | None, by: User | None = None, **detail: object
) -> Record:
    """The audit row of an admin action: who did what to whom, and why. The admin is the event's sender
    (a command) unless ``by`` says otherwise (an action taken on the platform, reported as an event)."""
    admin = by or event.user
    actor = admin.id if admin else None
    return Record(
        event.chat,
        f"admin.{kind}",
        reason,
        target.id if target else None,
        {"actor": actor, "target": target.id if target else None, "reason": reason, **detail},
    )
