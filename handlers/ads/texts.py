"""Ad texts (zh first, en): what fired, in words a member understands, without repeating the ad."""

from __future__ import annotations

from collections.abc import Mapping

from handlers.contract.texts import Texts

# A signal's name → how the detector caught a message: for the log and the admins' notices only (members
# are told the category in plain words, ``handlers.common.texts.CATEGORY``).
SIGNAL: Mapping[str, Mapping[str, str]] = {
    "links": {"zh": "外部链接", "en": "an outside link"},
    "short_links": {"zh": "短链接", "en": "a short link"},
    "invite_links": {"zh": "群/频道邀请链接", "en": "an invite link"},
    "mentions": {"zh": "引导联系其他账号", "en": "another account to contact"},
    "phone": {"zh": "手机号", "en": "a phone number"},
    "wechat": {"zh": "微信号", "en": "a WeChat ID"},
    "qq": {"zh": "QQ 号", "en": "a QQ number"},
    "qr": {"zh": "二维码", "en": "a QR code"},
    "media": {"zh": "小程序/名片", "en": "a mini-program or contact card"},
    "forward": {"zh": "频道转发", "en": "a channel forward"},
    "repeat": {"zh": "重复发送", "en": "the same text again and again"},
    "lures": {"zh": "引流话术", "en": "lures to contact someone or join another group"},
    "model": {"zh": "内容特征像广告", "en": "reads like an ad"},
    "keywords:contact": {"zh": "私聊引流话术", "en": "'DM me' lures"},
    "keywords:parttime": {"zh": "兼职刷单", "en": "part-time / click-farm jobs"},
    "keywords:resale": {"zh": "代购团购二手", "en": "resale"},
    "keywords:traffic": {"zh": "引流到其他群", "en": "luring to other groups"},
    "keywords:crypto": {"zh": "币圈投资带单", "en": "crypto / investment tips"},
    "keywords:loan": {"zh": "贷款套现", "en": "loans"},
    "keywords:exam": {"zh": "代考代写", "en": "exam cheating"},
    "keywords:porn": {"zh": "色情内容", "en": "pornography"},
    "keywords:violence": {"zh": "暴力内容", "en": "violence"},
    "keywords:gambling": {"zh": "赌博", "en": "gambling"},
}
AD_REASON: Texts = {"zh": "发布广告（{why}）", "en": "advertising ({why})"}
ADMIN_SPAM_REASON: Texts = {
    "zh": "发布广告（管理员 {admin} 确认）",
    "en": "advertising (confirmed by {admin})",
}
DELETED: Texts = {
    "zh": "🧹 已删除 {mention} 的一条消息：{reason}。",
    "en": "🧹 Deleted a message by {mention}: {reason}.",
}
NOTIFY: Texts = {
    "zh": "🔎 疑似广告：{name} 的消息（ID {message_id}）— {reason}，得分 {score}。如确认请回复该消息 /spam。",
    "en": "🔎 Possible ad by {name} (message {message_id}): {reason}, score {score}. Reply /spam to confirm.",
}
SPAM_DONE: Texts = {
    "zh": "已按广告处理并删除，样本已保存，用于改进识别。",
    "en": "Handled as an ad and deleted; the sample is saved to improve detection.",
}
NOTSPAM_DONE: Texts = {
    "zh": "已记录为正常消息，样本已保存，用于减少误判{pardoned}。",
    "en": "Recorded as an ordinary message; the sample is saved to reduce false alarms{pardoned}.",
}
NOTSPAM_MEMBER: Texts = {
    "zh": "已将 {name} 近期被删除的 {n} 条消息记为正常消息，用于减少误判，并撤销了相应的违规记录。{removed}",
    "en": "{n} recently deleted message(s) of {name} recorded as ordinary, to reduce false alarms; the"
    " strikes they caused are withdrawn.{removed}",
}
NOTSPAM_MEMBER_REMOVED: Texts = {
    "zh": "如已被移出，可用 /pardon 让其重新入群。",
    "en": " If they were removed, /pardon lets them back.",
}
NOTSPAM_MEMBER_NONE: Texts = {
    "zh": "没有找到 {name} 近期被删除并保留的消息（本群设置 keep_flagged_days 后才会保留；"
    "未删除的消息可直接回复 /notspam）。",
    "en": "No recently deleted message of {name} is kept (groups keep them with keep_flagged_days); reply"
    " /notspam to a message that is still there.",
}
NOTSPAM_PARDONED: Texts = {
    "zh": "，并撤销了这条消息带来的违规记录",
    "en": "; the strike it caused is withdrawn",
}
