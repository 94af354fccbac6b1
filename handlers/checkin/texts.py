"""Check-in texts (zh / en), rendered with ``bot.texts.render``."""

from __future__ import annotations

from handlers.contract.texts import Texts

DONE: Texts = {
    "zh": "✅ {name} 打卡成功！今天第 {rank} 位，已连续打卡 {streak} 天（最长 {best} 天）",
    "en": "✅ {name} checked in! #{rank} today, {streak}-day streak (best {best})",
}
POINTS: Texts = {"zh": "+{points} 积分，当前 {balance} 分", "en": "+{points} points, balance {balance}"}
ALREADY: Texts = {
    "zh": "{name} 今天已经打过卡啦（第 {rank} 位），已连续 {streak} 天，明天再来～",
    "en": "{name}, you already checked in today (#{rank}); streak {streak}. See you tomorrow!",
}
REWARD: Texts = {
    "zh": "🎉 连续打卡 {days} 天达成！奖励 {points} 积分",
    "en": "🎉 {days}-day streak! Reward: {points} points",
}
BADGE: Texts = {"zh": "🏅 获得徽章「{badge}」", "en": "🏅 New badge: {badge}"}
REMIND: Texts = {
    "zh": "⏰ 打卡提醒：{who} 今天还没打卡哦，发送「打卡」保持连续记录 🔥\n"
    "（不想收到提醒可发送 /remind off）",
    "en": "⏰ Check-in reminder: {who}, you haven't checked in today — keep your streak going! 🔥\n"
    "(/remind off to stop these)",
}
REMIND_ENTRY: Texts = {"zh": "{name}（已连续 {streak} 天）", "en": "{name} ({streak} days)"}
REMIND_OFF: Texts = {
    "zh": "好的，{name}，之后不再发打卡提醒（/remind on 可重新开启）",
    "en": "OK {name}, no more check-in reminders (/remind on to turn them back on)",
}
REMIND_ON: Texts = {
    "zh": "好的，{name}，连续打卡快中断时会提醒你",
    "en": "OK {name}, you'll be reminded when your streak is about to break",
}
REMIND_STATUS: Texts = {
    "zh": "{name} 的打卡提醒：{state}。用法：/remind on 或 /remind off",
    "en": "{name}'s check-in reminder: {state}. Usage: /remind on or /remind off",
}
STATE_ON: Texts = {"zh": "已开启", "en": "on"}
STATE_OFF: Texts = {"zh": "已关闭", "en": "off"}
GROUP_ONLY: Texts = {"zh": "请在群里打卡哦", "en": "Please check in in the group"}
