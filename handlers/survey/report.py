"""The survey's line in the weekly briefing: the newest round asked that week, as totals only."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from handlers.contract.texts import render
from handlers.feature import Context
from handlers.survey import texts
from rules.survey import SCORES, summarise


async def briefing_line(ctx: Context, first: date, last: date) -> str | None:
    """None when the group runs no survey or asked none between ``first`` and ``last`` (local days)."""
    if not ctx.config.survey.enabled:
        return None
    tz, lang = ctx.config.tz, ctx.config.language
    start = datetime.combine(first, time(), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time(), tzinfo=tz)
    survey = await ctx.repos.survey.latest(ctx.chat.key, start, end)
    if survey is None:
        return None
    summary = summarise(await ctx.repos.survey.scores(survey.id), survey.invited)
    day = survey.asked_at.astimezone(tz).date().isoformat()
    if summary.average is None:
        return render(texts.BRIEFING_NONE, lang, day=day, invited=summary.invited)
    counts = " · ".join(render(texts.COUNT, lang, score=s, n=summary.counts[s]) for s in reversed(SCORES))
    return render(
        texts.BRIEFING,
        lang,
        day=day,
        average=f"{summary.average:.1f}",
        answered=summary.answered,
        invited=summary.invited,
        counts=counts,
    )
