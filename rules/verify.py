"""Join verification challenges: what a newcomer is asked and which choice passes. Pure and seeded, so the
same join always gets the same question (a redelivery or a restart asks nothing new) and tests are exact."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

ARITHMETIC_CHOICES = 4


@dataclass(frozen=True, slots=True)
class Challenge:
    """``question`` (empty for a plain button), the ``options`` shown as buttons and the index that passes."""

    question: str
    options: tuple[str, ...]
    answer: int

    def passes(self, chosen: int) -> bool:
        return chosen == self.answer


@dataclass(frozen=True, slots=True)
class RuleQuestion:
    """A question about the group's rules with its right answer and wrong choices (from the TOML)."""

    question: str
    answer: str
    wrong: tuple[str, ...]


def button_challenge(label: str) -> Challenge:
    return Challenge("", (label,), 0)


def arithmetic_challenge(seed: int) -> Challenge:
    """``a + b`` or ``a × b`` with small numbers; the right sum among three near misses, shuffled."""
    rng = random.Random(seed)
    a, b = rng.randint(2, 9), rng.randint(2, 9)
    if rng.random() < 0.5:
        question, result = f"{a} + {b}", a + b
    else:
        question, result = f"{a} × {b}", a * b
    wrong: set[int] = set()
    while len(wrong) < ARITHMETIC_CHOICES - 1:
        candidate = result + rng.choice((-3, -2, -1, 1, 2, 3, 10))
        if candidate > 0 and candidate != result:
            wrong.add(candidate)
    options = [result, *sorted(wrong)]
    rng.shuffle(options)
    return Challenge(question, tuple(str(o) for o in options), options.index(result))


def rules_challenge(seed: int, questions: Sequence[RuleQuestion]) -> Challenge:
    """One of the group's questions, its right answer shuffled among the wrong ones."""
    if not questions:
        raise ValueError("rules_challenge needs at least one question")
    rng = random.Random(seed)
    picked = questions[rng.randrange(len(questions))]
    options = [picked.answer, *picked.wrong]
    rng.shuffle(options)
    return Challenge(picked.question, tuple(options), options.index(picked.answer))
