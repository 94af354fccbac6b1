"""Quiz answers, purely."""

from __future__ import annotations

import pytest

from rules.quiz import is_correct, question_index


@pytest.mark.parametrize(
    ("answer", "accepted", "right"),
    [
        ("XLOOKUP", ["xlookup"], True),
        ("ｘｌｏｏｋｕｐ！", ["XLOOKUP"], True),
        ("x lookup", ["XLOOKUP"], True),
        ("顏色", ["颜色"], True),  # traditional → simplified
        ("七", ["7", "七"], True),
        ("七天", ["7", "七"], False),  # not a substring match
        ("VLOOKUP", ["XLOOKUP"], False),
        ("lookup", ["XLOOKUP"], False),
        ("！？", ["?!"], False),  # nothing left to compare is never right
        ("", ["x"], False),
    ],
)
def test_is_correct(answer: str, accepted: list[str], right: bool) -> None:
    assert is_correct(answer, accepted) is right


def test_the_pool_is_used_in_order_and_starts_over() -> None:
    assert [question_index(n, 3) for n in range(7)] == [0, 1, 2, 0, 1, 2, 0]
