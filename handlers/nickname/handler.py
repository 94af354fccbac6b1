"""Nickname format: checked on join, on every rename and on a member's first message; a grace period with
reminders that show a correct example; after it, the group's consequence (a strike by default).

Deadlines live in ``nickname_pending`` and a sweep job (``nickname.sweep``, every 30 minutes by default)
acts on the due ones, so a restart loses nothing. Before acting, the sweep checks the member's current
name again (it may have changed while the bot was down). Admins and allow-listed ids are never checked.
The only memory here is the last name checked per member, so an ordinary message costs no database work.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from handlers.common import texts as common_texts
from handlers.common.bounded import LruDict
from handlers.common.per_config import PerConfig
from handlers.common.strikes import Offence, add_strike, can_sanction, deadline_text, sanction
from handlers.contract.actions import Action, Record, Send
from handlers.contract.events import ARRIVALS, Chat, Event, EventKind, User
from handlers.contract.texts import render
from handlers.feature import CommandSpec, Context, Feature, JobSpec, Phase
from handlers.nickname import texts
from handlers.nickname.check import check_nickname, explain_nickname, rule_name, suggest_nickname
from handlers.nickname.config import NicknameConfig
from rules.verdict import Verdict
from storage.models.moderation import NicknamePending
from storage.repos.moderation import NicknameRepo, members_by_id

if TYPE_CHECKING:
    from handlers.config import GroupConfig

SWEEP = "nickname.sweep"
VERDICTS_KEPT = 10_000  # names' verdicts kept per nickname section


class Nickname(Feature):
    name = "nickname"
    phase = Phase.MODERATION
    commands = (
        CommandSpec(
            "nick",
            "登记群名：/nick 城市-行业-昵称",
            "Register your group name: /nick City-Industry-Name",
        ),
    )

    def __init__(self) -> None:
        self._checked: LruDict[tuple[str, str], str] = LruDict()  # (group, user) → the name last checked
        # Verdicts by (name, language), per nickname section in force: members share names' shapes, renames
        # come back to the same names, and the sweep re-checks every pending member each run.
        self._verdicts: PerConfig[NicknameConfig, LruDict[tuple[str, str], Verdict]] = PerConfig(
            lambda _config: LruDict(VERDICTS_KEPT)
        )

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        return [JobSpec(SWEEP, config.nickname.sweep, grace_s=600)] if config.nickname.enabled else []

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        cfg = ctx.config.nickname
        if not cfg.enabled or event.chat.kind != "group":
            return []
        if event.kind == EventKind.TICK:
            return await self._sweep(event.chat, ctx) if event.data == SWEEP else []
        user = event.user
        if user is None or user.is_bot:
            return []
        if event.kind == EventKind.COMMAND and event.command == "nick":
            return await self._nick(event, ctx, user)
        key = (event.chat.key, user.id)
        if event.kind == EventKind.MEMBER_LEFT:
            # the grace period is kept: a member who comes back soon continues it (one reminder per
            # grace period, however often they leave and rejoin); the sweep drops it later
            self._checked.pop(key, None)
            return []
        if user.is_admin or user.id in cfg.allow_users:
            return []
        if cfg.source == "registered":
            # the account's name does not matter here: only whether a group name was registered
            if event.kind in ARRIVALS and cfg.check_on_join:
                member = await ctx.repos.members.get(event.chat.key, user.id)
                registered = member.registered_name if member is not None else None
                return await self._check(event.chat, ctx, user, "join", rule_name(cfg, user.name, registered))
            return []
        if event.kind in ARRIVALS and cfg.check_on_join:
            return await self._check(event.chat, ctx, user, "join")
        if event.kind == EventKind.NICKNAME_CHANGED and cfg.check_on_rename:
            return await self._check(event.chat, ctx, user, "rename")
        if event.kind in (EventKind.MESSAGE, EventKind.COMMAND) and cfg.check_on_first_message:
            previous = self._checked.get(key)
            if previous == user.name:
                return []  # the hot path: nothing changed since the last check
            return await self._check(event.chat, ctx, user, "message" if previous is None else "rename")
        return []

    def verdict(self, cfg: NicknameConfig, name: str, lang: str) -> Verdict:
        """``check_nickname``, remembered per section (a verdict depends on nothing else)."""
        verdicts = self._verdicts(cfg)
        verdict = verdicts.get((name, lang))
        if verdict is None:
            verdict = verdicts[(name, lang)] = check_nickname(cfg, name, lang)
        return verdict

    async def _check(
        self, chat: Chat, ctx: Context, user: User, trigger: str, name: str | None = None
    ) -> list[Action]:
        """Check ``name`` (the account's, ``user.name``, unless the group keeps registered names)."""
        cfg, lang = ctx.config.nickname, ctx.config.language
        key = (chat.key, user.id)
        first_sight = key not in self._checked
        name = user.name if name is None else name
        self._checked[key] = name
        verdict = self.verdict(cfg, name, lang)
        repo = NicknameRepo(ctx.session)
        if not verdict.hit:
            if trigger == "message" and first_sight:
                return []  # a fine name seen first: nothing to close (the sweep re-checks anyway)
            if not await repo.close(chat.key, user.id):
                return []
            return [
                _reminder(chat, user, render(texts.THANKS, lang, mention=user.mention), "name fixed"),
                Record(
                    chat,
                    "nickname_fixed",
                    f"name now fits {cfg.compiled.shape}",
                    user.id,
                    {"name": user.name},
                ),
            ]
        example = suggest_nickname(cfg, user.name)
        deadline = ctx.now + timedelta(hours=cfg.grace_hours)
        next_reminder = min(ctx.now + timedelta(hours=cfg.remind_every_hours), deadline)
        values = _values(ctx, cfg, user, explain_nickname(verdict), example)
        remind = texts.REGISTER if cfg.source == "registered" else texts.REMIND
        detail: dict[str, object] = {"trigger": trigger, "results": [r.as_dict() for r in verdict.hits]}
        if await repo.open(chat.key, user.id, user.name, user.username, ctx.now, deadline, next_reminder):
            detail["deadline"] = deadline.isoformat()
            if trigger == "join" and ctx.config.welcome.enabled and not ctx.caps.platform_welcome:
                # greet first: the welcome carries the request as one friendly line; no warning now (where
                # the platform greets with its own template, e.g. WeCom customer groups, it cannot: ask here)
                detail["asked_in"] = "welcome"
                return [Record(chat, "nickname_invalid", verdict.reason, user.id, detail)]
            return [
                _reminder(
                    chat,
                    user,
                    render(remind, lang, **values, deadline=deadline_text(ctx, deadline)),
                    trigger,
                ),
                Record(chat, "nickname_invalid", verdict.reason, user.id, detail),
            ]
        pending = await repo.get(chat.key, user.id)
        if pending is None:  # closed by a concurrent event; the next check starts again
            return []
        pending.name = user.name[:255]
        if trigger in ("message", "join"):
            return []  # already asked in this grace period (a rejoin continues it); the sweep keeps time
        text = render(texts.STILL_WRONG, lang, **values, deadline=deadline_text(ctx, pending.deadline_at))
        return [
            _reminder(chat, user, text, "renamed, still not in format"),
            Record(chat, "nickname_still_invalid", verdict.reason, user.id, detail),
        ]

    async def _sweep(self, chat: Chat, ctx: Context) -> list[Action]:
        """Due reminders and deadlines of one group, each member's current name checked again first."""
        cfg, lang, now = ctx.config.nickname, ctx.config.language, ctx.now
        repo = NicknameRepo(ctx.session)
        rows = await repo.due(chat.key, now)
        if not rows:
            return []
        members = await members_by_id(ctx.session, chat.key, [row.user_id for row in rows])
        actions: list[Action] = []
        for row in rows:
            member = members.get(row.user_id)
            if member is not None and member.left_at is not None:
                if now - member.left_at >= timedelta(days=ctx.config.welcome.rejoin_days):
                    await repo.forget(row)  # gone for good: a later return starts afresh
                continue  # away for now: no reminder to someone who is not there
            if row.user_id in cfg.allow_users:
                await repo.forget(row)
                continue
            account = member.display_name if member is not None and member.display_name else row.name
            registered = member.registered_name if member is not None else None
            verdict = self.verdict(cfg, rule_name(cfg, account, registered), lang)
            if not verdict.hit:
                await repo.forget(row)
                actions.append(Record(chat, "nickname_fixed", "name fits the format now", row.user_id))
                continue
            username = member.username if member is not None else row.username
            user = User(row.user_id, registered or account, username)
            example = suggest_nickname(cfg, account)
            values = _values(ctx, cfg, user, explain_nickname(verdict), example)
            if row.deadline_at <= now:
                actions += await self._overdue(chat, ctx, user, row, values)
                continue
            # the consequence is said once: in the first reminder after a welcome that asked kindly,
            # or in the notice at join when there was no welcome
            first = row.reminders == 1 and ctx.config.welcome.enabled and row.consequences == 0
            row.reminders += 1
            row.next_reminder_at = min(now + timedelta(hours=cfg.remind_every_hours), row.deadline_at)
            if cfg.source == "registered":
                template = texts.REGISTER if first else texts.REGISTER_AGAIN
            else:
                template = texts.REMIND_FIRST if first else texts.REMIND_AGAIN
            text = render(
                template, lang, **values, n=row.reminders, deadline=deadline_text(ctx, row.deadline_at)
            )
            actions.append(_reminder(chat, user, text, f"nickname reminder {row.reminders}"))
        return actions

    async def _nick(self, event: Event, ctx: Context, user: User) -> list[Action]:
        """``/nick 上海-互联网-小王``: register the name this group calls the member by, checked by the same
        rule; where the group checks account names, say where to change the name instead."""
        cfg, lang, chat = ctx.config.nickname, ctx.config.language, event.chat
        example = suggest_nickname(cfg, user.name)
        if cfg.source != "registered":
            where = render(texts.WHERE[ctx.caps.name_source], lang)
            text = render(texts.NICK_NOT_HERE, lang, where=where)
            return [Send(chat, text, "/nick where account names are checked", reply_to=event.message_id)]
        wanted = " ".join(event.args).strip()
        if not wanted:
            text = render(texts.NICK_USAGE, lang, example=example, shape=cfg.compiled.shape)
            return [Send(chat, text, "/nick without a name", reply_to=event.message_id)]
        verdict = self.verdict(cfg, wanted, lang)
        if verdict.hit:
            text = render(
                texts.NICK_INVALID, lang, name=wanted, problem=explain_nickname(verdict), example=example
            )
            return [Send(chat, text, "/nick: the name breaks the format", reply_to=event.message_id)]
        if not await ctx.repos.members.register_name(chat.key, user.id, wanted):
            return []  # not a member here (a stray private /nick has no group)
        self._checked[(chat.key, user.id)] = wanted
        await NicknameRepo(ctx.session).close(chat.key, user.id)
        text = render(texts.NICK_DONE, lang, name=wanted)
        return [
            Send(chat, text, "group name registered", reply_to=event.message_id),
            Record(chat, "nickname_registered", f"registered the group name {wanted}", user.id),
        ]

    async def _overdue(
        self, chat: Chat, ctx: Context, user: User, row: NicknamePending, values: dict[str, object]
    ) -> list[Action]:
        """The grace period ran out: the consequence, then (unless removed) a fresh grace period."""
        cfg, lang, now = ctx.config.nickname, ctx.config.language, ctx.now
        row.consequences += 1
        again = timedelta(hours=max(cfg.grace_hours, cfg.remind_every_hours))
        row.deadline_at = now + again
        row.next_reminder_at = now + timedelta(hours=cfg.remind_every_hours)
        row.reminders = 0
        reason = render(texts.STRIKE_REASON, lang, name=user.name, shape=values["shape"])
        record = Record(
            chat,
            "nickname_overdue",
            reason,
            user.id,
            {"consequence": cfg.consequence, "round": row.consequences},
        )
        if cfg.consequence == "strike":
            offence = Offence(user, "nickname", reason, source=f"nickname:{row.id}:{row.consequences}")
            return [record, *await add_strike(ctx, chat, offence)]
        if cfg.consequence == "mute":
            until = now + timedelta(hours=cfg.mute_hours)
            hours = f"{cfg.mute_hours:g}"
            notice = render(texts.MUTED, lang, **values, hours=hours)
            return [
                record,
                Send(chat, notice, reason=reason, purpose="moderation"),
                *await sanction(ctx, chat, user, "mute", reason, until=until),
            ]
        if cfg.consequence == "remove":
            plain = (
                common_texts.AT_ONCE_PLAIN
                if can_sanction(ctx, "remove")
                else common_texts.AT_ONCE_PLAIN_ASKED
            )
            notice = render(plain, lang, name=user.name, reason=reason)
            return [
                record,
                Send(chat, notice, reason=reason, purpose="moderation"),
                *await sanction(ctx, chat, user, "remove", reason),
            ]
        return [record, _reminder(chat, user, render(texts.OVERDUE, lang, **values), "nickname overdue")]


def _values(ctx: Context, cfg: NicknameConfig, user: User, problem: str, example: str) -> dict[str, object]:
    lang = ctx.config.language
    consequence = render(texts.CONSEQUENCE[cfg.consequence], lang, hours=f"{cfg.mute_hours:g}")
    return {
        "mention": user.mention,
        "name": user.name,
        "shape": cfg.compiled.whole_example if cfg.compiled.whole else cfg.compiled.shape,
        "problem": problem,
        "example": example,
        "consequence": consequence,
    }


def _reminder(chat: Chat, user: User, text: str, reason: str) -> Send:
    """Reminders replace the member's previous one, so they never pile up in the group."""
    return Send(
        chat,
        text,
        reason=reason,
        purpose="reminder",
        tag=f"nickname:{user.id}",
        replace_tag=True,
        mentions=(user,),
    )
