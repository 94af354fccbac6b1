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
