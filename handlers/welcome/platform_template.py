"""The welcome as a platform-side template (WeCom's 入群欢迎语, which the platform itself sends where the bot
is not a member): the group's own welcome, with the platform's name placeholder for the newcomer and only
the parts that do not change from day to day (no today's topic, no per-member deadline)."""

from __future__ import annotations

from handlers.config import GroupConfig
from handlers.contract.texts import Texts, render
from handlers.tasks.checklist import welcome_lines
from handlers.welcome import texts
from rules.onboarding import render_lines

THIS_GROUP: Texts = {"zh": "本群", "en": "this group"}


def platform_template(config: GroupConfig, nickname_placeholder: str) -> str:
    lang = config.language
    tasks_on = config.tasks.enabled and bool(config.tasks.tasks)
    values: dict[str, object] = {
        "mention": nickname_placeholder,
        "name": nickname_placeholder,
        "group": config.name or render(THIS_GROUP, lang),
        "purpose": config.purpose,
        "rules": "\n".join(f"{i}. {rule}" for i, rule in enumerate(config.rules, start=1)),
        "topic_today": "",
        "tasks": welcome_lines(config) if tasks_on else "",
        "deadline": "",
        "nickname": "",
        "peers": "",
        "details": "",
    }
    template = config.welcome.template or texts.PLATFORM_TEMPLATE.get(lang, texts.PLATFORM_TEMPLATE["zh"])
    text = render_lines(template, values)
    notice = config.privacy.consent_notice.strip()
    if config.welcome.show_consent and notice:
        text += "\n\n" + render(texts.CONSENT, lang, notice=notice)
    return text
