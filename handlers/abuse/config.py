"""``[abuse]``: insults and personal attacks (人身攻击 / 辱骂), struck with the ``abuse`` weight of
``[moderation.weights]``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class AbuseConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    extra_words: list[str] = Field(default_factory=list)  # the group's own insults, each enough on its own
    action: Literal["strike", "delete", "notify"] = "strike"  # strike: delete + strike; notify: tell admins
    delete: bool = True  # with "strike": delete the message too
