"""Texts of /mydata and /forgetme (zh / en)."""

from __future__ import annotations

from handlers.contract.texts import Texts

IN_PRIVATE: Texts = {
    "zh": "为保护隐私，请私聊我发送 /{command}。",
    "en": "To keep it private, send me /{command} in a private chat.",
}
MYDATA_HEAD: Texts = {"zh": "🔐 我为你保存的数据：", "en": "🔐 What I keep about you:"}
MYDATA_GROUP: Texts = {
    "zh": "· {group}：昵称「{name}」，入群 {joined}，积分 {points}，等级 {tier}",
    "en": "· {group}: name “{name}”, joined {joined}, {points} points, tier {tier}",
}
MYDATA_ROWS: Texts = {"zh": "· {what}：{n} 条", "en": "· {what}: {n}"}
MYDATA_NOTHING: Texts = {"zh": "我没有保存任何关于你的数据。", "en": "I keep nothing about you."}
MYDATA_FOOT: Texts = {
    "zh": "消息正文默认不保存，只记录时间、类型和处理原因。要删除全部数据，请发送 /forgetme。",
    "en": "Message texts are not kept by default: only times, kinds and the reasons for decisions. "
    "To erase everything, send /forgetme.",
}
FORGET_ASK: Texts = {
    "zh": "⚠️ 这会删除我保存的你的全部数据（群资料、积分、打卡、任务、问卷回答），"
    "日志中的记录会匿名化，且无法恢复。确认请发送：/forgetme 确认",
    "en": "⚠️ This erases everything I keep about you (profiles, points, check-ins, tasks, answers); log "
    "entries are anonymised. It cannot be undone. To confirm, send: /forgetme confirm",
}
FORGET_QUEUED: Texts = {
    "zh": "好的，你的数据将在 {minutes} 分钟内删除。删除后我不会再记得你的积分和记录。",
    "en": "Done: your data will be erased within {minutes} minutes. Your points and records go with it.",
}
TABLES: dict[str, Texts] = {
    "members": {"zh": "群成员资料", "en": "group profiles"},
    "event_log": {"zh": "事件日志", "en": "event-log entries"},
    "strikes": {"zh": "违规记录", "en": "strikes"},
    "sanctions": {"zh": "处罚记录", "en": "sanctions"},
    "points_ledger": {"zh": "积分流水", "en": "points entries"},
    "checkins": {"zh": "打卡", "en": "check-ins"},
    "newcomers": {"zh": "新人记录", "en": "newcomer records"},
    "newcomer_tasks": {"zh": "新人任务", "en": "newcomer tasks"},
    "newcomer_answers": {"zh": "问卷与自我介绍", "en": "questionnaire answers"},
    "badges": {"zh": "徽章", "en": "badges"},
}
