"""精华: admins keep a member's best posts; the author earns points; members search the list."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class EssenceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    points: int = Field(default=10, ge=0)  # to the author of a post marked 精华 (needs [points] enabled)
    list_size: int = Field(default=10, ge=1, le=50)  # entries shown by /精华 or a search
