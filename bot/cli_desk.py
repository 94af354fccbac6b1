"""The operator's desk on the command line: ``stats`` and ``report``, registered on the main app.

Both read a group's figures through ``storage.repos.metrics`` with the group's ``[stats]`` definitions and
time zone from the rules TOML (``--config``, default the one ``qunbot run`` uses; built-in defaults when
there is none). Days end at the group's last activity when the database is older than today (a copy taken
off a server), so a report of old data is not a page of zeros.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot import cli_common as base
from handlers.config import GroupConfig

if TYPE_CHECKING:  # the database layer loads when a command runs, not with the CLI (check-config)
    from storage.db import Database
    from storage.repos.metrics import Period

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", help="Rules TOML for the groups' time zones and \\[stats] (default: QUNBOT_CONFIG)."
    ),
]
PERIODS = {"week": 7, "month": 30}
GroupOption = Annotated[str | None, typer.Option("--group", help='The group, e.g. "tg:group:-100123".')]


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        base.fail(f"{option}: expected a date like 2026-03-01, got {value!r}")


def group_configs(path: Path | None) -> tuple[Path | None, object]:
    """The rules for the groups (``Rules``), or None for built-in defaults when no file is there."""
    from bot.config import ConfigInvalid, load_rules

    chosen = path if path is not None else base.settings().config
    if not chosen.exists():
        if path is not None:
            base.fail(f"--config: no such file {path}")
        return None, None
    try:
        return chosen, load_rules(chosen)
    except ConfigInvalid as exc:
        base.fail(str(exc).replace("\n", " | "))


def config_for(rules: object, group: str) -> GroupConfig:
    from bot.config import Rules

    return rules.for_chat(group) if isinstance(rules, Rules) else GroupConfig()


@dataclass
class Window:
    first: date
    last: date


def window(
    config: GroupConfig,
    seen: tuple[datetime, datetime] | None,
    now: datetime,
    first: date | None,
    last: date | None,
    days: int,
) -> Window:
    """``--until`` or the last day with data (today at the latest); ``--from`` or ``days`` before it, but
    not before the group's first day with data (a group of two weeks has no month of zeros)."""
    tz = config.tz
    today = now.astimezone(tz).date()
    until = last or min(today, seen[1].astimezone(tz).date() if seen else today)
    start = first or until - timedelta(days=days - 1)
    if first is None and seen is not None:
        start = max(start, min(seen[0].astimezone(tz).date(), until))
    if start > until:
        base.fail(f"--from {start} is after --until {until}")
    return Window(start, until)


async def group_periods(
    db: Database, groups: list[str] | None, rules: object, first: date | None, last: date | None, days: int
) -> list[tuple[GroupConfig, Period]]:
    """Every asked group's period (all the groups the bot knows when none is named)."""
    from sqlalchemy import select

    from storage.models.core import Group
    from storage.repos.metrics import activity_span, known_group, period

    now = datetime.now(UTC)
    out = []
    async with db.session() as session:
        if groups is None:
            groups = list(await session.scalars(select(Group.key).order_by(Group.key)))
            if not groups:
                base.fail(f"no groups in {db.url}")
        for group in groups:
            if not await known_group(session, group):
                base.fail(f"unknown group {group!r}: the database has no such group (see: qunbot stats)")
            config = config_for(rules, group)
            span = window(config, await activity_span(session, group), now, first, last, days)
            defs = config.stats.definitions(config.tasks.kinds())
            out.append((config, await period(session, group, span.first, span.last, config.tz, now, defs)))
        await session.commit()  # the days rolled up on the way
    return out


