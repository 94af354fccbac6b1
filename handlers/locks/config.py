"""``[locks]``: message kinds a group does not allow, and the scheduled locks (night mode, slow mode)."""

from __future__ import annotations

import re
from datetime import time
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from rules.locks import LockKind

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_hhmm(value: str) -> time:
    match = _HHMM.match(value)
    if not match:
        raise ValueError(f'expected "HH:MM" (24 h), got {value!r}')
    return time(int(match[1]), int(match[2]))


class Window(BaseModel):
    """A daily window in the group's time zone; ``start`` after ``end`` runs past midnight."""

    model_config = ConfigDict(extra="forbid")

    start: str = "23:00"
    end: str = "07:00"

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        parse_hhmm(value)
        return value

    @property
    def times(self) -> tuple[time, time]:
        return parse_hhmm(self.start), parse_hhmm(self.end)


class NightConfig(Window):
    enabled: bool = False
    announce: bool = True  # post a notice when night mode starts and ends


class SlowConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seconds: int = Field(default=0, ge=0, le=24 * 3600)  # 0 = off; else one message per member per N s
    start: str = ""  # "" with end "": all day; else only inside the daily window
    end: str = ""

    @model_validator(mode="after")
    def _window(self) -> Self:
        if bool(self.start) != bool(self.end):
            raise ValueError("slow mode needs both start and end, or neither (all day)")
        for value in (self.start, self.end):
            if value:
                parse_hhmm(value)
        return self


class LocksConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    locked: list[LockKind] = Field(default_factory=list)  # admins change them with /lock and /unlock
    strike: bool = False  # a locked message also counts a strike (by default it is only deleted)
    night: NightConfig = NightConfig()
    slow: SlowConfig = SlowConfig()
