"""Check-in streaks as values: what a check-in on a local day does to a member's streak.

Pure (days are passed in, already in the group's time zone), so midnight, gaps and replays are table
tests rather than database fixtures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Streak:
    """``current`` is the run of consecutive days ending on ``last_day``; ``best`` the longest ever."""

    current: int = 0
    best: int = 0
    last_day: date | None = None
    total: int = 0


def check_in(streak: Streak, day: date) -> Streak:
    """The streak after a check-in on ``day``. The same day again changes nothing; a day after the last
    one extends the run; a gap starts a new run of 1. A day before the last one (the group moved to an
    earlier time zone) counts in ``total`` without rewriting the run."""
    last = streak.last_day
    if last == day:
        return streak
    if last is not None and day < last:
        return replace(streak, total=streak.total + 1)
    current = streak.current + 1 if last is not None and day - last == _DAY else 1
    return Streak(current, max(streak.best, current), day, streak.total + 1)


def current_on(streak: Streak, today: date) -> int:
    """The streak as members see it on ``today``: still alive until today ends without a check-in."""
    if streak.last_day is None or today - streak.last_day > _DAY:
        return 0
    return streak.current


def at_risk(streak: Streak, today: date) -> bool:
    """Checked in yesterday but not today: the evening reminder's audience."""
    return streak.last_day is not None and today - streak.last_day == _DAY and streak.current > 0


def reached(current: int, threshold: int, repeat: bool = False) -> bool:
    """Does a streak of ``current`` days earn the reward at ``threshold`` (again at each multiple if
    ``repeat``)? Only the day the streak gets there counts, so a reward is given once per run."""
    if threshold <= 0 or current <= 0:
        return False
    return current % threshold == 0 if repeat else current == threshold


def from_days(days: Iterable[date]) -> Streak:
    """Recompute a streak from the days checked in (any order, duplicates ignored)."""
    streak = Streak()
    for day in sorted(set(days)):
        streak = check_in(streak, day)
    return streak
