"""Quiz with a draw (知识问答): the question pool, when a question is asked, how long answers count, how
many members win."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from handlers.config_types import OptionalSchedule, Schedule


class QuizQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1)
    answers: list[str] = Field(min_length=1)  # every accepted answer (compared normalised)


class QuizConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    at: OptionalSchedule = "fri 21:00"  # when a question is asked; "" only by the pool's admins (none yet)
    window_minutes: int = Field(default=30, ge=1, le=24 * 60)  # right answers in this window enter the draw
    winners: int = Field(default=1, ge=1, le=50)
    prize: str = ""  # shown with the result, e.g. "10 积分" or "书一本"
    close_check: Schedule = "every 5m"  # how often closed rounds are drawn (no query when none is open)
    questions: list[QuizQuestion] = Field(default_factory=list)

    @model_validator(mode="after")
    def _pool(self) -> QuizConfig:
        if self.enabled and self.at and not self.questions:
            raise ValueError("quiz is enabled with a schedule but has no [[quiz.questions]]")
        return self
