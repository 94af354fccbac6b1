"""Texts of the shared paths (zh first, en): the strike ladder's public notices, admin refusals, and the
answers of the member resolver. Public notices state the reason and the count, never the offending text
unless the group's ``quote_content`` asks for it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from handlers.contract.texts import Texts

# --- the strike ladder ---------------------------------------------------------------------------------
# The ONE mapping from a category to what members are told, in plain words. The detectors' own labels
# (私聊引流话术, 代购团购二手, scores) name how a message was caught: they go to the log, never to the group.
CATEGORY: Mapping[str, Mapping[str, str]] = {
    "ad": {"zh": "发布广告", "en": "advertising"},
    "flood": {"zh": "刷屏", "en": "flooding"},
    "nickname": {"zh": "昵称不符合群规格式", "en": "a name that breaks the group's format"},
    "abuse": {"zh": "人身攻击", "en": "personal attacks"},
    "off_topic": {"zh": "发布与本群无关的内容", "en": "off-topic posts"},
    "reported": {"zh": "多名成员举报", "en": "reports by several members"},
    "manual": {"zh": "违反群规", "en": "breaking the group's rules"},
    # removed at once
    "porn": {"zh": "色情内容", "en": "pornography"},
    "violence": {"zh": "暴力内容", "en": "violent content"},
    "gambling": {"zh": "赌博广告", "en": "gambling ads"},
    # what an ad was about: shown as 发布广告（…）
    "contact": {"zh": "留联系方式", "en": "contact details"},
    "parttime": {"zh": "招兼职、刷单", "en": "part-time job offers"},
    "resale": {"zh": "推销商品", "en": "selling goods"},
    "account_trade": {"zh": "买卖账号", "en": "trading accounts"},
    "traffic": {"zh": "拉人去其他群", "en": "pulling members into other groups"},
    "crypto": {"zh": "推荐投资理财", "en": "investment tips"},
    "loan": {"zh": "推销贷款", "en": "loan offers"},
    "exam": {"zh": "代考、代写", "en": "exam or essay cheating"},
    "link": {"zh": "外部链接", "en": "outside links"},
    "invite": {"zh": "其他群的邀请链接", "en": "invitations to other groups"},
    "qr": {"zh": "二维码", "en": "a QR code"},
    "card": {"zh": "名片", "en": "a contact card"},
    "mini_program": {"zh": "小程序", "en": "a mini-program"},
    "forward": {"zh": "转发频道内容", "en": "channel forwards"},
    "repeat": {"zh": "反复发送同样的内容", "en": "the same text again and again"},
}
WARN: Texts = {
    "zh": "⚠️ {mention} 违规：{reason}。这是第 {count} 次警告，{limit} 次将被移出群聊。",
    "en": "⚠️ {mention}: {reason}. This is warning {count}; at {limit} you will be removed.",
}
WARN_NO_LIMIT: Texts = {
    "zh": "⚠️ {mention} 违规：{reason}。这是第 {count} 次警告。",
    "en": "⚠️ {mention}: {reason}. This is warning {count}.",
}
MUTE: Texts = {
    "zh": "🔇 {mention} 违规：{reason}。禁言 {duration}（第 {count} 次违规，{limit} 次将被移出群聊）。",
    "en": "🔇 {mention}: {reason}. Muted for {duration} (strike {count}; at {limit} you will be removed).",
}
REMOVE: Texts = {
    "zh": "🚫 {name} 已被移出群聊。原因：{reason}（{days} 天内第 {count} 次违规）。",
    "en": "🚫 {name} was removed. Reason: {reason} (strike {count} within {days} days).",
}
BAN: Texts = {
    "zh": "🚫 {name} 已被移出群聊且不能再加入。原因：{reason}（{days} 天内第 {count} 次违规）。",
    "en": "🚫 {name} was removed and banned. Reason: {reason} (strike {count} within {days} days).",
}
AT_ONCE: Texts = {
    "zh": "🚫 {name} 已被立即移出群聊。原因：{reason}（本群对此类内容零容忍）。",
    "en": "🚫 {name} was removed at once. Reason: {reason} (zero tolerance here).",
}
AT_ONCE_PLAIN: Texts = {
    "zh": "🚫 {name} 已被移出群聊。原因：{reason}。",
    "en": "🚫 {name} was removed. Reason: {reason}.",
}
# Where the bot cannot remove (WeCom customer groups: no API removes a member; a chat where the bot lacks
# the right): the executor asks the owner / admins, and the group is told that, not "removed".
REMOVE_ASKED: Texts = {
    "zh": "🚫 {name} 违规：{reason}（{days} 天内第 {count} 次违规）。"
    "已通知群主处理（机器人在本群无法移出成员）。",
    "en": "🚫 {name}: {reason} (strike {count} within {days} days). The group owner has been asked to "
    "remove them (the bot cannot remove members here).",
}
AT_ONCE_ASKED: Texts = {
    "zh": "🚫 {name} 违规：{reason}（本群对此类内容零容忍）。已通知群主处理（机器人在本群无法移出成员）。",
    "en": "🚫 {name}: {reason} (zero tolerance here). The group owner has been asked to remove them "
    "(the bot cannot remove members here).",
}
AT_ONCE_PLAIN_ASKED: Texts = {
    "zh": "🚫 {name} 违规：{reason}。已通知群主处理（机器人在本群无法移出成员）。",
    "en": "🚫 {name}: {reason}. The group owner has been asked to remove them (the bot cannot remove "
    "members here).",
}
REMOVE_REASON: Texts = {
    "zh": "{reason}（{days} 天内第 {count} 次违规）",
    "en": "{reason} (strike {count} within {days} days)",
}
QUOTED: Texts = {"zh": "{reason}（{detail}）", "en": "{reason} ({detail})"}

# --- admin commands ------------------------------------------------------------------------------------
REFUSED: Texts = {
    "zh": "抱歉，/{command} 仅限管理员使用。如需处理违规内容，可以回复该消息发送 /report 举报。",
    "en": "Sorry, /{command} is for admins. To flag a message, reply to it with /report.",
}
NEED_REPLY: Texts = {
    "zh": "请回复要处理的那条消息，再发送 /{command}。",
    "en": "Reply to the message concerned with /{command}.",
}
NEED_TARGET: Texts = {
    "zh": "请回复该成员的消息发送 /{command}，或写成 /{command} @用户名。",
    "en": "Reply to the member's message with /{command}, or write /{command} @username.",
}
NOT_FOUND: Texts = {"zh": "找不到成员 {handle}。", "en": "No member {handle} here."}
AMBIGUOUS: Texts = {
    "zh": "有 {n} 位成员叫 {handle}：{candidates}。请回复该成员的消息，或写 @用户名 / @ID。",
    "en": "{n} members are called {handle}: {candidates}. Reply to their message, or write @username / @id.",
}


def join_list(items: Sequence[str], language: str) -> str:
    """``a、b、c`` in Chinese, ``a, b, c`` in English: names and items listed the group's way."""
    return ("、" if language == "zh" else ", ").join(items)
