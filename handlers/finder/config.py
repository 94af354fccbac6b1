"""Expert matching (``/找人``): off by default; only members who agreed (``/findme``) are suggested."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class FinderConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = False  # the group offers /找人 and /findme
    max_results: int = Field(default=5, ge=1, le=20)
