"""``[moderation]``: the strike policy (weights, window, ladder, remove-at-once categories), public notices,
reports and flood control. The ladder and durations are parsed when the config loads, so a typo is a
located config error."""

from __future__ import annotations

from datetime import timedelta
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from rules.strikes import LadderStep, parse_duration, parse_ladder

DEFAULT_WEIGHTS: dict[str, int] = {
    "ad": 1,
    "flood": 1,
    "nickname": 1,
    "abuse": 1,
    "off_topic": 1,
    "reported": 1,
    "manual": 1,
}


class FloodConfig(BaseModel):
    """``[moderation.flood]``: too many messages too fast, or the same message again and again."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    max_messages: int = Field(default=8, ge=2)  # more than this many messages …
    per_seconds: int = Field(default=10, ge=1)  # … within this many seconds is a flood
    repeat_max: int = Field(default=3, ge=2)  # the same message this many times …
    repeat_seconds: int = Field(default=600, ge=1)  # … within this window is a flood
    repeat_min_chars: int = Field(default=5, ge=1)  # shorter texts ("收到", "哈哈哈") never count as repeats
    delete: bool = True  # delete the flood messages
    cooldown_s: int = Field(default=120, ge=0)  # one strike per burst: later messages are only deleted
    # One message this long made of at most 3 distinct characters ("aaaa…", 100 KB of one letter) is a
    # flood on its own (0 = off); the ad detector leaves such text to flood control.
    nonsense_chars: int = Field(default=200, ge=0)


class ModerationConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    window_days: int = Field(default=30, ge=1)  # strikes older than this no longer count
    ladder: list[str] = Field(default_factory=lambda: ["warn", "warn", "remove"])  # or "mute 1h", "ban"
    weights: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_WEIGHTS))  # category → weight
    remove_at_once: list[str] = Field(default_factory=lambda: ["porn", "violence", "gambling"])
    at_once_action: Literal["remove", "ban"] = "remove"
    public_notice: bool = True  # announce strikes and removals in the group, with the reason and count
    notice_delete_after_min: int = Field(default=0, ge=0)  # 0 = keep the notice
    quote_content: bool = False  # False: notices name the kind of violation, never the offending text
    default_mute: str = "1h"  # /mute without a duration
    max_mute: str = "30d"
    report_threshold: int = Field(default=3, ge=0)  # members reporting one message → a strike; 0 = never
    report_delete: bool = True  # at the threshold, also delete the reported message
    flood: FloodConfig = FloodConfig()

    @field_validator("ladder")
    @classmethod
    def _ladder(cls, value: list[str]) -> list[str]:
        parse_ladder(value)
        return value

    @field_validator("default_mute", "max_mute")
    @classmethod
    def _duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    @field_validator("weights")
    @classmethod
    def _weights(cls, value: dict[str, int]) -> dict[str, int]:
        bad = [k for k, w in value.items() if w < 0]
        if bad:
            raise ValueError(f"weights must be 0 or more (category {', '.join(bad)})")
        return value

    @cached_property
    def steps(self) -> tuple[LadderStep, ...]:
        return parse_ladder(self.ladder)

    @property
    def window(self) -> timedelta:
        return timedelta(days=self.window_days)

    def weight(self, category: str) -> int:
        """A category's weight; one not listed weighs 1 (a new detector category still counts)."""
        return self.weights.get(category, DEFAULT_WEIGHTS.get(category, 1))

    @property
    def notice_delete_after_s(self) -> int | None:
        return self.notice_delete_after_min * 60 or None
