"""Bot-rights texts (zh / en), rendered with ``bot.texts.render``. Plain words: what is missing, and
what will not work until it is granted."""

from __future__ import annotations

from collections.abc import Mapping

from handlers.contract.texts import Texts

HELLO: Texts = {
    "zh": "{mention} 谢谢把我加入「{group}」！",
    "en": "{mention} thanks for adding me to “{group}”!",
}
HELLO_AGAIN: Texts = {
    "zh": "{mention} 我的权限有变化，重新检查了一遍：",
    "en": "{mention} my rights changed; I checked them again:",
}
MISSING_HEADER: Texts = {
    "zh": "目前还缺少这些权限，授予之前下面的功能不会工作：",
    "en": "I am missing these rights; until they are granted, this will not work:",
}
MISSING: Mapping[str, Texts] = {
    "can_delete": {
        "zh": "• 删除消息：广告和违规消息不能自动删除，只能提醒管理员处理",
        "en": "• Delete messages: ads and rule-breaking posts cannot be removed automatically; "
        "the admins will be asked instead",
    },
    "can_remove": {
        "zh": "• 移出/封禁成员：违规 3 次的成员不能自动移出，只能提醒管理员处理",
        "en": "• Ban / remove members: members with three strikes cannot be removed automatically",
    },
    "can_mute": {
        "zh": "• 禁言成员：刷屏的成员不能自动禁言",
        "en": "• Restrict members: members who flood the group cannot be muted",
    },
    "can_pin": {
        "zh": "• 置顶消息：公告和每日话题不能置顶",
        "en": "• Pin messages: announcements and the daily topic cannot be pinned",
    },
    "invite_links": {
        "zh": "• 邀请链接：不能为推荐人生成专属邀请链接",
        "en": "• Invite users via link: referrers cannot get their own invite links",
    },
}
BLIND: Texts = {
    "zh": "• 我现在只能看到命令和 @ 我的消息：广告检测、「打卡」关键词和发言统计不会工作",
    "en": "• I only see commands and messages that mention me: ad detection, check-in keywords and "
    "activity stats will not work",
}
BLIND_HINT: Mapping[str, Texts] = {
    "tg": {
        "zh": "（在 @BotFather 用 /setprivacy 关闭隐私模式，或把我设为管理员）",
        "en": "(turn privacy mode off with /setprivacy in @BotFather, or make me an admin)",
    },
    "wecom": {
        "zh": "（企业微信需要开通会话内容存档，才能看到群里的所有消息）",
        "en": "(WeCom needs the message archive (会话内容存档) to see every message)",
    },
}
GRANT: Texts = {
    "zh": "请在群设置里把我设为管理员并勾选上面的权限；权限变化后我会再检查一次。",
    "en": "Please make me an admin with these rights in the group settings; I will check again when "
    "they change.",
}
ALL_SET: Texts = {
    "zh": "权限检查完成：删除消息、移出和禁言成员、置顶、邀请链接都可以用，"
    "也能看到群里的所有消息。一切就绪 ✅",
    "en": "Rights check done: I can delete messages, remove and mute members, pin, create invite links, "
    "and I see every message. All set ✅",
}
