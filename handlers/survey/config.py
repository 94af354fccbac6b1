"""``[survey]``: a short satisfaction survey asked in private to a sample of active members."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from handlers.config_types import Schedule


class SurveyConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    ask_at: Schedule = "cron: 0 20 1 * *"  # monthly, the 1st at 20:00 (the group's time zone)
    question: str = ""  # "" = the built-in 「你对本群满意吗？」
    sample: int = Field(default=30, ge=1, le=500)  # members asked per round, drawn among the active
    active_days: int = Field(default=30, ge=1, le=365)  # asked only of members who spoke this recently
    window_days: int = Field(default=7, ge=1, le=60)  # answers accepted for this long
