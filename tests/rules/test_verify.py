"""Verification challenges: seeded (same join, same question), the answer among the options, sums right."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from handlers.verify.config import VerifyConfig
from rules.verify import RuleQuestion, arithmetic_challenge, button_challenge, rules_challenge


@given(st.integers(min_value=0, max_value=2**32))
def test_arithmetic_answer_is_the_result_and_options_are_distinct(seed: int) -> None:
    challenge = arithmetic_challenge(seed)
    a, op, b = challenge.question.split()
    result = int(a) + int(b) if op == "+" else int(a) * int(b)
    assert challenge.options[challenge.answer] == str(result)
    assert len(set(challenge.options)) == len(challenge.options) == 4
    assert all(int(option) > 0 for option in challenge.options)
    assert challenge == arithmetic_challenge(seed)
    assert challenge.passes(challenge.answer) and not challenge.passes((challenge.answer + 1) % 4)


def test_different_seeds_ask_different_sums() -> None:
    assert len({arithmetic_challenge(seed).question for seed in range(50)}) > 10


@given(st.integers(min_value=0, max_value=2**32))
def test_rules_question_answer_is_the_configured_one(seed: int) -> None:
    questions = [
        RuleQuestion("禁止什么？", "发广告", ("发言", "提问")),
        RuleQuestion("几次移出？", "3", ("1", "5")),
    ]
    challenge = rules_challenge(seed, questions)
    picked = next(q for q in questions if q.question == challenge.question)
    assert challenge.options[challenge.answer] == picked.answer
    assert sorted(challenge.options) == sorted([picked.answer, *picked.wrong])


def test_rules_question_needs_questions_and_button_has_one_choice() -> None:
    with pytest.raises(ValueError, match="at least one question"):
        rules_challenge(1, [])
    assert button_challenge("OK").options == ("OK",)


def test_config_refuses_question_method_without_questions_and_answer_listed_as_wrong() -> None:
    with pytest.raises(ValidationError, match="needs at least one"):
        VerifyConfig(method="question")
    with pytest.raises(ValidationError, match="also listed as wrong"):
        VerifyConfig.model_validate(
            {"method": "question", "questions": [{"question": "q", "answer": "a", "wrong": ["a", "b"]}]}
        )
    assert not VerifyConfig().enabled and VerifyConfig(method="button").enabled
