"""``qunbot wecom join-way``: the communities' 群活码 (join QR codes) from the rules file.

``sync`` creates the missing ones and updates the changed ones (the config_id is stored, so running it again
never adds a duplicate); ``show`` prints a community's QR image URL; ``delete`` removes one. ``--dry-run``
says what would change without calling WeCom. An app without the right gets one line and exit code 2."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from bot import cli_common as base

if TYPE_CHECKING:
    from bot.platforms.wecom.join_way import JoinWays

T = TypeVar("T")

ConfigOption = Annotated[
    Path | None, typer.Option("--config", "-c", help="Rules TOML (default: QUNBOT_CONFIG).")
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Say what would change; call nothing.")]
AsJson = Annotated[bool, typer.Option("--json", help="One JSON object a line.")]


def _run(db: str | None, work: Callable[[JoinWays], Awaitable[T]]) -> T:
    """Open the database and the WeCom client, run ``work``; WeCom's refusals become one line, exit 2."""
    from bot.logging import configure
    from bot.platforms.wecom.adapter import secret
    from bot.platforms.wecom.client import WecomApi, WecomError
    from bot.platforms.wecom.join_way import JoinWays, NoRight, UnknownJoinWay
    from storage import migrate

    current = base.settings().wecom
    if not (current.corp_id and current.agent_id and current.secret):
        base.fail("WeCom is not configured: set QUNBOT_WECOM__CORP_ID, __SECRET and __AGENT_ID")
    configure("ERROR", "console")  # stdout is the answer; a refusal is the one line below
    database = base.database(db, create=True)

    async def go() -> T:
        try:
            await migrate.upgrade(database)
            api = WecomApi(
                str(current.corp_id),
                secret(current.secret),
                str(current.agent_id),
                current.api_base,
                database,
            )
            return await work(JoinWays(api, database))
        finally:
            await database.close()

    try:
        return asyncio.run(go())
    except (NoRight, UnknownJoinWay) as exc:
        base.fail(str(exc))
    except WecomError as exc:
        base.fail(str(exc))


def register(app: typer.Typer) -> None:
    wecom_app = typer.Typer(help="WeChat Work (企业微信) management.", no_args_is_help=True)
    join_way = typer.Typer(
        help="群活码: one join QR per community, from [wecom.join_ways].", no_args_is_help=True
    )
    wecom_app.add_typer(join_way, name="join-way")
    app.add_typer(wecom_app, name="wecom")

    @join_way.command()
    def sync(
        config: ConfigOption = None,
        db: base.DbOption = None,
        dry_run: DryRun = False,
        as_json: AsJson = False,
    ) -> None:
        """Create or update every community's 群活码 to match the rules file."""
        from bot.config import ConfigInvalid, error_lines, load_rules

        try:
            rules = load_rules(config or base.settings().config)
        except ConfigInvalid as exc:
            base.fail("; ".join(error_lines(exc.errors, limit=3)))
        ways = rules.wecom.join_ways
        if not ways:
            base.fail(f'{rules.source}: no [wecom.join_ways."<community>"] table (see config.example.toml)')
        outcomes = _run(db, lambda jw: jw.sync(ways, dry_run=dry_run))
        for outcome in outcomes:
            if as_json:
                typer.echo(
                    json.dumps({**dataclasses.asdict(outcome), "dry_run": dry_run}, ensure_ascii=False)
                )
            else:
                typer.echo(outcome.line(dry_run))

    @join_way.command()
    def show(
        name: Annotated[str, typer.Argument(help="The community (the key under [wecom.join_ways]).")],
        db: base.DbOption = None,
        as_json: AsJson = False,
    ) -> None:
        """Print a community's QR image URL (WeCom serves it; print or share it)."""
        config_id, url = _run(db, lambda jw: jw.qr_code(name))
        if as_json:
            typer.echo(json.dumps({"name": name, "config_id": config_id, "qr_code": url}, ensure_ascii=False))
        else:
            typer.echo(url)

    @join_way.command()
    def delete(
        name: Annotated[str, typer.Argument(help="The community (the key under [wecom.join_ways]).")],
        db: base.DbOption = None,
        dry_run: DryRun = False,
    ) -> None:
        """Delete a community's 群活码 in WeCom and forget its config_id."""
        outcome = _run(db, lambda jw: jw.delete(name, dry_run=dry_run))
        typer.echo(outcome.line(dry_run))
