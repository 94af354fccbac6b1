"""``/stats [days]`` for admins: 日发言率, active members, joins and leaves, 30-day retention.

The figures go to the asking admin privately (the executor falls back to the group where a platform has no
private chat): they are for the operators, computed from metadata only (who spoke when, not what).
"""

from __future__ import annotations

from handlers.contract.actions import Action, Record, Send, SendPrivate
from handlers.contract.events import Event, EventKind
from handlers.contract.texts import render
from handlers.feature import CommandSpec, Context, Feature, Phase
from storage.repos.stats import stats_in

REPORT = {
    "zh": (
        "📊 「{group}」近 {days} 天数据\n"
        "成员 {members} 人（新进 {joined}，退出 {left}）\n"
        "今日发言 {today} 人，日发言率 {today_rate}（目标 ≥ 20%）\n"
        "日均发言 {dau} 人，近 7 天发言 {wau} 人（{wau_rate}）\n"
        "30 天留存：{retention}"
    ),
    "en": (
        "📊 {group}, last {days} days\n"
        "Members {members} (joined {joined}, left {left})\n"
        "Spoke today: {today}, daily speak rate {today_rate} (goal ≥ 20%)\n"
        "Average speakers a day {dau}; spoke in the last 7 days: {wau} ({wau_rate})\n"
        "30-day retention: {retention}"
    ),
}
ADMINS_ONLY = {"zh": "只有管理员可以查看群数据。", "en": "Only admins can see the group's figures."}
NO_COHORT = {"zh": "暂无（没有 30–60 天前入群的成员）", "en": "n/a (nobody joined 30–60 days ago)"}


def _percent(part: float, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "–"


class Stats(Feature):
    name = "stats"
    phase = Phase.FEATURES
    kinds = frozenset({EventKind.COMMAND})
    commands = (
        CommandSpec(
            "stats", "群数据：日发言率、活跃、进退群", "Group figures: speak rate, activity", admin=True
        ),
    )

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.command != "stats" or event.chat.kind != "group" or event.user is None:
            return []
        lang = ctx.config.language
        if not event.user.is_admin:
            return [
                Send(event.chat, render(ADMINS_ONLY, lang), "/stats refused: not an admin", event.message_id)
            ]
        days = int(event.args[0]) if event.args and event.args[0].isdigit() else 7
        days = min(max(days, 1), 90)
        stats = await stats_in(ctx.session, event.chat.key, ctx.now, days, ctx.config.tz)
        today = stats.days[-1][1] if stats.days else 0
        retention = stats.retention_30d
        text = render(
            REPORT,
            lang,
            group=ctx.config.name or event.chat.title or event.chat.id,
            days=days,
            members=stats.members,
            joined=stats.joined,
            left=stats.left,
            today=today,
            today_rate=_percent(today, stats.members),
            dau=f"{stats.dau_avg:.1f}",
            wau=stats.wau,
            wau_rate=_percent(stats.wau, stats.members),
            retention=f"{retention:.0%}" if retention is not None else render(NO_COHORT, lang),
        )
        reason = f"/stats for {days} days"
        # privately where the platform has private chats; elsewhere the admin asked in the group itself
        reply: Action = (
            SendPrivate(event.chat, event.user, text, reason, purpose="report")
            if ctx.caps.private_chat
            else Send(
                event.chat,
                f"{event.user.mention} {text}",
                reason,
                event.message_id,
                purpose="report",
                mentions=(event.user,),
            )
        )
        return [
            reply,
            Record(event.chat, "admin.stats", f"/stats {days} d", event.user.id, {"days": days}),
        ]
