"""Strike policy: how many strikes a member has in the window decides the step of the group's ladder.

``decide(strikes_in_window, ladder)`` is pure (after tg-spam's warnings counted within a window and
discord.py's cooldowns with ``current`` passed in): the caller counts the rows, this says what happens and
why. The default ladder is the playbooks' 违规 3 次移出群聊: warn, warn, remove.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Final, Literal

__all__ = [
    "DEFAULT_LADDER",
    "Decision",
    "LadderStep",
    "StepAction",
    "decide",
    "format_duration",
    "parse_duration",
    "parse_ladder",
    "removal_at",
]

StepAction = Literal["warn", "mute", "remove", "ban"]
_ACTIONS: Final = ("warn", "mute", "remove", "ban")

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(秒|分钟|分|小时|时|天|周|s|m|h|d|w)", re.I)
_UNIT_SECONDS: Final = {
    "s": 1, "秒": 1, "m": 60, "分": 60, "分钟": 60, "h": 3600, "时": 3600, "小时": 3600,
    "d": 86400, "天": 86400, "w": 604800, "周": 604800,
}  # fmt: skip


def parse_duration(text: str) -> timedelta:
    """``10m``, ``1h``, ``1d``, ``1h30m``, ``2小时``, ``3天`` → timedelta; ValueError naming the forms."""
    cleaned = text.strip()
    matches = list(_DURATION.finditer(cleaned))
    if not matches or _DURATION.sub("", cleaned).strip():
        raise ValueError(f"bad duration {text!r}: expected e.g. 10m, 1h, 1d (or 10分钟, 1小时, 1天)")
    seconds = sum(float(m.group(1)) * _UNIT_SECONDS[m.group(2).lower()] for m in matches)
    if seconds <= 0:
        raise ValueError(f"bad duration {text!r}: must be longer than zero")
    return timedelta(seconds=seconds)


def format_duration(delta: timedelta, language: str = "zh") -> str:
    """A duration for a notice: ``1 小时``, ``30 分钟``, ``2 天`` (the largest whole unit)."""
    seconds = int(delta.total_seconds())
    units = (
        [(86400, "天"), (3600, "小时"), (60, "分钟"), (1, "秒")]
        if language == "zh"
        else [(86400, "d"), (3600, "h"), (60, "min"), (1, "s")]
    )
    for size, unit in units:
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size} {unit}"
    size, unit = next((s, u) for s, u in units if seconds >= s) if seconds else units[-1]
    return f"{seconds / size:.1f} {unit}"


@dataclass(frozen=True, slots=True)
class LadderStep:
    """One rung: what happens at this strike count (``mute_for`` only for ``mute``)."""

    action: StepAction
    mute_for: timedelta | None = None

    def __str__(self) -> str:
        return f"mute {format_duration(self.mute_for, 'en')}" if self.mute_for else self.action


def parse_ladder(steps: Sequence[str]) -> tuple[LadderStep, ...]:
    """``["warn", "mute 1h", "remove"]`` → steps. ValueError says which step is wrong and what is allowed."""
    out: list[LadderStep] = []
    for i, raw in enumerate(steps):
        words = raw.replace(":", " ").split()
        action = words[0].lower() if words else ""
        if action not in _ACTIONS:
            raise ValueError(f"ladder[{i}] = {raw!r}: expected warn, mute <duration>, remove or ban")
        if action == "mute":
            if len(words) != 2:
                raise ValueError(f"ladder[{i}] = {raw!r}: write the mute as e.g. 'mute 1h'")
            out.append(LadderStep("mute", parse_duration(words[1])))
        elif len(words) != 1:
            raise ValueError(f"ladder[{i}] = {raw!r}: {action} takes no argument")
        else:
            out.append(LadderStep(action))  # type: ignore[arg-type]  # checked against _ACTIONS
    if not out:
        raise ValueError("ladder is empty: expected e.g. ['warn', 'warn', 'remove']")
    return tuple(out)


DEFAULT_LADDER: Final = parse_ladder(["warn", "warn", "remove"])


@dataclass(frozen=True, slots=True)
class Decision:
    """What one more strike leads to, with the numbers a public notice states."""

    action: StepAction | Literal["none"]
    count: int  # strikes in the window, this one included (weighted)
    limit: int | None  # the count at which the member is removed; None if the ladder never removes
    reason: str
    mute_for: timedelta | None = None
    at_once: bool = False

    @property
    def removes(self) -> bool:
        return self.action in ("remove", "ban")


def removal_at(ladder: Sequence[LadderStep]) -> int | None:
    """The strike count of the ladder's first remove / ban step (3 for warn, warn, remove)."""
    return next((i + 1 for i, step in enumerate(ladder) if step.action in ("remove", "ban")), None)


def decide(
    strikes_in_window: int,
    ladder: Sequence[LadderStep] = DEFAULT_LADDER,
    *,
    at_once: bool = False,
    at_once_action: Literal["remove", "ban"] = "remove",
    exempt: bool = False,
) -> Decision:
    """The step for ``strikes_in_window`` (counted with this strike); past the end, the last step repeats.

    ``at_once``: a category that removes on the first offence (porn, violence, unrelated ads).
    ``exempt``: admins are never punished automatically, whatever the count."""
    count = max(strikes_in_window, 1)
    limit = removal_at(ladder)
    if exempt:
        return Decision("none", count, limit, "admins are never punished automatically")
    if at_once:
        return Decision(
            at_once_action, count, limit, f"{at_once_action} at once for this category", at_once=True
        )
    if not ladder:
        return Decision("warn", count, limit, "no ladder configured: warn only")
    step = ladder[min(count, len(ladder)) - 1]
    where = f"strike {count}" + (f" of {limit}" if limit else "")
    return Decision(step.action, count, limit, f"{where} in the window: {step}", mute_for=step.mute_for)
