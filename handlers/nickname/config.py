"""``[nickname]``: the group's name format, its field rules, the grace period and what happens after it.

The format is compiled once when the config loads (``NicknameConfig.compiled``), so a bad regular
expression or an example that breaks its own rule is a config error naming the key, not a crash later.
"""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from handlers.config_types import Schedule
from rules.nickname import FieldSpec, FormatError, NicknameFormat, compile_format


class NicknameField(BaseModel):
    """The rule of one field of the format (``[nickname.fields.city]``)."""

    model_config = ConfigDict(extra="forbid")

    label: str = (
        ""  # what members read: "城市"; default: a known label for city/industry/name/…, else the key
    )
    allowed: list[str] = Field(default_factory=list)  # e.g. the cities of the community; empty = anything
    min_len: int = Field(default=1, ge=0)
    max_len: int = Field(default=16, ge=1)
    pattern: str = ""  # a regular expression the whole field must match (escape hatch)
    example: str = ""  # shown in reminders; default: the first allowed value, else a known example


# Labels and examples for the field names the playbooks use, so `format` alone is enough config.
KNOWN_FIELDS: dict[str, NicknameField] = {
    "city": NicknameField(label="城市", example="上海", max_len=10),
    "industry": NicknameField(label="行业", example="互联网", max_len=10),
    "name": NicknameField(label="昵称", example="小王", max_len=12),
    "nickname": NicknameField(label="昵称", example="小王", max_len=12),
    "role": NicknameField(label="岗位", example="产品经理", max_len=10),
    "company": NicknameField(label="公司", example="某公司", max_len=16),
    "member_type": NicknameField(label="成员类型", example="会员", max_len=8),
    "app_name": NicknameField(label="APP昵称", example="小王", max_len=16),
    "skin_type": NicknameField(label="肤质类型", example="混合肌", max_len=8),
}

Consequence = Literal["strike", "remind", "mute", "remove"]


class NicknameConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    format: str = "{city}-{industry}-{name}"  # any separator of - － — _ · ｜ | or spaces is accepted
    fields: dict[str, NicknameField] = Field(default_factory=dict)  # rules per field; missing = known default
    pattern: str = ""  # a whole-name regular expression that replaces `format` (then set `example`)
    example: str = ""  # the example shown with `pattern`
    grace_hours: float = Field(default=24, ge=0)  # time to fix the name before the consequence
    remind_every_hours: float = Field(default=8, gt=0)  # reminders during the grace period
    consequence: Consequence = "strike"  # after the grace: a strike / another reminder / mute / remove
    # which name the rule checks: the member's "account" name (Telegram's first + last name, WeCom's group
    # nickname), or the group name a member "registered" with /nick 上海-互联网-小王, which the bot then
    # uses in all its texts and lists (Telegram has no per-group nickname)
    source: Literal["account", "registered"] = "account"
    mute_hours: float = Field(default=24, gt=0)  # with consequence = "mute"
    allow_users: list[str] = Field(default_factory=list)  # user ids never checked (admins never are)
    check_on_join: bool = True
    check_on_rename: bool = True
    check_on_first_message: bool = True  # members who were there before the bot
    sweep: Schedule = "every 30m"  # how often due reminders and deadlines are looked at (±30 min on 24 h)

    @model_validator(mode="after")
    def _compiles(self) -> NicknameConfig:
        try:
            _ = self.compiled
        except FormatError as exc:
            raise ValueError(str(exc)) from exc
        return self

    @cached_property
    def compiled(self) -> NicknameFormat:
        """The format with every field's rule compiled (once per config object)."""
        specs: dict[str, FieldSpec] = {}
        for name in _placeholders(self.format):
            given = self.fields.get(name)
            known = KNOWN_FIELDS.get(name)
            rule = given or known or NicknameField()
            specs[name] = FieldSpec.build(
                name,
                label=rule.label or (known.label if known else name),
                allowed=rule.allowed,
                min_len=rule.min_len,
                max_len=rule.max_len if given or known else 16,
                pattern=rule.pattern,
                example=rule.example or ("" if rule.allowed or not known else known.example),
            )
        for name in self.fields:
            # A known field a group's format does not use may be inherited from [defaults] (tables merge);
            # any other name is a typo, which compile_format reports as not in the format.
            if name not in KNOWN_FIELDS:
                specs.setdefault(name, FieldSpec.build(name))
        return compile_format(self.format, specs, self.pattern, self.example)


def _placeholders(template: str) -> list[str]:
    import string

    try:
        return [name for _, name, _, _ in string.Formatter().parse(template) if name]
    except ValueError:
        return []
