"""Streaks as values: table tests and properties (days are already local)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.streaks import Streak, at_risk, check_in, current_on, from_days, reached

D = date(2026, 3, 2)


def days(*offsets: int) -> list[date]:
    return [D + timedelta(days=o) for o in offsets]


@pytest.mark.parametrize(
    ("offsets", "current", "best", "total"),
    [
        ((), 0, 0, 0),
        ((0,), 1, 1, 1),
        ((0, 1, 2), 3, 3, 3),
        ((0, 1, 3), 1, 2, 3),  # a gap starts again
        ((0, 1, 2, 4, 5), 2, 3, 5),
        ((0, 0, 1), 2, 2, 2),  # the same day twice counts once
        ((0, 1, 2, 3, 4, 5, 6), 7, 7, 7),
    ],
)
def test_streak_from_days(offsets: tuple[int, ...], current: int, best: int, total: int) -> None:
    streak = Streak()
    for day in days(*offsets):
        streak = check_in(streak, day)
    assert (streak.current, streak.best, streak.total) == (current, best, total)


def test_an_earlier_day_counts_without_rewriting_the_run() -> None:
    streak = from_days(days(0, 1))
    after = check_in(streak, D - timedelta(days=1))
    assert (after.current, after.last_day, after.total) == (2, D + timedelta(days=1), 3)


@pytest.mark.parametrize(
    ("today", "shown", "risk"),
    [(0, 3, False), (1, 3, True), (2, 0, False), (-5, 3, False)],
)
def test_current_and_at_risk(today: int, shown: int, risk: bool) -> None:
    streak = from_days(days(-2, -1, 0))
    assert current_on(streak, D + timedelta(days=today)) == (shown if today >= 0 else 3)
    assert at_risk(streak, D + timedelta(days=today)) is risk
    assert current_on(Streak(), D) == 0 and not at_risk(Streak(), D)


@pytest.mark.parametrize(
    ("current", "threshold", "repeat", "expected"),
    [
        (7, 7, False, True),
        (14, 7, False, False),
        (14, 7, True, True),
        (6, 7, True, False),
        (0, 7, True, False),
    ],
)
def test_reached(current: int, threshold: int, repeat: bool, expected: bool) -> None:
    assert reached(current, threshold, repeat) is expected


@given(st.lists(st.integers(min_value=0, max_value=60), max_size=40))
def test_properties(offsets: list[int]) -> None:
    streak = from_days(days(*offsets))
    unique = sorted(set(offsets))
    assert streak.total == len(unique)
    assert 0 <= streak.current <= streak.best <= len(unique)
    if unique:
        run = 1
        while run < len(unique) and unique[-run - 1] == unique[-1] - run:
            run += 1
        assert streak.current == run
    assert from_days(reversed(days(*offsets))) == streak  # order does not matter
