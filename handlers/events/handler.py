"""Events (直播 / 分享 / 线下): an admin's ``/event 2026-03-20 20:00 | 标题 | 直播`` or an item in the TOML
announces one with a sign-up button (``/rsvp N`` where there are no buttons); from ``ask_days`` before,
``/ask 问题`` collects questions for the speaker; countdowns go to the group 1 day and 1 hour before, a
reminder to each member who signed up (privately where the platform can, else a mention), and a recap
with the collected questions after the end.

The posts are driven by a periodic check. Between checks the feature remembers when the group's next post
falls, so a check with nothing due costs no query; each post is claimed in the database first, so it goes
out once across restarts, redeliveries and instances. (One-shot ``After`` timers live in the process; an
event days ahead must survive restarts, so the periodic check is the mechanism, not a fallback.)
"""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.config import GroupConfig
from handlers.contract.actions import Action, Button, Record, Send, SendPrivate
from handlers.contract.events import Chat, Event, EventKind, User
from handlers.contract.texts import render
from handlers.events import texts
from handlers.events.config import EventItem, EventsConfig
from handlers.feature import CommandSpec, Context, Feature, JobSpec
from rules.dates import format_local
from rules.events import (
    RECAP,
    REMINDER,
    EventError,
    Plan,
    asking_open,
    due_stages,
    next_stage_at,
    parse_event,
    parse_when,
)
from storage.models.events import GroupEvent
from storage.repos.group_events import GroupEventRepo

CHECK_JOB = "events.check"
# Between database checks a group with nothing due is known to be idle; an event announced on another
# instance is still found within this long.
RECHECK = timedelta(hours=1)
SIGNED_UP_NOTICE_S = 120  # the "X signed up" line disappears after this


def rsvp_command(event_id: int) -> str:
    return f"/rsvp {event_id}"


def _parse_rsvp(words: list[str]) -> int | None:
    if len(words) == 2 and words[0] == "/rsvp" and words[1].isdigit():
        return int(words[1])
    return None


def _item_key(item: EventItem) -> str:
    return f"{' '.join(item.at.split())}|{item.title}"


