"""Scheduled jobs → ``tick`` events through the same pipeline.

Jobs are data: each feature's ``jobs(config)`` for every known group, read in the group's time zone and
rebuilt at start and on config reload. A run's delivery id is ``tick:<group>/<job>@<planned time>`` and
the pipeline claims it in the database before any handler runs, so a run happens once across restarts
and instances; a restart within a job's grace still runs what it missed (once: a second restart finds
the run claimed). Features also ask for one-shot runs (``After`` actions → ``once``): a tick at one
planned time, with the same delivery id form and the same claim. Real time uses APScheduler's
``AsyncIOScheduler``; the simulator steps a fake clock through the same fire times (``advance``), so
tests move days in milliseconds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.date import DateTrigger

from bot.clock import Clock, FakeClock
from bot.config import ConfigStore
from handlers.contract.events import Chat, Event, EventKind
from handlers.feature import Feature, JobSpec
from rules.schedule import ScheduleError, fire_times, latest_due, parse_schedule

log = structlog.get_logger(__name__)
# How late a live tick may wake and still run its time, whatever the job's catch-up grace (0 = none).
ON_TIME_S = 1

Dispatch = Callable[[Event], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class ScheduledJob:
    chat: Chat
    spec: JobSpec
    trigger: BaseTrigger

    @property
    def job_id(self) -> str:
        return f"{self.chat.key}/{self.spec.name}"

    @property
    def grace(self) -> timedelta:
        return timedelta(seconds=max(self.spec.grace_s, 0))

    def tick(self, scheduled_for: datetime, now: datetime) -> Event:
        return Event(
            kind=EventKind.TICK,
            chat=self.chat,
            at=now,
            delivery=f"tick:{self.job_id}@{scheduled_for.isoformat()}",
            data=self.spec.name,
            scheduled_for=scheduled_for,
        )


@dataclass(frozen=True, slots=True)
class Timer:
    """A one-shot run a feature asked for: ``data`` in ``chat`` at ``at``."""

    chat: Chat
    at: datetime
    data: str

    @property
    def timer_id(self) -> str:
        return f"{self.chat.key}/{self.data}@{self.at.isoformat()}"

    def tick(self, now: datetime) -> Event:
        return Event(
            kind=EventKind.TICK,
            chat=self.chat,
            at=now,
            delivery=f"tick:{self.timer_id}",
            data=self.data,
            scheduled_for=self.at,
        )


def build_jobs(chats: Iterable[Chat], config: ConfigStore, features: Sequence[Feature]) -> list[ScheduledJob]:
    """Every group's jobs. A bad schedule or a failing ``jobs()`` skips that job, never the others."""
    jobs: list[ScheduledJob] = []
    seen: set[str] = set()
    for chat in chats:
        group = config.for_chat(chat.key)
        for feature in features:
            try:
                specs = feature.jobs(group)
            except Exception:
                log.exception("jobs_failed", group=chat.key, feature=feature.name)
                continue
            for spec in specs:
                try:
                    trigger = parse_schedule(spec.schedule, group.tz)
                except ScheduleError as exc:  # validated in config; a bad one is skipped, not fatal
                    log.error("bad_schedule", group=chat.key, job=spec.name, error=str(exc))
                    continue
                job = ScheduledJob(chat, spec, trigger)
                if job.job_id in seen:  # two features must not share a job name: the first wins
                    log.error("duplicate_job", group=chat.key, job=spec.name, feature=feature.name)
                    continue
                seen.add(job.job_id)
                jobs.append(job)
    return jobs


