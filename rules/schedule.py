"""Schedules as data: parse ``"mon,wed,fri 20:00"`` and friends into APScheduler triggers and list fire
times. Pure: the caller passes the time (after discord.py's tasks loop and PTB's JobQueue)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

_DAYS = r"(?:mon|tue|wed|thu|fri|sat|sun)"
_DAY_LIST = re.compile(rf"^(?P<days>{_DAYS}(?:\s*[-,]\s*{_DAYS})*|daily|weekdays|weekends)\s+(?P<times>.+)$")
_TIME = re.compile(r"^(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)$")
_EVERY = re.compile(r"^every\s+(?P<n>\d+)\s*(?P<unit>s|m|h|d)$")
_EPOCH = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday: interval jobs line up the same in every process


class ScheduleError(ValueError):
    """A schedule string that cannot be read; the message says what was expected."""


EXPECTED = 'expected "HH:MM", "mon,wed,fri 20:00", "weekdays 08:00,12:00", "cron: <5 fields>" or "every 10m"'


def _times(text: str) -> list[tuple[int, int]]:
    out = []
    for part in text.split(","):
        match = _TIME.match(part.strip())
        if not match:
            raise ScheduleError(f"bad time {part.strip()!r}: {EXPECTED}")
        out.append((int(match["h"]), int(match["m"])))
    return out


def parse_schedule(spec: str, tz: ZoneInfo) -> BaseTrigger:
    text = " ".join(spec.strip().lower().split())
    if text.startswith("cron:"):
        try:
            return CronTrigger.from_crontab(text[5:].strip(), timezone=tz)
        except ValueError as exc:
            raise ScheduleError(f"bad cron {text[5:].strip()!r}: {exc}") from exc
    every = _EVERY.match(text)
    if every:
        n = int(every["n"])
        if n <= 0:
            raise ScheduleError(f"interval must be positive: {spec!r}")
        unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[every["unit"]]
        return IntervalTrigger(**{unit: n}, start_date=_EPOCH, timezone=tz)
    days = "*"
    match = _DAY_LIST.match(text)
    if match:
        days = {"daily": "*", "weekdays": "mon-fri", "weekends": "sat,sun"}.get(match["days"], match["days"])
        days = days.replace(" ", "")
        text = match["times"]
    times = _times(text)
    hours = sorted({h for h, _ in times})
    minutes = sorted({m for _, m in times})
    if len(times) > 1 and len(hours) * len(minutes) != len(times):
        raise ScheduleError(f"times {text!r} must share their minutes (use two schedules or cron)")
    return CronTrigger(
        day_of_week=days,
        hour=",".join(map(str, hours)),
        minute=",".join(map(str, minutes)),
        timezone=tz,
    )


def fire_times(trigger: BaseTrigger, after: datetime, until: datetime) -> Iterator[datetime]:
    """Fire times in ``(after, until]``, as aware UTC datetimes."""
    tick = timedelta(microseconds=1)
    when = trigger.get_next_fire_time(None, after + tick)
    while when is not None and when <= until:
        yield when.astimezone(UTC)
        when = trigger.get_next_fire_time(when, when + tick)


def latest_due(trigger: BaseTrigger, now: datetime, grace: timedelta) -> datetime | None:
    """The last fire time within ``grace`` before ``now`` (what a restart should still run), if any."""
    last = None
    for when in fire_times(trigger, now - grace, now):
        last = when
    return last


def validate_schedule(spec: str) -> str:
    """For config validators: raise ``ValueError`` with the expected forms, return the spec unchanged."""
    parse_schedule(spec, ZoneInfo("UTC"))
    return spec


def local_day(at: datetime, tz: ZoneInfo) -> date:
    """The group's calendar day at ``at`` (23:59 and 00:01 in Asia/Shanghai are two days)."""
    return at.astimezone(tz).date()


def day_start(day: date, tz: ZoneInfo) -> datetime:
    """Midnight of a local day, as aware UTC (for queries on UTC columns)."""
    return datetime.combine(day, time(0, 0), tzinfo=tz).astimezone(UTC)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week (weeks run Monday to Sunday, as in China and ISO 8601)."""
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month(day: date) -> tuple[date, date]:
    """First and last day of the month before ``day``'s month."""
    last = month_start(day) - timedelta(days=1)
    return month_start(last), last
