"""Scenario files: TOML segments of users and steps, run in order on the simulator.

```toml
title = "入群与发言"
[[users]]
id = "wang"
name = "上海-产品-小王"
[[steps]]
advance = "5m"          # optional, before the step: time moves, jobs fire
join = "wang"           # or: say = "…" with by = "wang"; rename = "新名字" with by; leave = "wang";
                        #     press = "rules:ok" with by; redeliver = true; note = "…"
```
Each feature adds a segment file, so the demo always shows everything the bot can do.
"""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from bot.tools.simulator import parse_duration

SCENARIOS = Path(__file__).with_name("scenarios")
DEMO_RULES = Path(__file__).with_name("rules.toml")


class ScenarioUser(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    username: str | None = None
    admin: bool = False
    bot: bool = False


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid")

    advance: str | None = None
    until: datetime | None = None  # move time to this moment (with offset): steps that name a date
    note: str | None = None
    join: str | None = None
    request: str | None = None  # asks to join (a group that approves new members), with ``invite``
    invite: str | None = None  # with join: the invite link the member used
    leave: str | None = None
    say: str | None = None
    rename: str | None = None
    press: str | None = None
    by: str | None = None
    reply_to: str | None = None
    label: str | None = None
    private: bool = False
    media: str | None = None
    qr: list[str] = []
    urls: list[str] = []
    forwarded_from_channel: bool = False
    redeliver: bool = False

    @field_validator("advance")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value

    @field_validator("until")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("`until` needs a time zone offset, e.g. 2026-04-06T09:00:00+08:00")
        return value

    @model_validator(mode="after")
    def _needs_by(self) -> Step:
        if (self.say is not None or self.rename is not None or self.press is not None) and not self.by:
            raise ValueError('say / rename / press need `by = "<user id>"`')
        return self


class Segment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    start: datetime | None = None  # only the first segment sets the start
    group: str | None = None  # a later segment with its own group moves the demo there
    group_title: str | None = None
    # a later segment with its own ``group`` plays there; "wecom_customer" gives it a WeCom customer
    # group's capabilities (no removal, the platform's welcome template, group nicknames)
    platform: Literal["wecom_customer"] | None = None
    users: list[ScenarioUser] = []
    steps: list[Step] = []


class ScenarioError(ValueError):
    pass


def load_segment(path: Path) -> Segment:
    try:
        return Segment.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, ValidationError, OSError) as exc:
        raise ScenarioError(f"{path}: {exc}") from exc


def load_scenario(paths: list[Path] | None = None) -> list[Segment]:
    files = paths if paths else sorted(SCENARIOS.glob("*.toml"))
    if not files:
        raise ScenarioError(f"no scenario files in {SCENARIOS}")
    segments = [load_segment(path) for path in files]
    if segments[0].start is None or segments[0].start.tzinfo is None:
        raise ScenarioError(f"{files[0]}: the first segment needs `start` with a time zone offset")
    return segments
