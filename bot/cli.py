"""The ``qunbot`` command line. Bad input exits with code 2 and a one-line reason on stderr."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bot.cli_bench import register as register_bench
from bot.cli_broadcast import register as register_broadcast
from bot.cli_common import DbOption, closed_pipe_is_fine, database, fail, parse_date, settings
from bot.cli_desk import register as register_desk
from bot.cli_trust import register as register_trust
from bot.cli_wecom import register as register_wecom
from bot.config import ConfigInvalid, ConfigStore, error_lines, load_rules
from bot.tools.detector.cli import register as register_detector

app = typer.Typer(
    help="qunbot: community operations for Telegram and WeChat Work groups.", no_args_is_help=True
)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
member_app = typer.Typer(help="Members' personal data: export and erase on request.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(member_app, name="member")


def version_callback(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"qunbot {version('qunbot')}")
        raise typer.Exit()


@app.callback()
def main_options(
    _version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """qunbot: community operations for Telegram and WeChat Work groups."""


@app.command("check-config")
def check_config(file: Annotated[Path, typer.Argument(help="The rules TOML file.")]) -> None:
    """Validate a rules file: print "ok" or every error with file, line and key (exit 2)."""
    try:
        rules = load_rules(file)
    except ConfigInvalid as exc:
        for line in error_lines(exc.errors):
            typer.echo(line, err=True)
        raise typer.Exit(2) from None
    typer.echo(f"ok ({len(rules.groups)} group override(s))")


@app.command()
def run(
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="Rules TOML (default: QUNBOT_CONFIG).")
    ] = None,
    db: DbOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Decide and log everything, carry out nothing.")
    ] = False,
) -> None:
    """Run the bot on every platform whose secrets are set in the environment."""
    from bot.logging import configure
    from bot.platforms.base import NoPlatform
    from bot.serve import serve

    current = settings()
    if dry_run:
        current.dry_run = True
    configure(current.log.level, current.log.format)
    path = config or current.config
    try:
        store = ConfigStore.from_file(path)
    except ConfigInvalid as exc:
        for line in error_lines(exc.errors):
            typer.echo(line, err=True)
        raise typer.Exit(2) from None
    from handlers.ads.model_io import ModelFileError

    try:
        asyncio.run(serve(current, store, db or current.database_url))
    except (NoPlatform, ModelFileError) as exc:
        fail(str(exc))


@app.command()
def demo(
    db: Annotated[Path, typer.Option("--db", help="SQLite file the demo writes.")] = Path("qunbot-demo.db"),
    keep: Annotated[
        bool, typer.Option("--keep", help="Keep an existing demo database instead of starting fresh.")
    ] = False,
    scenario: Annotated[
        list[Path] | None,
        typer.Option("--scenario", help="Scenario TOML file(s) instead of the bundled ones."),
    ] = None,
    rules: Annotated[
        Path | None, typer.Option("--rules", help="Rules TOML instead of the bundled demo rules.")
    ] = None,
    interactive: Annotated[
        bool,
        typer.Option("--interactive", "-i", help="Type what members do at a prompt (reads standard input)."),
    ] = False,
) -> None:
    """Run the bundled scenario on the console simulator: no token, no network, a few seconds."""
    from bot.logging import configure
    from bot.tools.demo.runner import run_demo
    from bot.tools.demo.scenario import ScenarioError

    configure("ERROR", "console")
    if not keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    console = Console(highlight=False)
    try:
        lines = _prompt_lines(console) if interactive else None
        asyncio.run(run_demo(str(db), console, scenario, rules, lines))
    except (ScenarioError, ConfigInvalid) as exc:
        fail(str(exc).replace("\n", " | "))
    console.print(f"database: {db}  (try: qunbot export --db {db} --format jsonl)")


def _prompt_lines(console: Console) -> Iterator[str]:
    while True:
        try:
            yield console.input("[bold]> ") if sys.stdin.isatty() else next(iter(sys.stdin.readline, ""))
        except (EOFError, StopIteration, KeyboardInterrupt):
            return


@app.command()
def export(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl or csv")] = "jsonl",
    since: Annotated[
        str | None, typer.Option("--since", help="Only rows at or after this date (ISO 8601).")
    ] = None,
    group: Annotated[
        str | None, typer.Option("--group", help='Only this group, e.g. "tg:group:-100123".')
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to a file instead of stdout.")
    ] = None,
) -> None:
    """Export the event log, one row per event: ts, platform, group, user, kind, reason, detail."""
    from bot.export import write

    if fmt not in ("jsonl", "csv"):
        fail(f"--format: expected jsonl or csv, got {fmt!r}")
    start = parse_date(since, "--since")
    database_ = database(db)

    async def go() -> int:
        try:
            if out is None:
                return await write(database_, sys.stdout, fmt, start, group)
            with out.open("w", encoding="utf-8", newline="") as handle:
                return await write(database_, handle, fmt, start, group)
        finally:
            await database_.close()

    try:
        with closed_pipe_is_fine():
            count = asyncio.run(go())
    except typer.Exit:
        raise
    except Exception as exc:
        fail(f"cannot export from {database_.url}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    typer.echo(f"{count} rows", err=True)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Apply all migrations (the bot also does this at start)."""
    from storage.migrate import upgrade

    database_ = database(db, create=True)

    async def go() -> None:
        try:
            await upgrade(database_)
        finally:
            await database_.close()

    try:
        asyncio.run(go())
    except Exception as exc:
        fail(f"cannot migrate {database_.url}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    typer.echo("ok")


@member_app.command("export")
def member_export(
    user: Annotated[str, typer.Argument(help="The member's platform user id.")], db: DbOption = None
) -> None:
    """Everything stored about one member, as JSON (a data-access request)."""
    from bot.privacy import export_user

    database_ = database(db)

    async def go() -> dict[str, object]:
        try:
            return await export_user(database_, user)
        finally:
            await database_.close()

    with closed_pipe_is_fine():
        typer.echo(json.dumps(asyncio.run(go()), ensure_ascii=False, indent=2, default=str))


@member_app.command("erase")
def member_erase(
    user: Annotated[str, typer.Argument(help="The member's platform user id.")],
    db: DbOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase a member's personal data (rows deleted; log rows pseudonymised; the erasure is logged)."""
    from bot.privacy import erase_user

    if not yes and not typer.confirm(f"Erase all data of user {user}?"):
        raise typer.Exit(1)
    database_ = database(db)

    async def go() -> dict[str, int]:
        try:
            return await erase_user(database_, user, datetime.now(UTC))
        finally:
            await database_.close()

    typer.echo(json.dumps(asyncio.run(go())))


register_detector(app)
register_bench(app)
register_desk(app)
register_trust(app)
register_wecom(app)
register_broadcast(app)


def main() -> None:
    app()
