"""Anti-raid texts (zh / en)."""

from __future__ import annotations

from handlers.contract.texts import Texts

STARTED: Texts = {
    "zh": "🚨「{group}」{seconds} 秒内有 {joins} 人入群，已进入防刷屏模式 {minutes} 分钟："
    "所有新成员需验证后才能发言，新成员的链接和图片等将被拦截。到 {until} 自动结束。",
    "en": "🚨 {joins} joins within {seconds} s in {group}: raid mode for {minutes} minutes. "
    "Every newcomer must verify before posting; newcomers' links and media are held. "
    "It ends by itself at {until}.",
}
ENDED: Texts = {
    "zh": "✅「{group}」防刷屏模式已结束：期间共 {joins} 人入群，{held} 条新成员消息被拦截。",
    "en": "✅ Raid mode in {group} is over: {joins} joins during it, {held} newcomer messages held.",
}
