"""Silent members: a monthly list to the admins (new / active / silent, from the members' join and last-word
dates), and, where the group turns it on, a cleanup that warns first ("7 天内说句话就保留") and removes only
members still silent after the grace period. Admins, VIPs and the ``exempt`` list are never warned or
removed; an admin is anyone the platform reported as one on an event in this group.
"""

from __future__ import annotations

from datetime import timedelta

from handlers.config import GroupConfig
from handlers.contract.actions import Action, NotifyAdmins, Record, Remove, Send
from handlers.contract.events import Event, EventKind, User
from handlers.contract.texts import render
from handlers.feature import Context, Feature, JobSpec, Phase
from handlers.silence import texts
from rules.silence import Activity, ActivityRules, activity, cleanup_candidate, spoke_since
from storage.models.core import Member

REPORT_JOB = "silence.report"
CLEANUP_JOB = "silence.cleanup"


class Silence(Feature):
    name = "silence"
    phase = Phase.FEATURES

    def __init__(self) -> None:
        self._admins: dict[str, set[str]] = {}  # group → members the platform showed as admins

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        cfg = config.silence
        if not cfg.enabled:
            return []
        jobs = [JobSpec(REPORT_JOB, cfg.report_at)] if cfg.report_at else []
        return jobs + ([JobSpec(CLEANUP_JOB, cfg.cleanup_check)] if cfg.cleanup else [])

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.user is not None and event.user.is_admin:
            self._admins.setdefault(event.chat.key, set()).add(event.user.id)
        cfg = ctx.config.silence
        if not cfg.enabled or event.kind != EventKind.TICK:
            return []
        if event.data == REPORT_JOB:
            return await self._report(event, ctx)
        if event.data == CLEANUP_JOB and cfg.cleanup:
            return await self._cleanup(event, ctx)
        return []

    def _protected(self, group: str, member: Member, exempt: list[str]) -> bool:
        return member.user_id in exempt or member.user_id in self._admins.get(group, set())

    async def _report(self, event: Event, ctx: Context) -> list[Action]:
        cfg, lang, defs = ctx.config.silence, ctx.config.language, ctx.config.stats
        rules = ActivityRules(defs.new_days, defs.active_days, defs.silent_days)
        members = [m for m in await ctx.repos.members.present(event.chat.key) if not m.is_bot]
        kinds = {m.user_id: activity(m.joined_at, m.last_message_at, ctx.now, rules) for m in members}
        silent = [m for m in members if kinds[m.user_id] is Activity.SILENT]
        count = {kind: sum(1 for k in kinds.values() if k is kind) for kind in Activity}
        text = render(
            texts.REPORT,
            lang,
            members=len(members),
            new=count[Activity.NEW],
            active=count[Activity.ACTIVE],
            silent=count[Activity.SILENT],
            silent_days=defs.silent_days,
            names=_names(silent, cfg.max_listed, lang),
        )
        if not ctx.caps.can_list_members:
            text += render(texts.UNLISTED, lang)
        detail = {kind.value: count[kind] for kind in Activity}
        actions: list[Action] = [
            NotifyAdmins(event.chat, text, "member activity report"),
            Record(event.chat, "silence.report", f"{len(silent)} silent of {len(members)}", None, detail),
        ]
        if cfg.cleanup:
            actions += await self._warn(event, ctx, silent)
        return actions

    async def _warn(self, event: Event, ctx: Context, silent: list[Member]) -> list[Action]:
        cfg, repo = ctx.config.silence, ctx.repos.silence
        already = await repo.warned(event.chat.key)
        warned = [
            m
            for m in silent
            if m.user_id not in already
            and cleanup_candidate(Activity.SILENT, self._protected(event.chat.key, m, cfg.exempt), m.tier)
            and await repo.warn(event.chat.key, m.user_id, ctx.now)
        ]
        if not warned:
            return []
        listed = [_user(m) for m in warned[: cfg.max_listed]]
        text = render(
            texts.WARNING,
            ctx.config.language,
            names=" ".join(u.mention for u in listed),
            silent_days=ctx.config.stats.silent_days,
            grace_days=cfg.grace_days,
        )
        return [
            Send(event.chat, text, f"{len(warned)} silent members warned", mentions=tuple(listed)),
            *(Record(event.chat, "silence.warned", "silent member warned", m.user_id) for m in warned),
        ]

    async def _cleanup(self, event: Event, ctx: Context) -> list[Action]:
        cfg, lang = ctx.config.silence, ctx.config.language
        repo, members = ctx.repos.silence, ctx.repos.members
        removed: list[Member] = []
        actions: list[Action] = []
        for warning in await repo.due(event.chat.key, ctx.now - timedelta(days=cfg.grace_days)):
            if not await repo.settle(warning, ctx.now):
                continue
            member = await members.get(event.chat.key, warning.user_id)
            if member is None or member.left_at is not None:
                continue
            if spoke_since(member.last_message_at, warning.warned_at) or not cleanup_candidate(
                Activity.SILENT, self._protected(event.chat.key, member, cfg.exempt), member.tier
            ):
                actions.append(Record(event.chat, "silence.kept", "spoke after the warning", member.user_id))
                continue
            removed.append(member)
            reason = f"silent {ctx.config.stats.silent_days}+ days, {cfg.grace_days} days after the warning"
            actions += [
                Remove(event.chat, _user(member), reason),
                Record(event.chat, "silence.removed", reason, member.user_id),
            ]
        if removed:
            names = _names(removed, cfg.max_listed, lang)
            text = render(texts.REMOVED, lang, count=len(removed), grace_days=cfg.grace_days, names=names)
            actions.insert(0, Send(event.chat, text, f"{len(removed)} silent members removed"))
        return actions


def _user(member: Member) -> User:
    return User(member.user_id, member.display_name or member.user_id, member.username)


def _names(members: list[Member], limit: int, language: str) -> str:
    if not members:
        return render(texts.NOBODY, language)
    shown = "、".join(m.display_name or m.user_id for m in members[:limit])
    more = len(members) - limit
    return shown + (render(texts.MORE, language, more=more) if more > 0 else "")
