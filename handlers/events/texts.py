"""Event texts (zh / en)."""

from __future__ import annotations

from handlers.contract.texts import Texts

KIND: dict[str, Texts] = {
    "live": {"zh": "直播", "en": "Live"},
    "talk": {"zh": "分享", "en": "Talk"},
    "offline": {"zh": "线下活动", "en": "Meetup"},
}
ANNOUNCED: Texts = {
    "zh": "📅 {kind}预告：{title}\n时间：{when}\n"
    "点「报名」参加；开始前 {ask_days} 天起可以用 /ask 问题 提前提问。",
    "en": "📅 {kind}: {title}\nWhen: {when}\nPress “Sign up” to join; from {ask_days} days before, "
    "send /ask <question> for the speaker.",
}
SIGN_UP: Texts = {"zh": "报名", "en": "Sign up"}
COUNTDOWN: Texts = {
    "zh": "⏰ 还有 {left}：{kind}「{title}」{when} 开始，已报名 {count} 人。",
    "en": "⏰ {left} to go: {kind} “{title}” starts {when}; {count} signed up.",
}
HOURS: Texts = {"zh": "{n} 小时", "en": "{n} h"}
DAYS: Texts = {"zh": "{n} 天", "en": "{n} day(s)"}
MINUTES: Texts = {"zh": "{n} 分钟", "en": "{n} min"}
REMINDER: Texts = {
    "zh": "🔔 你报名的{kind}「{title}」{when} 开始，别错过！",
    "en": "🔔 The {kind} you signed up for, “{title}”, starts {when}. See you there!",
}
RECAP: Texts = {
    "zh": "📝 {kind}回顾：{title}\n报名 {count} 人。{questions}",
    "en": "📝 Recap: {title}\n{count} signed up. {questions}",
}
QUESTIONS: Texts = {"zh": "大家提前提的问题：\n{lines}", "en": "Questions sent ahead:\n{lines}"}
NO_QUESTIONS: Texts = {"zh": "没有收到提前提问。", "en": "No questions were sent ahead."}
ASKED: Texts = {
    "zh": "已收到你给「{title}」的问题（第 {n} 个），活动后会在回顾里整理。",
    "en": "Got your question for “{title}” (#{n}); it will be in the recap.",
}
NOT_ASKING: Texts = {
    "zh": "现在没有在收集问题的活动（开始前 {ask_days} 天起开放 /ask）。",
    "en": "No event is collecting questions now (/ask opens {ask_days} days before one).",
}
ASK_USAGE: Texts = {"zh": "用法：/ask 你的问题", "en": "Usage: /ask your question"}
SIGNED_UP: Texts = {
    "zh": "{name} 报名了「{title}」（已报名 {count} 人）",
    "en": "{name} signed up for “{title}” ({count} so far)",
}
LIST: Texts = {"zh": "📅 接下来的活动：\n{lines}", "en": "📅 Coming up:\n{lines}"}
LIST_LINE: Texts = {
    "zh": "{id}. {when} {kind}「{title}」已报名 {count} 人（/rsvp {id}）",
    "en": "{id}. {when} {kind} “{title}”, {count} signed up (/rsvp {id})",
}
NONE_PLANNED: Texts = {"zh": "暂时没有安排活动。", "en": "No event is planned."}
ADMINS_ONLY: Texts = {"zh": "只有管理员可以发布活动。", "en": "Only admins can announce an event."}
ERRORS: dict[str, Texts] = {
    "usage": {
        "zh": "用法：/event 2026-03-20 20:00 | 标题 | 直播（类型：直播 / 分享 / 线下，可省略）",
        "en": "Usage: /event 2026-03-20 20:00 | title | live (kind: live / talk / offline, optional)",
    },
    "when": {"zh": "时间格式：2026-03-20 20:00", "en": "Time format: 2026-03-20 20:00"},
    "past": {"zh": "活动时间已经过了。", "en": "That time has passed."},
    "kind": {"zh": "类型只能是 直播 / 分享 / 线下。", "en": "The kind is live, talk or offline."},
    "too_long": {"zh": "标题最多 80 个字。", "en": "The title is 80 characters at most."},
}
