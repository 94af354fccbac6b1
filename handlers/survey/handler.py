"""Satisfaction survey: on its schedule, a sample of the members who spoke recently is asked one question
in private (buttons 1–5); the weekly briefing shows the average, the answers and the spread.

The sample is drawn like the lottery (reproducible from the tick's delivery), the answers are anonymous to
everyone but the database (the admins see totals only), and where the invitation cannot reach a member
(a Telegram member who never started the bot) the group is not pointed to it: a survey is not worth a line.
"""

from __future__ import annotations

from datetime import timedelta

from handlers.common.members import member_user
from handlers.config import GroupConfig
from handlers.contract.actions import Action, Button, Record, SendPrivate
from handlers.contract.events import Chat, Event, EventKind
from handlers.contract.texts import render
from handlers.feature import Context, Feature, JobSpec
from handlers.survey import texts
from rules.dates import format_deadline
from rules.lottery import draw, seed_for
from rules.survey import SCORES, parse_press

ASK_JOB = "survey.ask"


class Survey(Feature):
    name = "survey"
    kinds = frozenset({EventKind.TICK, EventKind.BUTTON_PRESSED})

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        return [JobSpec(ASK_JOB, config.survey.ask_at, grace_s=6 * 3600)] if config.survey.enabled else []

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind == EventKind.TICK:
            return await self._ask(event, ctx) if event.data == ASK_JOB and ctx.config.survey.enabled else []
        press = parse_press(event.data) if event.user is not None else None
        return await self._answer(event, ctx, *press) if press is not None else []

    async def _ask(self, event: Event, ctx: Context) -> list[Action]:
        cfg, lang, repo = ctx.config.survey, ctx.config.language, ctx.repos.survey
        active = await repo.active_members(event.chat.key, ctx.now - timedelta(days=cfg.active_days))
        seed = seed_for(event.delivery, ctx.now)
        chosen = set(draw([m.user_id for m in active], cfg.sample, seed))
        members = [m for m in active if m.user_id in chosen]
        if not members:
            return [Record(event.chat, "survey.skipped", "nobody spoke recently enough to be asked")]
        closes_at = ctx.now + timedelta(days=cfg.window_days)
        survey = await repo.open_round(event.chat.key, ctx.now, closes_at, len(members))
        group = (
            ctx.config.name
            or await ctx.repos.groups.title(event.chat.key)
            or event.chat.title
            or event.chat.id
        )
        text = render(
            texts.ASK,
            lang,
            group=group,
            question=cfg.question or render(texts.QUESTION, lang),
            closes=format_deadline(closes_at, ctx.config.tz, lang),
        )
        buttons = tuple(Button(str(score), data=f"survey:{survey.id}:{score}") for score in SCORES)
        why = f"survey round {survey.id}"
        actions: list[Action] = [
            SendPrivate(event.chat, member_user(m), text, why, buttons, purpose="survey") for m in members
        ]
        detail = {"round": survey.id, "invited": len(members), "active": len(active), "seed": seed}
        return [*actions, Record(event.chat, "survey.asked", f"{why}: {len(members)} invited", None, detail)]

    async def _answer(self, event: Event, ctx: Context, round_id: int, score: int) -> list[Action]:
        assert event.user is not None
        lang, repo = ctx.config.language, ctx.repos.survey
        survey = await repo.get(round_id)
        if survey is None:
            return []
        # the answer goes back in private, whichever chat the press arrived in
        group, why = Chat.from_key(survey.group_key), f"survey round {round_id}"
        if ctx.now >= survey.closes_at:
            closed = render(texts.CLOSED, lang)
            return [SendPrivate(group, event.user, closed, f"{why}: closed", purpose="survey")]
        await repo.answer(round_id, event.user.id, score, ctx.now)
        thanks = render(texts.THANKS, lang, score=score)
        return [
            SendPrivate(group, event.user, thanks, f"{why}: answered", purpose="survey"),
            Record(group, "survey.answered", f"{why}: answered", None, {"round": round_id}),
        ]
