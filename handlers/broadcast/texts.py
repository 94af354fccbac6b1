"""Broadcast texts (zh / en)."""

from __future__ import annotations

from handlers.contract.texts import Texts

ANNOUNCEMENT: Texts = {"zh": "📢 公告\n{text}", "en": "📢 Announcement\n{text}"}
USAGE: Texts = {
    "zh": "群发公告：私聊我发送 /broadcast 公告内容，再选择要发到的群（需要是该群管理员）。",
    "en": "Broadcast: send me /broadcast <text> in private, then pick the groups (you must be their admin).",
}
IN_PRIVATE_ONLY: Texts = {
    "zh": "群发请私聊我使用 /broadcast，免得公告草稿出现在群里。",
    "en": "Use /broadcast in a private chat with me, so the draft does not show in the group.",
}
NO_GROUPS: Texts = {
    "zh": "我没有找到你所在、且开启了群发的群。",
    "en": "I found no group of yours that takes broadcasts.",
}
DRAFT: Texts = {
    "zh": "📢 公告草稿（{n} 个群可选）：\n{preview}\n\n"
    "点下方按钮发送到对应的群；只有该群管理员按下才有效，每个群只发一次。",
    "en": "📢 Draft ({n} groups to choose from):\n{preview}\n\nPress a button to post it there; only that "
    "group's admins can, and each group gets it once.",
}
SEND_TO: Texts = {"zh": "发送到「{group}」", "en": "Post in “{group}”"}
SENT: Texts = {"zh": "✅ 已发送到「{group}」。", "en": "✅ Posted in “{group}”."}
ALREADY: Texts = {
    "zh": "「{group}」已经收到这条公告，不再重复发送。",
    "en": "“{group}” already has it; not sent again.",
}
NOT_ADMIN: Texts = {
    "zh": "只有「{group}」的管理员可以发公告到该群。",
    "en": "Only admins of “{group}” can post an announcement there.",
}
GONE: Texts = {"zh": "这条公告草稿已不存在。", "en": "That draft no longer exists."}
