"""The morning topic and the weekly content calendar, posted by scheduled jobs; ``/topic`` shows today's.

Topics rotate through each pool without repeats until it is used up (the used items are rows, so
every instance and restart continues the same round). Each post is recorded for its local day, which
is what ``TopicRepo.for_day`` (``ctx.repos.topics``) (the welcome's ③ today's topic) reads.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from handlers.contract.actions import Action, Record, Send, SendPrivate
from handlers.contract.events import Chat, Event, EventKind
from handlers.contract.texts import render
from handlers.feature import CommandSpec, Context, Feature, JobSpec
from handlers.topics import texts
from rules.dates import format_day, weekday_name
from rules.rotation import Order, next_item
from rules.schedule import fire_times, local_day, parse_schedule
from rules.templates import render_template
from storage.repos.topics import DAILY_JOB

if TYPE_CHECKING:
    from handlers.config import GroupConfig

CALENDAR_JOB = "topics.calendar."


class Topics(Feature):
    name = "topics"
    kinds = frozenset({EventKind.COMMAND, EventKind.TICK, EventKind.BUTTON_PRESSED})
    commands = (CommandSpec("topic", "查看今日话题", "Today's topic"),)

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        cfg = config.topics
        if not cfg.enabled:
            return []
        grace = cfg.grace_minutes * 60
        jobs = [JobSpec(DAILY_JOB, cfg.daily_at, grace_s=grace)] if cfg.daily_at and cfg.pool else []
        jobs += [JobSpec(CALENDAR_JOB + entry.id, entry.schedule, grace_s=grace) for entry in cfg.calendar]
        return jobs

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        cfg = ctx.config.topics
        if not cfg.enabled:
            return []
        if event.kind == EventKind.TICK:
            when = event.scheduled_for or ctx.now
            if event.data == DAILY_JOB:
                name = render(texts.DAILY_NAME, ctx.config.language)
                return await self._post(
                    event, ctx, when, "daily", cfg.pool, cfg.daily_template, name, cfg.pin
                )
            if event.data.startswith(CALENDAR_JOB):
                entry_id = event.data.removeprefix(CALENDAR_JOB)
                entry = next((e for e in cfg.calendar if e.id == entry_id), None)
                if entry is None:  # removed from the config since the job was built
                    return []
                return await self._post(
                    event,
                    ctx,
                    when,
                    f"calendar.{entry.id}",
                    entry.topics,
                    entry.template,
                    entry.name,
                    entry.pin,
                )
            return []
        if event.kind == EventKind.COMMAND and event.command == "topic":
            return await self._show(event, ctx)
        if event.kind == EventKind.BUTTON_PRESSED and event.data == "/topic" and event.user is not None:
            # the welcome's 今日话题 button: a press has no reply of its own, so the topic goes to the
            # member privately (the group is not filled with one copy per newcomer)
            text = await self._today(ctx, event.chat, welcome=True)
            return [SendPrivate(event.chat, event.user, text, "today's topic button pressed")]
        return []

    async def _post(
        self,
        event: Event,
        ctx: Context,
        when: datetime,
        pool_name: str,
        pool: list[str],
        template: str,
        name: str,
        pin: bool,
    ) -> list[Action]:
        group, lang, cfg = event.chat.key, ctx.config.language, ctx.config.topics
        day = local_day(when, ctx.config.tz)
        if event.data == DAILY_JOB and await ctx.repos.topics.posted_on(group, DAILY_JOB, day):
            # the schedule was moved after today's topic went out: one morning topic a day
            return [Record(event.chat, "topic_skipped", f"morning topic for {day} already posted")]
        detail: dict[str, object] = {"job": event.data, "day": day.isoformat()}
        topic = name
        if pool:
            round_, used, last = await ctx.repos.topics.rotation(group, pool_name)
            order: Order = cfg.order
            pick = next_item(pool, used, round_, order, seed=f"{group}/{pool_name}", last=last)
            if pick is not None:
                await ctx.repos.topics.use(group, pool_name, pick.round, pick.key, ctx.now)
                topic = pick.item
                detail.update(round=pick.round, left_in_round=pick.left_in_round, item=pick.key)
        values = {
            "topic": topic,
            "name": name,
            "date": format_day(day, lang),
            "weekday": weekday_name(day, lang),
            "group": ctx.config.name,
        }
        text = render_template(template, values)
        await ctx.repos.topics.record(group, event.data, day, when, ctx.now, topic, text)
        reason = f"{event.data} for {day} ({weekday_name(day, 'en')})"
        return [
            Send(event.chat, text, reason, pin=pin, tag=event.data),
            Record(event.chat, "topic_posted", reason, detail=detail),
        ]

    async def _show(self, event: Event, ctx: Context) -> list[Action]:
        text = await self._today(ctx, event.chat)
        return [Send(event.chat, text, "/topic asked", reply_to=event.message_id)]

    async def _today(self, ctx: Context, chat: Chat, welcome: bool = False) -> str:
        """Today's posted topic; for the welcome's button, what the welcome offered before the morning
        post (the pool's first), so the button never says "none yet" about a topic it was shown for."""
        lang = ctx.config.language
        day = local_day(ctx.now, ctx.config.tz)
        topic = await ctx.repos.topics.for_day(chat.key, day)
        if not topic and welcome and ctx.config.topics.pool:
            topic = ctx.config.topics.pool[0]
        if topic:
            return render(texts.TODAY, lang, topic=topic)
        upcoming = self._next_today(ctx)
        return render(texts.NONE_YET, lang, when=upcoming) if upcoming else render(texts.NONE, lang)

    def _next_today(self, ctx: Context) -> str | None:
        """The local time of the next topic job today, if any (for "see you at 08:00")."""
        tz = ctx.config.tz
        today = local_day(ctx.now, tz)
        times = []
        for spec in self.jobs(ctx.config):
            trigger = parse_schedule(spec.schedule, tz)
            first = next(fire_times(trigger, ctx.now, ctx.now + timedelta(days=1)), None)
            if first is not None and local_day(first, tz) == today:
                times.append(first.astimezone(tz).strftime("%H:%M"))
        return min(times) if times else None
