"""Pure rhythm rules: topic rotation, tiers, leaderboards, lottery draws, local days."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.leaderboard import Place, top
from rules.lottery import draw, seed_for
from rules.rotation import item_key, next_item
from rules.schedule import day_start, local_day, previous_month, week_start
from rules.tiers import weekly

POOL = ["甲", "乙", "丙", "丁", "戊"]


def rotate(pool: list[str], n: int, order: str = "in_order", seed: str = "g") -> list[tuple[str, int]]:
    used: set[str] = set()
    round_, last = 0, None
    picks = []
    for _ in range(n):
        pick = next_item(pool, used, round_, order, seed, last)  # type: ignore[arg-type]
        assert pick is not None
        if pick.round != round_:
            used, round_ = set(), pick.round
        used.add(pick.key)
        last = pick.key
        picks.append((pick.item, pick.round))
    return picks


def test_in_order_rotation_uses_every_topic_once_per_round() -> None:
    assert rotate(POOL, 7) == [("甲", 0), ("乙", 0), ("丙", 0), ("丁", 0), ("戊", 0), ("甲", 1), ("乙", 1)]


@given(
    st.lists(st.text(min_size=1, max_size=5).filter(str.strip), min_size=1, max_size=8), st.text(max_size=8)
)
def test_shuffled_rotation_never_repeats_within_a_round(pool: list[str], seed: str) -> None:
    distinct = {item_key(p) for p in pool}
    picks = rotate(pool, 3 * len(distinct), "shuffled", seed)
    for round_ in range(3):
        items = [item_key(item) for item, r in picks if r == round_]
        assert sorted(items) == sorted(distinct)
    keys = [item_key(item) for item, _ in picks]
    if len(distinct) > 1:
        assert all(a != b for a, b in itertools.pairwise(keys))  # not even across rounds


def test_rotation_is_the_same_for_the_same_seed_and_edits_keep_history() -> None:
    assert rotate(POOL, 5, "shuffled", "g1") == rotate(POOL, 5, "shuffled", "g1")
    used = {item_key("甲"), item_key("乙")}
    pick = next_item(["乙", "新话题", "甲"], used, 0)
    assert pick is not None and (pick.item, pick.round, pick.left_in_round) == ("新话题", 0, 0)
    assert next_item(["  ", ""], set(), 0) is None
    assert item_key("今日 话题") == item_key(" 今日  话题 ")


@pytest.mark.parametrize(
    ("tier", "n", "weeks", "expected"),
    [
        ("regular", 3, 0, ("core", 0, True)),
        ("regular", 2, 0, ("regular", 0, False)),
        ("core", 5, 1, ("core", 0, False)),
        ("core", 2, 0, ("core", 1, False)),
        ("core", 0, 1, ("regular", 0, True)),
        ("vip", 0, 5, ("vip", 0, False)),
    ],
)
def test_weekly_tiers(tier: str, n: int, weeks: int, expected: tuple[str, int, bool]) -> None:
    decision = weekly(tier, n, weeks, core_min=3, demote_after=2)
    assert (decision.tier, decision.inactive_weeks, decision.changed) == expected
    assert decision.reason


def test_leaderboard_ties_share_a_rank() -> None:
    assert top({"a": 5, "b": 7, "c": 5, "d": 1, "e": 0}, 4) == [
        Place(1, "b", 7),
        Place(2, "a", 5),
        Place(2, "c", 5),
        Place(4, "d", 1),
    ]
    assert top({"a": 2, "b": 1}, 5, minimum=2) == [Place(1, "a", 2)]


def test_lottery_is_reproducible_and_ignores_collection_order() -> None:
    at = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
    seed = seed_for("tg:update:812", at)
    assert seed == seed_for("tg:update:812", at) != seed_for("tg:update:813", at)
    people = [f"u{i}" for i in range(30)]
    winners = draw(people, 3, seed)
    assert winners == draw(list(reversed(people)) + people[:5], 3, seed)
    assert len(set(winners)) == 3 and set(winners) <= set(people)
    assert draw(["u1", "u2"], 5, seed) in (["u1", "u2"], ["u2", "u1"])
    assert draw([], 2, seed) == [] and draw(people, 0, seed) == []


def test_local_days() -> None:
    shanghai, new_york = ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York")
    late = datetime(2026, 3, 2, 15, 59, tzinfo=UTC)
    assert local_day(late, shanghai) == date(2026, 3, 2) and local_day(late, new_york) == date(2026, 3, 2)
    after = datetime(2026, 3, 2, 16, 1, tzinfo=UTC)
    assert local_day(after, shanghai) == date(2026, 3, 3) and local_day(after, new_york) == date(2026, 3, 2)
    assert day_start(date(2026, 3, 3), shanghai) == datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
    assert week_start(date(2026, 3, 8)) == date(2026, 3, 2)
    assert previous_month(date(2026, 3, 1)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert previous_month(date(2026, 1, 15)) == (date(2025, 12, 1), date(2025, 12, 31))
