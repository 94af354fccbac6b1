"""Polls: who may open one, the defaults for anonymity and closing time, how often closing is checked."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from handlers.config_types import Schedule


class PollsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    admins_only: bool = True  # members may open polls only when false
    anonymous: bool = True  # default; "/poll 实名 …" shows who voted for what in the results
    default_hours: int = Field(default=24, ge=1, le=24 * 30)  # closes after this unless "/poll 2h …"
    max_days: int = Field(default=30, ge=1, le=365)
    close_check: Schedule = "every 10m"  # how often polls past their closing time are closed and announced
