"""Events (直播 / 分享 / 线下), purely: reading ``/event 2026-03-20 20:00 | 标题 | 直播`` and deciding which
of an event's posts are due at a given time.

An event has a fixed set of posts (stages): countdowns (1 day, 1 hour before), a private reminder to those
who signed up, and a recap after it ends. ``due_stages`` says which are due now given the ones already
done; ``next_stage_at`` says when the next one falls, so the periodic check can skip the database until
then. A check that wakes late posts only the nearest countdown, never "1 day left" an hour before.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

KINDS: dict[str, str] = {
    "直播": "live",
    "live": "live",
    "分享": "talk",
    "talk": "talk",
    "share": "talk",
    "线下": "offline",
    "offline": "offline",
    "meetup": "offline",
}
DEFAULT_KIND = "talk"
MAX_TITLE_CHARS = 80
RECAP = "recap"
REMINDER = "reminder"
_SEPARATORS = re.compile(r"\s*[|｜]\s*")
_WHEN_FORMATS = ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M")


@dataclass(frozen=True, slots=True)
class EventSpec:
    title: str
    kind: str  # live / talk / offline
    starts_at: datetime  # aware (UTC)


@dataclass(frozen=True, slots=True)
class EventError:
    reason: str  # a key of the feature's texts: usage / when / past / kind / too_long


def parse_when(text: str, tz: tzinfo) -> datetime | None:
    """``2026-03-20 20:00`` in the group's time zone → an aware datetime (None when it is not one)."""
    cleaned = " ".join(text.split())
    for fmt in _WHEN_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).replace(tzinfo=tz)
        except ValueError:
            continue
    return None


def parse_kind(text: str) -> str | None:
    return KINDS.get(text.strip().lower()) if text.strip() else DEFAULT_KIND


def parse_event(text: str, tz: tzinfo, now: datetime) -> EventSpec | EventError:
    """The text after ``/event``: ``时间 | 标题 [| 直播|分享|线下]``; the time must be ahead of ``now``."""
    parts = [part.strip() for part in _SEPARATORS.split(text.strip())]
    if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
        return EventError("usage")
    when = parse_when(parts[0], tz)
    if when is None:
        return EventError("when")
    if when <= now:
        return EventError("past")
    kind = parse_kind(parts[2] if len(parts) == 3 else "")
    if kind is None:
        return EventError("kind")
    if len(parts[1]) > MAX_TITLE_CHARS:
        return EventError("too_long")
    return EventSpec(parts[1], kind, when)


def countdown_stage(before: timedelta) -> str:
    """``countdown:24h``, ``countdown:1h``, ``countdown:30m``: the stage's name in the log and the table."""
    minutes = int(before.total_seconds() // 60)
    return f"countdown:{minutes // 60}h" if minutes % 60 == 0 else f"countdown:{minutes}m"


@dataclass(frozen=True, slots=True)
class Plan:
    """When an event's posts fall: countdowns before the start, the reminder, the recap after the end."""

    starts_at: datetime
    ends_at: datetime
    countdowns: Sequence[timedelta]  # how long before the start
    remind_before: timedelta | None  # None: no reminder

    def stage_times(self) -> dict[str, datetime]:
        times = {countdown_stage(b): self.starts_at - b for b in self.countdowns}
        if self.remind_before is not None:
            times[REMINDER] = self.starts_at - self.remind_before
        times[RECAP] = self.ends_at
        return times


def due_stages(plan: Plan, now: datetime, done: Collection[str]) -> list[str]:
    """The stages to post now. Countdowns and the reminder only before the start (and of the countdowns only
    the nearest one due); the recap once the event has ended."""
    times = plan.stage_times()
    due: list[str] = []
    if now < plan.starts_at:
        countdowns = sorted(
            (at, stage) for stage, at in times.items() if stage.startswith("countdown:") and at <= now
        )
        if countdowns and countdowns[-1][1] not in done:
            due.append(countdowns[-1][1])
        if REMINDER in times and times[REMINDER] <= now and REMINDER not in done:
            due.append(REMINDER)
    elif now >= plan.ends_at and RECAP not in done:
        due.append(RECAP)
    return due


def next_stage_at(plan: Plan, now: datetime, done: Collection[str]) -> datetime | None:
    """When the next stage not yet done falls after ``now`` (None: nothing left)."""
    later = [at for stage, at in plan.stage_times().items() if stage not in done and at > now]
    return min(later, default=None)


def asking_open(starts_at: datetime, ends_at: datetime, ask_before: timedelta, now: datetime) -> bool:
    """``/ask`` collects questions from ``ask_before`` the start until the event ends."""
    return starts_at - ask_before <= now < ends_at
