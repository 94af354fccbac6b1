"""Referrals: personal invite links (``/invite``), credit for the member whose link a newcomer used,
a reward every ``reward_every`` referrals, and the 团长排行榜 (``/invites``).

A link is named ``ref:<user id>`` by the executor, so the join that comes back through it names its
referrer (``rules.onboarding.referrer_from_link``); the credit is ``members.invited_by``, set once, and
each reward step is a unique row: a rejoin or a redelivered join never credits or rewards twice.
"""

from __future__ import annotations

from handlers.common.members import member_user
from handlers.config import GroupConfig
from handlers.contract.actions import Action, CreateInviteLink, Record, Send, SendPrivate
from handlers.contract.events import ARRIVALS, Event, EventKind, User
from handlers.contract.texts import render
from handlers.feature import CommandSpec, Context, Feature, Phase
from handlers.referrals import texts
from rules.onboarding import referrer_from_link
from storage.repos.members import MemberRepo
from storage.repos.onboarding import ReferralRepo
from storage.repos.points import PointsRepo

MEDALS = ("🥇", "🥈", "🥉")


class Referrals(Feature):
    name = "referrals"
    kinds = frozenset({EventKind.COMMAND, *ARRIVALS})
    phase = Phase.MEMBERSHIP
    commands = (
        CommandSpec("invite", "获取专属邀请链接", "Get your personal invite link"),
        CommandSpec("invites", "邀请战绩与团长排行榜", "Your referrals and the top inviters"),
    )

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        config = ctx.config
        user = event.user
        if event.chat.kind != "group" or not config.referrals.enabled or user is None or user.is_bot:
            return []
        if event.kind in ARRIVALS and event.invite_link:
            return await self._joined(event, ctx, user)
        if event.kind == EventKind.COMMAND and event.command == "invite":
            return self._invite(event, ctx, user)
        if event.kind == EventKind.COMMAND and event.command == "invites":
            return await self._invites(event, ctx, user)
        return []

    def _invite(self, event: Event, ctx: Context, user: User) -> list[Action]:
        cfg, lang = ctx.config.referrals, ctx.config.language
        if not ctx.caps.invite_links:
            return [
                Send(event.chat, render(texts.NO_LINKS, lang), "no invite links", reply_to=event.message_id)
            ]
        extra = render(texts.EXTRA, lang, text=cfg.reward_text) if cfg.reward_text else ""
        # {link} stays in the text: the executor fills it in with the link it creates
        text = render(texts.LINK, lang, every=cfg.reward_every, points=cfg.reward_points, extra=extra)
        return [CreateInviteLink(event.chat, user, text, f"personal invite link for {user.name}")]

    async def _joined(self, event: Event, ctx: Context, user: User) -> list[Action]:
        referrer_id = referrer_from_link(event.invite_link)
        if referrer_id is None or referrer_id == user.id:
            return []
        members = MemberRepo(ctx.session)
        member = await members.ensure(event.chat.key, user.id, user.name, ctx.now, user.username)
        if member.invited_by is not None:
            return []  # credited before (a rejoin, a redelivery)
        referrer = await members.get(event.chat.key, referrer_id)
        if referrer is None:
            return [Record(event.chat, "referral.unknown", "invite link of a non-member", user.id)]
        member.invited_by = referrer_id
        await ctx.session.flush()
        cfg, lang = ctx.config.referrals, ctx.config.language
        repo = ReferralRepo(ctx.session)
        n = await repo.count(event.chat.key, referrer_id, cfg.count_only_present)
        referrer_user = member_user(referrer)
        actions: list[Action] = [
            Record(
                event.chat,
                "referral.credited",
                f"{user.name} joined through {referrer.display_name}'s link ({n} so far)",
                referrer_id,
                {"newcomer": user.id, "referrals": n},
            ),
            SendPrivate(
                event.chat,
                referrer_user,
                render(texts.CREDITED, lang, name=user.name, group=_group(ctx.config, event), n=n),
                f"{user.name} joined through your link",
            ),
        ]
        step = n - n % cfg.reward_every
        if step and step not in await repo.rewarded(event.chat.key, referrer_id):
            actions += await self._reward(event, ctx, referrer_user, step)
        return actions

    async def _reward(self, event: Event, ctx: Context, referrer: User, step: int) -> list[Action]:
        cfg, lang = ctx.config.referrals, ctx.config.language
        if not await ReferralRepo(ctx.session).reward(
            event.chat.key, referrer.id, step, cfg.reward_points, ctx.now
        ):
            return []
        if cfg.reward_points:
            await PointsRepo(ctx.session).change(
                event.chat.key,
                referrer.id,
                cfg.reward_points,
                f"邀请 {step} 人入群",
                "referral",
                ctx.now,
                name=referrer.name,
            )
        extra = render(texts.EXTRA, lang, text=cfg.reward_text) if cfg.reward_text else ""
        text = render(
            texts.REWARD, lang, mention=referrer.mention, n=step, points=cfg.reward_points, extra=extra
        )
        return [
            Record(
                event.chat,
                "referral.rewarded",
                f"{step} referrals reached",
                referrer.id,
                {"referrals": step, "points": cfg.reward_points},
            ),
            Send(event.chat, text, f"{referrer.name} reached {step} referrals", mentions=(referrer,)),
        ]

    async def _invites(self, event: Event, ctx: Context, user: User) -> list[Action]:
        cfg, lang = ctx.config.referrals, ctx.config.language
        repo = ReferralRepo(ctx.session)
        mine = await repo.count(event.chat.key, user.id, cfg.count_only_present)
        board = await repo.leaderboard(event.chat.key, cfg.leaderboard_size, cfg.count_only_present)
        lines = [render(texts.MINE, lang, n=mine)]
        if board:
            members = MemberRepo(ctx.session)
            lines.append(render(texts.BOARD_HEAD, lang))
            for rank, (referrer_id, n) in enumerate(board):
                member = await members.get(event.chat.key, referrer_id)
                name = member.display_name if member is not None else referrer_id
                medal = MEDALS[rank] if rank < len(MEDALS) else f"{rank + 1}."
                lines.append(render(texts.BOARD_LINE, lang, medal=medal, name=name, n=n))
        else:
            lines.append(render(texts.BOARD_EMPTY, lang))
        return [Send(event.chat, "\n".join(lines), "/invites asked", reply_to=event.message_id)]


def _group(config: GroupConfig, event: Event) -> str:
    return config.name or event.chat.title or event.chat.id
