"""New / active / quiet / silent from join and last-word dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rules.silence import Activity, ActivityRules, activity, cleanup_candidate, spoke_since

NOW = datetime(2026, 6, 1, tzinfo=UTC)
RULES = ActivityRules(new_days=7, active_days=7, silent_days=30)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@pytest.mark.parametrize(
    ("joined", "spoke", "expected"),
    [
        (ago(3), None, Activity.NEW),
        (ago(7), None, Activity.NEW),
        (ago(8), None, Activity.QUIET),
        (ago(100), ago(7), Activity.ACTIVE),
        (ago(3), ago(1), Activity.ACTIVE),
        (ago(100), ago(8), Activity.QUIET),
        (ago(100), ago(29), Activity.QUIET),
        (ago(100), ago(30), Activity.SILENT),
        (ago(30), None, Activity.SILENT),
        (None, None, Activity.SILENT),
    ],
)
def test_activity(joined: datetime | None, spoke: datetime | None, expected: Activity) -> None:
    assert activity(joined, spoke, NOW, RULES) is expected


def test_only_silent_ordinary_members_are_cleanup_candidates() -> None:
    assert cleanup_candidate(Activity.SILENT, is_admin=False, tier="regular")
    assert not cleanup_candidate(Activity.SILENT, is_admin=True, tier="regular")
    assert not cleanup_candidate(Activity.SILENT, is_admin=False, tier="vip")
    assert not cleanup_candidate(Activity.QUIET, is_admin=False, tier="regular")


def test_a_word_after_the_warning_keeps_the_member() -> None:
    assert spoke_since(ago(1), ago(2))
    assert not spoke_since(ago(2), ago(2))
    assert not spoke_since(None, ago(2))
