"""Polls: ``/poll 问题 | 选项A | 选项B`` opens one with a button per option; a press (or, where the platform
has no buttons, the ``/vote N K`` command the button shows) records or changes the member's vote; a
scheduled check closes polls past their time and posts the results once.

Buttons work on every platform (the executor turns them into "send /vote …" lines where there are none),
so one implementation serves Telegram, WeCom and the console; Telegram's native polls are not used because
their votes would bypass the log.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.config import GroupConfig
from handlers.contract.actions import Action, Button, Record, Send
from handlers.contract.events import Event, EventKind
from handlers.contract.texts import render
from handlers.feature import CommandSpec, Context, Feature, JobSpec
from handlers.polls import texts
from rules.dates import format_deadline
from rules.polls import PollError, parse_poll, tally_lines, winners
from storage.models.engagement import Poll
from storage.repos.polls import PollRepo

CLOSE_JOB = "polls.close"
# Between database checks a group with no poll due is known to be idle; a poll opened on another instance
# is still found within this long.
RECHECK = timedelta(hours=1)


def vote_command(poll_id: int, option: int) -> str:
    return f"/vote {poll_id} {option + 1}"


def _parse_vote(text: str) -> tuple[int, int] | None:
    parts = text.split()
    if len(parts) == 3 and parts[0] == "/vote" and parts[1].isdigit() and parts[2].isdigit():
        return int(parts[1]), int(parts[2]) - 1
    return None


class Polls(Feature):
    name = "polls"
    kinds = frozenset({EventKind.COMMAND, EventKind.BUTTON_PRESSED, EventKind.TICK})
    commands = (
        CommandSpec(
            "poll", "发起投票：/poll 问题 | 选项A | 选项B", "Open a poll: /poll question | A | B", admin=True
        ),
        CommandSpec("vote", "投票：/vote 投票号 选项号", "Vote: /vote poll option"),
    )

    def __init__(self) -> None:
        self._quiet_until: dict[str, datetime] = {}  # group → no poll of ours closes before this

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        return [JobSpec(CLOSE_JOB, config.polls.close_check, grace_s=600)] if config.polls.enabled else []

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if not ctx.config.polls.enabled:
            return []
        if event.kind == EventKind.TICK:
            return await self._close_due(event, ctx) if event.data == CLOSE_JOB else []
        if event.user is None or event.chat.kind != "group":
            return []
        if event.kind == EventKind.COMMAND and event.command == "poll":
            return await self._open(event, ctx)
        vote = (
            _parse_vote(event.data)
            if event.kind == EventKind.BUTTON_PRESSED
            else _parse_vote(" ".join(("/vote", *event.args)))
            if event.command == "vote"
            else None
        )
        return await self._vote(event, ctx, *vote) if vote is not None else []

    async def _open(self, event: Event, ctx: Context) -> list[Action]:
        assert event.user is not None
        cfg, lang = ctx.config.polls, ctx.config.language
        if cfg.admins_only and not event.user.is_admin:
            return [Send(event.chat, render(texts.ADMINS_ONLY, lang), "/poll by a member", event.message_id)]
        spec = parse_poll(
            " ".join(event.args),
            cfg.anonymous,
            timedelta(hours=cfg.default_hours),
            timedelta(days=cfg.max_days),
        )
        if isinstance(spec, PollError):
            text = render(texts.ERRORS[spec.reason], lang, max_days=cfg.max_days)
            return [Send(event.chat, text, f"/poll refused: {spec.reason}", event.message_id)]
        closes_at = ctx.now + spec.duration
        self._quiet_until[event.chat.key] = min(self._quiet_until.get(event.chat.key, closes_at), closes_at)
        poll = await ctx.repos.polls.open(
            event.chat.key, spec.question, spec.options, spec.anonymous, event.user.id, ctx.now, closes_at
        )
        closes = format_deadline(closes_at, ctx.config.tz, lang)
        how = render(texts.ANONYMOUS if spec.anonymous else texts.OPEN_VOTE, lang)
        text = render(texts.OPENED, lang, question=spec.question, how=how, closes=closes)
        buttons = tuple(
            Button(option, data=vote_command(poll.id, i)) for i, option in enumerate(spec.options)
        )
        detail = {"poll": poll.id, "options": len(spec.options), "anonymous": spec.anonymous}
        return [
            Send(event.chat, text, f"poll {poll.id} opened", buttons=buttons),
            Record(
                event.chat,
                "poll.opened",
                f"poll {poll.id}: {len(spec.options)} options",
                event.user.id,
                detail,
            ),
        ]

    async def _vote(self, event: Event, ctx: Context, poll_id: int, option: int) -> list[Action]:
        assert event.user is not None
        repo = ctx.repos.polls
        poll = await repo.get(event.chat.key, poll_id)
        if poll is None or not 0 <= option < len(poll.options):
            return [
                Record(
                    event.chat, "poll.vote_unknown", f"no poll {poll_id} option {option + 1}", event.user.id
                )
            ]
        if poll.closed_at is not None or ctx.now >= poll.closes_at:
            return [Record(event.chat, "poll.vote_late", f"poll {poll_id} is closed", event.user.id)]
        before = await repo.vote(poll.id, event.user.id, option, ctx.now)
        if before == option:
            return []  # the same button again: nothing changes
        kind = "poll.voted" if before is None else "poll.vote_changed"
        return [
            Record(
                event.chat, kind, f"poll {poll_id}", event.user.id, {"poll": poll_id, "option": option + 1}
            )
        ]

    async def _close_due(self, event: Event, ctx: Context) -> list[Action]:
        """Close what is due; a group known to have nothing due costs no query (the check runs often)."""
        group = event.chat.key
        if ctx.now < self._quiet_until.get(group, ctx.now):
            return []
        repo, actions = ctx.repos.polls, []
        for poll in await repo.due(group, ctx.now):
            if await repo.close(poll, ctx.now):
                actions += await self._results(event, ctx, repo, poll)
        next_close = await repo.next_closing(group)
        self._quiet_until[group] = min(ctx.now + RECHECK, next_close or ctx.now + RECHECK)
        return actions

    async def _results(self, event: Event, ctx: Context, repo: PollRepo, poll: Poll) -> list[Action]:
        lang, options = ctx.config.language, [str(option) for option in poll.options]
        counts = await repo.counts(poll.id)
        top = winners(counts)
        verdict = (
            render(texts.NO_VOTES, lang)
            if not top
            else render(
                texts.WINNER if len(top) == 1 else texts.TIE, lang, winner="、".join(options[i] for i in top)
            )
        )
        lines = tally_lines(options, counts)
        if not poll.anonymous:
            for index, names in sorted((await repo.voters(poll)).items()):
                lines.append(render(texts.VOTERS, lang, option=options[index], names="、".join(names)))
        text = render(
            texts.RESULTS,
            lang,
            question=poll.question,
            lines="\n".join(lines),
            total=sum(counts.values()),
            verdict=verdict,
        )
        detail = {"poll": poll.id, "counts": {str(i + 1): counts.get(i, 0) for i in range(len(options))}}
        return [
            Send(event.chat, text, f"poll {poll.id} closed"),
            Record(event.chat, "poll.closed", f"poll {poll.id}: {sum(counts.values())} votes", None, detail),
        ]
