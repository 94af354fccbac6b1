"""Quiz texts (zh / en)."""

from __future__ import annotations

from handlers.contract.texts import Texts

ASKED: Texts = {
    "zh": "🧠 知识问答：{question}\n{minutes} 分钟内发送 /答 你的答案（或 /answer），答对的进入抽奖{prize}。",
    "en": "🧠 Quiz: {question}\nAnswer within {minutes} minutes with /answer <your answer>; "
    "right answers enter the draw{prize}.",
}
PRIZE: Texts = {"zh": "（奖品：{prize}）", "en": " (prize: {prize})"}
RIGHT: Texts = {"zh": "✅ 答对了，已进入抽奖！", "en": "✅ Right! You are in the draw."}
WRONG: Texts = {"zh": "❌ 不对，再想想？", "en": "❌ Not quite, try again?"}
NO_ROUND: Texts = {"zh": "现在没有进行中的问答。", "en": "No quiz is open now."}
USAGE: Texts = {"zh": "用法：/答 你的答案", "en": "Usage: /answer your answer"}
RESULT: Texts = {
    "zh": "🧠 问答结束：{question}\n答案：{answer}\n答对 {count} 人。{winners}",
    "en": "🧠 Quiz closed: {question}\nAnswer: {answer}\n{count} answered right. {winners}",
}
WINNERS: Texts = {"zh": "🎉 抽中：{names}{prize}", "en": "🎉 Drawn: {names}{prize}"}
NOBODY: Texts = {"zh": "这次没有人答对。", "en": "Nobody got it this time."}
ADMINS: Texts = {
    "zh": "🧠 问答抽奖「{question}」：候选 {count} 人，抽中 {winners}；种子 {seed}，票号 {tickets}（可复核）",
    "en": "🧠 Quiz draw “{question}”: {count} candidates, drawn {winners}; seed {seed}, tickets {tickets} "
    "(reproducible)",
}
