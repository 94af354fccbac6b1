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
}
