"""Events (直播 / 分享 / 线下): who may announce one, when questions are collected, the countdowns, the
reminder to those who signed up, and events announced in the TOML."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from handlers.config_types import Schedule
from rules.events import KINDS, MAX_TITLE_CHARS


class EventItem(BaseModel):
    """An event announced in the TOML: ``[[defaults.events.items]]`` or per group."""

    model_config = ConfigDict(extra="forbid")

    at: str  # "2026-03-20 20:00", the group's time zone
    title: str = Field(min_length=1, max_length=MAX_TITLE_CHARS)
    kind: Literal["直播", "分享", "线下", "live", "talk", "offline"] = "分享"
    duration_minutes: int | None = Field(default=None, ge=5, le=24 * 60)

    @field_validator("at")
    @classmethod
    def _time(cls, value: str) -> str:
        try:
            datetime.strptime(" ".join(value.split()), "%Y-%m-%d %H:%M")
        except ValueError as exc:
            raise ValueError(f"expected 'YYYY-MM-DD HH:MM', got {value!r}") from exc
        return value

    @property
    def kind_code(self) -> str:
        return KINDS[self.kind]


class EventsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    admins_only: bool = True  # members may announce events only when false
    duration_minutes: int = Field(default=90, ge=5, le=24 * 60)  # the recap follows the end
    ask_days: int = Field(default=3, ge=0, le=30)  # /ask collects questions from this long before
    countdown_hours: list[int] = Field(default_factory=lambda: [24, 1])  # posts this long before
    remind_minutes: int = Field(default=30, ge=0, le=24 * 60)  # to those signed up; 0: no reminder
    check: Schedule = "every 5m"  # how often due posts are looked for (no query when none is due)
    items: list[EventItem] = Field(default_factory=list)

    @field_validator("countdown_hours")
    @classmethod
    def _hours(cls, value: list[int]) -> list[int]:
        if any(h < 1 or h > 24 * 30 for h in value):
            raise ValueError("countdown hours are between 1 and 720")
        return sorted(set(value), reverse=True)
