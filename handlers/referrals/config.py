"""Config section for this feature (validated from the rules TOML; unknown keys are errors)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ReferralsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
