"""Anniversary texts (zh / en)."""

from __future__ import annotations

from handlers.contract.texts import Texts

HEADER: Texts = {"zh": "🎂 入群纪念日快乐！", "en": "🎂 Happy membership anniversary!"}
LINE: Texts = {"zh": "• {mention} 入群满 {label}", "en": "• {mention}: {label} with us"}
POINTS: Texts = {"zh": "（+{points} 积分）", "en": " (+{points} points)"}
FOOTER: Texts = {"zh": "感谢一路同行 ❤️", "en": "Thank you for being here ❤️"}
