"""Membership anniversaries (1 month, 3 months, 1 year …): one congratulation a day for everyone who
reached a milestone, each milestone once per member (stored), never late by more than ``catch_up_days``.
"""

from __future__ import annotations

from datetime import timedelta

from handlers.common.members import member_user
from handlers.config import GroupConfig
from handlers.contract.actions import Action, Record, Send
from handlers.contract.events import Event, EventKind, User
from handlers.contract.texts import render
from handlers.feature import Context, Feature, JobSpec, Phase
from handlers.milestones import texts
from rules.onboarding import anniversary, due_milestones, parse_milestone
from storage.repos.onboarding import MilestoneRepo
from storage.repos.points import PointsRepo

JOB = "milestones.daily"
MAX_LINES = 50  # one message stays readable; the rest are congratulated the next day


class Milestones(Feature):
    name = "milestones"
    kinds = frozenset({EventKind.TICK})
    phase = Phase.MEMBERSHIP

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        cfg = config.milestones
        return [JobSpec(JOB, cfg.post_at, grace_s=6 * 3600)] if cfg.enabled and cfg.milestones else []

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind != EventKind.TICK or event.data != JOB or event.chat.kind != "group":
            return []
        config, cfg, lang = ctx.config, ctx.config.milestones, ctx.config.language
        if not cfg.enabled:
            return []
        milestones = [parse_milestone(m) for m in cfg.milestones]
        tz = config.tz
        today = ctx.now.astimezone(tz).date()
        longest = max(m.months * 31 + m.days for m in milestones)
        # anyone who can have a milestone in the catch-up window joined within these bounds
        after = ctx.now - timedelta(days=longest + cfg.catch_up_days + 2)
        shortest = min(m.months * 28 + m.days for m in milestones)
        before = ctx.now - timedelta(days=max(shortest - 1, 0))
        repo = MilestoneRepo(ctx.session)
        members = await repo.members_joined_between(event.chat.key, after, before)
        sent = await repo.sent(event.chat.key, [m.user_id for m in members])
        lines: list[str] = []
        named: list[User] = []
        actions: list[Action] = []
        for member in members:
            if member.joined_at is None or len(lines) >= MAX_LINES:
                continue
            joined_day = member.joined_at.astimezone(tz).date()
            due = due_milestones(
                joined_day, today, milestones, sent.get(member.user_id, set()), cfg.catch_up_days
            )
            if not due:
                continue
            for milestone in due:  # all are marked; the longest is the one said
                await repo.mark(event.chat.key, member.user_id, milestone.key, ctx.now)
            top = due[-1]
            user = member_user(member)
            line = render(texts.LINE, lang, mention=user.mention, label=top.label(lang))
            if cfg.points:
                await PointsRepo(ctx.session).change(
                    event.chat.key,
                    member.user_id,
                    cfg.points,
                    f"入群 {top.key} 纪念",
                    "milestone",
                    ctx.now,
                    name=member.display_name,
                )
                line += render(texts.POINTS, lang, points=cfg.points)
            lines.append(line)
            named.append(user)
            actions.append(
                Record(
                    event.chat,
                    "milestone.congratulated",
                    f"{top.key} since joining on {joined_day.isoformat()}",
                    member.user_id,
                    {"milestone": top.key, "anniversary": anniversary(joined_day, top).isoformat()},
                )
            )
        if not lines:
            return []
        header = cfg.template or render(texts.HEADER, lang)
        text = "\n".join([header, *lines, render(texts.FOOTER, lang)])
        reason = f"anniversaries today: {len(lines)} member(s)"
        return [Send(event.chat, text, reason, purpose="info", mentions=tuple(named)), *actions]
