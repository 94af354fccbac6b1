"""Satisfaction survey texts (zh / en)."""

from __future__ import annotations

from handlers.contract.texts import Texts

QUESTION: Texts = {"zh": "你对本群满意吗？", "en": "How happy are you with this group?"}
ASK: Texts = {
    "zh": "📝「{group}」满意度小调查：{question}\n"
    "请点 1–5 分（5 分最满意），{closes}有效；匿名统计，管理员只看到汇总。",
    "en": "📝 A short survey for “{group}”: {question}\nPress 1–5 (5 = very happy) {closes}; only the totals "
    "go to the admins.",
}
THANKS: Texts = {
    "zh": "谢谢！已记下 {score} 分（可重新点选修改）。",
    "en": "Thank you! {score} noted (press again to change).",
}
CLOSED: Texts = {"zh": "这次调查已经结束，谢谢你的关注。", "en": "This survey has closed; thank you."}
BRIEFING: Texts = {
    "zh": "😊 满意度（{day} 发出）：平均 {average} 分，{answered}/{invited} 人回答；{counts}",
    "en": "😊 Satisfaction (asked {day}): average {average}, {answered} of {invited} answered; {counts}",
}
BRIEFING_NONE: Texts = {
    "zh": "😊 满意度（{day} 发出）：{invited} 人受邀，暂无人回答。",
    "en": "😊 Satisfaction (asked {day}): {invited} invited, no answer yet.",
}
COUNT: Texts = {"zh": "{score}分 {n}", "en": "{score}: {n}"}
