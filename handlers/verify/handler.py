"""Join verification: a newcomer is muted and asked to press a button, pick a sum or answer a question
about the rules; passing unmutes them and starts onboarding, a wrong choice or the deadline removes them
(they may rejoin) or keeps them muted, as the group prefers.

The join itself stops here (welcome and tasks wait), and a pass emits ``member_verified`` carrying the
join's invite link and inviter, which onboarding takes as the member's arrival. The database holds each
pending challenge (the passing choice and the deadline), so a restart forgets nobody; the deadline sweep
asks it only when this process knows something is due.
"""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta

from handlers.config import GroupConfig
from handlers.contract.actions import (
    Action,
    Button,
    Delete,
    Emit,
    Mute,
    NotifyAdmins,
    Record,
    Remove,
    Send,
    Stop,
    Unmute,
)
from handlers.contract.events import Event, EventKind, User
from handlers.contract.texts import render
from handlers.feature import Context, Feature, JobSpec, Phase
from handlers.verify import texts
from rules.verify import Challenge, arithmetic_challenge, button_challenge, rules_challenge
from storage.models.door import Verification
from storage.repos.join_requests import JoinRequestRepo
from storage.repos.raids import RaidRepo
from storage.repos.verify import VerificationRepo

SWEEP = "verify.sweep"
PREFIX = "verify:"
# Telegram mutes "forever" past 366 days: the member stays muted until passed (or, on timeout, for good)
MUTED_UNTIL_RELEASED = timedelta(days=400)
APPROVED_JOIN = timedelta(days=1)  # a join this soon after an approved join request is that approval


def challenge_for(config: GroupConfig, method: str, seed: int) -> Challenge:
    if method == "arithmetic":
        return arithmetic_challenge(seed)
    if method == "question":
        return rules_challenge(seed, [q.rule() for q in config.verify.questions])
    return button_challenge(render(texts.HUMAN, config.language))


def seed_of(event: Event) -> int:
    """Stable per join (a redelivery or a restart asks the same question), different between joins."""
    return zlib.crc32(f"{event.chat.key}/{event.user_id}/{event.delivery}".encode())


def parse_press(data: str) -> tuple[str, int] | None:
    """``verify:<user>:<choice>`` → (user, choice); anything else is not ours."""
    if not data.startswith(PREFIX):
        return None
    user_id, _, choice = data[len(PREFIX) :].rpartition(":")
    return (user_id, int(choice)) if user_id and choice.isdigit() else None


