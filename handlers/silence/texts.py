"""Silent-member texts (zh / en)."""

from __future__ import annotations

from handlers.contract.texts import Texts

REPORT: Texts = {
    "zh": "📋 成员活跃度（{members} 人）：新成员 {new}，活跃 {active}，"
    "沉默 {silent}（{silent_days} 天未发言）。\n沉默成员：{names}",
    "en": "📋 Member activity ({members}): new {new}, active {active}, "
    "silent {silent} (no word for {silent_days} days).\nSilent: {names}",
}
# Where the platform cannot list a group's members, the bot knows only those it has seen join or speak.
UNLISTED: Texts = {
    "zh": "\n（本平台无法列出群成员：机器人上线前入群、之后从未发言的成员不在统计里。）",
    "en": "\n(This platform cannot list members: those who joined before the bot and never spoke are not "
    "counted.)",
}
NOBODY: Texts = {"zh": "无", "en": "none"}
MORE: Texts = {"zh": " 等 {more} 人", "en": " and {more} more"}
WARNING: Texts = {
    "zh": "👋 {names}：你们已经 {silent_days} 天没在群里说话啦。"
    "{grace_days} 天内说句话就保留，之后会请出群，为活跃的伙伴腾位置。",
    "en": "👋 {names}: you have been quiet for {silent_days} days. "
    "Say anything within {grace_days} days to stay; after that we make room for active members.",
}
REMOVED: Texts = {
    "zh": "已请出 {count} 位长期未发言的成员（提醒后 {grace_days} 天仍未发言）：{names}。欢迎随时回来！",
    "en": "Removed {count} long-silent members ({grace_days} days after the reminder): {names}. "
    "Welcome back any time!",
}
