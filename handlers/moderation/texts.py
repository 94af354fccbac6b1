"""Moderation texts (zh first, en). Public notices state the reason and the count, never the offending text
unless the group's ``quote_content`` asks for it."""

from __future__ import annotations

from collections.abc import Mapping

from handlers.contract.texts import Texts

# What admins may type after /warn to name the category: /warn 广告 …, /warn 刷屏 …
CATEGORY_ALIASES: Mapping[str, str] = {
    "ad": "ad",
    "广告": "ad",
    "flood": "flood",
    "刷屏": "flood",
    "abuse": "abuse",
    "人身攻击": "abuse",
    "攻击": "abuse",
    "骂人": "abuse",
    "off_topic": "off_topic",
    "offtopic": "off_topic",
    "跑题": "off_topic",
    "无关": "off_topic",
    "nickname": "nickname",
    "昵称": "nickname",
    "porn": "porn",
    "色情": "porn",
    "violence": "violence",
    "暴力": "violence",
}

FLOOD_RATE: Texts = {"zh": "{seconds} 秒内发了 {n} 条消息", "en": "{n} messages in {seconds} s"}
FLOOD_REPEAT: Texts = {"zh": "相同内容重复发送 {n} 次", "en": "the same message {n} times"}
FLOOD_NONSENSE: Texts = {"zh": "发送 {n} 个重复字符", "en": "{n} characters of the same letters"}

# --- admin commands ------------------------------------------------------------------------------------
ADMIN_TARGET: Texts = {
    "zh": "{name} 是管理员，不能对管理员执行 /{command}。",
    "en": "{name} is an admin; /{command} does not apply to admins.",
}
SELF_TARGET: Texts = {
    "zh": "我不能对自己执行 /{command}。",
    "en": "I can't apply /{command} to myself.",
}
BOT_TARGET: Texts = {
    "zh": "{name} 是机器人，不会看警告或禁言；要移出它请用 /ban。",
    "en": "{name} is a bot and won't read a warning or a mute; use /ban to remove it.",
}
WARN_REASON: Texts = {"zh": "{label}（管理员 {admin}：{reason}）", "en": "{label} (admin {admin}: {reason})"}
WARN_REASON_BARE: Texts = {"zh": "{label}（管理员 {admin} 警告）", "en": "{label} (warned by {admin})"}
UNWARN: Texts = {
    "zh": "已撤销 {name} 最近一次违规（{reason}），当前有效违规 {count} 次。",
    "en": "Withdrew {name}'s latest strike ({reason}); {count} active now.",
}
UNWARN_NONE: Texts = {"zh": "{name} 没有有效的违规记录。", "en": "{name} has no active strikes."}
STRIKES_HEAD: Texts = {
    "zh": "{name} 近 {days} 天的有效违规：{count} 次（{limit} 次移出）",
    "en": "{name}: {count} active strike(s) in {days} days (removal at {limit})",
}
STRIKES_LINE: Texts = {
    "zh": "{i}. {when} {reason}（{expires} 到期）",
    "en": "{i}. {when} {reason} (expires {expires})",
}
STRIKES_NONE: Texts = {
    "zh": "{name} 近 {days} 天没有违规记录。",
    "en": "{name} has no strikes in {days} days.",
}
STRIKES_SANCTION: Texts = {"zh": "当前处罚：{what}", "en": "In force: {what}"}
SANCTION_KIND: Mapping[str, Mapping[str, str]] = {
    "remove": {"zh": "已移出", "en": "removed"},
    "ban": {"zh": "已封禁", "en": "banned"},
    "mute": {"zh": "禁言至 {until}", "en": "muted until {until}"},
}
PARDON: Texts = {
    "zh": "✅ 管理员 {admin} 已赦免 {name}：清除 {n} 条违规记录{extra}。",
    "en": "✅ {admin} pardoned {name}: {n} strike(s) cleared{extra}.",
}
PARDON_UNBAN: Texts = {"zh": "，并解除移出/封禁，可以重新入群", "en": ", removal/ban lifted"}
PARDON_RELABELLED: Texts = {
    "zh": "；被删除的 {n} 条消息已记为正常消息，用于减少误判",
    "en": "; {n} deleted message(s) marked ordinary, to teach the ad filter",
}
PARDON_UNMUTE: Texts = {"zh": "，并解除禁言", "en": ", mute lifted"}
ADMIN_BAN: Texts = {
    "zh": "🚫 {name} 已被管理员移出群聊且不能再加入。原因：{reason}",
    "en": "🚫 {name} was banned by an admin. Reason: {reason}",
}
ADMIN_MUTE: Texts = {
    "zh": "🔇 {mention} 被管理员禁言 {duration}。原因：{reason}",
    "en": "🔇 {mention} was muted for {duration} by an admin. Reason: {reason}",
}
NO_REASON: Texts = {"zh": "违反群规", "en": "breaking the group's rules"}
BAD_DURATION: Texts = {
    "zh": "时长格式不对，请写成 10m、1h 或 1d（最长 {max}）。",
    "en": "Bad duration: write 10m, 1h or 1d (at most {max}).",
}

# --- reports ---------------------------------------------------------------------------------------------
REPORT_THANKS: Texts = {
    "zh": "已收到举报，管理员会尽快处理，谢谢 {reporter}！",
    "en": "Report received; the admins will look at it. Thanks, {reporter}!",
}
REPORT_AGAIN: Texts = {
    "zh": "你已经举报过这条消息了，谢谢。",
    "en": "You reported this message already, thanks.",
}
REPORT_SELF: Texts = {"zh": "不能举报自己的消息哦。", "en": "You cannot report your own message."}
REPORT_ADMINS: Texts = {
    "zh": "📣 {reporter} 举报了 {target} 的消息（ID {message_id}，群 {group}）{reason}，已有 {n} 人举报。",
    "en": "📣 {reporter} reported {target}'s message (id {message_id} in {group}){reason}; {n} report(s).",
}
REPORT_MEMBER_ADMINS: Texts = {
    "zh": "📣 {reporter} 举报了成员 {target}（群 {group}）{reason}，已有 {n} 人举报此成员。",
    "en": "📣 {reporter} reported the member {target} (in {group}){reason}; {n} report(s) of this member.",
}
REPORT_REASON: Texts = {"zh": "，理由：{reason}", "en": ", reason: {reason}"}

# the log chat's 撤销 / 确认 (the line is edited: its buttons go, this line says who settled it)
LOG_UNDONE: Texts = {
    "zh": "—— 已撤销（{admin}）：违规记录清除 {n} 条，已解除处罚",
    "en": "— Undone by {admin}: {n} strike(s) cleared, sanctions lifted",
}
LOG_CONFIRMED: Texts = {"zh": "—— 已确认（{admin}）", "en": "— Confirmed by {admin}"}
