"""A group's period as one self-contained HTML page: figures against the goals and six inline SVG charts.

Used by ``qunbot report`` (a file to mail or archive) and by the dashboard (``bot/dashboard.py``). Nothing
on the page is fetched: styles are inline, charts are SVG in the document. Member message text never
appears; member names do (the top members), since the page is for the group's admins.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from bot.report import svg
from handlers.config import GroupConfig
from storage.repos.metrics import FUNNEL_STEPS, RETENTION_DAYS, Period

TEXTS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "社群数据报告",
        "members": "成员",
        "joins_leaves": "进群 / 退群",
        "speak_rate": "日发言率（平均）",
        "dau": "日均发言人数",
        "wau": "周参与率",
        "mau": "月活跃",
        "checkin_rate": "打卡率（平均）",
        "kinds": "新 / 活跃 / 沉默 / 核心",
        "removals_reports": "移出 / 举报",
        "referrals": "推荐转化",
        "referred": "推荐入群 {n} 人，其中发过言的比例",
        "retention": "留存 30 天 / 90 天",
        "goal": "目标",
        "chart_rate": "日发言率与 20% 目标线",
        "chart_cohorts": "入群周留存曲线（入群后 1 / 7 / 30 / 90 天仍在群）",
        "chart_funnel": "新人漏斗（本期入群）",
        "chart_hours": "各时段消息数（何时群最活跃）",
        "chart_top": "本期最活跃成员（互动次数）",
        "chart_strikes": "违规记录（按类别）",
        "days": "天",
        "generated": "生成时间",
        "below": "低于目标",
        "stuck": "卡在任务中的新人",
        "joined": "入群",
        "nickname": "昵称合格",
        "rules": "已读群规",
        "questionnaire": "问卷",
        "intro": "自我介绍",
        "first_post": "首次发言",
        "all_done": "全部完成",
        "cohort": "{week} 周（{size} 人）",
    },
    "en": {
        "title": "Community report",
        "members": "Members",
        "joins_leaves": "Joins / leaves",
        "speak_rate": "Daily speak rate (avg)",
        "dau": "Speakers a day (avg)",
        "wau": "Weekly participation",
        "mau": "Monthly active",
        "checkin_rate": "Check-in rate (avg)",
        "kinds": "New / active / silent / core",
        "removals_reports": "Removals / reports",
        "referrals": "Referral conversion",
        "referred": "{n} joined through a referral; share who spoke",
        "retention": "Retention 30 d / 90 d",
        "goal": "goal",
        "chart_rate": "Daily speak rate against the 20 % line",
        "chart_cohorts": "Retention by join week (still a member 1 / 7 / 30 / 90 days after joining)",
        "chart_funnel": "Newcomer funnel (joined in the period)",
        "chart_hours": "Messages by hour of day (when the group is awake)",
        "chart_top": "Most active members (interactions)",
        "chart_strikes": "Strikes by category",
        "days": "d",
        "generated": "Generated",
        "below": "below goal",
        "stuck": "newcomers stuck in their tasks",
        "joined": "joined",
        "nickname": "nickname ok",
        "rules": "read the rules",
        "questionnaire": "questionnaire",
        "intro": "introduction",
        "first_post": "first post",
        "all_done": "all done",
        "cohort": "week of {week} ({size})",
    },
}

STYLE = """
body{font-family:-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
margin:0;background:#f3f4f6;color:#111827}
main{max-width:1000px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:0 0 8px}
.sub{color:#6b7280;margin-bottom:20px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:12px;margin-bottom:20px}
.card{background:#fff;border-radius:8px;padding:12px 14px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.card .k{color:#6b7280;font-size:13px}.card .v{font-size:22px;font-weight:600;margin-top:4px}
.card .g{font-size:12px;color:#6b7280}.bad .v{color:#dc2626}.ok .v{color:#16a34a}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(440px,1fr));gap:16px}
section{background:#fff;border-radius:8px;padding:14px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
svg.chart{width:100%;height:auto;display:block}
nav a{margin-right:14px}table{border-collapse:collapse;width:100%;background:#fff}
td,th{padding:6px 8px;border-bottom:1px solid #e5e7eb;text-align:left;font-size:13px}
"""


@dataclass(frozen=True)
class Card:
    key: str
    value: str
    goal: str = ""
    state: str = ""  # "ok", "bad" or ""


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _judged(value: float | None, goal: float) -> str:
    return "" if value is None else ("ok" if value >= goal else "bad")


def cards(config: GroupConfig, p: Period) -> list[Card]:
    t = TEXTS[config.language]
    goals = config.stats.goals
    rate = p.speak_rate_avg
    checkin = [d.checkin_rate for d in p.days if d.checkin_rate is not None]
    goal = t["goal"]
    return [
        Card(t["members"], str(p.members)),
        Card(t["joins_leaves"], f"+{p.total('joins')} / −{p.total('leaves')}"),
        Card(
            t["speak_rate"], _pct(rate), f"{goal} ≥ {goals.speak_rate:.0%}", _judged(rate, goals.speak_rate)
        ),
        Card(t["dau"], f"{p.dau_avg:.1f}"),
        Card(
            t["wau"],
            _pct(p.weekly_participation),
            f"{goal} ≥ {goals.weekly_participation:.0%} · WAU {p.wau}",
            _judged(p.weekly_participation, goals.weekly_participation),
        ),
        Card(t["mau"], str(p.mau)),
        Card(t["checkin_rate"], _pct(sum(checkin) / len(checkin) if checkin else None)),
        Card(t["kinds"], f"{p.new} / {p.active} / {p.silent} / {p.core}"),
        Card(t["removals_reports"], f"{p.total('removals')} / {p.total('reports')}"),
        Card(t["referrals"], _pct(p.referral_conversion), t["referred"].format(n=p.referred)),
        Card(
            t["retention"],
            f"{_pct(p.retention.get(30))} / {_pct(p.retention.get(90))}",
            f"{goal} ≥ {goals.retention_30d:.0%} / {goals.retention_90d:.0%}",
            _judged(p.retention.get(30), goals.retention_30d),
        ),
    ]


def charts(config: GroupConfig, p: Period) -> list[tuple[str, str]]:
    """(title, svg) for the six charts."""
    t = TEXTS[config.language]
    goal = config.stats.goals.speak_rate
    days = [d.day.strftime("%m-%d") for d in p.days]
    funnel_values = [p.funnel.get(step, 0) for step in FUNNEL_STEPS]
    joined = funnel_values[0]
    funnel_notes = [f"{v} ({v / joined:.0%})" if joined else str(v) for v in funnel_values]
    cohorts = [
        (
            t["cohort"].format(week=c.week.strftime("%m-%d"), size=c.size),
            [c.retention[n] for n in RETENTION_DAYS],
        )
        for c in p.cohorts
    ][-8:]
    strikes = p.strikes
    return [
        (
            t["chart_rate"],
            svg.line_chart(
                days, [d.speak_rate for d in p.days], t["chart_rate"], goal, f"{t['goal']} {goal:.0%}"
            ),
        ),
        (t["chart_cohorts"], svg.curves(RETENTION_DAYS, cohorts, t["chart_cohorts"], t["days"])),
        (
            t["chart_funnel"],
            svg.bar_chart([t[s] for s in FUNNEL_STEPS], funnel_values, t["chart_funnel"], funnel_notes),
        ),
        (t["chart_hours"], svg.column_chart([f"{h:02d}" for h in range(24)], p.hours, t["chart_hours"])),
        (
            t["chart_top"],
            svg.bar_chart([name or user for user, name, _ in p.top], [n for *_, n in p.top], t["chart_top"]),
        ),
        (t["chart_strikes"], svg.bar_chart(list(strikes), list(strikes.values()), t["chart_strikes"])),
    ]


def body(config: GroupConfig, p: Period) -> str:
    """The cards and the charts (the dashboard wraps them in its own page)."""
    t = TEXTS[config.language]
    out = ['<div class="cards">']
    for card in cards(config, p):
        out.append(
            f'<div class="card {card.state}"><div class="k">{escape(card.key)}</div>'
            f'<div class="v">{escape(card.value)}</div><div class="g">{escape(card.goal)}</div></div>'
        )
    if p.stuck:
        stuck = f'<div class="k">{escape(t["stuck"])}</div><div class="v">{len(p.stuck)}</div>'
        out.append(f'<div class="card bad">{stuck}</div>')
    out.append('</div><div class="charts">')
    for title, chart in charts(config, p):
        out.append(f"<section><h2>{escape(title)}</h2>{chart}</section>")
    out.append("</div>")
    return "".join(out)


def page(title: str, content: str, language: str, head: str = "") -> str:
    lang = "zh-CN" if language == "zh" else "en"
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style>{head}</head>"
        f"<body><main>{content}</main></body></html>"
    )


def report(config: GroupConfig, p: Period, generated: str) -> str:
    """The whole report page."""
    t = TEXTS[config.language]
    name = config.name or p.group
    heading = (
        f"<h1>{escape(t['title'])} · {escape(name)}</h1>"
        f'<div class="sub">{escape(p.group)} · {p.first.isoformat()} — {p.last.isoformat()} · '
        f"{escape(t['generated'])} {escape(generated)}</div>"
    )
    return page(f"{t['title']} · {name} · {p.first} — {p.last}", heading + body(config, p), config.language)
