"""The strike path every feature uses (ads, flood, nickname, reports, ``/warn``): count the strike once,
decide the ladder step, and return the notice, the sanction and the decision rows.

Kept apart from the ``Moderation`` feature so any feature can strike without depending on feature order,
and so one place guarantees the rules: admins are never punished automatically, a source is counted once,
notices are ``purpose="moderation"`` (observe-only groups see a report instead), every step is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal

from handlers.common import texts
from handlers.contract.actions import Action, Ban, Mute, Record, Remove, Send
from handlers.contract.events import Chat, User
from handlers.contract.texts import render
from handlers.feature import Context
from rules.dates import format_deadline, format_local
from rules.strikes import decide, format_duration

SanctionKind = Literal["remove", "ban", "mute"]


@dataclass(frozen=True, slots=True)
class Offence:
    """One violation to count. ``reason`` is public (the group's language); ``detail`` names what fired and
    may quote the member's text, so it is shown only where the group's ``quote_content`` allows."""

    user: User
    category: str
    reason: str
    source: str  # the event that caused it: a source is counted once (redeliveries, two instances)
    detail: str = ""
    actor: User | None = None  # the admin who issued it; None = the bot decided
    at_once: bool | None = None  # None: the group's ``remove_at_once`` categories decide
    at_once_action: Literal["remove", "ban"] | None = None  # None: the group's ``at_once_action``
    extra: dict[str, object] = field(default_factory=dict)  # more decision detail for the log


def category_label(category: str, language: str) -> str:
    labels = texts.CATEGORY.get(category)
    if labels is None:
        return category
    return labels.get(language) or labels["zh"]


def public_reason(ctx: Context, offence: Offence) -> str:
    if ctx.config.moderation.quote_content and offence.detail:
        return render(texts.QUOTED, ctx.config.language, reason=offence.reason, detail=offence.detail)
    return offence.reason


def local_time(ctx: Context, when: datetime) -> str:
    """A moment as members read it, in the group's time zone (``12月5日 20:00``)."""
    return format_local(when, ctx.config.tz, ctx.config.language)


def deadline_text(ctx: Context, when: datetime) -> str:
    """A deadline as members read it (``12月5日 20:00 前`` / ``by Dec 5, 20:00``): the one format."""
    return format_deadline(when, ctx.config.tz, ctx.config.language)


async def add_strike(ctx: Context, chat: Chat, offence: Offence) -> list[Action]:
    """Count ``offence`` and return what follows from the group's ladder (nothing twice for one source)."""
    mod = ctx.config.moderation
    user = offence.user
    log = {"category": offence.category, "source": offence.source, **offence.extra}
    if offence.actor is not None:
        log["actor"] = offence.actor.id
    if user.is_admin:
        return [Record(chat, "strike_skipped", "admins are never punished automatically", user.id, log)]
    if _is_this_bot(ctx, user):  # /spam or reports on the bot's own message
        return [Record(chat, "strike_skipped", "the bot does not punish itself", user.id, log)]
    if not mod.enabled:
        return [Record(chat, "strike_skipped", "moderation is off in this group", user.id, log)]
    observed = ctx.config.mode == "observe"
    if not observed and await _being_removed(ctx, chat, user):
        # The rest of a burst sent before the removal landed: deleted by the caller, nothing more (one
        # removal notice, one ban + unban).
        return [Record(chat, "strike_skipped", "already being removed", user.id, log)]
    repo = ctx.repos.strikes
    weight = mod.weight(offence.category)
    counted = await repo.add(
        chat.key,
        user.id,
        offence.category,
        offence.reason,  # the public reason: /strikes lists it, so never the matched text
        offence.source,
        ctx.now,
        weight=weight,
        actor=offence.actor.id if offence.actor else None,
        observed=observed,
    )
    if not counted:
        return [Record(chat, "strike_duplicate", f"already counted: {offence.source}", user.id, log)]
    count = await repo.count_within(chat.key, user.id, ctx.now - mod.window, observed=observed)
    at_once = offence.at_once if offence.at_once is not None else offence.category in mod.remove_at_once
    decision = decide(
        count, mod.steps, at_once=at_once, at_once_action=offence.at_once_action or mod.at_once_action
    )
    reason = public_reason(ctx, offence)
    lang = ctx.config.language
    log.update(
        weight=weight,
        count=decision.count,
        limit=decision.limit,
        step=decision.action,
        at_once=decision.at_once,
        observed=observed,
    )
    actions: list[Action] = [Record(chat, "strike", f"{offence.reason} — {decision.reason}", user.id, log)]
    if ctx.config.nickname.source == "registered":  # the notice calls the member by their group name
        member = await ctx.repos.members.get(chat.key, user.id)
        if member is not None and member.registered_name:
            user = replace(user, name=member.registered_name)
    values = {
        "mention": user.mention,
        "name": user.name,
        "reason": reason,
        "count": decision.count,
        "limit": decision.limit,
        "days": mod.window_days,
    }
    notice = ""
    if decision.action == "warn":
        notice = render(texts.WARN if decision.limit else texts.WARN_NO_LIMIT, lang, **values)
    elif decision.action == "mute" and decision.mute_for is not None:
        values["duration"] = format_duration(decision.mute_for, lang)
        notice = render(texts.MUTE, lang, **values)
        actions += await sanction(
            ctx, chat, user, "mute", f"{reason} (strike {count})", until=ctx.now + decision.mute_for
        )
    elif decision.removes:
        kind: SanctionKind = "ban" if decision.action == "ban" else "remove"
        if not can_sanction(ctx, kind):
            template = texts.AT_ONCE_ASKED if decision.at_once else texts.REMOVE_ASKED
        elif decision.at_once:
            template = texts.AT_ONCE
        else:
            template = texts.REMOVE if kind == "remove" else texts.BAN
        notice = render(template, lang, **values)
        why = reason if decision.at_once else render(texts.REMOVE_REASON, lang, **values)
        actions_after = await sanction(ctx, chat, user, kind, why)
        if mod.public_notice:
            actions.append(_notice(ctx, chat, notice, offence.category, user))
        return actions + actions_after
    if mod.public_notice and notice:
        actions.insert(1, _notice(ctx, chat, notice, offence.category, user))
    return actions


def can_sanction(ctx: Context, kind: SanctionKind) -> bool:
    """Whether the bot itself can carry out ``kind`` here. Where it cannot, the executor asks the owner /
    admins instead (outcome ``escalated``), so a public notice must say that, never "removed"."""
    return ctx.caps.can_ban if kind == "ban" else ctx.caps.can_mute if kind == "mute" else ctx.caps.can_remove


def _notice(ctx: Context, chat: Chat, text: str, category: str, user: User) -> Send:
    return Send(
        chat,
        text,
        reason=f"moderation notice: {category}",
        purpose="moderation",
        delete_after_s=ctx.config.moderation.notice_delete_after_s,
        mentions=(user,),  # a warned member without a username is notified all the same
    )


async def sanction(
    ctx: Context,
    chat: Chat,
    user: User,
    kind: SanctionKind,
    reason: str,
    actor: User | None = None,
    until: datetime | None = None,
) -> list[Action]:
    """Remove, ban or mute: the platform action plus the row ``/pardon`` lifts (never an admin)."""
    if user.is_admin:
        return [Record(chat, "sanction_skipped", "admins are never punished", user.id, {"kind": kind})]
    if _is_this_bot(ctx, user):
        return [Record(chat, "sanction_skipped", "the bot does not punish itself", user.id, {"kind": kind})]
    ctx.repos.sanctions.add(
        chat.key, user.id, kind, reason, ctx.now, actor=actor.id if actor else None, until=until
    )
    if kind == "mute":
        assert until is not None
        return [Mute(chat, user, until, reason)]
    await ctx.repos.nicknames.close(chat.key, user.id)  # no reminders for someone who is gone
    return [Ban(chat, user, reason) if kind == "ban" else Remove(chat, user, reason)]


# A removal this recent means the member's later messages are the tail of the same burst.
BURST_AFTER_REMOVAL = timedelta(minutes=10)


async def _being_removed(ctx: Context, chat: Chat, user: User) -> bool:
    """Whether the bot removed or banned this member moments ago (a sanction still open)."""
    since = ctx.now - BURST_AFTER_REMOVAL
    return any(
        s.kind in ("remove", "ban") and s.created_at >= since
        for s in await ctx.repos.sanctions.open(chat.key, user.id, ctx.now)
    )


def _is_this_bot(ctx: Context, user: User) -> bool:
    return bool(ctx.bot_user_id) and user.id == ctx.bot_user_id
