"""Silent members: the monthly list to admins and an optional cleanup that always warns first. Who counts
as new, active or silent is the group's ``[stats]`` definition (one definition for every figure)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from handlers.config_types import OptionalSchedule, Schedule


class SilenceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    report_at: OptionalSchedule = "cron: 0 10 1 * *"  # the monthly list to admins; "" turns it off
    cleanup: bool = False  # warn the silent members in the group, remove those still silent after grace_days
    grace_days: int = Field(default=7, ge=1)
    cleanup_check: Schedule = "10:30"  # daily: settle warnings whose grace has passed
    max_listed: int = Field(default=30, ge=1, le=200)  # names in one notice
    exempt: list[str] = Field(default_factory=list)  # user ids never warned or removed (besides admins, VIPs)
