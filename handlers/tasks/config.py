"""``[tasks]``: the new-member checklist (basic and advanced tasks), the questionnaire, the deadline
with reminders and what happens when it is missed, and the reward for completing it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from handlers.config_types import Schedule
from rules.intro import check_intro
from rules.templates import placeholders

TaskKind = Literal["nickname", "rules", "questionnaire", "intro", "first_post"]
# Built-in question keys have texts in both languages; other keys need their own `text`.
BUILTIN_QUESTIONS = frozenset({"problem", "skill", "referrer", "expectation"})
ANNOUNCE_PLACEHOLDERS = frozenset({"mention", "name", "group"})


class TaskSpec(BaseModel):
    """One task of the checklist. Basic tasks count for the deadline and the newcomer gift."""

    model_config = ConfigDict(extra="forbid")

    kind: TaskKind
    level: Literal["basic", "advanced"] = "basic"
    title: str = ""  # as members read it; "" = built-in text


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=r"^[a-z0-9_]{1,32}$")  # names the stored answer; keep it stable
    text: str = ""  # "" only for the built-in keys problem / skill / referrer / expectation

    @model_validator(mode="after")
    def _has_text(self) -> Question:
        if not self.text.strip() and self.key not in BUILTIN_QUESTIONS:
            raise ValueError(f"question {self.key!r} needs a `text` (only built-in keys may omit it)")
        return self


def _default_tasks() -> list[TaskSpec]:
    return [
        TaskSpec(kind="nickname"),
        TaskSpec(kind="rules"),
        TaskSpec(kind="questionnaire"),
        TaskSpec(kind="intro"),
        TaskSpec(kind="first_post", level="advanced"),
    ]


class TasksConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    tasks: list[TaskSpec] = Field(default_factory=_default_tasks)
    deadline_hours: float = Field(default=72, gt=0)  # basic tasks are due this long after joining
    open_days: int = Field(default=14, ge=1)  # tasks can be done (and rewarded) this long after joining
    remind_before_hours: list[float] = Field(default_factory=lambda: [24.0])  # reminders before the deadline
    on_missed: Literal["remind", "mute", "remove"] = "remind"  # after the deadline (admins are exempt)
    mute_hours: float = Field(default=24, gt=0)  # with on_missed = "mute"
    sweep: Schedule = "every 15m"  # how often reminders and deadlines are looked at
    questions: list[Question] = Field(
        default_factory=lambda: [Question(key="problem"), Question(key="skill")]
    )
    referral_questions: list[Question] = Field(  # asked instead to members who joined by a referral link
        default_factory=lambda: [Question(key="referrer"), Question(key="expectation")]
    )
    intro_example: str = "互联网-产品经理-想认识更多同行"  # shown when an introduction has the wrong form
    first_post_min_chars: int = Field(default=15, ge=1)  # an on-topic post at least this long …
    first_post_hashtags: list[str] = Field(default_factory=list)  # … or carrying one of these tags
    points: int = Field(default=20, ge=0)  # for completing every basic task (source "task")
    advanced_points: int = Field(default=10, ge=0)  # for each advanced task
    gift: str = ""  # 新人礼包: text or link sent privately on completion; "" = none
    announce: bool = True  # a public "welcome aboard" line on completion
    announce_template: str = ""  # "" = built-in; placeholders {mention} {name} {group}

    @field_validator("tasks")
    @classmethod
    def _unique_tasks(cls, tasks: list[TaskSpec]) -> list[TaskSpec]:
        kinds = [task.kind for task in tasks]
        duplicated = sorted({k for k in kinds if kinds.count(k) > 1})
        if duplicated:
            raise ValueError(f"each task kind once: {', '.join(duplicated)} repeated")
        return tasks

    @field_validator("questions", "referral_questions")
    @classmethod
    def _unique_keys(cls, questions: list[Question]) -> list[Question]:
        keys = [q.key for q in questions]
        if len(set(keys)) != len(keys):
            raise ValueError("question keys must be unique")
        return questions

    @field_validator("remind_before_hours")
    @classmethod
    def _positive(cls, hours: list[float]) -> list[float]:
        if any(h <= 0 for h in hours):
            raise ValueError("reminder hours must be positive (hours before the deadline)")
        return hours

    @field_validator("intro_example")
    @classmethod
    def _example_passes(cls, value: str) -> str:
        verdict = check_intro(value)
        if verdict.hit:
            raise ValueError(f"the example is not a valid introduction: {verdict.reason}")
        return value

    @field_validator("announce_template")
    @classmethod
    def _announce(cls, value: str) -> str:
        unknown = sorted(placeholders(value) - ANNOUNCE_PLACEHOLDERS)
        if unknown:
            raise ValueError(f"unknown placeholder(s) {unknown}; use {{mention}} {{name}} {{group}}")
        return value

    @model_validator(mode="after")
    def _window(self) -> TasksConfig:
        if self.open_days * 24 < self.deadline_hours:
            raise ValueError(
                "open_days must cover deadline_hours (tasks stay open at least until the deadline)"
            )
        return self

    def kinds(self, level: str | None = None) -> list[str]:
        return [t.kind for t in self.tasks if level is None or t.level == level]
