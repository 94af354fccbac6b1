"""Reading /poll and drawing its results."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rules.polls import PollError, PollSpec, parse_duration, parse_poll, tally_lines, winners

DAY = timedelta(days=1)


def parse(text: str) -> PollSpec | PollError:
    return parse_poll(text, default_anonymous=True, default_duration=DAY, max_duration=timedelta(days=30))


@pytest.mark.parametrize(
    ("text", "question", "options", "anonymous", "duration"),
    [
        ("周六活动去哪 | 爬山 | 看展", "周六活动去哪", ("爬山", "看展"), True, DAY),
        ("实名 2h 午饭吃什么｜面｜饭｜粉", "午饭吃什么", ("面", "饭", "粉"), False, timedelta(hours=2)),
        ("匿名 1天 Q | a | b", "Q", ("a", "b"), True, DAY),
        ("30m Q|a|b", "Q", ("a", "b"), True, timedelta(minutes=30)),
        ("public 3d Where? | here | there", "Where?", ("here", "there"), False, timedelta(days=3)),
    ],
)
def test_polls_are_read(
    text: str, question: str, options: tuple[str, ...], anonymous: bool, duration: timedelta
) -> None:
    assert parse(text) == PollSpec(question, options, anonymous, duration)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "usage"),
        ("只有问题", "usage"),
        ("问题 | 只有一个", "usage"),
        (" | a | b", "usage"),
        ("Q | a | A", "duplicate"),
        ("Q | " + " | ".join(str(i) for i in range(11)), "options"),
        ("Q | a | " + "长" * 65, "too_long"),
        ("31天 Q | a | b", "duration"),
    ],
)
def test_bad_polls_say_why(text: str, reason: str) -> None:
    assert parse(text) == PollError(reason)


def test_ten_options_and_64_characters_are_allowed() -> None:
    assert isinstance(parse("Q | " + " | ".join(str(i) for i in range(10))), PollSpec)
    assert isinstance(parse("Q | a | " + "长" * 64), PollSpec)
    assert isinstance(parse("30天 Q | a | b"), PollSpec)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2h", timedelta(hours=2)), ("15分钟", timedelta(minutes=15)), ("0h", None), ("2x", None), ("h", None)],
)
def test_durations(text: str, expected: timedelta | None) -> None:
    assert parse_duration(text) == expected


def test_tally_bars_and_winners() -> None:
    lines = tally_lines(["爬山", "看展"], {0: 3, 1: 1})
    assert lines == ["爬山 ▓▓▓▓▓▓▓▓░░ 3 (75%)", "看展 ▓▓░░░░░░░░ 1 (25%)"]
    assert tally_lines(["a", "b"], {}) == ["a ░░░░░░░░░░ 0 (0%)", "b ░░░░░░░░░░ 0 (0%)"]
    assert winners({0: 3, 1: 1}) == [0]
    assert winners({0: 2, 1: 2, 2: 1}) == [0, 1]
    assert winners({}) == []
    assert winners({0: 0}) == []
