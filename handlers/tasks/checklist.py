"""The checklist as members read it: task titles, questions, progress. Pure functions of the config and
what is stored, shared by the welcome (its ``{tasks}`` lines) and ``/tasks``."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from handlers.config import GroupConfig
from handlers.contract.events import Chat
from handlers.contract.texts import render
from handlers.tasks import texts
from handlers.tasks.config import Question, TaskSpec
from rules.dates import format_deadline, format_local

QUESTIONNAIRE_STEP = "q"  # deep-link steps: /start q<group id> opens the questionnaire at its next question
TASKS_STEP = "t"  # /start t<group id> shows the checklist of that group


def start_payload(step: str, chat: Chat) -> str:
    """The /start payload that brings a member to ``step`` of ``chat``'s tasks (``q-1001234567890``)."""
    return f"{step}{chat.id}"


def parse_start(payload: str, platform: str) -> tuple[str, Chat] | None:
    """``q-1001234567890`` → ("q", the group); None for any other payload."""
    if len(payload) < 2 or payload[0] not in (QUESTIONNAIRE_STEP, TASKS_STEP):
        return None
    return payload[0], Chat(platform, payload[1:], "group")


def task_title(spec: TaskSpec, config: GroupConfig, language: str, private: bool = False) -> str:
    """A task's line. The questionnaire says how to answer where it is read: in the private chat a plain
    reply is the answer, in the group it is not."""
    if spec.title:
        return spec.title
    tasks = config.tasks
    if spec.kind == "questionnaire" and private:
        return render(texts.TITLE_QUESTIONNAIRE_PRIVATE, language, n=len(tasks.questions))
    tags = ""
    if tasks.first_post_hashtags:
        tags = render(texts.TAGS, language, tags=" ".join(tasks.first_post_hashtags))
    return render(
        texts.TITLES[spec.kind],
        language,
        shape=config.nickname.compiled.whole_example or config.nickname.compiled.shape,
        n=len(tasks.questions),
        min=tasks.first_post_min_chars,
        tags=tags,
    )


def question_text(question: Question, language: str) -> str:
    return question.text or render(texts.QUESTIONS[question.key], language)


def questions_for(config: GroupConfig, referral: bool) -> list[list[str]]:
    """The questions a newcomer is asked, as stored on their row: [[key, text], …]."""
    chosen = config.tasks.referral_questions if referral else config.tasks.questions
    return [[q.key, question_text(q, config.language)] for q in chosen]


def pending_question(
    questions: Sequence[Sequence[str]], answers: Collection[str]
) -> tuple[int, str, str] | None:
    """(1-based index, key, text) of the first unanswered question, or None when all are answered."""
    for index, (key, text) in enumerate(questions, start=1):
        if key not in answers:
            return index, key, text
    return None


def welcome_lines(config: GroupConfig) -> str:
    """The ``{tasks}`` placeholder of the welcome: one line per task, advanced ones marked."""
    from handlers.welcome.texts import ADVANCED

    lang = config.language
    lines = []
    for spec in config.tasks.tasks:
        mark = render(ADVANCED, lang) if spec.level == "advanced" else ""
        lines.append(f"• {mark}{task_title(spec, config, lang)}")
    return "\n".join(lines)


def checklist(
    config: GroupConfig,
    name: str,
    done: Collection[str],
    due_at: datetime | None,
    questions: Sequence[Sequence[str]],
    answers: Mapping[str, str],
    now: datetime,
    private: bool = False,
) -> str:
    lang = config.language
    basic = config.tasks.kinds("basic")
    finished = sum(1 for kind in basic if kind in done)
    if finished == len(basic):
        lines = [render(texts.CHECKLIST_DONE_HEAD, lang, name=name)]
    else:
        overdue = due_at is not None and now > due_at
        head = texts.CHECKLIST_OVERDUE_HEAD if overdue else texts.CHECKLIST_HEAD
        # a deadline still ahead reads "12月5日 20:00 前"; one already past is the moment it passed
        deadline = (format_local if overdue else format_deadline)(due_at, config.tz, lang) if due_at else "-"
        lines = [render(head, lang, name=name, done=finished, total=len(basic), deadline=deadline)]
    for level in ("basic", "advanced"):
        specs = [s for s in config.tasks.tasks if s.level == level]
        if level == "advanced" and specs:
            lines.append(render(texts.ADVANCED_HEAD, lang))
        for spec in specs:
            lines.append(f"{'✅' if spec.kind in done else '⬜'} {task_title(spec, config, lang, private)}")
            if spec.kind == "questionnaire" and spec.kind not in done:
                pending = pending_question(questions, answers)
                if pending is not None:
                    index, _, text = pending
                    current = texts.CURRENT_QUESTION_PRIVATE if private else texts.CURRENT_QUESTION
                    lines.append(render(current, lang, i=index, n=len(questions), question=text))
    if finished < len(basic) and config.tasks.points:
        lines.append(render(texts.REWARD_HINT, lang, points=config.tasks.points))
    return "\n".join(lines)
