"""Nickname texts (zh first, en): the reminder always shows a correct example made from the member's name."""

from __future__ import annotations

from collections.abc import Mapping

from handlers.contract.texts import Texts

REMIND: Texts = {
    "zh": (
        "{mention} 你好！本群昵称格式为「{shape}」，你现在的昵称「{name}」不符合：{problem}。\n"
        "请修改群昵称，例如：{example}\n请在 {deadline} 前修改，逾期将{consequence}。"
    ),
    "en": (
        "{mention} hello! Names here follow '{shape}'; yours, '{name}', does not: {problem}.\n"
        "Please change it, e.g. {example}\nPlease do so by {deadline}; after that: {consequence}."
    ),
}
REMIND_AGAIN: Texts = {
    "zh": (
        "{mention} 提醒（第 {n} 次）：请把群昵称改为「{shape}」格式，例如：{example}。"
        "截止 {deadline}，逾期将{consequence}。"
    ),
    "en": (
        "{mention} reminder {n}: please change your name to '{shape}', e.g. {example}. "
        "Deadline {deadline}: then {consequence}."
    ),
}
STILL_WRONG: Texts = {
    "zh": "{mention} 新昵称「{name}」还不符合格式：{problem}。例如：{example}（截止 {deadline}）",
    "en": "{mention} the new name '{name}' still breaks the format: {problem}. E.g. {example} ({deadline})",
}
OVERDUE: Texts = {
    "zh": "{mention} 修改昵称的期限已过：请尽快改为「{shape}」格式，例如：{example}。",
    "en": "{mention} the time to fix your name is over: please change it to '{shape}', e.g. {example}.",
}
MUTED: Texts = {
    "zh": "🔇 {mention} 修改昵称的期限已过，禁言 {hours} 小时。请改为「{shape}」格式，例如：{example}",
    "en": "🔇 {mention} the time to fix your name is over: muted for {hours} h. E.g. {example}",
}
THANKS: Texts = {
    "zh": "谢谢 {mention}，昵称已符合格式 👍",
    "en": "Thanks {mention}, your name fits the format now 👍",
}
CONSEQUENCE: Mapping[str, Texts] = {
    "strike": {"zh": "记违规一次", "en": "a strike"},
    "remind": {"zh": "继续提醒", "en": "more reminders"},
    "mute": {"zh": "被禁言 {hours} 小时", "en": "a {hours} h mute"},
    "remove": {"zh": "被移出群聊", "en": "removal from the group"},
}
STRIKE_REASON: Texts = {
    "zh": "昵称「{name}」不符合群规格式「{shape}」，期限内未修改",
    "en": "name '{name}' breaks the format '{shape}' and was not changed in time",
}
