"""The executor's own texts, per language. Features keep their texts in their own packages."""

from __future__ import annotations

from collections.abc import Mapping

from handlers.contract.texts import Texts

BUTTON_AS_COMMAND: Texts = {"zh": "👉 {label}：发送 {command}", "en": "👉 {label}: send {command}"}
OBSERVE_HEADER: Texts = {
    "zh": "【观察模式】以下处理未执行，仅供管理员参考：",
    "en": "[observe-only] These actions were not carried out:",
}
ESCALATE: Mapping[str, Texts] = {
    "Delete": {
        "zh": "机器人无法删除 {name} 的消息（{message_id}），请管理员处理。原因：{reason}",
        "en": "The bot cannot delete {name}'s message ({message_id}); please remove it. Reason: {reason}",
    },
    "Remove": {
        "zh": "机器人无法移出 {name}，请群主/管理员处理。原因：{reason}",
        "en": "The bot cannot remove {name}; please do it. Reason: {reason}",
    },
    "Ban": {
        "zh": "机器人无法封禁 {name}，请群主/管理员处理。原因：{reason}",
        "en": "The bot cannot ban {name}; please do it. Reason: {reason}",
    },
    "Mute": {
        "zh": "机器人无法禁言 {name}，请管理员处理。原因：{reason}",
        "en": "The bot cannot mute {name}; please do it. Reason: {reason}",
    },
    "ApproveJoin": {
        "zh": "机器人无法批准 {name} 的入群申请，请群主/管理员处理。原因：{reason}",
        "en": "The bot cannot approve {name}'s request to join; please do it. Reason: {reason}",
    },
    "DeclineJoin": {
        "zh": "机器人无法拒绝 {name} 的入群申请，请群主/管理员处理。原因：{reason}",
        "en": "The bot cannot decline {name}'s request to join; please do it. Reason: {reason}",
    },
}
PRIVATE_WAITING: Texts = {
    "zh": "{mention} 我有一条消息要私下发给你，请点下方按钮私聊我（点 Start 即可）。",
    "en": "{mention} I have a message for you in private: press the button below and then Start.",
}
PRIVATE_BUTTON: Texts = {"zh": "私聊我", "en": "Open a private chat"}
ADMIN_NOTICES_OFF: Texts = {
    "zh": "管理员通知暂时无法送达：请管理员私聊我并点 Start（或由运营设置 log_chat），"
    "之后通知会私信发给你们。",
    "en": "Admin notices cannot be delivered yet: an admin should open a private chat with me and press "
    "Start (or the operator sets log_chat); notices then go there.",
}
ADMIN_BUTTON: Texts = {"zh": "管理员：接收通知", "en": "Admins: get notices"}

# --- the log channel (bot/logchat.py): one message per event, one line per action ---
LOG_HEADER: Texts = {"zh": "📋【{group}】", "en": "📋 [{group}]"}
LOG_STATUS: dict[str, Texts] = {
    "done": {"zh": "", "en": ""},
    "fallback": {"zh": "", "en": ""},
    "escalated": {"zh": "（已请管理员处理）", "en": " (admins asked to do it)"},
    "observed": {"zh": "（观察模式：未执行）", "en": " (observe mode: not done)"},
    "failed": {"zh": "（失败）", "en": " (failed)"},
}
LOG_DELETE: Texts = {"zh": "🗑 删除消息{status}：{reason}", "en": "🗑 Message deleted{status}: {reason}"}
LOG_REMOVE: Texts = {"zh": "⛔ 移出 {name}{status}：{reason}", "en": "⛔ Removed {name}{status}: {reason}"}
LOG_BAN: Texts = {"zh": "⛔ 封禁 {name}{status}：{reason}", "en": "⛔ Banned {name}{status}: {reason}"}
LOG_MUTE: Texts = {"zh": "🔇 禁言 {name}{status}：{reason}", "en": "🔇 Muted {name}{status}: {reason}"}
LOG_UNBAN: Texts = {"zh": "↩️ 解封 {name}{status}：{reason}", "en": "↩️ Unbanned {name}{status}: {reason}"}
LOG_UNMUTE: Texts = {
    "zh": "🔈 解除禁言 {name}{status}：{reason}",
    "en": "🔈 Unmuted {name}{status}: {reason}",
}
LOG_APPROVE: Texts = {
    "zh": "✅ 通过 {name} 的入群申请{status}：{reason}",
    "en": "✅ Approved {name}'s request to join{status}: {reason}",
}
LOG_DECLINE: Texts = {
    "zh": "❌ 拒绝 {name} 的入群申请{status}：{reason}",
    "en": "❌ Declined {name}'s request to join{status}: {reason}",
}
LOG_STRIKE: Texts = {"zh": "⚠️ 记违规 {name}：{reason}", "en": "⚠️ Strike for {name}: {reason}"}
LOG_VERIFY_PASSED: Texts = {"zh": "🟢 {name} 通过入群验证：{reason}", "en": "🟢 {name} verified: {reason}"}
LOG_VERIFY_FAILED: Texts = {
    "zh": "🔴 {name} 入群验证失败：{reason}",
    "en": "🔴 {name} failed verification: {reason}",
}
LOG_VERIFY_TIMEOUT: Texts = {
    "zh": "⏱ {name} 入群验证超时：{reason}",
    "en": "⏱ {name} did not verify in time: {reason}",
}
LOG_RAID_STARTED: Texts = {"zh": "🚨 进入防突袭模式：{reason}", "en": "🚨 Raid mode on: {reason}"}
LOG_RAID_ENDED: Texts = {"zh": "🟢 防突袭模式结束：{reason}", "en": "🟢 Raid mode over: {reason}"}
LOG_RAID_JOIN: Texts = {"zh": "➕ 防突袭期间入群：{name}", "en": "➕ Joined during raid mode: {name}"}
LOG_RAID_LEAVE: Texts = {"zh": "➖ 防突袭期间退群：{name}", "en": "➖ Left during raid mode: {name}"}
LOG_RAID_LOCK: Texts = {"zh": "🔒 锁定入群：{reason}", "en": "🔒 Joins locked: {reason}"}
LOG_RAID_UNLOCK: Texts = {"zh": "🔓 解除入群锁定：{reason}", "en": "🔓 Joins unlocked: {reason}"}
LOG_JOIN_REQUEST: Texts = {"zh": "🚪 {name} 申请入群：{reason}", "en": "🚪 {name} asked to join: {reason}"}
LOG_JOIN_APPROVED: Texts = {
    "zh": "✅ {name} 的入群申请已通过：{reason}",
    "en": "✅ {name}'s request approved: {reason}",
}
LOG_JOIN_DECLINED: Texts = {
    "zh": "❌ {name} 的入群申请已拒绝：{reason}",
    "en": "❌ {name}'s request declined: {reason}",
}
LOG_JOIN_TIMEOUT: Texts = {
    "zh": "⏱ {name} 的入群申请超时：{reason}",
    "en": "⏱ {name}'s request timed out: {reason}",
}
LOG_UNDO: Texts = {"zh": "撤销", "en": "Undo"}
LOG_CONFIRM: Texts = {"zh": "确认", "en": "Confirm"}
LOG_CONFIG_RELOADED: Texts = {
    "zh": "🔄 配置已重新加载（{file}）",
    "en": "🔄 Configuration reloaded ({file})",
}
LOG_DELETED_TEXT: Texts = {"zh": "原文：「{text}」", "en": "text: “{text}”"}
