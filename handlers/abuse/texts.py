"""Abuse texts (zh first, en): the public reason names the kind of violation, never the words."""

from __future__ import annotations

from handlers.contract.texts import Texts

REASON: Texts = {"zh": "人身攻击/辱骂他人", "en": "personal attacks / insults"}
DELETED: Texts = {
    "zh": "{mention} 的消息含有辱骂内容，已删除。请文明交流。",
    "en": "{mention}'s message insulted others and was deleted. Please keep it civil.",
}
NOTIFY: Texts = {
    "zh": "疑似辱骂：{name} 的消息（#{message_id}），{detail}。请管理员查看。",
    "en": "Possible insult: {name}'s message (#{message_id}), {detail}. Please have a look.",
}