class Events(Feature):
    name = "events"
    kinds = frozenset({EventKind.COMMAND, EventKind.BUTTON_PRESSED, EventKind.TICK})
    commands = (
        CommandSpec(
            "event",
            "发布活动：/event 2026-03-20 20:00 | 标题 | 直播",
            "Announce an event: /event 2026-03-20 20:00 | title | live",
            admin=True,
        ),
        CommandSpec("events", "查看接下来的活动", "Upcoming events"),
        CommandSpec("rsvp", "报名活动：/rsvp 活动号", "Sign up: /rsvp event"),
        CommandSpec("ask", "给下一场活动提问：/ask 问题", "Ask the next event's speaker: /ask question"),
    )

    def __init__(self) -> None:
        self._quiet_until: dict[str, datetime] = {}  # group → no post of ours is due before this
        self._synced: dict[str, tuple[str, ...]] = {}  # group → the TOML items already in the database

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        return [JobSpec(CHECK_JOB, config.events.check, grace_s=600)] if config.events.enabled else []

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if not ctx.config.events.enabled:
            return []
        if event.kind == EventKind.TICK:
            return await self._check(event, ctx) if event.data == CHECK_JOB else []
        if event.user is None or event.chat.kind != "group":
            return []
        if event.kind == EventKind.BUTTON_PRESSED:
            rsvp = _parse_rsvp(event.data.split())
            return await self._rsvp(event, ctx, rsvp) if rsvp is not None else []
        if event.command == "event":
            return await self._announce(event, ctx) if event.args else await self._list(event, ctx)
        if event.command == "events":
            return await self._list(event, ctx)
        if event.command == "rsvp":
            rsvp = _parse_rsvp(["/rsvp", *event.args])
            return await self._rsvp(event, ctx, rsvp) if rsvp is not None else await self._list(event, ctx)
        if event.command == "ask":
            return await self._ask(event, ctx)
        return []

    # ---- announcing ----------------------------------------------------------------------------------

    async def _announce(self, event: Event, ctx: Context) -> list[Action]:
        assert event.user is not None
        cfg, lang = ctx.config.events, ctx.config.language
        if cfg.admins_only and not event.user.is_admin:
            return [Send(event.chat, render(texts.ADMINS_ONLY, lang), "/event by a member", event.message_id)]
        spec = parse_event(" ".join(event.args), ctx.config.tz, ctx.now)
        if isinstance(spec, EventError):
            text = render(texts.ERRORS[spec.reason], lang)
            return [Send(event.chat, text, f"/event refused: {spec.reason}", event.message_id)]
        ends_at = spec.starts_at + timedelta(minutes=cfg.duration_minutes)
        created = await ctx.repos.group_events.create(
            event.chat.key, spec.title, spec.kind, spec.starts_at, ends_at, event.user.id, ctx.now
        )
        assert created is not None  # only TOML items can collide
        return self._announcement(event.chat, ctx, created, event.user.id)

    async def _sync_items(self, chat: Chat, ctx: Context) -> list[Action]:
        """Create the TOML's events in the database once per group (and again after a reload changes
        them); an item whose event is already over is not created, so an old list posts no recaps."""
        cfg = ctx.config.events
        keys = tuple(_item_key(item) for item in cfg.items)
        if self._synced.get(chat.key) == keys:
            return []
        repo, actions = ctx.repos.group_events, []
        for item, key in zip(cfg.items, keys, strict=True):
            starts_at = parse_when(item.at, ctx.config.tz)
            assert starts_at is not None  # validated with the config
            ends_at = starts_at + timedelta(minutes=item.duration_minutes or cfg.duration_minutes)
            if ends_at <= ctx.now:
                continue
            created = await repo.create(
                chat.key, item.title, item.kind_code, starts_at, ends_at, "config", ctx.now, source_key=key
            )
            if created is not None:
                actions += self._announcement(chat, ctx, created, None)
        self._synced[chat.key] = keys
        return actions

    def _announcement(self, chat: Chat, ctx: Context, created: GroupEvent, by: str | None) -> list[Action]:
        self._quiet_until.pop(chat.key, None)  # the next check looks at the new event's schedule
        lang = ctx.config.language
        text = render(
            texts.ANNOUNCED,
            lang,
            kind=render(texts.KIND[created.kind], lang),
            title=created.title,
            when=self._when(ctx, created.starts_at),
            ask_days=ctx.config.events.ask_days,
        )
        button = Button(render(texts.SIGN_UP, lang), data=rsvp_command(created.id))
        detail = {"event": created.id, "kind": created.kind, "starts_at": created.starts_at.isoformat()}
        return [
            Send(chat, text, f"event {created.id} announced", buttons=(button,)),
            Record(chat, "event.created", f"event {created.id}: {created.title}", by, detail),
        ]

    async def _list(self, event: Event, ctx: Context) -> list[Action]:
        lang, repo = ctx.config.language, ctx.repos.group_events
        lines = [
            render(
                texts.LIST_LINE,
                lang,
                id=item.id,
                when=self._when(ctx, item.starts_at),
                kind=render(texts.KIND[item.kind], lang),
                title=item.title,
                count=await repo.rsvp_count(item.id),
            )
            for item in await repo.open_events(event.chat.key)
            if item.starts_at > ctx.now
        ]
        text = render(texts.LIST, lang, lines="\n".join(lines)) if lines else render(texts.NONE_PLANNED, lang)
        return [Send(event.chat, text, "events listed", event.message_id)]

    # ---- members -------------------------------------------------------------------------------------

    async def _rsvp(self, event: Event, ctx: Context, event_id: int) -> list[Action]:
        assert event.user is not None
        repo = ctx.repos.group_events
        item = await repo.get(event.chat.key, event_id)
        if item is None:
            return [Record(event.chat, "event.rsvp_unknown", f"no event {event_id}", event.user.id)]
        if ctx.now >= item.starts_at:
            return [Record(event.chat, "event.rsvp_late", f"event {event_id} has begun", event.user.id)]
        if not await repo.sign_up(item.id, event.user.id, ctx.now):
            return []  # signed up already: pressing again changes nothing
        count = await repo.rsvp_count(item.id)
        text = render(
            texts.SIGNED_UP, ctx.config.language, name=event.user.name, title=item.title, count=count
        )
        return [
            Send(event.chat, text, f"rsvp event {item.id}", delete_after_s=SIGNED_UP_NOTICE_S),
            Record(event.chat, "event.rsvp", f"event {item.id}", event.user.id, {"event": item.id}),
        ]

    async def _ask(self, event: Event, ctx: Context) -> list[Action]:
        assert event.user is not None
        cfg, lang = ctx.config.events, ctx.config.language
        question = " ".join(event.args).strip()
        if not question:
            return [
                Send(event.chat, render(texts.ASK_USAGE, lang), "/ask without a question", event.message_id)
            ]
        repo = ctx.repos.group_events
        ask_before = timedelta(days=cfg.ask_days)
        target = next(
            (
                item
                for item in await repo.open_events(event.chat.key)
                if asking_open(item.starts_at, item.ends_at, ask_before, ctx.now)
            ),
            None,
        )
        if target is None:
            text = render(texts.NOT_ASKING, lang, ask_days=cfg.ask_days)
            return [Send(event.chat, text, "/ask with no event collecting", event.message_id)]
        await repo.ask(target.id, event.user.id, question, ctx.now)
        count = len(await repo.questions(target.id))
        text = render(texts.ASKED, lang, title=target.title, n=count)
        return [
            Send(event.chat, text, f"question {count} for event {target.id}", event.message_id),
            Record(event.chat, "event.question", f"event {target.id}", event.user.id, {"event": target.id}),
        ]

    # ---- the scheduled posts -------------------------------------------------------------------------

    def _plan(self, cfg: EventsConfig, item: GroupEvent) -> Plan:
        return Plan(
            item.starts_at,
            item.ends_at,
            tuple(timedelta(hours=h) for h in cfg.countdown_hours),
            timedelta(minutes=cfg.remind_minutes) if cfg.remind_minutes else None,
        )

    async def _check(self, event: Event, ctx: Context) -> list[Action]:
        """Post what is due; a group known to have nothing due costs no query (the check runs often)."""
        group = event.chat.key
        actions = await self._sync_items(event.chat, ctx)
        if ctx.now < self._quiet_until.get(group, ctx.now):
            return actions
        cfg, repo = ctx.config.events, ctx.repos.group_events
        next_at = ctx.now + RECHECK
        for item in await repo.open_events(group):
            plan, done = self._plan(cfg, item), await repo.posted(item.id)
            for stage in due_stages(plan, ctx.now, done):
                if await repo.claim_post(item, stage, ctx.now, last=stage == RECAP):
                    done.add(stage)
                    actions += await self._post(event.chat, ctx, repo, item, stage)
            upcoming = next_stage_at(plan, ctx.now, done)
            if upcoming is not None:
                next_at = min(next_at, upcoming)
        self._quiet_until[group] = next_at
        return actions

    async def _post(
        self, chat: Chat, ctx: Context, repo: GroupEventRepo, item: GroupEvent, stage: str
    ) -> list[Action]:
        lang = ctx.config.language
        values = {
            "kind": render(texts.KIND[item.kind], lang),
            "title": item.title,
            "when": self._when(ctx, item.starts_at),
        }
        record = Record(chat, f"event.{stage.partition(':')[0]}", f"event {item.id}: {stage}", None)
        if stage == REMINDER:
            attendees = await repo.attendees(item)
            text = render(texts.REMINDER, lang, **values)
            reminders: list[Action] = [
                SendPrivate(
                    chat, User(uid, name, username), text, f"event {item.id} reminder", purpose="reminder"
                )
                for uid, name, username in attendees
            ]
            return [
                *reminders,
                Record(chat, "event.reminder", f"event {item.id}", None, {"sent": len(reminders)}),
            ]
        if stage == RECAP:
            questions = await repo.questions(item.id)
            listed = (
                render(
                    texts.QUESTIONS, lang, lines="\n".join(f"{i}. {q}" for i, q in enumerate(questions, 1))
                )
                if questions
                else render(texts.NO_QUESTIONS, lang)
            )
            count = await repo.rsvp_count(item.id)
            text = render(texts.RECAP, lang, count=count, questions=listed, **values)
            detail = {"event": item.id, "rsvps": count, "questions": len(questions)}
            return [
                Send(chat, text, f"event {item.id} recap"),
                Record(chat, "event.recap", f"event {item.id}", None, detail),
            ]
        before = item.starts_at - self._plan(ctx.config.events, item).stage_times()[stage]
        text = render(
            texts.COUNTDOWN,
            lang,
            left=self._left(lang, before),
            count=await repo.rsvp_count(item.id),
            **values,
        )
        button = Button(render(texts.SIGN_UP, lang), data=rsvp_command(item.id))
        return [Send(chat, text, f"event {item.id} {stage}", buttons=(button,)), record]

    @staticmethod
    def _left(lang: str, before: timedelta) -> str:
        minutes = int(before.total_seconds() // 60)
        if minutes % (24 * 60) == 0:
            return render(texts.DAYS, lang, n=minutes // (24 * 60))
        if minutes % 60 == 0:
            return render(texts.HOURS, lang, n=minutes // 60)
        return render(texts.MINUTES, lang, n=minutes)

    @staticmethod
    def _when(ctx: Context, at: datetime) -> str:
        return format_local(at, ctx.config.tz, ctx.config.language)
