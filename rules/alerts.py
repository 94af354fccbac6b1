"""When a community number needs an operator's eye: a goal missed several days running, a spike.

Pure verdicts with their reasons (``CheckResult``), fed with the day's figures by the briefings feature.
"""

from __future__ import annotations

from collections.abc import Sequence

from rules.verdict import CheckResult


def below_goal(name: str, values: Sequence[float | None], goal: float, days: int) -> CheckResult:
    """The last ``days`` values are all known and all under ``goal`` (日发言率 < 20 % three days running)."""
    recent = list(values[-days:])
    hit = len(recent) == days and all(v is not None and v < goal for v in recent)
    shown = ", ".join("–" if v is None else f"{v:.0%}" for v in recent)
    return CheckResult(name, hit, f"last {days} days {shown} against {goal:.0%}", "goal" if hit else "")


def spike(name: str, today: int, before: Sequence[int], factor: float, minimum: int) -> CheckResult:
    """``today`` is at least ``minimum`` and at least ``factor`` times the daily average ``before``."""
    average = sum(before) / len(before) if before else 0.0
    hit = today >= minimum and today >= factor * average
    detail = f"{today} today against a daily average of {average:.1f} over {len(before)} days"
    return CheckResult(name, hit, detail, "spike" if hit else "")
