"""Honours texts (zh / en)."""

from __future__ import annotations

from handlers.contract.texts import Texts

# the days counted are always named: the star covers whole local days, all seven of them over
STAR_HEAD: Texts = {"zh": "🌟 一周活跃之星（{range}）", "en": "🌟 Stars of the week ({range})"}
STAR_LINE: Texts = {
    "zh": "{medal} {name} · {n} 次互动{points}",
    "en": "{medal} {name} · {n} interactions{points}",
}
STAR_FOOT: Texts = {
    "zh": "感谢大家的参与，下周继续加油！",
    "en": "Thanks for taking part. See you next week!",
}
PLUS_POINTS: Texts = {"zh": " · +{points} 积分", "en": " · +{points} points"}
MONTH_HEAD: Texts = {"zh": "🏆 {month} 荣誉榜", "en": "🏆 Honours of {month}"}
MONTH_ACTIVE: Texts = {"zh": "【月度活跃】", "en": "[Most active]"}
MONTH_CHECKIN: Texts = {
    "zh": "【月度打卡王】{names} · {n} 次打卡{points}",
    "en": "[Check-in champion] {names} · {n} check-ins{points}",
}
BADGE_NOTE: Texts = {"zh": "（获得徽章「{badge}」）", "en": " (badge: {badge})"}
RANK_STREAK: Texts = {"zh": "🔥 连续打卡榜", "en": "🔥 Check-in streaks"}
RANK_POINTS: Texts = {"zh": "💰 积分榜", "en": "💰 Points"}
RANK_MONTH: Texts = {"zh": "📅 本月积分榜", "en": "📅 Points this month"}
RANK_LINE_DAYS: Texts = {"zh": "{rank}. {name} {score} 天", "en": "{rank}. {name} {score} days"}
RANK_LINE_POINTS: Texts = {"zh": "{rank}. {name} {score} 分", "en": "{rank}. {name} {score} points"}
RANK_EMPTY: Texts = {"zh": "（暂无）", "en": "(nobody yet)"}
RANK_USAGE: Texts = {
    "zh": "用法：/rank（全部）、/rank 打卡、/rank 积分、/rank 本月",
    "en": "Usage: /rank, /rank streak, /rank points, /rank month",
}
ADMINS_ONLY: Texts = {"zh": "只有管理员可以使用 /{command}", "en": "Only admins can use /{command}"}
VIP_USAGE: Texts = {
    "zh": "用法：/vip @成员（设为 VIP）或 /vip @成员 off（取消）",
    "en": "Usage: /vip @member, or /vip @member off",
}
VIP_ON: Texts = {"zh": "💎 {name} 已设为 VIP 成员", "en": "💎 {name} is now a VIP member"}
VIP_OFF: Texts = {"zh": "{name} 的 VIP 已取消，恢复为普通成员", "en": "{name} is no longer VIP"}
PROMOTED: Texts = {
    "zh": "🎉 {name} 升级为核心成员！上周互动 {n} 次，感谢你的活跃～",
    "en": "🎉 {name} is now a core member: {n} interactions last week. Thank you!",
}
DEMOTED: Texts = {
    "zh": "{name} 最近 {weeks} 周互动较少，等级调整为普通成员，期待你常来聊聊～",
    "en": "{name} has been quiet for {weeks} weeks and is a regular member again. Hope to hear from you!",
}
TIER_SUMMARY: Texts = {"zh": "【等级变化】", "en": "[Tier changes]"}
LOTTERY_USAGE: Texts = {
    "zh": "用法：/lottery N [奖品]，N 为 1–{max} 的中奖人数",
    "en": "Usage: /lottery N [prize], N from 1 to {max}",
}
LOTTERY_NOBODY: Texts = {
    "zh": "近 {days} 天没有活跃成员，无法抽奖",
    "en": "Nobody was active in the last {days} days; no draw",
}
# the group sees the winners; the seed and the tickets go to the admins and the log (as the quiz does)
LOTTERY_RESULT: Texts = {
    "zh": "🎲 抽奖结果{prize}：\n🎉 {winners}\n候选 {count} 人（近 {days} 天发过言的成员）",
    "en": "🎲 Draw{prize}:\n🎉 {winners}\n{count} candidates (active in the last {days} days)",
}
LOTTERY_ADMINS: Texts = {
    "zh": "🎲 抽奖{prize}：候选 {count} 人，抽中 {winners}；种子 {seed}，票号 {tickets}（可复核）",
    "en": "🎲 Draw{prize}: {count} candidates, drawn {winners}; seed {seed}, tickets {tickets} "
    "(reproducible)",
}
