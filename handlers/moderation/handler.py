"""Admin commands (/warn, /unwarn, /strikes, /pardon, /ban, /mute) and members' /report.

Only admins (``event.user.is_admin``, resolved on the platform) may use the admin commands; anyone else
gets a polite refusal and a log row. Every admin action is an audit row (actor, target, reason). The
strike ladder itself lives in ``handlers.common.strikes.add_strike``, shared with ads, flood and nickname.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TypedDict

from handlers.ads.config import MAX_KEEP_FLAGGED_DAYS
from handlers.common import texts as common_texts
from handlers.common.admin import admin_only, audit
from handlers.common.strikes import Offence, add_strike, category_label, local_time, sanction
from handlers.common.target import NoTarget, explain_missing, resolve_target
from handlers.contract.actions import (
    LOG_CONFIRM,
    LOG_UNDO,
    Action,
    Delete,
    Edit,
    NotifyAdmins,
    Record,
    Send,
    Stop,
    Unban,
    Unmute,
)
from handlers.contract.events import Event, EventKind, User
from handlers.contract.texts import Texts, render
from handlers.feature import CommandSpec, Context, Feature, Phase
from handlers.moderation import texts
from rules.strikes import format_duration, parse_duration, removal_at
from rules.targets import handle_of
from storage.repos.ad_samples import HAM, relabel_flagged
from storage.repos.moderation import ReportRepo, SanctionRepo
from storage.repos.strikes import StrikeRepo


class Moderation(Feature):
    name = "moderation"
    kinds = frozenset({EventKind.COMMAND, EventKind.MEMBER_UNBANNED, EventKind.BUTTON_PRESSED})
    phase = Phase.MODERATION
    commands = (
        CommandSpec("warn", "警告（回复消息，可写原因）", "Warn (reply; optional reason)", admin=True),
        CommandSpec(
            "unwarn", "撤销最近一次警告（回复消息）", "Withdraw the latest strike (reply)", admin=True
        ),
        CommandSpec("strikes", "查看违规记录（回复或 @成员）", "List strikes (reply or @member)", admin=True),
        CommandSpec("pardon", "赦免并清除违规记录", "Pardon and clear strikes", admin=True),
        CommandSpec("ban", "移出并禁止再入群（回复消息）", "Remove and ban (reply)", admin=True),
        CommandSpec("mute", "禁言，如 /mute 1h 原因", "Mute, e.g. /mute 1h reason", admin=True),
        CommandSpec(
            "report",
            "举报违规消息（回复消息），或 /report @成员 原因",
            "Report a message (reply), or /report @member reason",
        ),
    )

    def __init__(self) -> None:
        self._admin: dict[str, Callable[[Event, Context], Awaitable[list[Action]]]] = {
            "warn": self._warn,
            "unwarn": self._unwarn,
            "strikes": self._strikes,
            "pardon": self._pardon,
            "ban": self._ban,
            "mute": self._mute,
        }

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.chat.kind != "group" or event.user is None or not ctx.config.moderation.enabled:
            return []
        if event.kind == EventKind.MEMBER_UNBANNED:
            return await self._unbanned(event, ctx)
        if event.kind == EventKind.BUTTON_PRESSED:
            return await self._log_button(event, ctx)
        if event.command == "report":
            return await self._report(event, ctx)
        run = self._admin.get(event.command or "")
        if run is None:
            return []
        refusal = admin_only(event, ctx)
        if refusal is not None:
            return refusal
        return await run(event, ctx)

    # --- helpers -------------------------------------------------------------------------------------
    @staticmethod
    def _send(event: Event, ctx: Context, text: str, why: str) -> Send:
        return Send(
            event.chat,
            text,
            reason=why,
            reply_to=event.message_id,
            delete_after_s=ctx.config.moderation.notice_delete_after_s,
        )

    @classmethod
    def _reply(cls, event: Event, ctx: Context, template: Texts, why: str, **values: object) -> Send:
        return cls._send(event, ctx, render(template, ctx.config.language, **values), why)

    def _exempt(self, event: Event, ctx: Context, target: User) -> list[Action] | None:
        """Who a punishing command cannot reach: admins (never punished), the bot itself, and — for /warn
        and /mute, which only a reader of the group feels — other bots (/ban removes those)."""
        command = event.command or ""
        if target.is_admin:
            template, why = texts.ADMIN_TARGET, "the target is an admin"
        elif ctx.bot_user_id and target.id == ctx.bot_user_id:
            template, why = texts.SELF_TARGET, "the target is this bot"
        elif target.is_bot and command in ("warn", "mute"):
            template, why = texts.BOT_TARGET, "the target is a bot"
        else:
            return None
        return [
            self._reply(event, ctx, template, why, name=target.name, command=command),
            audit(event, f"{command}_refused", why, target),
        ]

    async def _resolve(
        self, event: Event, ctx: Context, mention: bool, punishing: bool = False
    ) -> tuple[User, tuple[str, ...]] | list[Action]:
        """The command's target and remaining arguments (``handlers.common.target``: a reply, else, where
        ``mention``, an ``@handle``), or the reply that explains why there is none (nobody named, not
        found, ambiguous, or — for punishing commands — someone ``_exempt``)."""
        found = await resolve_target(event, ctx, named=mention)
        if isinstance(found, NoTarget):
            text = explain_missing(found, ctx, event.command or "", named=mention)
            return [self._send(event, ctx, text, f"/{event.command} reached nobody: {found.reason}")]
        if punishing and (refused := self._exempt(event, ctx, found.user)) is not None:
            return refused
        return found.user, found.rest

    # --- admin commands ------------------------------------------------------------------------------
    async def _warn(self, event: Event, ctx: Context) -> list[Action]:
        resolved = await self._resolve(event, ctx, mention=False, punishing=True)
        if isinstance(resolved, list):
            return resolved
        target, args = resolved
        assert event.user is not None
        lang = ctx.config.language
        category = texts.CATEGORY_ALIASES.get(args[0].lower()) if args else None
        if category is not None:
            args = args[1:]
        category = category or "manual"
        written = " ".join(args)
        label = category_label(category, lang)
        template = texts.WARN_REASON if written else texts.WARN_REASON_BARE
        reason = render(template, lang, label=label, admin=event.user.name, reason=written)
        offence = Offence(
            target,
            category,
            reason,
            source=f"warn:{event.message_id or event.delivery}",
            actor=event.user,
        )
        actions = await add_strike(ctx, event.chat, offence)
        return [*actions, audit(event, "warn", written or label, target, category=category)]

    async def _unwarn(self, event: Event, ctx: Context) -> list[Action]:
        resolved = await self._resolve(event, ctx, mention=True)
        if isinstance(resolved, list):
            return resolved
        target, _ = resolved
        assert event.user is not None
        mod, observed = ctx.config.moderation, ctx.config.mode == "observe"
        repo = StrikeRepo(ctx.session)
        since = ctx.now - mod.window
        strike = await repo.pardon_latest(event.chat.key, target.id, since, ctx.now, event.user.id, observed)
        if strike is None:
            return [self._reply(event, ctx, texts.UNWARN_NONE, "no strike to withdraw", name=target.name)]
        count = await repo.count_within(event.chat.key, target.id, since, observed)
        return [
            self._reply(
                event,
                ctx,
                texts.UNWARN,
                "strike withdrawn",
                name=target.name,
                reason=strike.reason,
                count=count,
            ),
            audit(event, "unwarn", strike.reason, target, strike_id=strike.id, remaining=count),
        ]

    async def _strikes(self, event: Event, ctx: Context) -> list[Action]:
        resolved = await self._resolve(event, ctx, mention=True)
        if isinstance(resolved, list):
            return resolved
        target, _ = resolved
        mod, lang = ctx.config.moderation, ctx.config.language
        rows = await StrikeRepo(ctx.session).active(
            event.chat.key, target.id, ctx.now - mod.window, ctx.config.mode == "observe"
        )
        values: dict[str, object] = {"name": target.name, "days": mod.window_days}
        if not rows:
            lines = [render(texts.STRIKES_NONE, lang, **values)]
        else:
            count = sum(row.weight for row in rows)
            limit = removal_at(mod.steps) or "-"
            lines = [render(texts.STRIKES_HEAD, lang, **values, count=count, limit=limit)]
            for i, row in enumerate(rows, 1):
                lines.append(
                    render(
                        texts.STRIKES_LINE,
                        lang,
                        i=i,
                        when=local_time(ctx, row.created_at),
                        reason=row.reason or category_label(row.category, lang),
                        expires=local_time(ctx, row.created_at + mod.window),
                    )
                )
        for open_ in await SanctionRepo(ctx.session).open(event.chat.key, target.id, ctx.now):
            what = render(
                texts.SANCTION_KIND[open_.kind],
                lang,
                until=local_time(ctx, open_.until) if open_.until else "",
            )
            lines.append(render(texts.STRIKES_SANCTION, lang, what=what))
        return [
            Send(
                event.chat,
                "\n".join(lines),
                reason="strikes listed for an admin",
                reply_to=event.message_id,
                delete_after_s=mod.notice_delete_after_s,
            ),
            audit(event, "strikes", "listed strikes", target, active=len(rows)),
        ]

    async def _pardon(self, event: Event, ctx: Context) -> list[Action]:
        resolved = await self._resolve(event, ctx, mention=True)
        if isinstance(resolved, list):
            return resolved
        target, args = resolved
        assert event.user is not None
        lang = ctx.config.language
        taken = await _take_back(ctx, event.chat.key, target.id, event.user.id)
        reason = " ".join(args) or "pardon"
        actions: list[Action] = []
        extra = ""
        if taken.lifted & {"remove", "ban"}:
            actions.append(Unban(event.chat, target, f"pardoned by {event.user.name}"))
            extra += render(texts.PARDON_UNBAN, lang)
            if taken.relabelled:
                extra += render(texts.PARDON_RELABELLED, lang, n=taken.relabelled)
        if "mute" in taken.lifted:
            actions.append(Unmute(event.chat, target, f"pardoned by {event.user.name}"))
            extra += render(texts.PARDON_UNMUTE, lang)
        notice = render(
            texts.PARDON, lang, admin=event.user.name, name=target.name, n=taken.cleared, extra=extra
        )
        return [
            Send(
                event.chat,
                notice,
                reason="pardon announced",
                delete_after_s=ctx.config.moderation.notice_delete_after_s,
            ),
            *actions,
            audit(event, "pardon", reason, target, **taken.detail()),
        ]

    async def _log_button(self, event: Event, ctx: Context) -> list[Action]:
        """撤销 / 确认 under a removal or strike line in the log chat. The platform checked the presser is
        an admin of this group (``Button.admins_of``); anyone else was refused there and gets a log row
        here. Undo is /pardon (strikes cleared, sanctions lifted, kept texts marked ordinary): a second
        press finds nothing left to take back and does nothing."""
        data = event.data
        verb = "undo" if data.startswith(LOG_UNDO) else "confirm" if data.startswith(LOG_CONFIRM) else ""
        if not verb:
            return []
        target_id = data.removeprefix(LOG_UNDO if verb == "undo" else LOG_CONFIRM)
        admin = event.user
        known = await ctx.repos.members.get(event.chat.key, target_id) if target_id else None
        target = User(target_id, known.display_name if known and known.display_name else target_id)
        if admin is None or not admin.is_admin or not target_id:
            return [audit(event, f"log_{verb}_refused", "pressed by a non-admin", target), Stop("refused")]
        lang = ctx.config.language
        if verb == "confirm":
            outcome = render(texts.LOG_CONFIRMED, lang, admin=admin.name)
            return [
                *self._settle(event, outcome),
                audit(event, "log_confirm", "confirmed in the log chat", target),
                Stop("confirmed"),
            ]
        taken = await _take_back(ctx, event.chat.key, target_id, admin.id)
        if not taken.cleared and not taken.lifted:
            return [
                audit(event, "log_undo_nothing", "nothing left to undo", target),
                Stop("nothing to undo"),
            ]
        actions: list[Action] = []
        if taken.lifted & {"remove", "ban"}:
            actions.append(Unban(event.chat, target, f"undone by {admin.name} in the log chat"))
        if "mute" in taken.lifted:
            actions.append(Unmute(event.chat, target, f"undone by {admin.name} in the log chat"))
        outcome = render(texts.LOG_UNDONE, lang, admin=admin.name, n=taken.cleared)
        return [
            *actions,
            *self._settle(event, outcome),
            audit(event, "log_undo", "undone in the log chat", target, **taken.detail()),
            Stop("undone"),
        ]

    @staticmethod
    def _settle(event: Event, outcome: str) -> list[Action]:
        """The log line, its buttons gone, with who settled it."""
        if not event.message_id:
            return []
        where = event.pressed_in or event.chat
        text = f"{event.text}\n{outcome}" if event.text else outcome
        return [Edit(where, event.message_id, text, "log line settled")]

    async def _unbanned(self, event: Event, ctx: Context) -> list[Action]:
        """An admin lifted, in the platform's own interface, a ban the bot made: the same as a /pardon that
        takes the ban back (strikes cleared, what the bot kept of their messages marked ordinary), said in
        the log only: the admin chose not to announce it. A ban the bot did not make is not its business."""
        member, admin = event.user, event.actor
        if member is None or admin is None:
            return []
        sanctions = await SanctionRepo(ctx.session).open(event.chat.key, member.id, ctx.now)
        if not any(s.kind in ("ban", "remove") for s in sanctions):
            return [Record(event.chat, "unban_not_ours", "no ban of the bot's was open", member.id)]
        taken = await _take_back(ctx, event.chat.key, member.id, admin.id)
        reason = f"unbanned by {admin.name} on the platform"
        return [audit(event, "unban", reason, member, by=admin, **taken.detail())]

    async def _ban(self, event: Event, ctx: Context) -> list[Action]:
        resolved = await self._resolve(event, ctx, mention=False, punishing=True)
        if isinstance(resolved, list):
            return resolved
        target, args = resolved
        assert event.user is not None
        lang = ctx.config.language
        reason = " ".join(args) or render(texts.NO_REASON, lang)
        notice = render(texts.ADMIN_BAN, lang, name=target.name, reason=reason)
        return [
            Send(event.chat, notice, reason=f"ban: {reason}", purpose="moderation"),
            *await sanction(ctx, event.chat, target, "ban", reason, actor=event.user),
            audit(event, "ban", reason, target),
        ]

    async def _mute(self, event: Event, ctx: Context) -> list[Action]:
        resolved = await self._resolve(event, ctx, mention=False, punishing=True)
        if isinstance(resolved, list):
            return resolved
        target, args = resolved
        assert event.user is not None
        mod, lang = ctx.config.moderation, ctx.config.language
        duration, args = _duration(args, parse_duration(mod.default_mute))
        if duration is None or duration > parse_duration(mod.max_mute):
            return [self._reply(event, ctx, texts.BAD_DURATION, "bad mute duration", max=mod.max_mute)]
        reason = " ".join(args) or render(texts.NO_REASON, lang)
        notice = render(
            texts.ADMIN_MUTE,
            lang,
            mention=target.mention,
            duration=format_duration(duration, lang),
            reason=reason,
        )
        until = ctx.now + duration
        return [
            Send(event.chat, notice, reason=f"mute: {reason}", purpose="moderation"),
            *await sanction(ctx, event.chat, target, "mute", reason, actor=event.user, until=until),
            audit(event, "mute", reason, target, until=until.isoformat()),
        ]

    # --- members' reports ----------------------------------------------------------------------------
    async def _report(self, event: Event, ctx: Context) -> list[Action]:
        reporter = event.user
        assert reporter is not None
        ref = event.reply_to
        if ref is None and event.args and handle_of(event.args[0]) is not None:
            return await self._report_member(event, ctx)
        if ref is None:
            text = render(common_texts.NEED_REPLY, ctx.config.language, command="report")
            return [self._send(event, ctx, text, "/report needs a reply")]
        target = ref.user
        if target is not None and target.id == reporter.id:
            return [self._reply(event, ctx, texts.REPORT_SELF, "own message reported")]
        mod, lang = ctx.config.moderation, ctx.config.language
        repo = ReportRepo(ctx.session)
        if not await repo.add(event.chat.key, ref.id, reporter.id, target.id if target else None, ctx.now):
            return [self._reply(event, ctx, texts.REPORT_AGAIN, "report repeated by the same member")]
        n = await repo.reporters(event.chat.key, ref.id)
        written = " ".join(event.args)
        notify = render(
            texts.REPORT_ADMINS,
            lang,
            reporter=reporter.name,
            target=target.name if target else "?",
            message_id=ref.id,
            group=event.chat.title or event.chat.key,
            reason=render(texts.REPORT_REASON, lang, reason=written) if written else "",
            n=n,
        )
        actions: list[Action] = [
            NotifyAdmins(event.chat, notify, reason=f"message {ref.id} reported by {reporter.name}"),
            Record(
                event.chat,
                "reported",
                f"message {ref.id} reported ({n} reporter(s))",
                target.id if target else None,
                {"reporter": reporter.id, "message_id": ref.id, "reporters": n},
            ),
            self._reply(event, ctx, texts.REPORT_THANKS, "report acknowledged", reporter=reporter.name),
        ]
        if target is not None and mod.report_threshold and n >= mod.report_threshold and not target.is_admin:
            if mod.report_delete:
                actions.append(Delete(event.chat, ref.id, f"reported by {n} members"))
            offence = Offence(
                target,
                "reported",
                category_label("reported", lang),
                source=f"report:{ref.id}",
                extra={"message_id": ref.id, "reporters": n},
            )
            actions += await add_strike(ctx, event.chat, offence)
        return actions

    async def _report_member(self, event: Event, ctx: Context) -> list[Action]:
        """``/report @member 私加骚扰``: what happened in private leaves no message to reply to. The admins
        are told (who, by whom, why, how many have reported this member); nothing is struck automatically,
        since nothing in the group shows it."""
        reporter = event.user
        assert reporter is not None
        found = await resolve_target(event, ctx)  # no reply here: the member row of an @handle
        if isinstance(found, NoTarget) or found.member is None:
            text = explain_missing(found if isinstance(found, NoTarget) else NoTarget(), ctx, "report")
            return [self._send(event, ctx, text, "/report: member not found")]
        member, handle = found.member, event.args[0]
        if member.user_id == reporter.id:
            return [self._reply(event, ctx, texts.REPORT_SELF, "member reported themself")]
        repo = ReportRepo(ctx.session)
        subject = f"member:{member.user_id}"  # one report per reporter and member, as per message
        if not await repo.add(event.chat.key, subject, reporter.id, member.user_id, ctx.now):
            return [self._reply(event, ctx, texts.REPORT_AGAIN, "member reported again by the same member")]
        n = await repo.reporters(event.chat.key, subject)
        written, lang = " ".join(event.args[1:]), ctx.config.language
        notify = render(
            texts.REPORT_MEMBER_ADMINS,
            lang,
            reporter=reporter.name,
            target=member.display_name or handle,
            group=event.chat.title or event.chat.key,
            reason=render(texts.REPORT_REASON, lang, reason=written) if written else "",
            n=n,
        )
        return [
            NotifyAdmins(event.chat, notify, reason=f"member {member.user_id} reported by {reporter.name}"),
            Record(
                event.chat,
                "reported_member",
                f"member reported ({n} reporter(s)){': ' + written if written else ''}",
                member.user_id,
                {"reporter": reporter.id, "reporters": n},
            ),
            self._reply(event, ctx, texts.REPORT_THANKS, "report acknowledged", reporter=reporter.name),
        ]


def _duration(args: Sequence[str], default: timedelta) -> tuple[timedelta | None, tuple[str, ...]]:
    """``/mute 1h 原因`` → (1 h, ("原因",)); no duration given → the default; a malformed one → None."""
    if not args:
        return default, ()
    try:
        return parse_duration(args[0]), tuple(args[1:])
    except ValueError:
        looks_like = args[0][:1].isdigit()
        return (None if looks_like else default), tuple(args if not looks_like else args[1:])


class _TakenBackDetail(TypedDict):
    strikes_cleared: int
    lifted: list[str]
    marked_ordinary: int


@dataclass(frozen=True, slots=True)
class _TakenBack:
    cleared: int  # strikes pardoned
    lifted: frozenset[str]  # kinds of sanction lifted
    relabelled: int  # kept ad texts marked ordinary

    def detail(self) -> _TakenBackDetail:
        return {
            "strikes_cleared": self.cleared,
            "lifted": sorted(self.lifted),
            "marked_ordinary": self.relabelled,
        }


async def _take_back(ctx: Context, group: str, user_id: str, by: str) -> _TakenBack:
    """Pardon every strike and lift every sanction in force. Taking a removal or ban back says the bot was
    wrong about the member: the deleted messages it kept, where the group keeps them, become honest
    samples. A pardon of strikes alone is leniency and teaches nothing."""
    strikes = StrikeRepo(ctx.session)
    # Every ad strike being cleared whose text may still be kept, not only those in the strike window.
    kept_since = ctx.now - timedelta(days=MAX_KEEP_FLAGGED_DAYS)
    ad_sources = [
        strike.source
        for strike in await strikes.active(group, user_id, kept_since)
        if strike.source.startswith("ad:")
    ]
    cleared = await strikes.pardon_all(group, user_id, ctx.now, by)
    lifted = frozenset(s.kind for s in await SanctionRepo(ctx.session).lift_open(group, user_id, ctx.now, by))
    relabelled = 0
    if lifted & {"remove", "ban"}:
        relabelled = await relabel_flagged(ctx.session, group, ad_sources, HAM)
    return _TakenBack(cleared, lifted, relabelled)
