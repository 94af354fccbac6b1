"""Check-in config: how members check in, what a check-in and a streak earn, the evening reminder."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from handlers.config_types import OptionalSchedule


class StreakReward(BaseModel):
    """Given the day a streak reaches ``streak`` days (and at each multiple if ``repeat``)."""

    model_config = ConfigDict(extra="forbid")

    streak: int = Field(ge=1)
    points: int = Field(default=0, ge=0)
    badge: str = ""  # awarded once per member: 21天打卡挑战


def _default_rewards() -> list[StreakReward]:
    return [StreakReward(streak=7, points=20), StreakReward(streak=21, points=50, badge="21天打卡挑战")]


class CheckinConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    keywords: list[str] = Field(default_factory=lambda: ["打卡", "签到"])  # a message exactly one of these
    points: int = Field(default=5, ge=0)  # per check-in (needs [points] enabled)
    rewards: list[StreakReward] = Field(default_factory=_default_rewards)
    repeat_rewards: bool = False  # also reward at 14, 21, … days for a 7-day reward
    remind_at: OptionalSchedule = "21:00"  # reminder to members whose streak would break; "" turns it off
    remind_grace_minutes: int = Field(default=60, ge=0)
