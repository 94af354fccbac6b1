"""Topics config: the morning topic pool and the weekly content calendar, in the group's time zone."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from handlers.config_types import OptionalSchedule, Schedule


class CalendarEntry(BaseModel):
    """One slot of the weekly calendar, e.g. 周一三五 20:00 干货分享 with its own topic pool."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_-]{1,32}$")  # names the job and the rotation; keep it stable
    name: str = ""  # as members see it: 干货分享, 话题讨论
    schedule: Schedule  # "mon,wed,fri 20:00", "cron: 0 20 * * 2,4"
    template: str = "{topic}"  # placeholders: {topic} {name} {date} {weekday} {group}
    topics: list[str] = Field(default_factory=list)  # rotating pool; empty: the template alone
    pin: bool = False


class TopicsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    daily_at: OptionalSchedule = "08:00"  # the morning topic; "" turns it off
    daily_template: str = "☀️ 早安！今日话题：{topic}\n欢迎大家在群里聊聊～"
    pool: list[str] = Field(default_factory=list)  # morning topics; no topic is posted while empty
    order: Literal["in_order", "shuffled"] = "shuffled"  # each round uses every topic once
    pin: bool = False  # pin the morning topic (where the platform can)
    grace_minutes: int = Field(default=30, ge=0)  # after downtime, still post a topic this late
    calendar: list[CalendarEntry] = Field(default_factory=list)

    @field_validator("calendar")
    @classmethod
    def _unique_ids(cls, entries: list[CalendarEntry]) -> list[CalendarEntry]:
        ids = [entry.id for entry in entries]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            raise ValueError(f"calendar ids must be unique: {', '.join(duplicated)}")
        return entries
