"""``[briefings]``: when the admins hear about their group's numbers, and what counts as an alert."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from handlers.config_types import OptionalSchedule


class AlertsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    speak_rate_days: int = Field(default=3, ge=1, le=30)  # 日发言率 under the goal this many days running
    spike_factor: float = Field(default=3.0, ge=1.0)  # a day at this many times the 28-day average …
    leave_spike_min: int = Field(default=3, ge=1)  # … and at least this many leaves
    report_spike_min: int = Field(default=3, ge=1)  # … or reports


class BriefingsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    daily: OptionalSchedule = "09:00"  # yesterday's numbers and the alerts; "" = none
    weekly: OptionalSchedule = "fri 16:00"  # the 7 days up to the run's day; "" = none
    top: int = Field(default=3, ge=0, le=20)  # top members in the weekly briefing
    grace_minutes: int = Field(default=180, ge=0)
    alerts: AlertsConfig = AlertsConfig()
