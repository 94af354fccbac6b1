"""``[ads]``: the per-group settings of the ad detector and what a detected ad leads to.

``/spam`` and ``/notspam`` store the replied message's text in ``ad_samples`` for retraining: the one place
qunbot keeps message text, because an admin explicitly asked for it (no author id is kept with it). With
``keep_flagged_days`` a group also keeps the text of deleted ads that long, so ``/notspam @member`` can
relabel it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from rules.ads import ALL_SIGNALS
from rules.ads.signals import KEYWORD_CATEGORIES

MAX_KEEP_FLAGGED_DAYS = 90  # no deleted ad's text is kept longer, whatever a group says

AdAction = Literal["strike", "remove", "ban", "delete", "notify"]

_REMOVE: AdAction = "remove"

# Categories the detector reports: keyword lists plus the signal kinds, and "ad" for the model.
CATEGORIES: frozenset[str] = frozenset(KEYWORD_CATEGORIES) | {
    "contact",
    "link",
    "invite",
    "qr",
    "card",
    "mini_program",
    "forward",
    "repeat",
    "ad",
}


class AdsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    threshold: float | None = Field(default=None, ge=0, le=1)  # model probability that counts as evidence
    score_threshold: float = Field(default=1.0, gt=0)  # summed evidence that makes a hit
    allowed_domains: list[str] = Field(default_factory=list)  # on top of the built-in well-known sites
    extra_keywords: dict[str, list[str]] = Field(default_factory=dict)  # category → words
    signals_off: list[str] = Field(default_factory=list)  # signal names to switch off, e.g. ["forward"]
    strict_with_newcomers: bool = True  # a member's first message needs less evidence
    check_admins: bool = False  # admins' posts (announcements, 打卡) are never checked by default
    repeat_threshold: int = Field(default=3, ge=2)  # same text from one sender across groups …
    repeat_minutes: int = Field(default=10, ge=1)  # … within this window counts as a signal
    repeat_min_chars: int = Field(default=5, ge=1)  # shorter texts ("收到", "哈哈哈") and commands never do
    use_model: bool = True  # the shipped classifier as one more witness
    delete: bool = True  # delete the ad
    default_action: AdAction = "strike"
    actions: dict[str, AdAction] = Field(  # category → action; remove-at-once categories remove
        default_factory=lambda: dict.fromkeys(("porn", "violence", "gambling"), _REMOVE)
    )
    allow_users: list[str] = Field(default_factory=list)  # user ids never checked
    # Keep the text of a message the bot deleted as an ad (and struck for) this many days (0 = never kept),
    # so that ``/notspam @member`` can teach the detector it was wrong; unclaimed texts are purged.
    keep_flagged_days: int = Field(default=0, ge=0, le=MAX_KEEP_FLAGGED_DAYS)

    @field_validator("signals_off")
    @classmethod
    def _signals(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - ALL_SIGNALS)
        if unknown:
            raise ValueError(
                f"unknown signal(s) {', '.join(unknown)}; known: {', '.join(sorted(ALL_SIGNALS))}"
            )
        return value

    @field_validator("actions", "extra_keywords")
    @classmethod
    def _categories(cls, value: dict[str, object]) -> dict[str, object]:
        unknown = sorted(set(value) - CATEGORIES)
        if unknown:
            raise ValueError(
                f"unknown categor(ies) {', '.join(unknown)}; known: {', '.join(sorted(CATEGORIES))}"
            )
        return value
