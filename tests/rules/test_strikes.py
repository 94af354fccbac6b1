"""Strike policy: the ladder by count, remove-at-once, admins exempt, ladder and duration parsing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.strikes import (
    DEFAULT_LADDER,
    LadderStep,
    decide,
    format_duration,
    parse_duration,
    parse_ladder,
    removal_at,
)


@pytest.mark.parametrize(
    ("count", "action", "limit"),
    [(1, "warn", 3), (2, "warn", 3), (3, "remove", 3), (4, "remove", 3), (0, "warn", 3)],
)
def test_default_ladder_is_warn_warn_remove(count: int, action: str, limit: int) -> None:
    decision = decide(count, DEFAULT_LADDER)
    assert (decision.action, decision.limit) == (action, limit)
    assert decision.count == max(count, 1)
    assert decision.reason


def test_a_ladder_with_a_mute_step() -> None:
    ladder = parse_ladder(["warn", "mute 1h", "mute 1d", "ban"])
    assert [decide(n, ladder).action for n in (1, 2, 3, 4, 9)] == ["warn", "mute", "mute", "ban", "ban"]
    assert decide(2, ladder).mute_for == timedelta(hours=1)
    assert decide(3, ladder).mute_for == timedelta(days=1)
    assert decide(1, ladder).limit == 4


def test_remove_at_once_and_admins() -> None:
    at_once = decide(1, DEFAULT_LADDER, at_once=True)
    assert at_once.action == "remove" and at_once.at_once and at_once.removes
    assert decide(1, DEFAULT_LADDER, at_once=True, at_once_action="ban").action == "ban"
    exempt = decide(5, DEFAULT_LADDER, at_once=True, exempt=True)
    assert exempt.action == "none" and "admins" in exempt.reason


def test_a_ladder_that_never_removes() -> None:
    ladder = parse_ladder(["warn", "mute 10m"])
    assert removal_at(ladder) is None
    assert decide(7, ladder).action == "mute" and decide(7, ladder).limit is None


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([], "ladder is empty"),
        (["kick"], "expected warn, mute <duration>, remove or ban"),
        (["mute"], "write the mute as e.g. 'mute 1h'"),
        (["warn 2"], "takes no argument"),
        (["mute forever"], "bad duration"),
    ],
)
def test_bad_ladders_say_what_is_allowed(steps: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_ladder(steps)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10m", timedelta(minutes=10)),
        ("1h", timedelta(hours=1)),
        ("1d", timedelta(days=1)),
        ("1h30m", timedelta(minutes=90)),
        ("2w", timedelta(weeks=2)),
        ("10分钟", timedelta(minutes=10)),
        ("1小时", timedelta(hours=1)),
        ("3天", timedelta(days=3)),
        ("1H", timedelta(hours=1)),
    ],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "1", "h", "1y", "0m", "一小时", "1h and more"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("delta", "zh", "en"),
    [
        (timedelta(hours=1), "1 小时", "1 h"),
        (timedelta(minutes=90), "90 分钟", "90 min"),
        (timedelta(days=2), "2 天", "2 d"),
    ],
)
def test_format_duration(delta: timedelta, zh: str, en: str) -> None:
    assert format_duration(delta, "zh") == zh and format_duration(delta, "en") == en


SEVERITY = {"warn": 0, "mute": 1, "remove": 2, "ban": 3}


@given(
    st.lists(st.sampled_from(["warn", "mute 1h", "remove", "ban"]), min_size=1, max_size=6),
    st.integers(min_value=0, max_value=50),
)
def test_more_strikes_never_mean_a_milder_step_on_an_ordered_ladder(steps: list[str], count: int) -> None:
    ladder = parse_ladder(sorted(steps, key=lambda s: SEVERITY[s.split()[0]]))
    assert all(isinstance(step, LadderStep) for step in ladder)
    now, later = decide(count, ladder), decide(count + 1, ladder)
    assert SEVERITY[later.action] >= SEVERITY[now.action]
