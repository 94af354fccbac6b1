"""话题接龙 texts (zh / en)."""

from __future__ import annotations

from handlers.contract.texts import Texts

CHAIN: Texts = {"zh": "🔗 今日接龙（{count}）\n{lines}", "en": "🔗 Today's chain ({count})\n{lines}"}
EARLIER: Texts = {"zh": "…（前 {n} 条省略）", "en": "… ({n} earlier)"}
EMPTY: Texts = {
    "zh": "今天还没有接龙，发送 /接龙 内容 开始第一条。",
    "en": "No chain today yet; send /chain <text> to start it.",
}
TOO_LONG: Texts = {"zh": "每条接龙最多 {max} 个字。", "en": "A link is {max} characters at most."}
