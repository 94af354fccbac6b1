"""Points: ``/points`` (balance; admins adjust with ``/points +N @member reason``), ``/redeem`` from the
TOML catalogue with stock shared in the database, and ``/me`` (points, streak, tier, badges).

Points are earned elsewhere (check-ins, honours, tasks) through ``PointsRepo.change``; every change is
a ledger row with its reason, and admin changes carry the admin as ``actor`` plus an audit record.
"""

from __future__ import annotations

import re

from handlers.common.target import NoTarget, Target, explain_missing, resolve_target
from handlers.contract.actions import Action, NotifyAdmins, Record, Send
from handlers.contract.events import Event, EventKind
from handlers.contract.texts import render
from handlers.feature import CommandSpec, Context, Feature
from handlers.points import texts
from handlers.points.config import CatalogueItem
from rules.schedule import local_day
from rules.streaks import Streak, current_on
from storage.repos.points import NotEnoughPoints

_DELTA = re.compile(r"^[+\-＋－]?\d{1,7}$")


def tier_name(tier: str, language: str) -> str:
    return render(texts.TIER_NAMES.get(tier, texts.TIER_NAMES["regular"]), language)


class _SoldOut(Exception):
    """Raised inside the redemption's savepoint so that the points just spent are given back."""


class Points(Feature):
    name = "points"
    kinds = frozenset({EventKind.COMMAND})
    commands = (
        CommandSpec(
            "points",
            "查看积分（管理员：/points +N @成员 原因）",
            "My points (admins: /points +N @member reason)",
        ),
        CommandSpec("redeem", "积分兑换：/redeem 查看，/redeem 编号 兑换", "Redeem points: /redeem [id]"),
        CommandSpec("me", "我的主页：积分、打卡、等级、徽章", "My profile: points, streak, tier, badges"),
    )

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if (
            not ctx.config.points.enabled
            or event.kind != EventKind.COMMAND
            or event.user is None
            or event.chat.kind != "group"
        ):
            return []
        if event.command == "points":
            if event.args and (_DELTA.match(event.args[0]) or event.reply_to is not None):
                return await self._adjust(event, ctx)
            balance = await ctx.repos.points.balance(event.chat.key, event.user.id)
            text = render(texts.BALANCE, ctx.config.language, name=_name(event), points=balance)
            return [Send(event.chat, text, "/points asked", reply_to=event.message_id)]
        if event.command == "redeem":
            return await self._redeem(event, ctx)
        if event.command == "me":
            return await self._me(event, ctx)
        return []

    async def _adjust(self, event: Event, ctx: Context) -> list[Action]:
        assert event.user is not None
        lang, admin = ctx.config.language, event.user
        if not admin.is_admin:
            what = render(texts.ADJUST_WHAT, lang)
            return [
                Send(event.chat, render(texts.ADMINS_ONLY, lang, what=what), "not an admin", event.message_id)
            ]
        found = await resolve_target(event, ctx, stored=True)
        if isinstance(found, NoTarget) and found.handle is not None:  # named, but nobody or several
            text = explain_missing(found, ctx, "points")
            return [Send(event.chat, text, f"/points reached nobody: {found.reason}", event.message_id)]
        rest = list(found.rest) if isinstance(found, Target) else []
        amount = next((a for a in rest if _DELTA.match(a)), None)
        if not isinstance(found, Target) or found.member is None or amount is None:
            return [Send(event.chat, render(texts.ADJUST_USAGE, lang), "bad /points usage", event.message_id)]
        target = found.member
        rest.remove(amount)
        delta = int(amount.replace("＋", "+").replace("－", "-"))
        if delta == 0:
            return [Send(event.chat, render(texts.ADJUST_USAGE, lang), "bad /points usage", event.message_id)]
        limit = ctx.config.points.admin_max
        if abs(delta) > limit:
            return [
                Send(event.chat, render(texts.ADJUST_TOO_BIG, lang, max=limit), "too big", event.message_id)
            ]
        why = " ".join(rest) or render(texts.DEFAULT_REASON, lang)
        label = f"@{target.username}" if target.username else target.display_name
        try:
            balance = await ctx.repos.points.change(
                event.chat.key, target.user_id, delta, why[:200], "admin", ctx.now, actor=admin.id
            )
        except NotEnoughPoints as exc:
            text = render(texts.ADJUST_NEGATIVE, lang, name=label, balance=exc.balance, points=-delta)
            return [Send(event.chat, text, "points would go negative", reply_to=event.message_id)]
        signed = f"+{delta}" if delta > 0 else str(delta)
        text = render(texts.ADJUSTED, lang, name=label, delta=signed, reason=why, balance=balance)
        reason = f"admin {admin.name} changed points by {signed}: {why}"
        return [
            Send(event.chat, text, reason, reply_to=event.message_id),
            Record(
                event.chat,
                "points_adjusted",
                reason,
                target.user_id,
                {"delta": delta, "balance": balance, "actor": admin.id},
            ),
        ]

    async def _redeem(self, event: Event, ctx: Context) -> list[Action]:
        assert event.user is not None
        cfg, lang, group, user = ctx.config.points, ctx.config.language, event.chat.key, event.user
        points = ctx.repos.points
        if not event.args:
            balance = await points.balance(group, user.id)
            return [
                Send(event.chat, await self._catalogue(ctx, group, balance), "/redeem list", event.message_id)
            ]
        wanted = " ".join(event.args).casefold()
        item = next((i for i in cfg.items if wanted in (i.id.casefold(), i.name.casefold())), None)
        if item is None:
            text = render(texts.UNKNOWN_ITEM, lang, item=" ".join(event.args))
            return [Send(event.chat, text, "unknown reward", reply_to=event.message_id)]
        try:
            # Points and stock in one savepoint: the database refuses a spend below zero (whatever another
            # instance spent a moment ago); an item sold out meanwhile gives the points back.
            async with ctx.repos.savepoint():
                balance = await points.change(
                    group, user.id, -item.cost, f"redeem {item.id}", "redeem", ctx.now
                )
                if item.stock is not None and not await ctx.repos.stock.take(group, item.id, item.stock):
                    raise _SoldOut
        except NotEnoughPoints as exc:
            text = render(texts.NOT_ENOUGH, lang, name=item.name, cost=item.cost, points=exc.balance)
            return [Send(event.chat, text, f"not enough points for {item.id}", reply_to=event.message_id)]
        except _SoldOut:
            text = render(texts.SOLD_OUT, lang, name=item.name)
            return [Send(event.chat, text, f"{item.id} sold out", reply_to=event.message_id)]
        who = _name(event)
        reason = f"redeemed {item.id} for {item.cost} points"
        actions: list[Action] = [
            Send(
                event.chat,
                render(texts.REDEEMED, lang, who=who, name=item.name, cost=item.cost, balance=balance),
                reason,
                reply_to=event.message_id,
            ),
            Record(
                event.chat,
                "points_redeemed",
                reason,
                user.id,
                {"item": item.id, "cost": item.cost, "balance": balance},
            ),
        ]
        if cfg.notify_admins_on_redeem:
            notice = render(
                texts.REDEEM_NOTICE, lang, who=f"{user.name} ({who})", name=item.name, cost=item.cost
            )
            actions.append(NotifyAdmins(event.chat, notice, reason))
        return actions

    async def _catalogue(self, ctx: Context, group: str, balance: int) -> str:
        lang, items = ctx.config.language, ctx.config.points.items
        if not items:
            return render(texts.CATALOGUE_EMPTY, lang)
        taken = await ctx.repos.stock.redeemed(group)
        lines = [render(texts.CATALOGUE_HEAD, lang, points=balance)]
        lines += [self._line(item, taken.get(item.id, 0), lang) for item in items]
        return "\n".join(lines)

    @staticmethod
    def _line(item: CatalogueItem, taken: int, lang: str) -> str:
        stock = ""
        if item.stock is not None:
            left = max(item.stock - taken, 0)
            stock = render(texts.STOCK_LEFT, lang, left=left) if left else render(texts.SOLD_OUT_TAG, lang)
        return render(texts.CATALOGUE_LINE, lang, id=item.id, name=item.name, cost=item.cost, stock=stock)

    async def _me(self, event: Event, ctx: Context) -> list[Action]:
        assert event.user is not None
        lang, group, user = ctx.config.language, event.chat.key, event.user
        member = await ctx.repos.members.get(group, user.id)
        profile = await ctx.repos.profiles.get(group, user.id)
        streak = Streak()
        if profile is not None:
            streak = Streak(profile.streak, profile.best_streak, profile.last_checkin, profile.checkins)
        badges = await ctx.repos.badges.of(group, user.id)
        shown = " · ".join(name if n == 1 else f"{name}×{n}" for name, n in badges) or render(
            texts.NO_BADGES, lang
        )
        text = render(
            texts.PROFILE,
            lang,
            name=_name(event),
            tier=tier_name(member.tier if member else "regular", lang),
            points=member.points if member else 0,
            streak=current_on(streak, local_day(ctx.now, ctx.config.tz)),
            best=streak.best,
            total=streak.total,
            badges=shown,
        )
        return [Send(event.chat, text, "/me asked", reply_to=event.message_id)]


def _name(event: Event) -> str:
    user = event.user
    if user is None:
        return ""
    return f"@{user.username}" if user.username else user.name
