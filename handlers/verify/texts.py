"""Verification texts (zh / en)."""

from __future__ import annotations

from handlers.contract.texts import Texts

BUTTON: Texts = {
    "zh": "👋 {mention} 欢迎！请在 {minutes} 分钟内点击下方按钮完成入群验证，验证后即可发言。",
    "en": "👋 Welcome {mention}! Press the button below within {minutes} minutes to verify, then post.",
}
ARITHMETIC: Texts = {
    "zh": "👋 {mention} 欢迎！请在 {minutes} 分钟内选出答案完成入群验证：{question} = ?",
    "en": "👋 Welcome {mention}! Pick the answer within {minutes} minutes to verify: {question} = ?",
}
QUESTION: Texts = {
    "zh": "👋 {mention} 欢迎！请先阅读群规，并在 {minutes} 分钟内回答：{question}",
    "en": "👋 Welcome {mention}! Please read the rules, then answer within {minutes} minutes: {question}",
}
HUMAN: Texts = {"zh": "✅ 我不是机器人", "en": "✅ I am human"}
RULES: Texts = {"zh": "📋 群规：\n{rules}", "en": "📋 Rules:\n{rules}"}
UNAVAILABLE: Texts = {
    "zh": "ℹ️ {name} 加入了群聊；本群平台无法限制新成员发言，未能进行入群验证，请留意。",
    "en": "ℹ️ {name} joined; this platform cannot restrict newcomers, so no verification was possible.",
}

# --- join requests (private chat with the requester; the admins' notice) ---
REQUEST_FIRST: Texts = {
    "zh": "👋 你申请加入「{group}」。请先回答入群问卷（共 {n} 题），直接回复即可：\n(1/{n}) {question}",
    "en": "👋 You asked to join {group}. Please answer the entry questionnaire first ({n} questions, "
    "just reply):\n(1/{n}) {question}",
}
REQUEST_NEXT: Texts = {"zh": "({i}/{n}) {question}", "en": "({i}/{n}) {question}"}
REQUEST_APPROVED: Texts = {
    "zh": "✅ 问卷已完成，入群申请已通过，欢迎加入「{group}」！",
    "en": "✅ Questionnaire done: your request is approved. Welcome to {group}!",
}
REQUEST_APPROVED_BY_ADMIN: Texts = {
    "zh": "✅ 管理员已通过你加入「{group}」的申请，欢迎！",
    "en": "✅ An admin approved your request to join {group}. Welcome!",
}
REQUEST_NOTICE: Texts = {
    "zh": "🚪 {name} 申请加入「{group}」{how}。{deadline}无人处理则{then}。",
    "en": "🚪 {name} asked to join {group}{how}. If nobody acts {deadline}, it is {then}.",
}
REQUEST_ASKING: Texts = {
    "zh": "，正在私聊回答入群问卷（{n} 题，答完自动通过）",
    "en": ", answering the entry questionnaire in private ({n} questions, approved when done)",
}
REQUEST_THEN: dict[str, Texts] = {
    "decline": {"zh": "自动拒绝", "en": "declined"},
    "pending": {"zh": "留待管理员在群设置中处理", "en": "left for the admins in the group's settings"},
}
APPROVE_BUTTON: Texts = {"zh": "✅ 通过", "en": "✅ Approve"}
DECLINE_BUTTON: Texts = {"zh": "❌ 拒绝", "en": "❌ Decline"}
REQUEST_SETTLED: Texts = {
    "zh": "🚪 {name} 的入群申请：{outcome}（{admin}）",
    "en": "🚪 {name}'s request to join: {outcome} ({admin})",
}
REQUEST_OUTCOME: dict[str, Texts] = {
    "approved": {"zh": "已通过", "en": "approved"},
    "declined": {"zh": "已拒绝", "en": "declined"},
}
