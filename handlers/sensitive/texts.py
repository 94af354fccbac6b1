"""Sensitive-content texts (zh first, en): what the admins are told."""

from __future__ import annotations

from collections.abc import Mapping

from handlers.contract.texts import Texts

CATEGORY: Mapping[str, Mapping[str, str]] = {
    "politics": {"zh": "政治敏感", "en": "political"},
    "rumour": {"zh": "疑似谣言", "en": "a possible rumour"},
}
NOTIFY: Texts = {
    "zh": "⚠️ {name} 的消息（ID {message_id}）涉及{label}内容（{words}）{deleted}，请管理员查看。",
    "en": "⚠️ {name}'s message (id {message_id}) touches {label} content ({words}){deleted}; please look.",
}
DELETED: Texts = {"zh": "，已按本群设置删除", "en": ", deleted as this group asks"}
