"""Leaderboards: rank members by a score with ties sharing a place (1, 2, 2, 4)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Place:
    rank: int
    user_id: str
    score: int


def top(scores: Mapping[str, int], n: int, minimum: int = 1) -> list[Place]:
    """The first ``n`` members with at least ``minimum``, highest first; equal scores share a rank and
    are listed by user id so every instance prints the same board."""
    ordered = sorted(((s, u) for u, s in scores.items() if s >= minimum), key=lambda p: (-p[0], p[1]))
    places: list[Place] = []
    for index, (score, user) in enumerate(ordered[: max(n, 0)]):
        rank = places[-1].rank if places and places[-1].score == score else index + 1
        places.append(Place(rank, user, score))
    return places
