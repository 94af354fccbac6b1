"""The survey's pure parts: a press is read only when it is one of the five scores (a forged button with
another number is not an answer), and the briefing's totals."""

from __future__ import annotations

from rules.survey import parse_press, summarise


def test_only_scores_one_to_five_are_answers() -> None:
    assert parse_press("survey:12:5") == (12, 5)
    assert parse_press("survey:12:1") == (12, 1)
    for forged in ("survey:12:0", "survey:12:6", "survey:12:-1", "survey:x:3", "poll:12:3", "survey:12"):
        assert parse_press(forged) is None


def test_totals() -> None:
    summary = summarise([5, 3, 9], invited=4)
    assert (summary.answered, summary.invited, summary.average) == (2, 4, 4.0)
    assert summary.counts == {1: 0, 2: 0, 3: 1, 4: 0, 5: 1} and summary.response_rate == 0.5
    assert summarise([], 3).average is None
