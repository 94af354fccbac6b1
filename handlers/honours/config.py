"""Honours config: leaderboards, weekly 活跃之星, monthly honours, tiers 普通/核心/VIP, lucky draws."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from handlers.config_types import OptionalSchedule


class WeeklyStarConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    schedule: OptionalSchedule = "mon 09:00"  # covers the 7 whole local days before the run's day
    top: int = Field(default=3, ge=1)
    points: list[int] = Field(default_factory=lambda: [30, 20, 10])  # by place; missing places get 0
    badge: str = "活跃之星"  # for every star; "" for none
    min_interactions: int = Field(default=3, ge=1)
    grace_minutes: int = Field(default=120, ge=0)


class MonthlyConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    schedule: OptionalSchedule = "cron: 0 10 1 * *"  # covers the previous calendar month
    top: int = Field(default=3, ge=1)
    points: list[int] = Field(default_factory=lambda: [50, 30, 20])  # most active of the month, by place
    badge: str = "月度之星"  # for the most active member
    checkin_badge: str = "月度打卡王"  # for the most check-ins; "" for none
    checkin_points: int = Field(default=30, ge=0)
    grace_minutes: int = Field(default=720, ge=0)


class TiersConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    schedule: OptionalSchedule = "mon 09:00"  # recompute from the 7 days before the run's day
    core_min: int = Field(default=3, ge=1)  # interactions a week for 核心
    demote_after_weeks: int = Field(default=2, ge=1)
    announce: Literal["member", "admins", "group", "none"] = "member"
    grace_minutes: int = Field(default=720, ge=0)


class LotteryConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    window_days: int = Field(default=7, ge=1)  # candidates: members active in these last days
    max_winners: int = Field(default=20, ge=1)


class HonoursConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    rank_size: int = Field(default=10, ge=1)  # lines per /rank board
    weekly_star: WeeklyStarConfig = WeeklyStarConfig()
    monthly: MonthlyConfig = MonthlyConfig()
    tiers: TiersConfig = TiersConfig()
    lottery: LotteryConfig = LotteryConfig()
