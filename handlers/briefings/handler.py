"""Briefings: the group's numbers sent to its admins (privately, or to the group's ``log_chat``).

- daily (09:00): yesterday's joins and leaves, 日发言率 against the goal, check-ins, reports, removals, the
  newcomers stuck in their tasks, and the alerts (``rules/alerts.py``): 日发言率 under the goal several days
  running, a leave spike, a report spike;
- weekly (Friday 16:00): the 7 days up to the run's day against the goals, top members, the funnel, and
  what to look at, and the satisfaction survey's totals when one was asked that week.
The figures come from ``storage.repos.metrics`` (the same numbers as ``qunbot stats`` and the report).
"""

from __future__ import annotations

from datetime import date, timedelta

from handlers.briefings import texts
from handlers.config import GroupConfig
from handlers.contract.actions import Action, NotifyAdmins, Record
from handlers.contract.events import Event, EventKind
from handlers.contract.texts import render
from handlers.feature import Context, Feature, JobSpec, Phase
from handlers.survey.report import briefing_line as survey_line
from rules.alerts import below_goal, spike
from rules.dates import format_range
from rules.schedule import local_day
from rules.verdict import CheckResult
from storage.repos.groups import GroupRepo
from storage.repos.metrics import FUNNEL_STEPS, Period, period

DAILY_JOB = "briefings.daily"
WEEKLY_JOB = "briefings.weekly"
BASELINE_DAYS = 28  # the daily briefing reads four weeks: the alerts compare yesterday with them
NAMES_SHOWN = 5


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


