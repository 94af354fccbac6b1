"""Quizzes and 话题接龙, purely: judging an answer and choosing the next question.

An answer is right when, reduced to its letters and digits after normalising (full-width, traditional,
case, punctuation and spaces folded), it equals one of the accepted answers reduced the same way:
"Ｅｘｃｅｌ！" and "excel" match, "两个" and "2 个" do not (write both when both are right).
"""

from __future__ import annotations

from collections.abc import Iterable

from rules.normalize import compact


def is_correct(answer: str, accepted: Iterable[str]) -> bool:
    given = compact(answer)
    return bool(given) and any(given == compact(option) for option in accepted)


def question_index(rounds_so_far: int, pool_size: int) -> int:
    """The pool in order, starting over when it is used up (every question is asked before any twice)."""
    return rounds_so_far % pool_size
