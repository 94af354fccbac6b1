"""Nickname texts (zh first, en): the reminder always shows a correct example made from the member's name."""

from __future__ import annotations

from collections.abc import Mapping

from handlers.contract.texts import Texts

REMIND: Texts = {
    "zh": (
        "{mention} 你好！本群昵称格式为「{shape}」，你现在的昵称「{name}」不符合：{problem}。\n"
        "请修改群昵称，例如：{example}\n请在 {deadline}修改，逾期将{consequence}。"
    ),
    "en": (
        "{mention} hello! Names here follow '{shape}'; yours, '{name}', does not: {problem}.\n"
        "Please change it, e.g. {example}\nPlease do so {deadline}; after that: {consequence}."
    ),
}
REMIND_FIRST: Texts = {
    "zh": (
        "{mention} 小提醒：麻烦把名字改成「{shape}」格式，例如 {example}。"
        "请在 {deadline}改好，逾期将{consequence}。"
    ),
    "en": (
        "{mention} a small reminder: please change your name to '{shape}', e.g. {example}. "
        "Please do so {deadline}; after that: {consequence}."
    ),
}
REMIND_AGAIN: Texts = {
    "zh": "{mention} 小提醒：名字还差一步，改成「{shape}」格式就好，例如 {example}（{deadline}）。",
    "en": "{mention} a small reminder: your name still needs the '{shape}' form, e.g. {example} "
    "({deadline}).",
}
REGISTER: Texts = {
    "zh": (
        "{mention} 你好！本群用登记的群名称呼大家：请发送 /nick {example} 登记你的群名（格式「{shape}」）。"
        "请在 {deadline}登记，逾期将{consequence}。"
    ),
    "en": (
        "{mention} hello! This group calls members by a registered name: send /nick {example} to register "
        "yours ('{shape}'). Please do so {deadline}; after that: {consequence}."
    ),
}
REGISTER_AGAIN: Texts = {
    "zh": "{mention} 小提醒：发送 /nick {example} 登记群名就好（{deadline}）。",
    "en": "{mention} a small reminder: send /nick {example} to register your group name ({deadline}).",
}
ASK_REGISTER_IN_WELCOME: Texts = {
    "zh": "✏️ {name}，请发送 /nick {example} 登记你在本群的名字（格式 {shape}）",
    "en": "✏️ {name}, please register your name here: /nick {example} (as {shape})",
}
NICK_NOT_HERE: Texts = {
    "zh": "本群直接检查{where}，改好名字即可，不需要 /nick。",
    "en": "This group checks your {where}: change it there, no /nick needed.",
}
NICK_USAGE: Texts = {
    "zh": "用法：/nick {example}（格式 {shape}）",
    "en": "Usage: /nick {example} (as {shape})",
}
NICK_INVALID: Texts = {
    "zh": "「{name}」还不符合格式：{problem}。例如：/nick {example}",
    "en": "'{name}' breaks the format: {problem}. E.g. /nick {example}",
}
NICK_DONE: Texts = {
    "zh": "✅ 已登记你的群名「{name}」，之后机器人都这样称呼你。",
    "en": "✅ Registered: the bot calls you '{name}' from now on.",
}
ASK_IN_WELCOME: Texts = {
    "zh": "✏️ {name}，麻烦把{where}改成 {shape}，例如 {example}",
    "en": "✏️ {name}, please set your {where} as {shape}, e.g. {example}",
}
WHERE: Mapping[str, Texts] = {  # what the platform calls the name the rule checks
    "first_last_name": {"zh": "你的 Telegram 名字", "en": "Telegram name"},
    "group_nickname": {"zh": "群昵称", "en": "group nickname"},
    "display_name": {"zh": "昵称", "en": "name"},
}
STILL_WRONG: Texts = {
    "zh": "{mention} 新昵称「{name}」还不符合格式：{problem}。例如：{example}（{deadline}）",
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
