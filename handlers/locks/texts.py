"""Lock texts (zh / en)."""

from __future__ import annotations

from handlers.contract.texts import Texts

KIND: dict[str, Texts] = {
    "links": {"zh": "链接", "en": "links"},
    "forwards": {"zh": "转发", "en": "forwards"},
    "stickers": {"zh": "贴纸", "en": "stickers"},
    "gifs": {"zh": "动图", "en": "GIFs"},
    "voice": {"zh": "语音", "en": "voice messages"},
    "video": {"zh": "视频", "en": "videos"},
    "contacts": {"zh": "名片", "en": "contacts"},
    "games": {"zh": "游戏", "en": "games"},
    "inline": {"zh": "内联机器人消息", "en": "inline bots"},
    "bots": {"zh": "拉机器人入群", "en": "adding bots"},
}
LOCKED: Texts = {"zh": "🔒 已锁定：{kind}", "en": "🔒 Locked: {kind}"}
UNLOCKED: Texts = {"zh": "🔓 已解锁：{kind}", "en": "🔓 Unlocked: {kind}"}
USAGE: Texts = {
    "zh": "用法：/{command} <类型>，可选：{kinds}",
    "en": "Usage: /{command} <kind>, one of: {kinds}",
}
LIST: Texts = {
    "zh": "🔒 当前锁定：{locked}\n🌙 夜间模式：{night}\n🐢 慢速模式：{slow}",
    "en": "🔒 Locked: {locked}\n🌙 Night mode: {night}\n🐢 Slow mode: {slow}",
}
NONE: Texts = {"zh": "无", "en": "none"}
OFF: Texts = {"zh": "关闭", "en": "off"}
NIGHT_WINDOW: Texts = {"zh": "{start}–{end} 仅管理员可发言", "en": "{start}–{end}, only admins post"}
SLOW_EVERY: Texts = {
    "zh": "每人每 {seconds} 秒一条{window}",
    "en": "one message per {seconds} s each{window}",
}
SLOW_WINDOW: Texts = {"zh": "（{start}–{end}）", "en": " ({start}–{end})"}
NIGHT_ON: Texts = {
    "zh": "🌙 夜间模式开始：{end} 前仅管理员可发言，晚安～",
    "en": "🌙 Night mode: only admins can post until {end}. Good night!",
}
NIGHT_OFF: Texts = {
    "zh": "☀️ 夜间模式结束，欢迎发言！",
    "en": "☀️ Night mode is over: everyone can post again.",
}