class Briefings(Feature):
    name = "briefings"
    phase = Phase.FEATURES
    kinds = frozenset({EventKind.TICK})

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        cfg = config.briefings
        if not cfg.enabled:
            return []
        grace = cfg.grace_minutes * 60
        jobs = [JobSpec(DAILY_JOB, cfg.daily, grace)] if cfg.daily else []
        return jobs + ([JobSpec(WEEKLY_JOB, cfg.weekly, grace)] if cfg.weekly else [])

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.chat.kind != "group" or not ctx.config.briefings.enabled:
            return []
        run_day = local_day(event.scheduled_for or ctx.now, ctx.config.tz)
        if event.data == DAILY_JOB:
            return await self._daily(event, ctx, run_day - timedelta(days=1))
        if event.data == WEEKLY_JOB:
            return await self._weekly(event, ctx, run_day)
        return []

    async def _period(self, ctx: Context, first: date, last: date) -> Period:
        config = ctx.config
        defs = config.stats.definitions(config.tasks.kinds())
        return await period(ctx.session, ctx.chat.key, first, last, config.tz, ctx.now, defs)

    async def _group(self, event: Event, ctx: Context) -> str:
        title = ctx.config.name or event.chat.title or await GroupRepo(ctx.session).title(event.chat.key)
        return title or event.chat.id

    async def _daily(self, event: Event, ctx: Context, day: date) -> list[Action]:
        lang, goals = ctx.config.language, ctx.config.stats.goals
        p = await self._period(ctx, day - timedelta(days=BASELINE_DAYS - 1), day)
        d = p.days[-1]
        if not (d.members or d.joins or d.leaves or d.speakers):
            reason = f"no daily briefing for {day}: the group had nobody in it"
            return [Record(event.chat, "briefings.skipped", reason, None, {"day": day.isoformat()})]
        below = d.speak_rate is not None and d.speak_rate < goals.speak_rate
        lines = [
            render(texts.DAILY_HEAD, lang, group=await self._group(event, ctx), day=day.isoformat()),
            render(texts.DAILY_MEMBERS, lang, members=d.members, joins=d.joins, leaves=d.leaves),
            render(
                texts.DAILY_RATE,
                lang,
                rate=_pct(d.speak_rate),
                speakers=d.speakers,
                goal=_pct(goals.speak_rate),
                mark=render(texts.BELOW if below else texts.OK, lang) if d.speak_rate is not None else "",
            ).rstrip(),
            render(texts.DAILY_CHECKINS, lang, n=d.checkins, rate=_pct(d.checkin_rate)),
            render(texts.DAILY_SAFETY, lang, reports=d.reports, removals=d.removals),
        ]
        if p.stuck:
            names = "、".join(p.names.get(u) or u for u in p.stuck[:NAMES_SHOWN])
            more = "…" if len(p.stuck) > NAMES_SHOWN else ""
            lines.append(render(texts.STUCK, lang, n=len(p.stuck), names=names + more))
        else:
            lines.append(render(texts.NO_STUCK, lang))
        alerts = self._alerts(ctx, p)
        if alerts:
            lines.append(render(texts.ALERTS_HEAD, lang))
            lines.extend(text for text, _ in alerts)
        detail = {
            "day": day.isoformat(),
            "speak_rate": d.speak_rate,
            "joins": d.joins,
            "leaves": d.leaves,
            "stuck": len(p.stuck),
            "alerts": [check.as_dict() for _, check in alerts],
        }
        reason = f"daily briefing for {day}" + (f" with {len(alerts)} alert(s)" if alerts else "")
        records = [
            Record(event.chat, "briefings.alert", f"{check.name}: {check.detail}", None, check.as_dict())
            for _, check in alerts
        ]
        return [
            NotifyAdmins(event.chat, "\n".join(lines), reason),
            Record(event.chat, "briefings.daily", reason, None, detail),
            *records,
        ]

    def _alerts(self, ctx: Context, p: Period) -> list[tuple[str, CheckResult]]:
        cfg, lang, goals = ctx.config.briefings.alerts, ctx.config.language, ctx.config.stats.goals
        if not cfg.enabled:
            return []
        out = []
        rates = [d.speak_rate for d in p.days]
        rate = below_goal("speak_rate", rates, goals.speak_rate, cfg.speak_rate_days)
        if rate.hit:
            shown = "、".join(_pct(v) for v in rates[-cfg.speak_rate_days :])
            text = render(
                texts.ALERT_RATE, lang, days=cfg.speak_rate_days, goal=_pct(goals.speak_rate), values=shown
            )
            out.append((text, rate))
        for name, minimum, template in (
            ("leaves", cfg.leave_spike_min, texts.ALERT_LEAVES),
            ("reports", cfg.report_spike_min, texts.ALERT_REPORTS),
        ):
            values = [getattr(d, name) for d in p.days]
            check = spike(f"{name}_spike", values[-1], values[:-1], cfg.spike_factor, minimum)
            if check.hit:
                average = sum(values[:-1]) / max(len(values) - 1, 1)
                out.append((render(template, lang, n=values[-1], avg=f"{average:.1f}"), check))
        return out

    async def _weekly(self, event: Event, ctx: Context, last: date) -> list[Action]:
        lang, goals, cfg = ctx.config.language, ctx.config.stats.goals, ctx.config.briefings
        first = last - timedelta(days=6)
        p = await self._period(ctx, first, last)
        rate, wp = p.speak_rate_avg, p.weekly_participation
        r30, r90 = p.retention.get(30), p.retention.get(90)

        def mark(value: float | None, goal: float) -> str:
            return "" if value is None else render(texts.OK if value >= goal else texts.BELOW, lang)

        lines = [
            render(
                texts.WEEKLY_HEAD,
                lang,
                group=await self._group(event, ctx),
                range=format_range(first, last, lang),
            ),
            render(
                texts.WEEKLY_GOALS,
                lang,
                rate=_pct(rate),
                goal=_pct(goals.speak_rate),
                mark1=mark(rate, goals.speak_rate),
                wp=_pct(wp),
                wgoal=_pct(goals.weekly_participation),
                mark2=mark(wp, goals.weekly_participation),
                r30=_pct(r30),
                r30goal=_pct(goals.retention_30d),
                r90=_pct(r90),
                r90goal=_pct(goals.retention_90d),
            ),
            render(
                texts.WEEKLY_MEMBERS,
                lang,
                members=p.members,
                joins=p.total("joins"),
                leaves=p.total("leaves"),
                new=p.new,
                active=p.active,
                silent=p.silent,
                core=p.core,
            ),
        ]
        if cfg.top and p.top:
            names = "、".join(f"{name or user}（{n}）" for user, name, n in p.top[: cfg.top])
            lines.append(render(texts.WEEKLY_TOP, lang, names=names))
        steps = " → ".join(
            f"{render(texts.FUNNEL_STEPS[step], lang)} {p.funnel.get(step, 0)}" for step in FUNNEL_STEPS
        )
        lines.append(render(texts.WEEKLY_FUNNEL, lang, steps=steps))
        if (satisfaction := await survey_line(ctx, first, last)) is not None:
            lines.append(satisfaction)
        lines.append(render(texts.LOOK_HEAD, lang))
        lines.extend(self._look_at(ctx, p))
        reason = f"weekly briefing {first}–{last}"
        detail = {"first": first.isoformat(), "last": last.isoformat(), "speak_rate_avg": rate, "wau": p.wau}
        return [
            NotifyAdmins(event.chat, "\n".join(lines), reason),
            Record(event.chat, "briefings.weekly", reason, None, detail),
        ]

    def _look_at(self, ctx: Context, p: Period) -> list[str]:
        lang, goals = ctx.config.language, ctx.config.stats.goals
        out = []
        rate, wp, r30 = p.speak_rate_avg, p.weekly_participation, p.retention.get(30)
        if rate is not None and rate < goals.speak_rate:
            out.append(render(texts.LOOK_RATE, lang))
        if wp is not None and wp < goals.weekly_participation:
            out.append(render(texts.LOOK_PARTICIPATION, lang, wau=p.wau))
        if r30 is not None and r30 < goals.retention_30d:
            out.append(render(texts.LOOK_RETENTION, lang))
        if p.members and p.silent * 2 > p.members:
            out.append(render(texts.LOOK_SILENT, lang, silent=p.silent, share=_pct(p.silent / p.members)))
        if p.stuck:
            out.append(render(texts.LOOK_STUCK, lang, n=len(p.stuck)))
        if not out:
            out.append(render(texts.LOOK_NOTHING, lang))
        hours = p.hours
        if any(hours):
            busiest = sorted((h for h in range(24) if hours[h]), key=lambda h: (-hours[h], h))[:2]
            shown = "、".join(f"{h:02d}:00–{h + 1:02d}:00" for h in sorted(busiest))
            out.append(render(texts.LOOK_HOURS, lang, hours=shown))
        return out
