"""Briefing texts (zh / en). Figures only: no member's message text."""

from __future__ import annotations

from handlers.contract.texts import Texts

DAILY_HEAD: Texts = {"zh": "📋「{group}」昨日简报（{day}）", "en": "📋 {group}: yesterday ({day})"}
DAILY_MEMBERS: Texts = {
    "zh": "成员 {members} 人：进群 {joins}，退群 {leaves}",
    "en": "Members {members}: {joins} joined, {leaves} left",
}
DAILY_RATE: Texts = {
    "zh": "日发言率 {rate}（{speakers} 人发言，目标 ≥ {goal}）{mark}",
    "en": "Speak rate {rate} ({speakers} spoke, goal ≥ {goal}) {mark}",
}
DAILY_CHECKINS: Texts = {"zh": "打卡 {n} 人（{rate}）", "en": "Check-ins {n} ({rate})"}
DAILY_SAFETY: Texts = {
    "zh": "举报 {reports} 条，移出 {removals} 人",
    "en": "Reports {reports}, removals {removals}",
}
STUCK: Texts = {
    "zh": "卡在新人任务中：{n} 人（{names}）",
    "en": "Newcomers stuck in their tasks: {n} ({names})",
}
NO_STUCK: Texts = {"zh": "新人任务：无人卡住", "en": "Newcomers: nobody stuck"}
ALERTS_HEAD: Texts = {"zh": "⚠️ 需要注意：", "en": "⚠️ Alerts:"}
ALERT_RATE: Texts = {
    "zh": "· 日发言率连续 {days} 天低于 {goal}（{values}）",
    "en": "· Speak rate under {goal} for {days} days running ({values})",
}
ALERT_LEAVES: Texts = {
    "zh": "· 退群激增：昨日 {n} 人退群（近 28 天日均 {avg}）",
    "en": "· Leave spike: {n} left yesterday (28-day average {avg} a day)",
}
ALERT_REPORTS: Texts = {
    "zh": "· 举报激增：昨日 {n} 条举报（近 28 天日均 {avg}）",
    "en": "· Report spike: {n} reports yesterday (28-day average {avg} a day)",
}
OK: Texts = {"zh": "✅", "en": "✅"}
BELOW: Texts = {"zh": "❗低于目标", "en": "❗ below goal"}

WEEKLY_HEAD: Texts = {"zh": "📈「{group}」本周回顾（{range}）", "en": "📈 {group}: the week ({range})"}
WEEKLY_GOALS: Texts = {
    "zh": "日发言率 平均 {rate}（目标 ≥ {goal}）{mark1}\n周参与率 {wp}（目标 ≥ {wgoal}）{mark2}\n"
    "30 天留存 {r30}（目标 ≥ {r30goal}），90 天留存 {r90}（目标 ≥ {r90goal}）",
    "en": "Speak rate, average {rate} (goal ≥ {goal}) {mark1}\nWeekly participation {wp} (goal ≥ {wgoal}) "
    "{mark2}\n30-day retention {r30} (goal ≥ {r30goal}), 90-day {r90} (goal ≥ {r90goal})",
}
WEEKLY_MEMBERS: Texts = {
    "zh": "成员 {members}：进群 {joins}，退群 {leaves}｜"
    "新 {new} · 活跃 {active} · 沉默 {silent} · 核心 {core}",
    "en": "Members {members}: {joins} joined, {leaves} left | "
    "new {new} · active {active} · silent {silent} · core {core}",
}
WEEKLY_TOP: Texts = {"zh": "本周最活跃：{names}", "en": "Most active: {names}"}
WEEKLY_FUNNEL: Texts = {"zh": "新人漏斗：{steps}", "en": "Newcomer funnel: {steps}"}
FUNNEL_STEPS: dict[str, Texts] = {
    "joined": {"zh": "入群", "en": "joined"},
    "nickname": {"zh": "昵称", "en": "nickname"},
    "rules": {"zh": "群规", "en": "rules"},
    "questionnaire": {"zh": "问卷", "en": "questionnaire"},
    "intro": {"zh": "自我介绍", "en": "intro"},
    "first_post": {"zh": "首次发言", "en": "first post"},
    "all_done": {"zh": "全部完成", "en": "all done"},
}
LOOK_HEAD: Texts = {"zh": "👀 值得关注：", "en": "👀 What to look at:"}
LOOK_RATE: Texts = {
    "zh": "· 日发言率低于目标：多抛话题、@沉默成员互动",
    "en": "· The speak rate is under its goal: more topics, invite quiet members in",
}
LOOK_PARTICIPATION: Texts = {
    "zh": "· 周参与率低于目标：本周只有 {wau} 人发过言",
    "en": "· Weekly participation is under its goal: only {wau} spoke this week",
}
LOOK_RETENTION: Texts = {
    "zh": "· 30 天留存低于目标：看看新人为何离开",
    "en": "· 30-day retention is under its goal: look at why newcomers leave",
}
LOOK_SILENT: Texts = {
    "zh": "· {silent} 位沉默成员（{share}）：可私聊唤醒",
    "en": "· {silent} silent members ({share}): a private word may bring them back",
}
LOOK_STUCK: Texts = {"zh": "· {n} 位新人卡在任务中", "en": "· {n} newcomers are stuck in their tasks"}
LOOK_HOURS: Texts = {
    "zh": "· 群最活跃的时段：{hours}（适合发布内容）",
    "en": "· The group is most awake at {hours} (good times to post)",
}
LOOK_NOTHING: Texts = {"zh": "· 各项指标都达标 👍", "en": "· Every number meets its goal 👍"}
