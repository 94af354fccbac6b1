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
        "zh": "机器人无法删除消息 {message_id}，请管理员处理。原因：{reason}",
        "en": "The bot cannot delete message {message_id}; please remove it. Reason: {reason}",
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
