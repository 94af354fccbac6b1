"""Points texts (zh / en)."""

from __future__ import annotations

from handlers.contract.texts import Texts

BALANCE: Texts = {"zh": "{name} 当前积分：{points}", "en": "{name}: {points} points"}
ADMINS_ONLY: Texts = {"zh": "只有管理员可以{what}", "en": "Only admins can {what}"}
ADJUST_WHAT: Texts = {"zh": "调整积分", "en": "adjust points"}
ADJUST_USAGE: Texts = {
    "zh": "用法：/points +N @成员 [原因]（或回复该成员的消息发送 /points +N 原因）",
    "en": "Usage: /points +N @member [reason] (or reply to their message with /points +N reason)",
}
ADJUST_TOO_BIG: Texts = {"zh": "单次最多调整 {max} 分", "en": "At most {max} points at a time"}
ADJUSTED: Texts = {
    "zh": "已为 {name} {delta} 积分（{reason}），当前 {balance} 分",
    "en": "{delta} points for {name} ({reason}); balance {balance}",
}
ADJUST_NEGATIVE: Texts = {
    "zh": "{name} 只有 {balance} 分，不能扣 {points} 分",
    "en": "{name} has only {balance} points; cannot take {points}",
}
DEFAULT_REASON: Texts = {"zh": "管理员调整", "en": "admin adjustment"}
CATALOGUE_HEAD: Texts = {
    "zh": "🎁 积分兑换（你有 {points} 分），发送 /redeem 编号 兑换：",
    "en": "🎁 Rewards (you have {points} points); send /redeem <id>:",
}
CATALOGUE_LINE: Texts = {
    "zh": "· {id} — {name}：{cost} 分{stock}",
    "en": "· {id} — {name}: {cost} points{stock}",
}
STOCK_LEFT: Texts = {"zh": "（剩 {left} 件）", "en": " ({left} left)"}
SOLD_OUT_TAG: Texts = {"zh": "（已兑完）", "en": " (sold out)"}
CATALOGUE_EMPTY: Texts = {"zh": "暂时没有可兑换的奖品", "en": "Nothing to redeem at the moment"}
UNKNOWN_ITEM: Texts = {
    "zh": "没有「{item}」这个奖品，发送 /redeem 查看列表",
    "en": 'No reward "{item}"; send /redeem for the list',
}
NOT_ENOUGH: Texts = {
    "zh": "积分不足：{name} 需要 {cost} 分，你有 {points} 分",
    "en": "Not enough points: {name} costs {cost}, you have {points}",
}
SOLD_OUT: Texts = {"zh": "「{name}」已经兑完了，下次早点来～", "en": "{name} is sold out"}
REDEEMED: Texts = {
    "zh": "🎉 {who} 兑换成功：{name}，消耗 {cost} 分，剩余 {balance} 分。管理员会尽快联系你发放～",
    "en": "🎉 {who} redeemed {name} for {cost} points; balance {balance}. An admin will be in touch.",
}
REDEEM_NOTICE: Texts = {
    "zh": "【兑换】{who} 兑换了「{name}」（{cost} 分），请安排发放",
    "en": "[Redemption] {who} redeemed {name} ({cost} points); please hand it over",
}
PROFILE: Texts = {
    "zh": "👤 {name}\n等级：{tier}\n积分：{points}\n"
    "连续打卡：{streak} 天（最长 {best} 天，累计 {total} 次）\n徽章：{badges}",
    "en": "👤 {name}\nTier: {tier}\nPoints: {points}\n"
    "Streak: {streak} days (best {best}, {total} check-ins)\nBadges: {badges}",
}
NO_BADGES: Texts = {"zh": "暂无", "en": "none yet"}
TIER_NAMES: dict[str, Texts] = {
    "regular": {"zh": "普通成员", "en": "Member"},
    "core": {"zh": "核心成员", "en": "Core member"},
    "vip": {"zh": "VIP", "en": "VIP"},
}