def load_periods(
    db_url: str | None,
    group: str | None,
    config: Path | None,
    first: str | None,
    until: str | None,
    days: int,
) -> list[tuple[GroupConfig, Period]]:
    from sqlalchemy.exc import OperationalError, ProgrammingError

    _, rules = group_configs(config)
    start, end = parse_day(first, "--from"), parse_day(until, "--until")
    database = base.database(db_url)

    async def go() -> list[tuple[GroupConfig, Period]]:
        try:
            return await group_periods(database, [group] if group else None, rules, start, end, days)
        finally:
            await database.close()

    try:
        return asyncio.run(go())
    except (OperationalError, ProgrammingError) as exc:
        first_line = str(exc.orig if exc.orig is not None else exc).splitlines()[0]
        base.fail(f"cannot read {database.url}: {first_line} (an older schema? run: qunbot db upgrade)")


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def print_period(config: GroupConfig, p: Period, console: Console) -> None:
    goal = config.stats.goals
    title = f"{config.name or p.group} ({p.group}): {p.first} … {p.last}"
    table = Table(title=title)
    for column in ("day", "members", "+", "-", "speakers", "日发言率", "WAU", "MAU", "check-ins", "strikes"):
        table.add_column(column, justify="right")
    for d in p.days:
        rate = _pct(d.speak_rate)
        if d.speak_rate is not None and d.speak_rate < goal.speak_rate:
            rate = f"[red]{rate}[/red]"
        table.add_row(
            d.day.isoformat(),
            str(d.members),
            str(d.joins),
            str(d.leaves),
            str(d.speakers),
            rate,
            str(d.wau),
            str(d.mau),
            str(d.checkins),
            str(sum(d.strikes.values())),
        )
    console.print(table)
    lines = [
        f"members {p.members}: new {p.new} · active {p.active} · silent {p.silent} · core {p.core}",
        f"DAU avg {p.dau_avg:.1f} · 日发言率 avg {_pct(p.speak_rate_avg)} (goal {goal.speak_rate:.0%}) · "
        f"WAU {p.wau} · MAU {p.mau} · weekly participation {_pct(p.weekly_participation)} "
        f"(goal {goal.weekly_participation:.0%})",
        f"joins {p.total('joins')} · leaves {p.total('leaves')} · messages {p.total('messages')} · "
        f"check-ins {p.total('checkins')} · removals {p.total('removals')} · reports {p.total('reports')}",
        "strikes: " + (", ".join(f"{k} {v}" for k, v in p.strikes.items()) or "none"),
        "funnel: " + " → ".join(f"{k} {v}" for k, v in p.funnel.items()) + f" · stuck {len(p.stuck)}",
        f"referrals {p.referred}, converted {_pct(p.referral_conversion)}",
        "retention: " + " · ".join(f"{n} d {_pct(r)}" for n, r in p.retention.items()),
    ]
    hours = p.hours
    if any(hours):
        busiest = sorted((h for h in range(24) if hours[h]), key=lambda h: (-hours[h], h))[:3]
        lines.append("busiest hours: " + ", ".join(f"{h:02d}:00 ({hours[h]})" for h in busiest))
    for line in lines:
        console.print(line, highlight=False)


def register(app: typer.Typer) -> None:
    @app.command()
    def stats(
        group: GroupOption = None,
        first: Annotated[
            str | None, typer.Option("--from", help="First day (default: 7 days to --until).")
        ] = None,
        until: Annotated[
            str | None,
            typer.Option("--until", help="Last day (default: the last day with data, today at most)."),
        ] = None,
        db: base.DbOption = None,
        config: ConfigOption = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="One JSON document (a list of groups).")
        ] = False,
    ) -> None:
        """A group's numbers per day: members, joins, leaves, 日发言率, DAU/WAU/MAU, check-ins, strikes,
        new / active / silent / core members, the newcomer funnel, referrals, retention."""
        periods = load_periods(db, group, config, first, until, 7)
        if as_json:
            typer.echo(json.dumps([p.as_dict() for _, p in periods], ensure_ascii=False))
            return
        console = Console()
        for group_config, p in periods:
            print_period(group_config, p, console)

    @app.command()
    def report(
        group: Annotated[str, typer.Option("--group", help='The group, e.g. "tg:group:-100123".')],
        period_: Annotated[str, typer.Option("--period", help="week (7 days) or month (30 days).")] = "week",
        until: Annotated[
            str | None, typer.Option("--until", help="Last day (default: the last day with data).")
        ] = None,
        out: Annotated[Path, typer.Option("--out", help="Directory the HTML file is written to.")] = Path(
            "."
        ),
        db: base.DbOption = None,
        config: ConfigOption = None,
    ) -> None:
        """A self-contained HTML report of a group's week or month: figures against the goals and charts
        (speak rate, cohort retention, newcomer funnel, activity by hour, top members, strikes)."""
        from bot.report.page import report as render

        if period_ not in PERIODS:
            base.fail(f"--period: expected week or month, got {period_!r}")
        if out.exists() and not out.is_dir():
            base.fail(f"--out: {out} is a file, expected a directory")
        ((group_config, figures),) = load_periods(db, group, config, None, until, PERIODS[period_])
        generated = datetime.now(group_config.tz).strftime("%Y-%m-%d %H:%M %Z")
        html = render(group_config, figures, generated)
        out.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", group).strip("_")
        path = out / f"report-{name}-{period_}-{figures.last.isoformat()}.html"
        path.write_text(html, encoding="utf-8")
        typer.echo(str(path))
