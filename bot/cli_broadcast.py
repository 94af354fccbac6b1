"""``qunbot broadcast``: an operator's announcement to many groups (a rule change, a crisis 公告).

The command plans the copies; the running bot posts them (``handlers/broadcast``): per group, once, at most
``--per-minute`` groups a minute, logged, surviving a restart, on every instance's platforms. ``--dry-run``
shows the groups and the times and writes nothing.
"""

from __future__ import annotations

import asyncio
import getpass
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot import cli_common as base
from bot.cli_desk import ConfigOption, config_for, group_configs

if TYPE_CHECKING:
    from storage.db import Database


@dataclass(frozen=True, slots=True)
class Planned:
    key: str
    title: str
    at: datetime


async def _targets(
    database: Database, wanted: list[str], every: bool, rules: object
) -> list[tuple[str, str]]:
    """(key, title) of the groups to reach: the named ones (each must be known), or every active group;
    groups whose rules turn broadcasts off are left out."""
    from storage.repos.groups import GroupRepo

    async with database.session() as session:
        known = {g.key: g for g in await GroupRepo(session).all()}
    if every:
        keys = [key for key, group in known.items() if group.active and ":group:" in key]
    else:
        unknown = [key for key in wanted if key not in known]
        if unknown:
            base.fail(f"--group: the bot has never been in {', '.join(unknown)} (see `qunbot stats`)")
        keys = list(dict.fromkeys(wanted))
    return [(k, known[k].title or k) for k in keys if config_for(rules, k).broadcast.enabled]


async def _queue(
    database: Database, text: str, targets: list[tuple[str, str]], per_minute: int, dry_run: bool
) -> tuple[int | None, list[Planned]]:
    from storage.repos import events
    from storage.repos.broadcasts import BroadcastRepo, schedule

    now = datetime.now(UTC)
    titles = dict(targets)
    when = schedule([key for key, _ in targets], now, per_minute)
    planned = [Planned(key, titles[key], at) for key, at in when]
    if dry_run:
        return None, planned
    who = getpass.getuser()
    async with database.session() as session:
        repo = BroadcastRepo(session)
        row = await repo.create(text, "cli", who, now)
        await repo.plan(row.id, when)
        reason = f"broadcast {row.id} queued by {who} (qunbot broadcast)"
        await events.append(
            session,
            [
                events.LogRow(
                    now, key.split(":", 1)[0], key, "broadcast.queued", reason, None, {"broadcast": row.id}
                )
                for key, _ in when
            ],
        )
        await session.commit()
        return row.id, planned


def register(app: typer.Typer) -> None:
    @app.command()
    def broadcast(
        text: Annotated[str | None, typer.Option("--text", help="The announcement.")] = None,
        text_file: Annotated[
            Path | None, typer.Option("--text-file", help="Read the announcement from a UTF-8 file.")
        ] = None,
        group: Annotated[
            list[str] | None,
            typer.Option("--group", help='A group key, e.g. "tg:group:-100123" (repeat it).'),
        ] = None,
        every: Annotated[bool, typer.Option("--all", help="Every group the bot is in.")] = False,
        per_minute: Annotated[
            int, typer.Option("--per-minute", min=1, max=600, help="Groups reached per minute (rate limit).")
        ] = 20,
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the plan; queue nothing.")] = False,
        db: base.DbOption = None,
        config: ConfigOption = None,
    ) -> None:
        """Announce to many groups: the running bot posts it once per group, --per-minute groups a minute."""
        if (text is None) == (text_file is None):
            base.fail("give the announcement with --text or --text-file (one of them)")
        if text_file is not None:
            try:
                text = text_file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                base.fail(f"--text-file: {exc}")
        assert text is not None
        text = text.strip()
        if not text:
            base.fail("the announcement is empty")
        if bool(group) == every:
            base.fail("name the groups with --group (repeat it) or choose --all (one of them)")
        _, rules = group_configs(config)
        database = base.database(db)

        async def run() -> tuple[int | None, list[Planned]]:
            try:
                targets = await _targets(database, list(group or []), every, rules)
                return await _queue(database, text, targets, per_minute, dry_run)
            finally:
                await database.close()

        broadcast_id, planned = asyncio.run(run())
        if not planned:
            base.fail("no group to reach (none known, or broadcasts are off in their rules)")
        table = Table("group", "title", "posted from (UTC)")
        for item in planned:
            table.add_row(item.key, item.title, item.at.strftime("%Y-%m-%d %H:%M"))
        console = Console()
        console.print(table)
        console.print(f"text: {text}", highlight=False, markup=False)
        if broadcast_id is None:
            console.print(f"dry run: {len(planned)} groups, nothing queued", highlight=False)
        else:
            console.print(
                f"queued broadcast {broadcast_id}: {len(planned)} groups, {per_minute} a minute; "
                "the running bot posts each copy once",
                highlight=False,
            )
