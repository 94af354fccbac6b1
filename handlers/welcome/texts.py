"""Welcome and nudge texts (zh / en). Operators override the templates in ``[welcome]``."""

from __future__ import annotations

from handlers.contract.texts import Texts

TEMPLATE: Texts = {
    "zh": (
        "👋 欢迎 {mention} 加入「{group}」！\n"
        "{nickname}\n"
        "① 本群定位：{purpose}\n"
        "② 群规：\n{rules}\n"
        "③ 今日话题：{topic_today}\n"
        "📋 新人任务（请在 {deadline}完成）：\n{tasks}"
    ),
    "en": (
        "👋 Welcome {mention} to {group}!\n"
        "{nickname}\n"
        "① What this group is for: {purpose}\n"
        "② Rules:\n{rules}\n"
        "③ Today's topic: {topic_today}\n"
        "📋 Newcomer tasks (please finish {deadline}):\n{tasks}"
    ),
}
NUDGE: Texts = {
    "zh": (
        "👋 {mention} 入群 {hours} 小时啦，还没听到你的声音～\n"
        "说说你最想在群里解决的问题，或者发个自我介绍：/intro 行业-岗位-入群期待\n"
        "💡 今日话题：{topic_today}"
    ),
    "en": (
        "👋 {mention}, it's been {hours} hours since you joined and we haven't heard from you yet!\n"
        "Tell us what you hope to solve here, or introduce yourself: /intro industry-role-expectation\n"
        "💡 Today's topic: {topic_today}"
    ),
}
CONSENT: Texts = {"zh": "🔒 {notice}", "en": "🔒 {notice}"}
BUTTON_RULES: Texts = {"zh": "查看群规", "en": "Rules"}
BUTTON_TASKS: Texts = {"zh": "开始任务", "en": "Start tasks"}
ADVANCED: Texts = {"zh": "（进阶）", "en": "(advanced) "}
