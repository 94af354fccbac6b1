"""``[verify]``: how a newcomer proves they are a person who read the rules before they may post."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from rules.verify import RuleQuestion


class VerifyQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1)
    answer: str = Field(min_length=1)
    wrong: list[str] = Field(min_length=1, max_length=5)  # shown with the answer as buttons, shuffled

    def rule(self) -> RuleQuestion:
        return RuleQuestion(self.question, self.answer, tuple(self.wrong))

    @model_validator(mode="after")
    def _answer_not_among_wrong(self) -> Self:
        if self.answer in self.wrong:
            raise ValueError(f"the answer {self.answer!r} is also listed as wrong")
        return self


class JoinRequestConfig(BaseModel):
    """``[verify.join_requests]``: groups with "approve new members" (Telegram ``chat_join_request``)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = False  # answer join requests; false: they wait for a human in Telegram's own list
    # ask the entry questionnaire ([tasks] questions; referral joiners: referral_questions) in the private
    # chat and approve when it is answered; false: the admins decide with the buttons alone
    questionnaire: bool = True
    timeout_minutes: int = Field(default=60, ge=1, le=7 * 24 * 60)  # no answer by then …
    on_timeout: Literal["decline", "pending"] = "decline"  # … decline (they may ask again) or leave it
    admin_buttons: bool = True  # 通过 / 拒绝 buttons on the admins' notice (log chat or private)


class VerifyConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # none: anyone may post at once; button: one press; arithmetic: a small sum; question: a rules question
    method: Literal["none", "button", "arithmetic", "question"] = "none"
    timeout_minutes: int = Field(default=5, ge=1, le=24 * 60)
    on_timeout: Literal["remove", "mute"] = "remove"  # remove: may rejoin; mute: stays, cannot post
    questions: list[VerifyQuestion] = Field(default_factory=list)  # for method = "question"
    sweep: str = "every 1m"  # how often deadlines are checked (also those of join requests)
    join_requests: JoinRequestConfig = JoinRequestConfig()

    @model_validator(mode="after")
    def _questions_for_question(self) -> Self:
        if self.method == "question" and not self.questions:
            raise ValueError('method = "question" needs at least one [[verify.questions]] entry')
        return self

    @property
    def enabled(self) -> bool:
        return self.method != "none"