class Verify(Feature):
    name = "verify"
    phase = Phase.MODERATION
    kinds = frozenset(
        {
            EventKind.MEMBER_JOINED,
            EventKind.MEMBER_LEFT,
            EventKind.BUTTON_PRESSED,
            EventKind.MESSAGE,
            EventKind.COMMAND,
            EventKind.TICK,
        }
    )

    def __init__(self) -> None:
        # group → when the earliest pending deadline falls (None: nothing pending); absent: not read yet
        self._due: dict[str, datetime | None] = {}
        self._waiting: dict[str, set[str]] = {}  # group → members this process saw join and not pass

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        # raid mode (``handlers/antiraid``) verifies newcomers even where the group's method is "none"
        wanted = config.verify.enabled or config.antiraid.enabled
        return [JobSpec(SWEEP, config.verify.sweep, grace_s=600)] if wanted else []

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.chat.kind != "group":
            return []
        if event.kind == EventKind.TICK:
            return await self._sweep(event, ctx) if event.data == SWEEP else []
        user = event.user
        if user is None:
            return []
        if event.kind == EventKind.MEMBER_JOINED:
            return await self._joined(event, ctx, user)
        if event.kind == EventKind.BUTTON_PRESSED:
            press = parse_press(event.data)
            return await self._pressed(event, ctx, user, *press) if press else []
        if event.kind == EventKind.MEMBER_LEFT:
            if user.id in self._waiting.get(event.chat.key, ()):
                self._waiting[event.chat.key].discard(user.id)
                await VerificationRepo(ctx.session).resolve(event.chat.key, user.id, "left", ctx.now)
            return []
        # a message from a member still waiting (the mute did not hold, or arrived late): not shown
        if user.id in self._waiting.get(event.chat.key, ()) and event.message_id and ctx.caps.can_delete:
            return [Delete(event.chat, event.message_id, "not verified yet"), Stop("not verified yet")]
        return []

    def _exempt(self, event: Event, ctx: Context, user: User) -> bool:
        """Bots (the lock on bots decides about them), admins, the bot itself, and members an admin added."""
        added_by_admin = event.actor is not None and event.actor.id != user.id and event.actor.is_admin
        return user.is_bot or user.is_admin or user.id == ctx.bot_user_id or added_by_admin

    async def method(self, event: Event, ctx: Context) -> str | None:
        """The group's method, or in raid mode (``handlers/antiraid``) a button where it has none."""
        if ctx.config.verify.enabled:
            return ctx.config.verify.method
        if ctx.config.antiraid.enabled and await RaidRepo(ctx.session).active(event.chat.key, ctx.now):
            return "button"
        return None

    async def _joined(self, event: Event, ctx: Context, user: User) -> list[Action]:
        config, cfg = ctx.config, ctx.config.verify
        if self._exempt(event, ctx, user):
            return []
        method = await self.method(event, ctx)
        if method is None:
            return []
        if await JoinRequestRepo(ctx.session).approved_since(
            event.chat.key, user.id, ctx.now - APPROVED_JOIN
        ):
            # approved after the private questionnaire or by an admin: this join is that approval
            return [Record(event.chat, "verify.skipped", "join request approved", user.id)]
        if config.mode == "observe":
            return [Record(event.chat, "verify.skipped", "observe mode: nobody is muted", user.id)]
        if not (ctx.caps.can_mute and ctx.caps.buttons):
            # declared, not pretended: the admins hear of the join and onboarding goes on as usual
            text = render(texts.UNAVAILABLE, config.language, name=user.name)
            return [
                NotifyAdmins(event.chat, text, "verification not possible on this platform"),
                Record(event.chat, "verify.unavailable", "the platform cannot mute or show buttons", user.id),
            ]
        challenge = challenge_for(config, method, seed_of(event))
        deadline = ctx.now + timedelta(minutes=cfg.timeout_minutes)
        await VerificationRepo(ctx.session).start(
            event.chat.key,
            user.id,
            user.name,
            method,
            challenge.answer,
            ctx.now,
            deadline,
            event.invite_link,
            event.actor.id if event.actor else None,
            event.delivery,
        )
        self._waiting.setdefault(event.chat.key, set()).add(user.id)
        due = self._due.get(event.chat.key)
        self._due[event.chat.key] = deadline if due is None else min(due, deadline)
        template = {"button": texts.BUTTON, "arithmetic": texts.ARITHMETIC}.get(method, texts.QUESTION)
        text = render(
            template,
            config.language,
            mention=user.mention,
            minutes=cfg.timeout_minutes,
            question=challenge.question,
        )
        buttons = tuple(
            Button(option, data=f"{PREFIX}{user.id}:{i}") for i, option in enumerate(challenge.options)
        )
        return [
            Mute(event.chat, user, ctx.now + MUTED_UNTIL_RELEASED, "newcomer waits for verification"),
            Send(
                event.chat,
                text,
                f"verification challenge ({method})",
                buttons=buttons,
                delete_after_s=cfg.timeout_minutes * 60,
                mentions=(user,),
            ),
            Record(
                event.chat,
                "verify.started",
                f"{method} challenge, {cfg.timeout_minutes} min",
                user.id,
                {"method": method, "deadline": deadline.isoformat()},
            ),
            Stop("newcomer waits for verification"),
        ]

    async def _pressed(
        self, event: Event, ctx: Context, presser: User, target_id: str, choice: int
    ) -> list[Action]:
        by_admin = presser.is_admin and presser.id != target_id
        if presser.id != target_id and not by_admin:
            return [Stop("someone else's verification button")]
        repo = VerificationRepo(ctx.session)
        row = await repo.pending(event.chat.key, target_id)
        if row is None:
            return [Stop("verification already settled")]  # a second press, or after the deadline
        target = User(target_id, row.user_name)
        passed = by_admin or choice == row.answer
        if not await repo.resolve(event.chat.key, target_id, "passed" if passed else "failed", ctx.now):
            return [Stop("verification already settled")]
        self._waiting.get(event.chat.key, set()).discard(target_id)
        cleanup: list[Action] = (
            [Delete(event.chat, event.message_id, "challenge answered")] if event.message_id else []
        )
        if not passed:
            reason = f"wrong answer: chose option {choice + 1}, the right one was {row.answer + 1}"
            return [
                *cleanup,
                Remove(event.chat, target, f"failed verification ({reason}); may rejoin"),
                Record(event.chat, "verify.failed", reason, target_id, {"method": row.method}),
                Stop("verification failed"),
            ]
        reason = f"approved by admin {presser.name}" if by_admin else f"{row.method} answered"
        return [
            *cleanup,
            Unmute(event.chat, target, "verification passed"),
            Record(event.chat, "verify.passed", reason, target_id, {"method": row.method}),
            Emit(self._verified(event, ctx, row, target), "verification passed: onboarding starts"),
            Stop("verification settled"),
        ]

    @staticmethod
    def _verified(event: Event, ctx: Context, row: Verification, target: User) -> Event:
        actor = User(row.actor_id, "") if row.actor_id else None
        return Event(
            kind=EventKind.MEMBER_VERIFIED,
            chat=event.chat,
            at=ctx.now,
            delivery=f"{row.join_delivery}/verified",
            user=target,
            invite_link=row.invite_link,
            actor=actor,
        )

    async def _sweep(self, event: Event, ctx: Context) -> list[Action]:
        key, cfg = event.chat.key, ctx.config.verify
        known = key in self._due
        due = self._due.get(key)
        if known and (due is None or due > ctx.now):
            return []  # nothing pending is due: an idle tick costs no query
        repo = VerificationRepo(ctx.session)
        actions: list[Action] = []
        for row in await repo.due(key, ctx.now):
            if not await repo.resolve(key, row.user_id, "timeout", ctx.now):
                continue
            self._waiting.get(key, set()).discard(row.user_id)
            target = User(row.user_id, row.user_name)
            minutes = int((row.deadline - row.started_at).total_seconds() // 60)
            if cfg.on_timeout == "remove":
                actions.append(
                    Remove(event.chat, target, f"no answer to verification in {minutes} min; may rejoin")
                )
            actions.append(
                Record(
                    event.chat,
                    "verify.timeout",
                    f"no answer in {minutes} min: "
                    + ("removed" if cfg.on_timeout == "remove" else "kept muted"),
                    row.user_id,
                    {"method": row.method, "then": cfg.on_timeout},
                )
            )
        self._due[key] = await repo.next_deadline(key)
        return actions
