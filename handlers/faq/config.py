"""FAQ config: keyword / pattern auto-replies, matched on normalised text, each with a cooldown."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from rules.normalize import normalize


class FaqEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    keywords: list[str] = Field(default_factory=list)  # any of them in the message
    regex: str = ""  # or a regular expression (searched in the normalised text)
    reply: str
    cooldown_minutes: int | None = Field(default=None, ge=0)  # default: the section's

    _keywords: tuple[str, ...] = PrivateAttr(default=())
    _pattern: re.Pattern[str] | None = PrivateAttr(default=None)

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        if value:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"bad regular expression {value!r}: {exc}") from exc
        return value

    @model_validator(mode="after")
    def _compile(self) -> FaqEntry:
        """Compile once at load (not per message); keywords are normalised like the messages."""
        keywords = tuple(k for k in (normalize(k).strip() for k in self.keywords) if k)
        if not keywords and not self.regex:
            raise ValueError("an FAQ entry needs keywords or a regex")
        self._keywords = keywords
        self._pattern = re.compile(self.regex) if self.regex else None
        return self

    def match(self, normalised: str) -> str | None:
        """What matched in the normalised text (for the log's reason), or None."""
        for keyword in self._keywords:
            if keyword in normalised:
                return f"keyword {keyword!r}"
        if self._pattern is not None and self._pattern.search(normalised) is not None:
            return f"pattern {self.regex!r}"
        return None


class FaqConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    cooldown_minutes: int = Field(default=10, ge=0)  # per entry per group: no reply storms
    entries: list[FaqEntry] = Field(default_factory=list)
