"""Join requests (groups with "approve new members"; Telegram ``chat_join_request``): the requester is
asked the entry questionnaire in a private chat with the bot (the onboarding questions; referral joiners
推荐人 + 入群期待), and the request is approved when the last answer comes, or by an admin's 通过 / 拒绝 on
the admins' notice (the platform checks the presser is an admin of the group). No answer by the deadline:
declined (they may ask again) or left pending for the admins, as the TOML says.

The answers are the onboarding questionnaire's own rows, so once the member is in, the questionnaire task
is already done and nothing is asked twice. The request's row is the promise that it is settled once,
whatever the redeliveries, double presses and restarts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.config import GroupConfig
from handlers.contract.actions import (
    Action,
    ApproveJoin,
    Button,
    DeclineJoin,
    Edit,
    NotifyAdmins,
    Record,
    Send,
    SendPrivate,
    Stop,
)
from handlers.contract.events import Chat, Event, EventKind, User
from handlers.contract.texts import render
from handlers.feature import Context, Feature, JobSpec, Phase
from handlers.tasks.checklist import pending_question, questions_for
from handlers.verify import texts
from rules.dates import format_deadline
from rules.onboarding import referrer_from_link
from storage.repos.join_requests import JoinRequestRepo
from storage.repos.onboarding import NewcomerRepo
from storage.repos.raids import RaidRepo

SWEEP = "verify.join_requests"
PREFIX = "jr:"  # jr:approve:<user id> / jr:decline:<user id>, buttons for the admins of the group


def parse_press(data: str) -> tuple[str, str] | None:
    """``jr:approve:42`` → ("approve", "42"); anything else is not ours."""
    if not data.startswith(PREFIX):
        return None
    verb, _, user_id = data[len(PREFIX) :].partition(":")
    return (verb, user_id) if verb in ("approve", "decline") and user_id else None


class JoinRequests(Feature):
    name = "join_requests"
    phase = Phase.MODERATION
    kinds = frozenset({EventKind.JOIN_REQUEST, EventKind.MESSAGE, EventKind.BUTTON_PRESSED, EventKind.TICK})

    def __init__(self) -> None:
        self._configs: dict[str, GroupConfig] = {}  # group → its config, for answers in private chats
        self._due: dict[str, datetime | None] = {}  # group → earliest pending deadline; absent: unknown

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        enabled = config.verify.join_requests.enabled
        return [JobSpec(SWEEP, config.verify.sweep, grace_s=600)] if enabled else []

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind == EventKind.MESSAGE and event.chat.kind == "private":
            return await self._answered(event, ctx)
        if event.chat.kind != "group":
            return []
        if event.kind == EventKind.TICK:
            return await self._sweep(event, ctx) if event.data == SWEEP else []
        if event.kind == EventKind.JOIN_REQUEST:
            return await self._requested(event, ctx)
        if event.kind == EventKind.BUTTON_PRESSED and (press := parse_press(event.data)):
            return await self._pressed(event, ctx, *press)
        return []

    @staticmethod
    def _group_name(config: GroupConfig, chat: Chat) -> str:
        return config.name or chat.title or chat.key

    async def _requested(self, event: Event, ctx: Context) -> list[Action]:
        config, cfg, user = ctx.config, ctx.config.verify.join_requests, event.user
        if user is None or user.is_bot:
            return []
        if config.antiraid.enabled and config.antiraid.lock_joins:
            raid = await RaidRepo(ctx.session).active(event.chat.key, ctx.now)
            if raid is not None:  # the door is locked for the raid: nobody is let in meanwhile
                reason = "raid mode: join requests are declined until it ends (they may ask again)"
                return [
                    DeclineJoin(event.chat, user, reason),
                    Record(event.chat, "join_request.declined", reason, user.id, {"raid": raid.id}),
                    Stop("raid mode"),
                ]
        if not cfg.enabled:
            return []  # left in the platform's own list for the admins
        self._configs[event.chat.key] = config
        referral = referrer_from_link(event.invite_link) is not None
        questions = questions_for(config, referral) if cfg.questionnaire else []
        deadline = ctx.now + timedelta(minutes=cfg.timeout_minutes)
        private_id = event.private_chat_id or user.id
        repo = JoinRequestRepo(ctx.session)
        started = await repo.start(
            event.chat.key,
            user.id,
            user.name,
            private_id,
            questions,
            ctx.now,
            deadline,
            event.invite_link,
            event.delivery,
        )
        if not started:
            return [Record(event.chat, "join_request.repeated", "a request already pending", user.id)]
        due = self._due.get(event.chat.key)
        self._due[event.chat.key] = deadline if due is None else min(due, deadline)
        lang, group = config.language, self._group_name(config, event.chat)
        actions: list[Action] = []
        how = ""
        if questions:
            how = render(texts.REQUEST_ASKING, lang, n=len(questions))
            first = render(texts.REQUEST_FIRST, lang, group=group, n=len(questions), question=questions[0][1])
            requester = User(private_id, user.name, user.username)
            private = Chat(event.chat.platform, private_id, "private")
            actions.append(SendPrivate(private, requester, first, "join request: entry questionnaire"))
        notice = render(
            texts.REQUEST_NOTICE,
            lang,
            name=user.name,
            group=group,
            how=how,
            deadline=format_deadline(deadline, config.tz, lang),
            then=render(texts.REQUEST_THEN[cfg.on_timeout], lang),
        )
        buttons = (
            (
                Button(
                    render(texts.APPROVE_BUTTON, lang), f"{PREFIX}approve:{user.id}", admins_of=event.chat.key
                ),
                Button(
                    render(texts.DECLINE_BUTTON, lang), f"{PREFIX}decline:{user.id}", admins_of=event.chat.key
                ),
            )
            if cfg.admin_buttons
            else ()
        )
        reason = f"{len(questions)} questions in private" if questions else "waiting for an admin"
        return [
            *actions,
            NotifyAdmins(event.chat, notice, "join request received", buttons),
            Record(
                event.chat,
                "join_request.received",
                reason,
                user.id,
                {"questions": len(questions), "referral": referral, "deadline": deadline.isoformat()},
            ),
            Stop("join request"),
        ]

    async def _answered(self, event: Event, ctx: Context) -> list[Action]:
        """A private message from someone with a pending request: the next answer of their questionnaire."""
        user = event.user
        if user is None or user.is_bot or not event.text.strip():
            return []
        repo = JoinRequestRepo(ctx.session)
        row = await repo.pending_for_user(user.id)
        if row is None or not row.questions:
            return []
        group = Chat.from_key(row.group_key)
        config = self._configs.get(row.group_key, ctx.config)
        lang, name = config.language, self._group_name(config, group)
        answers = NewcomerRepo(ctx.session)
        known = await answers.answers(row.group_key, user.id)
        pending = pending_question(row.questions, known)
        actions: list[Action] = []
        if pending is not None:
            index, key, _ = pending
            await answers.answer(row.group_key, user.id, key, event.text.strip(), ctx.now)
            known = {**known, key: ""}
            actions.append(
                Record(
                    group, "join_request.answered", f"question {index} answered", user.id, {"question": key}
                )
            )
            nxt = pending_question(row.questions, known)
            if nxt is not None:
                i, _, question = nxt
                text = render(texts.REQUEST_NEXT, lang, i=i, n=len(row.questions), question=question)
                return [*actions, Send(event.chat, text, f"join request: question {i}"), Stop("answered")]
        if not await repo.resolve(row.group_key, user.id, "approved", ctx.now):
            return [*actions, Stop("join request already settled")]
        await answers.mark_done(row.group_key, user.id, "questionnaire", ctx.now, "join_request")
        member = User(user.id, row.user_name or user.name, user.username)
        return [
            *actions,
            ApproveJoin(group, member, "entry questionnaire answered"),
            Send(event.chat, render(texts.REQUEST_APPROVED, lang, group=name), "join request approved"),
            Record(group, "join_request.approved", "entry questionnaire answered", user.id),
            Stop("join request approved"),
        ]

    async def _pressed(self, event: Event, ctx: Context, verb: str, target_id: str) -> list[Action]:
        presser = event.user
        if presser is None or not presser.is_admin:
            # the platform already told the presser no; the log says who tried
            who = presser.id if presser else None
            return [
                Record(event.chat, "join_request.refused", f"{verb} pressed by a non-admin", who),
                Stop("refused"),
            ]
        repo = JoinRequestRepo(ctx.session)
        row = await repo.pending(event.chat.key, target_id)
        status = "approved" if verb == "approve" else "declined"
        if row is None or not await repo.resolve(event.chat.key, target_id, status, ctx.now, presser.id):
            return [Stop("join request already settled")]  # a second press, or answered meanwhile
        lang = ctx.config.language
        member = User(target_id, row.user_name)
        reason = f"{status} by admin {presser.name}"
        actions: list[Action] = [
            ApproveJoin(event.chat, member, reason)
            if verb == "approve"
            else DeclineJoin(event.chat, member, reason),
            Record(event.chat, f"join_request.{status}", reason, target_id, {"by": presser.id}),
        ]
        if verb == "approve":
            text = render(
                texts.REQUEST_APPROVED_BY_ADMIN, lang, group=self._group_name(ctx.config, event.chat)
            )
            private = Chat(event.chat.platform, row.private_chat_id or target_id, "private")
            actions.append(
                SendPrivate(private, User(private.id, row.user_name), text, "join request approved")
            )
        if event.pressed_in is not None and event.message_id:
            settled = render(
                texts.REQUEST_SETTLED,
                lang,
                name=row.user_name,
                outcome=render(texts.REQUEST_OUTCOME[status], lang),
                admin=presser.name,
            )
            actions.append(Edit(event.pressed_in, event.message_id, settled, "join request settled"))
        return [*actions, Stop("join request settled")]

    async def _sweep(self, event: Event, ctx: Context) -> list[Action]:
        key, cfg = event.chat.key, ctx.config.verify.join_requests
        if key in self._due:
            due = self._due[key]
            if due is None or due > ctx.now:
                return []  # nothing pending is due: an idle tick costs no query
        repo = JoinRequestRepo(ctx.session)
        actions: list[Action] = []
        for row in await repo.due(key, ctx.now):
            if not await repo.resolve(key, row.user_id, "expired", ctx.now):
                continue
            minutes = int((row.deadline - row.requested_at).total_seconds() // 60)
            member = User(row.user_id, row.user_name)
            if cfg.on_timeout == "decline":
                reason = f"no answer in {minutes} min: declined (may ask again)"
                actions.append(DeclineJoin(event.chat, member, reason))
            else:
                reason = f"no answer in {minutes} min: left pending for the admins"
            actions.append(
                Record(event.chat, "join_request.timeout", reason, row.user_id, {"then": cfg.on_timeout})
            )
        self._due[key] = await repo.next_deadline(key)
        return actions
