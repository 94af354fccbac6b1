"""``[milestones]``: membership anniversaries (1 month, 3 months, 1 year …), congratulated in one
message a day."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from handlers.config_types import Schedule
from rules.onboarding import parse_milestone


class MilestonesConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    milestones: list[str] = Field(default_factory=lambda: ["1m", "3m", "1y"])  # 100d, 2w, 6m, 2y …
    post_at: Schedule = "10:00"  # the daily run, in the group's time zone
    catch_up_days: int = Field(default=7, ge=1, le=60)  # a milestone missed by downtime, still sent
    points: int = Field(default=0, ge=0)  # points per anniversary; 0 = none
    template: str = ""  # the header line; "" = built-in

    @field_validator("milestones")
    @classmethod
    def _milestones(cls, values: list[str]) -> list[str]:
        keys = [parse_milestone(v).key for v in values]
        if len(set(keys)) != len(keys):
            raise ValueError("milestones must be unique")
        return keys
