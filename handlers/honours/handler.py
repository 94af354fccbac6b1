"""Honours: ``/rank`` boards, the weekly 活跃之星, monthly honours, tiers 普通/核心/VIP and lucky draws.

Interactions (messages and commands of members, never bots) are counted per local day in memory on the
hot path and written with the batched writes (``flush``); the jobs and ``/lottery`` write what is still
buffered into their own transaction first, so they always see every interaction so far. Points and
badges go through the ledger and the badge table; each period's honours run once (claimed by period).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.common.members import label, member_user
from handlers.common.target import NoTarget, Target, explain_missing, resolve_target
from handlers.common.texts import join_list
from handlers.contract.actions import Action, NotifyAdmins, Record, Send, SendPrivate
from handlers.contract.events import Event, EventKind
from handlers.contract.texts import Texts, render
from handlers.feature import CommandSpec, Context, Feature, JobSpec
from handlers.honours import texts
from rules.dates import format_month, format_range
from rules.leaderboard import Place, top
from rules.lottery import draw_tickets, seed_for, ticket
from rules.schedule import day_start, local_day, month_start, previous_month
from rules.streaks import Streak, current_on
from rules.tiers import weekly
from storage.models.core import Member
from storage.repos.activity import ActivityRepo

if TYPE_CHECKING:
    from handlers.config import GroupConfig

STAR_JOB = "honours.weekly_star"
MONTHLY_JOB = "honours.monthly"
TIERS_JOB = "honours.tiers"
_MEDALS = ("🥇", "🥈", "🥉")
_BOARDS = {
    "streak": "streak",
    "打卡": "streak",
    "连续": "streak",
    "points": "points",
    "积分": "points",
    "month": "month",
    "本月": "month",
    "月": "month",
}


def _medal(rank: int) -> str:
    return _MEDALS[rank - 1] if rank <= len(_MEDALS) else f"{rank}."


class Honours(Feature):
    name = "honours"
    commands = (
        CommandSpec("rank", "排行榜：连续打卡、积分、本月积分", "Leaderboards: streaks, points, this month"),
        CommandSpec("vip", "设为 VIP：/vip @成员 [off]", "Make VIP: /vip @member [off]", admin=True),
        CommandSpec(
            "lottery", "抽奖：/lottery N [奖品]（近一周活跃成员）", "Draw N winners: /lottery N", admin=True
        ),
    )

    def __init__(self) -> None:
        self._pending: dict[tuple[str, str, date], int] = defaultdict(int)
        self._in_flight: dict[tuple[str, str, date], int] = defaultdict(int)

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        cfg = config.honours
        if not cfg.enabled:
            return []
        jobs = []
        if cfg.weekly_star.enabled and cfg.weekly_star.schedule:
            jobs.append(JobSpec(STAR_JOB, cfg.weekly_star.schedule, cfg.weekly_star.grace_minutes * 60))
        if cfg.monthly.enabled and cfg.monthly.schedule:
            jobs.append(JobSpec(MONTHLY_JOB, cfg.monthly.schedule, cfg.monthly.grace_minutes * 60))
        if cfg.tiers.enabled and cfg.tiers.schedule:
            jobs.append(JobSpec(TIERS_JOB, cfg.tiers.schedule, cfg.tiers.grace_minutes * 60))
        return jobs

    # --- counting ----------------------------------------------------------------------------------
    def _count(self, event: Event, ctx: Context) -> None:
        """One interaction towards the weekly star and monthly honours. Admins are not ranked: they run the
        group (announcements, commands), and an admin once won 月度之星 with two commands."""
        user = event.user
        if user is None or user.is_bot or user.is_admin or user.id == ctx.bot_user_id:
            return
        if event.chat.kind != "group":
            return
        self._pending[(event.chat.key, user.id, local_day(ctx.now, ctx.config.tz))] += 1

    async def flush(self, session: AsyncSession) -> None:
        pending, self._pending = self._pending, defaultdict(int)
        self._in_flight = pending
        if pending:
            await ActivityRepo(session).add(pending)

    def flush_failed(self) -> None:
        """The batched write was rolled back: count those interactions again next time."""
        for key, n in self._in_flight.items():
            self._pending[key] += n
        self._in_flight = defaultdict(int)

    async def _activity(self, ctx: Context, first: date, last: date) -> dict[str, int]:
        """Interactions per member still in the group (bots excluded) between two local days."""
        await self.flush(ctx.repos.session)
        counts = await ctx.repos.activity.interactions(ctx.chat.key, first, last)
        members = await self._members(ctx)
        return {user: n for user, n in counts.items() if user in members}

    @staticmethod
    async def _members(ctx: Context) -> dict[str, Member]:
        present = await ctx.repos.members.present(ctx.chat.key)
        return {m.user_id: m for m in present if not m.is_bot}

    async def _once(self, ctx: Context, event: Event, period: date) -> bool:
        """Claim this job for its period, so a schedule edited mid-period does not award twice."""
        return await ctx.repos.deliveries.claim(f"once:{event.chat.key}/{event.data}@{period}", ctx.now)

    # --- dispatch ----------------------------------------------------------------------------------
    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind in (EventKind.MESSAGE, EventKind.COMMAND):
            self._count(event, ctx)
        cfg = ctx.config.honours
        if not cfg.enabled:
            return []
        if event.kind == EventKind.TICK:
            if event.data == STAR_JOB:
                return await self._weekly_star(event, ctx)
            if event.data == MONTHLY_JOB:
                return await self._monthly(event, ctx)
            if event.data == TIERS_JOB:
                return await self._tiers(event, ctx)
            return []
        if event.kind != EventKind.COMMAND or event.user is None or event.chat.kind != "group":
            return []
        if event.command == "rank":
            return await self._rank(event, ctx)
        if event.command in ("vip", "lottery"):
            if not event.user.is_admin:
                text = render(texts.ADMINS_ONLY, ctx.config.language, command=event.command)
                return [Send(event.chat, text, f"/{event.command} by a non-admin", reply_to=event.message_id)]
            if event.command == "vip":
                return await self._vip(event, ctx)
            return await self._lottery(event, ctx)
        return []

    # --- awards ------------------------------------------------------------------------------------
    async def _award(
        self, ctx: Context, user_id: str, points: int, badge: str, award: str, why: str
    ) -> tuple[int, bool]:
        """Points (if the points feature is on) and a badge; returns (points given, badge is new)."""
        given = 0
        if points and ctx.config.points.enabled:
            await ctx.repos.points.change(ctx.chat.key, user_id, points, why[:200], "honour", ctx.now)
            given = points
        new_badge = bool(badge) and await ctx.repos.badges.award(
            ctx.chat.key, user_id, award, badge, ctx.now, why
        )
        return given, new_badge

    async def _weekly_star(self, event: Event, ctx: Context) -> list[Action]:
        cfg, lang = ctx.config.honours.weekly_star, ctx.config.language
        # the seven whole local days before the run's day: a star posted on Sunday evening would miss
        # Sunday's busiest hours, so the week counted is always over when it is announced
        day = local_day(event.scheduled_for or ctx.now, ctx.config.tz) - timedelta(days=1)
        first = day - timedelta(days=6)
        if not await self._once(ctx, event, day):
            return [Record(event.chat, "weekly_star_skipped", f"weekly star for {first}–{day} already done")]
        counts = await self._activity(ctx, first, day)
        places = top(counts, cfg.top, cfg.min_interactions)
        detail: dict[str, object] = {"first": first.isoformat(), "last": day.isoformat()}
        if not places:
            reason = f"nobody reached {cfg.min_interactions} interactions from {first} to {day}"
            return [Record(event.chat, "weekly_star", reason, detail=detail)]
        members = await self._members(ctx)
        lines = [render(texts.STAR_HEAD, lang, range=format_range(first, day, lang))]
        records: list[Action] = []
        for place in places:
            points = cfg.points[place.rank - 1] if place.rank <= len(cfg.points) else 0
            why = f"weekly star {first}–{day}: #{place.rank}, {place.score} interactions"
            given, _ = await self._award(ctx, place.user_id, points, cfg.badge, f"honours.star.{day}", why)
            extra = render(texts.PLUS_POINTS, lang, points=given) if given else ""
            name = label(members.get(place.user_id), place.user_id)
            lines.append(
                render(
                    texts.STAR_LINE, lang, medal=_medal(place.rank), name=name, n=place.score, points=extra
                )
            )
            records.append(
                Record(
                    event.chat,
                    "weekly_star",
                    why,
                    place.user_id,
                    {**detail, "rank": place.rank, "interactions": place.score, "points": given},
                )
            )
        lines.append(render(texts.STAR_FOOT, lang))
        reason = f"weekly star {first}–{day}: {len(records)} member(s)"
        return [Send(event.chat, "\n".join(lines), reason, purpose="report"), *records]

    async def _monthly(self, event: Event, ctx: Context) -> list[Action]:
        cfg, lang = ctx.config.honours.monthly, ctx.config.language
        day = local_day(event.scheduled_for or ctx.now, ctx.config.tz)
        first, last = previous_month(day)
        if not await self._once(ctx, event, first):
            return [Record(event.chat, "monthly_honours_skipped", f"honours for {first:%Y-%m} already done")]
        members = await self._members(ctx)
        counts = await self._activity(ctx, first, last)
        places = top(counts, cfg.top)
        lines = [render(texts.MONTH_HEAD, lang, month=format_month(first, lang))]
        awarded: list[Action] = []
        month = f"{first:%Y-%m}"
        if places:
            lines.append(render(texts.MONTH_ACTIVE, lang))
        for place in places:
            points = cfg.points[place.rank - 1] if place.rank <= len(cfg.points) else 0
            badge = cfg.badge if place.rank == 1 else ""
            why = f"most active of {first:%Y-%m}: #{place.rank}, {place.score} interactions"
            given, new_badge = await self._award(
                ctx, place.user_id, points, badge, f"honours.month.{first:%Y-%m}", why
            )
            extra = render(texts.PLUS_POINTS, lang, points=given) if given else ""
            if new_badge:
                extra += render(texts.BADGE_NOTE, lang, badge=badge)
            name = label(members.get(place.user_id), place.user_id)
            lines.append(
                render(
                    texts.STAR_LINE, lang, medal=_medal(place.rank), name=name, n=place.score, points=extra
                )
            )
            detail = {"month": month, "board": "active", "rank": place.rank, "points": given}
            awarded.append(Record(event.chat, "monthly_honour", why, place.user_id, detail))
        checkins = {
            u: n for u, n in await ctx.repos.checkins.counts(ctx.chat.key, first, last) if u in members
        }
        kings = [p for p in top(checkins, len(checkins)) if p.rank == 1]
        if kings:
            extra = ""
            for king in kings:
                why = f"most check-ins of {first:%Y-%m}: {king.score}"
                given, new_badge = await self._award(
                    ctx,
                    king.user_id,
                    cfg.checkin_points,
                    cfg.checkin_badge,
                    f"honours.checkin.{first:%Y-%m}",
                    why,
                )
                extra = render(texts.PLUS_POINTS, lang, points=given) if given else ""
                if new_badge:
                    extra += render(texts.BADGE_NOTE, lang, badge=cfg.checkin_badge)
                detail = {"month": month, "board": "checkin", "rank": 1, "points": given}
                awarded.append(Record(event.chat, "monthly_honour", why, king.user_id, detail))
            names = "、".join(label(members.get(k.user_id), k.user_id) for k in kings)
            lines.append(render(texts.MONTH_CHECKIN, lang, names=names, n=kings[0].score, points=extra))
        reason = f"monthly honours for {month}: {len(awarded)} award(s)"
        if not awarded:
            return [Record(event.chat, "monthly_honours", reason, detail={"month": month})]
        return [Send(event.chat, "\n".join(lines), reason, purpose="report"), *awarded]

    # --- tiers -------------------------------------------------------------------------------------
    async def _tiers(self, event: Event, ctx: Context) -> list[Action]:
        cfg, lang = ctx.config.honours.tiers, ctx.config.language
        day = local_day(event.scheduled_for or ctx.now, ctx.config.tz)
        first, last = day - timedelta(days=7), day - timedelta(days=1)
        if not await self._once(ctx, event, day):
            return [Record(event.chat, "tiers_skipped", f"tiers for the week to {last} already done")]
        counts = await self._activity(ctx, first, last)
        members = await self._members(ctx)
        profiles = {p.user_id: p for p in await ctx.repos.profiles.in_group(ctx.chat.key)}
        actions: list[Action] = []
        notices: list[str] = []
        for user_id, member in members.items():
            profile = profiles.get(user_id) or await ctx.repos.profiles.get_or_create(ctx.chat.key, user_id)
            n = counts.get(user_id, 0)
            old = member.tier or "regular"
            decision = weekly(old, n, profile.inactive_weeks, cfg.core_min, cfg.demote_after_weeks)
            profile.inactive_weeks = decision.inactive_weeks
            if not decision.changed:
                continue
            member.tier = decision.tier
            name = label(member, user_id)
            if decision.tier == "core":
                text = render(texts.PROMOTED, lang, name=name, n=n)
            else:
                text = render(texts.DEMOTED, lang, name=name, weeks=cfg.demote_after_weeks)
            reason = f"tier {old} → {decision.tier}: {decision.reason}"
            actions.append(
                Record(
                    event.chat, "tier_changed", reason, user_id, {"old": old, "new": decision.tier, "week": n}
                )
            )
            if cfg.announce == "member":
                actions.append(SendPrivate(event.chat, member_user(member), text, reason))
            notices.append(text)
        if notices and cfg.announce == "group":
            actions.append(Send(event.chat, "\n".join(notices), f"{len(notices)} tier change(s)"))
        elif notices and cfg.announce == "admins":
            summary = "\n".join([render(texts.TIER_SUMMARY, lang), *notices])
            actions.append(NotifyAdmins(event.chat, summary, f"{len(notices)} tier change(s)"))
        return actions

    async def _vip(self, event: Event, ctx: Context) -> list[Action]:
        assert event.user is not None
        lang = ctx.config.language
        found = await resolve_target(event, ctx, stored=True)
        if isinstance(found, NoTarget) and found.handle is not None:  # named, but nobody or several
            text = explain_missing(found, ctx, "vip")
            return [Send(event.chat, text, f"/vip reached nobody: {found.reason}", reply_to=event.message_id)]
        if not isinstance(found, Target) or found.member is None:
            return [
                Send(event.chat, render(texts.VIP_USAGE, lang), "bad /vip usage", reply_to=event.message_id)
            ]
        target, rest = found.member, found.rest
        off = any(a.lower() in ("off", "取消", "关", "remove") for a in rest)
        old, new = target.tier or "regular", "regular" if off else "vip"
        target.tier = new
        profile = await ctx.repos.profiles.get_or_create(event.chat.key, target.user_id)
        profile.inactive_weeks = 0
        name = label(target, target.user_id)
        text = render(texts.VIP_OFF if off else texts.VIP_ON, lang, name=name)
        reason = f"admin {event.user.name} set tier {old} → {new}"
        return [
            Send(event.chat, text, reason, reply_to=event.message_id),
            Record(
                event.chat,
                "tier_changed",
                reason,
                target.user_id,
                {"old": old, "new": new, "actor": event.user.id},
            ),
        ]

    # --- boards and draws --------------------------------------------------------------------------
    async def _rank(self, event: Event, ctx: Context) -> list[Action]:
        cfg, lang, tz = ctx.config.honours, ctx.config.language, ctx.config.tz
        wanted = _BOARDS.get(event.args[0].lower()) if event.args else "all"
        if wanted is None:
            return [
                Send(event.chat, render(texts.RANK_USAGE, lang), "bad /rank usage", reply_to=event.message_id)
            ]
        size = cfg.rank_size if wanted != "all" else min(cfg.rank_size, 5)
        members = await self._members(ctx)
        today = local_day(ctx.now, tz)
        boards: list[str] = []
        if wanted in ("all", "streak"):
            streaks = {
                p.user_id: current_on(Streak(p.streak, p.best_streak, p.last_checkin, p.checkins), today)
                for p in await ctx.repos.profiles.in_group(ctx.chat.key)
                if p.user_id in members
            }
            boards.append(
                self._board(texts.RANK_STREAK, texts.RANK_LINE_DAYS, top(streaks, size), members, lang)
            )
        if wanted in ("all", "points"):
            balances = {u: m.points for u, m in members.items()}
            boards.append(
                self._board(texts.RANK_POINTS, texts.RANK_LINE_POINTS, top(balances, size), members, lang)
            )
        if wanted in ("all", "month"):
            since = day_start(month_start(today), tz)
            earned = dict(await ctx.repos.points.earned_since(ctx.chat.key, since))
            month = {u: n for u, n in earned.items() if u in members}
            boards.append(
                self._board(texts.RANK_MONTH, texts.RANK_LINE_POINTS, top(month, size), members, lang)
            )
        return [Send(event.chat, "\n\n".join(boards), f"/rank {wanted}", reply_to=event.message_id)]

    @staticmethod
    def _board(head: Texts, line: Texts, places: list[Place], members: dict[str, Member], lang: str) -> str:
        rows = [render(head, lang)]
        rows += [
            render(line, lang, rank=p.rank, name=label(members.get(p.user_id), p.user_id), score=p.score)
            for p in places
        ]
        if not places:
            rows.append(render(texts.RANK_EMPTY, lang))
        return "\n".join(rows)

    async def _lottery(self, event: Event, ctx: Context) -> list[Action]:
        assert event.user is not None
        cfg, lang = ctx.config.honours.lottery, ctx.config.language
        if not cfg.enabled:
            return []
        n = int(event.args[0]) if event.args and event.args[0].isdigit() else 0
        if not 1 <= n <= cfg.max_winners:
            text = render(texts.LOTTERY_USAGE, lang, max=cfg.max_winners)
            return [Send(event.chat, text, "bad /lottery usage", reply_to=event.message_id)]
        today = local_day(ctx.now, ctx.config.tz)
        counts = await self._activity(ctx, today - timedelta(days=cfg.window_days - 1), today)
        candidates = sorted(u for u, k in counts.items() if k > 0 and u != event.user.id)
        if not candidates:
            text = render(texts.LOTTERY_NOBODY, lang, days=cfg.window_days)
            return [Send(event.chat, text, "no candidates for the draw", reply_to=event.message_id)]
        seed = seed_for(event.delivery, event.at)
        drawn = draw_tickets(candidates, n, seed)  # as the quiz draws: tickets, reproducible from the seed
        members = await self._members(ctx)
        winners = join_list([label(members.get(user), user) for _, user in drawn], lang)
        prize = " ".join(event.args[1:])
        shown = f"（{prize}）" if prize and lang == "zh" else (f" ({prize})" if prize else "")
        text = render(
            texts.LOTTERY_RESULT,
            lang,
            prize=shown,
            winners=winners,
            count=len(candidates),
            days=cfg.window_days,
        )
        tickets = [t for t, _ in drawn]
        admin_text = render(
            texts.LOTTERY_ADMINS,
            lang,
            prize=shown,
            count=len(candidates),
            winners=winners,
            seed=seed,
            tickets=", ".join(tickets),
        )
        reason = f"admin {event.user.name} drew {len(drawn)} of {len(candidates)} with seed {seed}"
        detail = {
            "seed": seed,
            "seed_from": {"delivery": event.delivery, "at": event.at.isoformat()},
            "tickets": sorted(ticket(seed, user) for user in candidates),
            "winners": tickets,
            "n": n,
            "window_days": cfg.window_days,
        }
        won = [
            Record(
                event.chat, "lottery_won", f"won the draw with seed {seed}", user, {"ticket": t, "seed": seed}
            )
            for t, user in drawn
        ]
        return [
            Send(event.chat, text, f"/lottery: {len(drawn)} of {len(candidates)}", reply_to=event.message_id),
            NotifyAdmins(event.chat, admin_text, "lottery draw seed"),
            Record(event.chat, "lottery_drawn", reason, event.user.id, detail),
            *won,
        ]