def _handled(result: object) -> bool:
    """Did the pipeline run the tick (not a duplicate, not a failure)?"""
    return result is not None and not getattr(result, "duplicate", False)


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
        self.timers: dict[str, Timer] = {}  # one-shot runs not fired yet, by id
        self._aps: AsyncIOScheduler | None = None
        self._lock = asyncio.Lock()

    async def rebuild(self) -> None:
        """Recompute every job from the config in force (at start and after each good reload). If the
        group list cannot be read, the jobs in force stay: a database hiccup must not stop the rhythm."""
        async with self._lock:
            try:
                chats = await self.chats()
            except Exception:
                log.exception("jobs_rebuild_failed", kept=len(self.jobs))
                return
            self.jobs = build_jobs(chats, self.config, self.features)
            if self._aps is not None:
                for job in self._aps.get_jobs():
                    if not job.id.startswith("once:"):  # one-shot timers are not rebuilt from config
                        job.remove()
                for job in self.jobs:
                    self._add_aps(job)
        log.info("jobs_built", jobs=len(self.jobs))

    async def catch_up(self) -> int:
        """Run what was due within each job's grace before now (after downtime), oldest first; runs
        already done (by this or another instance) are claimed in the database and skipped. Returns the
        number of runs actually handled. Only the latest missed run of a job is made up: a topic missed
        on three days is posted once, not three times."""
        now = self.clock.now()
        due = sorted(
            (
                (when, index)
                for index, job in enumerate(self.jobs)
                if (when := latest_due(job.trigger, now, job.grace))
            ),
            key=lambda pair: pair[0],
        )
        jobs = list(self.jobs)
        ran = 0
        for when, index in due:
            result = await self.dispatch(jobs[index].tick(when, now))
            ran += _handled(result)
        if due:
            log.info("caught_up", due=len(due), ran=ran)
        return ran

    def once(self, chat: Chat, at: datetime, data: str) -> Timer:
        """A one-shot tick ``data`` in ``chat`` at ``at`` (at once if ``at`` has passed). Asking again for
        the same chat, data and time changes nothing; in real time it fires however late the loop wakes
        (a welcome late is better than none), under the simulator when ``advance`` passes it."""
        timer = Timer(chat, at, data)
        if timer.timer_id in self.timers:
            return timer
        self.timers[timer.timer_id] = timer
        if self._aps is not None:
            self._add_timer(timer)
        return timer

    async def _fire_timer(self, timer: Timer) -> bool:
        if self.timers.pop(timer.timer_id, None) is None:
            return False  # already fired (the simulator, or a restart of the scheduler)
        try:
            return _handled(await self.dispatch(timer.tick(self.clock.now())))
        except Exception:
            log.exception("timer_failed", timer=timer.timer_id)
            return False

    def _add_timer(self, timer: Timer) -> None:
        assert self._aps is not None
        self._aps.add_job(
            self._fire_timer,
            trigger=DateTrigger(run_date=timer.at),
            args=[timer],
            id=f"once:{timer.timer_id}",
            replace_existing=True,
            misfire_grace_time=None,  # run however late
        )

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
            misfire_grace_time=max(job.spec.grace_s, ON_TIME_S),
            max_instances=1,
        )

    async def _fire_now(self, job: ScheduledJob) -> bool:
        """APScheduler's callback: run the planned time just reached (or still within grace). Returns
        whether a run was handled; never raises into APScheduler's loop."""
        now = self.clock.now()
        # a job without catch-up (grace 0) still runs on time: APScheduler wakes a few ms after the fire time
        due = latest_due(job.trigger, now, max(job.grace, timedelta(seconds=ON_TIME_S)))
        if due is None:  # the clock jumped back or APScheduler woke far too late: nothing to run
            log.warning("tick_without_due_run", job=job.job_id, now=now.isoformat())
            return False
        try:
            return _handled(await self.dispatch(job.tick(due, now)))
        except Exception:
            log.exception("tick_failed", job=job.job_id, scheduled_for=due.isoformat())
            return False

    async def start(self) -> None:
        """Build the jobs, start real-time firing, then make up what was missed while down. Starting
        APScheduler first leaves no gap between the catch-up and the first live run; a run both try is
        claimed once."""
        await self.rebuild()
        self._aps = AsyncIOScheduler(timezone="UTC")
        for job in self.jobs:
            self._add_aps(job)
        for timer in list(self.timers.values()):
            self._add_timer(timer)
        self._aps.start()
        await self.catch_up()

    async def stop(self) -> None:
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None

    # --- simulated time --------------------------------------------------------------------------
    async def advance(self, to: datetime) -> int:
        """Move a ``FakeClock`` to ``to``, firing every job at its planned times and every one-shot timer
        due on the way (also timers asked for during the walk), in time order. Returns the number of
        runs dispatched."""
        if not isinstance(self.clock, FakeClock):
            raise TypeError("advance() needs the FakeClock of the simulator")
        start = self.clock.now()  # runs before now that were missed are catch_up's business
        jobs = list(self.jobs)  # a reload during the walk must not shift the indexes
        runs = sorted(
            (when, index) for index, job in enumerate(jobs) for when in fire_times(job.trigger, start, to)
        )
        fired = 0
        position = 0
        while True:
            timer = min(
                (t for t in self.timers.values() if t.at <= to),
                key=lambda t: (t.at, t.timer_id),
                default=None,
            )
            job_at = runs[position][0] if position < len(runs) else None
            if timer is not None and (job_at is None or timer.at <= job_at):
                if timer.at > self.clock.now():
                    self.clock.set(timer.at)
                await self._fire_timer(timer)
            elif job_at is not None:
                when, index = runs[position]
                position += 1
                if when > self.clock.now():
                    self.clock.set(when)
                await self.dispatch(jobs[index].tick(when, self.clock.now()))
            else:
                break
            fired += 1
        if to > self.clock.now():
            self.clock.set(to)
        return fired
