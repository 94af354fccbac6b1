"""``[antiraid]``: how many joins in how many seconds make a raid, and how long raid mode lasts."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class AntiraidConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    joins: int = Field(default=10, ge=2)  # this many joins …
    seconds: int = Field(default=60, ge=1)  # … within this many seconds start raid mode
    minutes: int = Field(default=30, ge=1)  # raid mode lasts this long (each further wave extends it)
    hold_links_and_media: bool = (
        True  # in raid mode, links and media from members who joined in it are deleted
    )
    # lock joins for the raid: the invite links the bot made need approval until it ends, and join
    # requests are declined meanwhile (Telegram; the group's primary link and people's links are not
    # the bot's to change). Where the platform cannot, the capability says so and nothing is locked.
    lock_joins: bool = True
    sweep: str = "every 1m"  # how often the end of raid mode is looked at
