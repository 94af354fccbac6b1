"""Quiz with a draw (知识问答): at the scheduled time the next question of the TOML pool is posted; members
answer with ``/答 答案`` (``/answer``); a right answer within the window is one entry in the draw, however
many tries it took. When the window closes the check draws the winners as the lottery does (seed and
tickets, reproducible): the group sees the answer and the winners, the admins and the log get the seed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.config import GroupConfig
from handlers.contract.actions import Action, NotifyAdmins, Record, Send
from handlers.contract.events import Event, EventKind
from handlers.contract.texts import render
from handlers.feature import CommandSpec, Context, Feature, JobSpec
from handlers.quiz import texts
from rules.lottery import draw_tickets, seed_for
from rules.quiz import is_correct, question_index
from storage.models.quiz import QuizRound
from storage.repos.quiz import QuizRepo

ASK_JOB = "quiz.ask"
CLOSE_JOB = "quiz.close"
RECHECK = timedelta(hours=1)
CHINESE_COMMANDS = ("/答", "／答")


def answer_text(event: Event) -> str | None:
    """The answer when the event is ``/answer …`` or ``/答 …`` (None otherwise)."""
    if event.kind == EventKind.COMMAND and event.command in ("answer", "da"):
        return " ".join(event.args)
    if event.kind == EventKind.MESSAGE and event.text.startswith(CHINESE_COMMANDS):
        head, _, rest = event.text.partition(" ")
        return rest if head in CHINESE_COMMANDS else None
    return None


class Quiz(Feature):
    name = "quiz"
    kinds = frozenset({EventKind.COMMAND, EventKind.MESSAGE, EventKind.TICK})
    commands = (CommandSpec("answer", "回答问答：/答 答案", "Answer the quiz: /answer text"),)

    def __init__(self) -> None:
        self._quiet_until: dict[str, datetime] = {}  # group → no round of ours closes before this

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        cfg = config.quiz
        if not cfg.enabled:
            return []
        asking = [JobSpec(ASK_JOB, cfg.at, grace_s=600)] if cfg.at and cfg.questions else []
        return [*asking, JobSpec(CLOSE_JOB, cfg.close_check, grace_s=600)]

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if not ctx.config.quiz.enabled:
            return []
        if event.kind == EventKind.TICK:
            if event.data == ASK_JOB:
                if not ctx.caps.hears_members:  # nobody's /答 would reach the bot: asking is in vain
                    why = "quiz not asked: members' answers cannot reach the bot in this group"
                    return [Record(event.chat, "quiz.skipped", why)]
                return await self._ask(event, ctx)
            return await self._close_due(event, ctx) if event.data == CLOSE_JOB else []
        if event.user is None or event.chat.kind != "group":
            return []
        answer = answer_text(event)
        return await self._answer(event, ctx, answer) if answer is not None else []

    async def _ask(self, event: Event, ctx: Context) -> list[Action]:
        cfg, lang, repo = ctx.config.quiz, ctx.config.language, ctx.repos.quiz
        index = question_index(await repo.rounds_so_far(event.chat.key), len(cfg.questions))
        question = cfg.questions[index].question
        closes_at = ctx.now + timedelta(minutes=cfg.window_minutes)
        row = await repo.ask(event.chat.key, index, question, ctx.now, closes_at)
        self._quiet_until.pop(event.chat.key, None)
        prize = render(texts.PRIZE, lang, prize=cfg.prize) if cfg.prize else ""
        text = render(texts.ASKED, lang, question=question, minutes=cfg.window_minutes, prize=prize)
        return [
            Send(event.chat, text, f"quiz round {row.id} asked"),
            Record(
                event.chat, "quiz.asked", f"round {row.id}: question {index + 1}", None, {"round": row.id}
            ),
        ]

    async def _answer(self, event: Event, ctx: Context, answer: str) -> list[Action]:
        assert event.user is not None
        cfg, lang = ctx.config.quiz, ctx.config.language
        if not answer.strip():
            return [Send(event.chat, render(texts.USAGE, lang), "/answer without text", event.message_id)]
        repo = ctx.repos.quiz
        row = await repo.current(event.chat.key, ctx.now)
        if row is None:
            return [
                Send(event.chat, render(texts.NO_ROUND, lang), "/answer with no open quiz", event.message_id)
            ]
        pool = cfg.questions
        accepted = pool[row.question_index].answers if row.question_index < len(pool) else []
        if not is_correct(answer, accepted):
            return [
                Send(event.chat, render(texts.WRONG, lang), f"quiz round {row.id}: wrong", event.message_id),
                Record(event.chat, "quiz.wrong", f"round {row.id}", event.user.id, {"round": row.id}),
            ]
        if not await repo.enter(row.id, event.user.id, ctx.now):
            return []  # right again: still one entry
        return [
            Send(event.chat, render(texts.RIGHT, lang), f"quiz round {row.id}: right", event.message_id),
            Record(event.chat, "quiz.right", f"round {row.id}", event.user.id, {"round": row.id}),
        ]

    async def _close_due(self, event: Event, ctx: Context) -> list[Action]:
        """Draw the rounds whose window has closed; no query while the group has none open."""
        group = event.chat.key
        if ctx.now < self._quiet_until.get(group, ctx.now):
            return []
        repo, actions = ctx.repos.quiz, []
        for row in await repo.due(group, ctx.now):
            seed = seed_for(event.delivery, event.at)
            if await repo.close(row, ctx.now, seed):
                actions += await self._draw(event, ctx, repo, row, seed)
        next_close = await repo.next_closing(group)
        self._quiet_until[group] = min(ctx.now + RECHECK, next_close or ctx.now + RECHECK)
        return actions

    async def _draw(
        self, event: Event, ctx: Context, repo: QuizRepo, row: QuizRound, seed: str
    ) -> list[Action]:
        cfg, lang = ctx.config.quiz, ctx.config.language
        entrants = await repo.entrants(row.id)
        drawn = draw_tickets(entrants, cfg.winners, seed)
        members = ctx.repos.members
        names = []
        for _, user_id in drawn:
            member = await members.get(event.chat.key, user_id)
            names.append(
                f"@{member.username}"
                if member and member.username
                else (member.display_name if member else user_id)
            )
        pool = cfg.questions
        answer = pool[row.question_index].answers[0] if row.question_index < len(pool) else "—"
        prize = render(texts.PRIZE, lang, prize=cfg.prize) if cfg.prize else ""
        verdict = (
            render(texts.WINNERS, lang, names="、".join(names), prize=prize)
            if drawn
            else render(texts.NOBODY, lang)
        )
        text = render(
            texts.RESULT, lang, question=row.question, answer=answer, count=len(entrants), winners=verdict
        )
        tickets = [t for t, _ in drawn]
        admin_text = render(
            texts.ADMINS,
            lang,
            question=row.question,
            count=len(entrants),
            winners="、".join(names) or "—",
            seed=seed,
            tickets=", ".join(tickets) or "—",
        )
        detail = {
            "round": row.id,
            "seed": seed,
            "seed_from": {"delivery": event.delivery, "at": event.at.isoformat()},
            "candidates": len(entrants),
            "winners": tickets,
        }
        won: list[Action] = [
            Record(
                event.chat,
                "quiz.won",
                f"won round {row.id} with seed {seed}",
                user,
                {"ticket": t, "seed": seed},
            )
            for t, user in drawn
        ]
        return [
            Send(event.chat, text, f"quiz round {row.id} drawn"),
            NotifyAdmins(event.chat, admin_text, f"quiz round {row.id} draw seed"),
            Record(
                event.chat,
                "quiz.drawn",
                f"round {row.id}: {len(drawn)} of {len(entrants)}, seed {seed}",
                None,
                detail,
            ),
            *won,
        ]
