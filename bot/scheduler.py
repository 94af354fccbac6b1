"""Scheduled jobs → ``tick`` events through the same pipeline.

Jobs are data: each feature's ``jobs(config)`` for every known group, rebuilt at start and on config
reload. A run's delivery id is ``tick:<group>/<job>@<planned time>``, so the pipeline's dedupe makes each
run happen once across restarts and instances, and a restart within a job's grace still runs what it
missed. Real time uses APScheduler's ``AsyncIOScheduler``; the simulator steps a fake clock through the
same fire times (``advance``), so tests move days in milliseconds.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger

from bot.clock import Clock, FakeClock
from bot.config import ConfigStore
from bot.events import Chat, Event, EventKind
from handlers.base import Feature, JobSpec
from rules.schedule import ScheduleError, fire_times, latest_due, parse_schedule

log = structlog.get_logger(__name__)

Dispatch = Callable[[Event], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class ScheduledJob:
    chat: Chat
    spec: JobSpec
    trigger: BaseTrigger

    @property
    def job_id(self) -> str:
        return f"{self.chat.key}/{self.spec.name}"

    def tick(self, scheduled_for: datetime, now: datetime) -> Event:
        return Event(
            kind=EventKind.TICK,
            chat=self.chat,
            at=now,
            delivery=f"tick:{self.job_id}@{scheduled_for.isoformat()}",
            data=self.spec.name,
            scheduled_for=scheduled_for,
        )


def build_jobs(chats: Iterable[Chat], config: ConfigStore, features: Sequence[Feature]) -> list[ScheduledJob]:
    jobs: list[ScheduledJob] = []
    for chat in chats:
        group = config.for_chat(chat.key)
        for feature in features:
            for spec in feature.jobs(group):
                try:
                    trigger = parse_schedule(spec.schedule, group.tz)
                except ScheduleError as exc:  # validated in config; a bad one is skipped, not fatal
                    log.error("bad_schedule", group=chat.key, job=spec.name, error=str(exc))
                    continue
                jobs.append(ScheduledJob(chat, spec, trigger))
    return jobs


class Scheduler:
    def __init__(
        self,
        dispatch: Dispatch,
        clock: Clock,
        config: ConfigStore,
        features: Sequence[Feature],
        chats: Callable[[], Awaitable[list[Chat]]],
    ) -> None:
        self.dispatch = dispatch
        self.clock = clock
        self.config = config
        self.features = features
        self.chats = chats
        self.jobs: list[ScheduledJob] = []
        self._aps: AsyncIOScheduler | None = None
        self._cursor: datetime | None = None

    async def rebuild(self) -> None:
        self.jobs = build_jobs(await self.chats(), self.config, self.features)
        if self._aps is not None:
            self._aps.remove_all_jobs()
            for job in self.jobs:
                self._add_aps(job)
        log.info("jobs_built", jobs=len(self.jobs))

    async def catch_up(self) -> int:
        """Run what was due within each job's grace before now (after downtime); dedupe skips done runs."""
        now = self.clock.now()
        fired = 0
        for job in self.jobs:
            due = latest_due(job.trigger, now, timedelta(seconds=job.spec.grace_s))
            if due is not None:
                await self.dispatch(job.tick(due, now))
                fired += 1
        return fired

    # --- real time -------------------------------------------------------------------------------
    def _add_aps(self, job: ScheduledJob) -> None:
        assert self._aps is not None
        self._aps.add_job(
            self._fire_now,
            trigger=job.trigger,
            args=[job],
            id=job.job_id,
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=job.spec.grace_s,
        )

    async def _fire_now(self, job: ScheduledJob) -> None:
        now = self.clock.now()
        due = latest_due(job.trigger, now, timedelta(seconds=job.spec.grace_s))
        if due is not None:
            await self.dispatch(job.tick(due, now))

    async def start(self) -> None:
        await self.rebuild()
        await self.catch_up()
        self._aps = AsyncIOScheduler()
        for job in self.jobs:
            self._add_aps(job)
        self._aps.start()

    async def stop(self) -> None:
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None

    # --- simulated time --------------------------------------------------------------------------
    async def advance(self, to: datetime) -> int:
        """Move a ``FakeClock`` to ``to``, firing every job at its planned times on the way, in order."""
        if not isinstance(self.clock, FakeClock):
            raise TypeError("advance() needs the FakeClock of the simulator")
        start = self._cursor or self.clock.now()
        runs = sorted(
            (
                (when, index)
                for index, job in enumerate(self.jobs)
                for when in fire_times(job.trigger, start, to)
            ),
        )
        for when, index in runs:
            if when > self.clock.now():
                self.clock.set(when)
            await self.dispatch(self.jobs[index].tick(when, self.clock.now()))
        if to > self.clock.now():
            self.clock.set(to)
        self._cursor = to
        return len(runs)
