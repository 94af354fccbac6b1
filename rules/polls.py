"""Polls, purely: reading ``/poll 问题 | 选项A | 选项B`` and drawing the tally.

``parse_poll`` returns the spec or the reason it cannot (shown to the admin); ``tally_lines`` draws one bar
per option for the results post.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

MIN_OPTIONS = 2
MAX_OPTIONS = 10
MAX_OPTION_CHARS = 64
_SEPARATORS = re.compile(r"\s*[|｜]\s*")
_DURATION = re.compile(r"^(\d{1,4})\s*(m|min|分钟|h|小时|d|天)$", re.IGNORECASE)
_UNIT_SECONDS = {"m": 60, "min": 60, "分钟": 60, "h": 3600, "小时": 3600, "d": 86400, "天": 86400}
_FLAGS_ANON = {"匿名", "anon", "anonymous"}
_FLAGS_OPEN = {"实名", "公开", "open", "public"}


@dataclass(frozen=True, slots=True)
class PollSpec:
    question: str
    options: tuple[str, ...]
    anonymous: bool
    duration: timedelta


@dataclass(frozen=True, slots=True)
class PollError:
    reason: str  # a key of the feature's texts: usage / options / duplicate / too_long / duration


def parse_duration(text: str) -> timedelta | None:
    """``30m``, ``2h``, ``3d``, ``2小时``, ``1天`` → a duration (None when it is not one)."""
    match = _DURATION.match(text.strip())
    if not match:
        return None
    value = int(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
    return timedelta(seconds=value) if value > 0 else None


def parse_poll(
    text: str, default_anonymous: bool, default_duration: timedelta, max_duration: timedelta
) -> PollSpec | PollError:
    """The text after ``/poll``: question and options separated by ``|`` (or ``｜``); leading words
    ``匿名`` / ``实名`` and a duration (``2h``, ``1天``) set anonymity and the closing time."""
    words = text.strip().split()
    anonymous, duration = default_anonymous, default_duration
    while words and "|" not in words[0] and "｜" not in words[0]:
        word = words[0].lower()
        if word in _FLAGS_ANON:
            anonymous = True
        elif word in _FLAGS_OPEN:
            anonymous = False
        elif (parsed := parse_duration(word)) is not None:
            if parsed > max_duration:
                return PollError("duration")
            duration = parsed
        else:
            break
        words.pop(0)
    parts = [part.strip() for part in _SEPARATORS.split(" ".join(words))]
    if len(parts) < 1 + MIN_OPTIONS or not parts[0]:
        return PollError("usage")
    question, options = parts[0], tuple(part for part in parts[1:] if part)
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        return PollError("options")
    if len({option.casefold() for option in options}) != len(options):
        return PollError("duplicate")
    if any(len(option) > MAX_OPTION_CHARS for option in options):
        return PollError("too_long")
    return PollSpec(question, options, anonymous, duration)


def tally_lines(options: Sequence[str], counts: Mapping[int, int], width: int = 10) -> list[str]:
    """``A ▓▓▓▓░░░░░░ 4 票 (40%)`` per option, the bar scaled to the share of all votes."""
    total = sum(counts.values())
    lines = []
    for index, option in enumerate(options):
        count = counts.get(index, 0)
        share = count / total if total else 0.0
        filled = round(share * width)
        lines.append(f"{option} {'▓' * filled}{'░' * (width - filled)} {count} ({share:.0%})")
    return lines


def winners(counts: Mapping[int, int]) -> list[int]:
    """The options with the most votes (several on a tie; none without votes)."""
    top = max(counts.values(), default=0)
    return sorted(index for index, count in counts.items() if count == top and top > 0)
