"""Events, purely: reading /event and deciding which posts are due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rules.events import (
    EventError,
    EventSpec,
    Plan,
    asking_open,
    countdown_stage,
    due_stages,
    next_stage_at,
    parse_event,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
START = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
PLAN = Plan(
    START, START + timedelta(minutes=90), (timedelta(hours=24), timedelta(hours=1)), timedelta(minutes=30)
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-06 20:00 | 用 AI 写周报 | 直播", EventSpec("用 AI 写周报", "live", START)),
        ("2026-03-06 20:00｜茶话会", EventSpec("茶话会", "talk", START)),
        ("2026/03/06  20:00 | Meetup | offline", EventSpec("Meetup", "offline", START)),
        ("2026-03-06 20:00", EventError("usage")),
        ("2026-03-06 20:00 | | 直播", EventError("usage")),
        ("a | b | c | d", EventError("usage")),
        ("下周五 | 标题", EventError("when")),
        ("2026-03-02 07:59 | 已过", EventError("past")),
        ("2026-03-02 08:00 | 正好现在", EventError("past")),
        ("2026-03-06 20:00 | 标题 | 茶话会", EventError("kind")),
        ("2026-03-06 20:00 | " + "长" * 81, EventError("too_long")),
    ],
)
def test_parse_event(text: str, expected: EventSpec | EventError) -> None:
    assert parse_event(text, SHANGHAI, NOW) == expected


@pytest.mark.parametrize(
    ("now", "done", "due"),
    [
        (START - timedelta(hours=25), set(), []),
        (START - timedelta(hours=24), set(), ["countdown:24h"]),
        (START - timedelta(hours=2), {"countdown:24h"}, []),
        (START - timedelta(hours=1), {"countdown:24h"}, ["countdown:1h"]),
        (START - timedelta(minutes=50), set(), ["countdown:1h"]),  # late: only the nearest countdown
        (START - timedelta(minutes=50), {"countdown:1h"}, []),  # and never the older one after it
        (START - timedelta(minutes=30), {"countdown:24h", "countdown:1h"}, ["reminder"]),
        (START - timedelta(minutes=10), set(), ["countdown:1h", "reminder"]),
        (START, set(), []),  # begun: no countdown, no reminder any more
        (START + timedelta(minutes=89), set(), []),
        (START + timedelta(minutes=90), set(), ["recap"]),
        (START + timedelta(days=3), {"recap"}, []),
    ],
)
def test_due_stages(now: datetime, done: set[str], due: list[str]) -> None:
    assert due_stages(PLAN, now, done) == due


def test_without_a_reminder_none_is_due() -> None:
    plan = Plan(START, START + timedelta(hours=1), (timedelta(hours=1),), None)
    assert due_stages(plan, START - timedelta(minutes=5), {"countdown:1h"}) == []


def test_next_stage_at_skips_what_is_done_and_past() -> None:
    assert next_stage_at(PLAN, NOW, set()) == START - timedelta(hours=24)
    later = START - timedelta(hours=3)
    assert next_stage_at(PLAN, later, set()) == START - timedelta(hours=1)
    assert next_stage_at(PLAN, later, {"countdown:1h"}) == START - timedelta(minutes=30)
    assert next_stage_at(PLAN, START + timedelta(hours=2), {"recap"}) is None


def test_asking_opens_days_before_and_closes_at_the_end() -> None:
    end, three_days = START + timedelta(minutes=90), timedelta(days=3)
    assert not asking_open(START, end, three_days, START - three_days - timedelta(seconds=1))
    assert asking_open(START, end, three_days, START - three_days)
    assert asking_open(START, end, three_days, end - timedelta(seconds=1))
    assert not asking_open(START, end, three_days, end)


def test_countdown_stage_names() -> None:
    assert countdown_stage(timedelta(hours=24)) == "countdown:24h"
    assert countdown_stage(timedelta(minutes=90)) == "countdown:90m"
