"""话题接龙: a chain of the day that members add to and the bot keeps numbered."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ChainConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    max_chars: int = Field(default=100, ge=1, le=500)  # one link's length
    shown: int = Field(default=30, ge=5, le=200)  # the newest links shown with the chain
