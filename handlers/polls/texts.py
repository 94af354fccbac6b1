"""Poll texts (zh / en)."""

from __future__ import annotations

from handlers.contract.texts import Texts

OPENED: Texts = {
    "zh": "📊 投票：{question}\n{how}，请在 {closes} 点按钮投票（可改选）。",
    "en": "📊 Poll: {question}\n{how}; press a button to vote {closes} (you may change it).",
}
ANONYMOUS: Texts = {"zh": "匿名投票", "en": "Anonymous"}
OPEN_VOTE: Texts = {"zh": "实名投票（结果显示投票人）", "en": "Public (results show who voted)"}
RESULTS: Texts = {
    "zh": "📊 投票结束：{question}\n{lines}\n共 {total} 人投票。{verdict}",
    "en": "📊 Poll closed: {question}\n{lines}\n{total} voted. {verdict}",
}
WINNER: Texts = {"zh": "结果：{winner}", "en": "Result: {winner}"}
TIE: Texts = {"zh": "平票：{winner}", "en": "Tie: {winner}"}
NO_VOTES: Texts = {"zh": "无人投票。", "en": "No votes."}
VOTERS: Texts = {"zh": "  {option}：{names}", "en": "  {option}: {names}"}
ADMINS_ONLY: Texts = {"zh": "只有管理员可以发起投票。", "en": "Only admins can open a poll."}
ERRORS: dict[str, Texts] = {
    "usage": {
        "zh": "用法：/poll [匿名|实名] [2h|1天] 问题 | 选项A | 选项B（2–10 个选项，用 | 分隔）",
        "en": "Usage: /poll [anon|public] [2h|1d] question | option A | option B (2–10 options, split by |)",
    },
    "options": {"zh": "投票需要 2–10 个选项。", "en": "A poll needs 2 to 10 options."},
    "duplicate": {"zh": "选项不能重复。", "en": "Options must differ."},
    "too_long": {"zh": "每个选项最多 64 个字。", "en": "Each option is 64 characters at most."},
    "duration": {
        "zh": "截止时间太远了（最多 {max_days} 天）。",
        "en": "Too far ahead (at most {max_days} days).",
    },
}
