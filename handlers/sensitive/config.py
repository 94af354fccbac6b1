"""``[sensitive]``: topics an admin should see (政治, 谣言, the group's own lists). Notify by default."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SensitiveAction = Literal["notify", "delete", "ignore"]


class SensitiveConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    builtin_lists: bool = True  # the built-in "politics" and "rumour" lists
    keywords: dict[str, list[str]] = Field(default_factory=dict)  # category → the group's own words
    action: SensitiveAction = "notify"  # notify the admins; "delete" also deletes (with a note to them)
    actions: dict[str, SensitiveAction] = Field(default_factory=dict)  # per category, instead of `action`
