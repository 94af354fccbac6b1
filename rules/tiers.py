"""Member tiers 普通 / 核心 / VIP, recomputed once a week from the week's interactions.

核心 (core) needs at least ``core_min`` interactions in a week; a core member falls back to 普通 after
``demote_after`` weeks in a row below that. VIP is given and taken by admins only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Tier = Literal["regular", "core", "vip"]
TIERS: tuple[Tier, ...] = ("regular", "core", "vip")


@dataclass(frozen=True, slots=True)
class TierDecision:
    tier: str
    inactive_weeks: int
    changed: bool
    reason: str


def weekly(
    current: str, interactions: int, inactive_weeks: int, core_min: int = 3, demote_after: int = 2
) -> TierDecision:
    """The tier after a week with ``interactions``; ``inactive_weeks`` counts weeks below ``core_min``."""
    if current == "vip":
        return TierDecision("vip", 0, False, "VIP is set by admins")
    if interactions >= core_min:
        return TierDecision(
            "core", 0, current != "core", f"{interactions} interactions this week (≥ {core_min})"
        )
    if current == "core":
        weeks = inactive_weeks + 1
        if weeks >= demote_after:
            reason = f"{weeks} weeks below {core_min} interactions (demote after {demote_after})"
            return TierDecision("regular", 0, True, reason)
        return TierDecision("core", weeks, False, f"{weeks} of {demote_after} weeks below {core_min}")
    return TierDecision("regular", 0, current != "regular", f"{interactions} interactions (< {core_min})")
