"""``[referrals]``: personal invite links, credit for the member whose link a newcomer used, rewards
every N referrals and the 团长排行榜."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ReferralsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    reward_every: int = Field(default=3, ge=1)  # a reward at 3, 6, 9, … referrals
    reward_points: int = Field(default=50, ge=0)
    reward_text: str = ""  # what else the reward is (a gift, a badge), added to the thank-you line
    count_only_present: bool = True  # referrals who left again do not count
    leaderboard_size: int = Field(default=3, ge=1, le=20)  # /invites shows the top N
