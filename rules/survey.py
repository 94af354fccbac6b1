"""The satisfaction survey's arithmetic: one question, a 1–5 score per member; what the briefing shows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SCORES = (1, 2, 3, 4, 5)


@dataclass(frozen=True, slots=True)
class Summary:
    answered: int
    invited: int
    average: float | None  # None: nobody answered
    counts: dict[int, int]  # score → members

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.invited if self.invited else None


def summarise(scores: Iterable[int], invited: int) -> Summary:
    """Scores outside 1–5 are not counted (a forged button)."""
    kept = [s for s in scores if s in SCORES]
    counts = {score: kept.count(score) for score in SCORES}
    average = sum(kept) / len(kept) if kept else None
    return Summary(len(kept), invited, average, counts)


def parse_press(data: str) -> tuple[int, int] | None:
    """``survey:<round>:<score>`` → (round, score); None for anything else."""
    parts = data.split(":")
    if len(parts) != 3 or parts[0] != "survey" or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    score = int(parts[2])
    return (int(parts[1]), score) if score in SCORES else None
