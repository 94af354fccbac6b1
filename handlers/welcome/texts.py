"""Welcome and nudge texts (zh / en). Operators override the templates in ``[welcome]``."""

from __future__ import annotations

from handlers.contract.texts import Texts

# The welcome is short (at most 8 lines by default) and personal: who joined, what the group is for, the
# newcomer's peers, the name request, the deadline; the rules, today's topic and the tasks are behind buttons
# (``DETAILS``) or, where the platform has none, behind commands named in one line.
TEMPLATE: Texts = {
    "zh": (
        "👋 欢迎 {mention} 加入「{group}」！\n"
        "🎯 {purpose}\n"
        "{peers}\n"
        "{nickname}\n"
        "📋 新人任务请在 {deadline}完成。\n"
        "{details}"
    ),
    "en": (
        "👋 Welcome {mention} to {group}!\n"
        "🎯 {purpose}\n"
        "{peers}\n"
        "{nickname}\n"
        "📋 Please finish your newcomer tasks {deadline}.\n"
        "{details}"
    ),
}
# The welcome the platform itself sends (WeCom customer groups, where the bot cannot answer buttons or
# commands): everything written out, as it cannot point anywhere.
PLATFORM_TEMPLATE: Texts = {
    "zh": (
        "👋 欢迎 {mention} 加入「{group}」！\n"
        "① 本群定位：{purpose}\n"
        "② 群规：\n{rules}\n"
        "③ 今日话题：{topic_today}\n"
        "📋 新人任务：\n{tasks}"
    ),
    "en": (
        "👋 Welcome {mention} to {group}!\n"
        "① What this group is for: {purpose}\n"
        "② Rules:\n{rules}\n"
        "③ Today's topic: {topic_today}\n"
        "📋 Newcomer tasks:\n{tasks}"
    ),
}
PEERS: Texts = {
    "zh": "🤝 看到你是{value}{label}，群里有 {n} 位同行",
    "en": "🤝 You're in {value}, and so are {n} of us here",
}
DETAILS_BUTTONS: Texts = {
    "zh": "👇 群规、今日话题和任务清单都在下面的按钮里",
    "en": "👇 The rules, today's topic and your task list are behind the buttons below",
}
DETAILS_COMMANDS: Texts = {"zh": "👉 发送 {commands}", "en": "👉 Send {commands}"}  # no buttons here
COMMAND: Texts = {"zh": "{command} 看{what}", "en": "{command} for {what}"}
WHAT_RULES: Texts = {"zh": "群规", "en": "the rules"}
WHAT_TOPIC: Texts = {"zh": "今日话题", "en": "today's topic"}
WHAT_TASKS: Texts = {"zh": "任务清单", "en": "your task list"}
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
BUTTON_TOPIC: Texts = {"zh": "今日话题", "en": "Today's topic"}
ADVANCED: Texts = {"zh": "（进阶）", "en": "(advanced) "}
