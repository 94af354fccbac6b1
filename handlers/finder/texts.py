"""Expert-matching texts (zh / en)."""

from __future__ import annotations

from handlers.contract.texts import Texts

USAGE: Texts = {
    "zh": "🔎 找人：/找人 关键词（如 /找人 Excel 财务）。只会推荐同意被找到的群友；想被推荐请发送 /findme。",
    "en": "🔎 Find: /find keywords (e.g. /find Excel finance). Only members who agreed are suggested; "
    "send /findme to be one.",
}
FOUND: Texts = {
    "zh": "🔎 可以请教「{query}」的群友：\n{lines}\n（只推荐同意被找到的群友，发送 /findme 加入）",
    "en": "🔎 Members who can help with “{query}”:\n{lines}\n(only members who agreed are suggested: "
    "/findme to join)",
}
LINE: Texts = {"zh": "{n}. {mention}：{about}", "en": "{n}. {mention}: {about}"}
NONE: Texts = {
    "zh": "🔎 暂时没有同意被推荐、且提到「{query}」的群友。可以直接在群里问问～",
    "en": "🔎 No member who agreed to be suggested mentions “{query}” yet. Ask the group!",
}
CONSENTED: Texts = {
    "zh": "✅ {name}，群友用 /找人 时会按你在问卷里填的可分享技能、自我介绍和昵称里的行业推荐你。"
    "随时发送 /findme off 取消。",
    "en": "✅ {name}, /find now suggests you by the skills you said you can share, your introduction and "
    "your industry. Send /findme off to stop.",
}
NOTHING_TO_MATCH: Texts = {
    "zh": "（你还没有填写可分享的技能或自我介绍，暂时只能按昵称里的行业匹配。）",
    "en": "(You have not said what you can share or introduced yourself yet: only your industry matches.)",
}
WITHDRAWN: Texts = {
    "zh": "好的 {name}，/找人 不会再推荐你。",
    "en": "Done, {name}: /find no longer suggests you.",
}
