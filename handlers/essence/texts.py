"""精华 texts (zh / en)."""

from __future__ import annotations

from handlers.contract.texts import Texts

MARKED: Texts = {
    "zh": "⭐ 已加入精华：{author} 的分享{points}。发送 /精华 查看精华列表，/精华 关键词 搜索。",
    "en": "⭐ Added to the highlights: {author}'s post{points}. /essence lists them, /essence WORD searches.",
}
POINTS: Texts = {"zh": "（+{points} 积分）", "en": " (+{points} points)"}
ALREADY: Texts = {"zh": "这条已经在精华里了。", "en": "That post is already a highlight."}
NEED_REPLY: Texts = {
    "zh": "请回复要加精的那条消息发送 /精华。",
    "en": "Reply to the post you want to keep with /essence.",
}
NO_TEXT: Texts = {"zh": "这条消息没有文字，无法加入精华。", "en": "That message has no text to keep."}
ADMINS_ONLY: Texts = {"zh": "只有管理员可以加精。", "en": "Only admins can mark highlights."}
LIST: Texts = {
    "zh": "⭐ 精华（{count} 条{query}）：\n{lines}",
    "en": "⭐ Highlights ({count}{query}):\n{lines}",
}
QUERY: Texts = {"zh": "，含「{query}」", "en": ' matching "{query}"'}
EMPTY: Texts = {"zh": "还没有精华{query}。", "en": "No highlights yet{query}."}
LINE: Texts = {"zh": "{n}. {author}：{text}", "en": "{n}. {author}: {text}"}
