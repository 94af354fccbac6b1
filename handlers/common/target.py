"""The member an admin command is about, by one rule for every command (``/pardon @x``, ``/points +5 @x``,
``/vip @x``, ``/notspam @x`` …): a reply to the member's message first; else the first ``@handle``
argument, resolved by ``rules.targets.pick`` (id, then ``@username``, then display name; an ambiguous
name is reported to the admin, never guessed).

Punishing commands (``/warn``, ``/ban``, ``/mute``) take a reply only (``named=False``): the platform
says whether the author of a replied message is an admin, while a stored member's admin status is not
known, and admins are never punished.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.common import texts
from handlers.common.members import label, member_user
from handlers.contract.events import Event, User
from handlers.contract.texts import render
from handlers.feature import Context
from rules.targets import Candidate, Pick, handle_of, pick
from storage.models.core import Member


@dataclass(frozen=True, slots=True)
class Target:
    """Who the command is about: ``user`` to act on (from a reply: as the platform shows them, with
    ``is_admin``), the arguments left once the target is taken out, and the stored row where loaded
    (always for a handle; for a reply only when asked, as it may cost a write)."""

    user: User
    rest: tuple[str, ...]
    member: Member | None = None
    how: str = "reply"  # "reply", or the ``rules.targets`` match: "id", "username", "name"


@dataclass(frozen=True, slots=True)
class NoTarget:
    """Why there is no target: nobody was named (``handle`` None), or ``handle`` named nobody, or several
    members (``candidates``)."""

    handle: str | None = None
    candidates: tuple[Member, ...] = ()
    reason: str = "no target named"


def _candidate(member: Member) -> Candidate:
    return Candidate(
        member.user_id,
        member.username,
        member.display_name,
        member.left_at is None,
        member.last_seen_at,
        member.id,
    )


async def resolve_target(
    event: Event, ctx: Context, *, named: bool = True, stored: bool = False
) -> Target | NoTarget:
    """The member ``event`` (a command) is about. ``named``: an ``@handle`` argument may name them (else
    only a reply does). ``stored``: load (or create) the member row of a replied-to author too."""
    args = event.args
    replied = event.reply_to.user if event.reply_to is not None else None
    if replied is not None:
        # "/points +5 @x" sent as a reply to x: the handle repeats the target and is not an argument.
        same = {replied.id, replied.name, *([replied.username] if replied.username else [])}
        rest = tuple(a for a in args if handle_of(a) not in same)
        member = None
        if stored:
            member = await ctx.repos.members.ensure(
                event.chat.key, replied.id, replied.name, event.at, replied.username, replied.is_bot
            )
        return Target(replied, rest, member)
    if not named:
        return NoTarget()
    index, handle = next(((i, h) for i, a in enumerate(args) if (h := handle_of(a)) is not None), (-1, None))
    if handle is None:
        return NoTarget()
    rows = {m.user_id: m for m in await ctx.repos.members.named(event.chat.key, handle)}
    verdict: Pick = pick(handle, [_candidate(m) for m in rows.values()])
    rest = args[:index] + args[index + 1 :]
    if verdict.chosen is None:
        candidates = tuple(rows[c.user_id] for c in verdict.candidates)
        return NoTarget(args[index], candidates, verdict.reason)
    member = rows[verdict.chosen.user_id]
    return Target(member_user(member), rest, member, verdict.match)


def explain_missing(missing: NoTarget, ctx: Context, command: str, named: bool = True) -> str:
    """The answer to an admin whose command reached nobody, in the group's language."""
    lang = ctx.config.language
    if missing.candidates:
        names = [f"{label(m, m.user_id)} (ID {m.user_id})" for m in missing.candidates]
        return render(
            texts.AMBIGUOUS,
            lang,
            n=len(names),
            handle=missing.handle,
            candidates=texts.join_list(names, lang),
        )
    if missing.handle is not None:
        return render(texts.NOT_FOUND, lang, handle=missing.handle)
    return render(texts.NEED_TARGET if named else texts.NEED_REPLY, lang, command=command)
