"""Broadcasts: whether this group takes them, how often waiting copies are looked for."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from handlers.config_types import Schedule


class BroadcastConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True  # false: this group is left out of every broadcast
    # how often a group looks for a copy due to it (one query for the whole process per check)
    deliver_check: Schedule = "every 1m"
