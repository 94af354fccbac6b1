"""``[welcome]``: the newcomer greeting (batched joins, template, buttons, consent notice) and the
friendly nudge for newcomers who have stayed silent."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from handlers.config_types import Schedule
from rules.templates import placeholders

WELCOME_PLACEHOLDERS = frozenset(
    {
        "mention",
        "name",
        "group",
        "purpose",
        "rules",
        "topic_today",
        "tasks",
        "deadline",
        "nickname",
        "peers",
        "details",
    }
)
NUDGE_PLACEHOLDERS = frozenset({"mention", "name", "group", "topic_today", "hours"})


def _known(template: str, allowed: frozenset[str]) -> str:
    unknown = sorted(placeholders(template) - allowed)
    if unknown:
        raise ValueError(
            f"unknown placeholder(s) {', '.join('{' + u + '}' for u in unknown)}; "
            f"use {', '.join('{' + a + '}' for a in sorted(allowed))}"
        )
    return template


class WelcomeConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    # "" = the built-in text in the group's language. A line whose placeholder is empty (no topic
    # today, no tasks) is left out.
    template: str = ""
    batch_seconds: int = Field(default=10, ge=0, le=3600)  # joins this close together share one welcome
    sweep: Schedule = "every 1m"  # how often batched joins and due nudges are looked at (idle: no query)
    delete_previous: bool = False  # delete the previous welcome when posting a new one
    buttons: bool = True  # rules / today's topic / tasks behind buttons (one line of commands where none)
    # the nickname field whose value a newcomer shares with members ("看到你是互联网行业，群里有 12 位同行");
    # "" = no such line. A field the format does not have gives no line either.
    peers_field: str = "industry"
    show_consent: bool = True  # append privacy.consent_notice when it is set
    late_join_hours: float = Field(default=24, gt=0)  # joins found after downtime: greet if this recent
    nudge_after_hours: float = Field(default=72, ge=0)  # one nudge for a silent newcomer; 0 = never
    nudge_template: str = ""  # "" = built-in text
    # a member who leaves and comes back within this many days of joining continues that membership:
    # no second welcome, questionnaire or task list (join/leave churn)
    rejoin_days: float = Field(default=7, ge=0)

    @field_validator("template")
    @classmethod
    def _template(cls, value: str) -> str:
        return _known(value, WELCOME_PLACEHOLDERS)

    @field_validator("nudge_template")
    @classmethod
    def _nudge(cls, value: str) -> str:
        return _known(value, NUDGE_PLACEHOLDERS)
