"""The trust commands: ``backup`` (an online copy of the SQLite database) and ``audit`` (who did what, when
and why), registered on the main app."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot import cli_common as base


def register(app: typer.Typer) -> None:
    @app.command()
    def backup(
        out: Annotated[Path, typer.Option("--out", help="The backup file to write (replaced if it exists).")],
        db: base.DbOption = None,
    ) -> None:
        """A consistent copy of the SQLite database, safe while the bot runs (PostgreSQL: use pg_dump)."""
        from storage.backup import BackupError, backup_sqlite
        from storage.db import sqlite_file

        database = base.database(db)
        path = sqlite_file(database.url)
        asyncio.run(database.close())
        if path is None:
            base.fail("backup copies SQLite databases; for PostgreSQL use pg_dump (see README, Backups)")
        if out.resolve() == path.resolve():
            base.fail("--out is the database itself")
        try:
            size = backup_sqlite(path, out)
        except BackupError as exc:
            base.fail(str(exc))
        typer.echo(f"{out} ({size:,} bytes)")

    @app.command()
    def audit(
        group: Annotated[str | None, typer.Option("--group", help="Only this group.")] = None,
        since: Annotated[
            str | None, typer.Option("--since", help="Only entries at or after this date.")
        ] = None,
        limit: Annotated[int, typer.Option("--limit", min=1)] = 200,
        db: base.DbOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object a line.")] = False,
    ) -> None:
        """The audit trail, newest first: admin actions, privacy requests, the bot's strikes and sanctions,
        with who did it, to whom and why."""
        from storage.repos.audit import AuditEntry, trail

        start = base.parse_date(since, "--since")
        database = base.database(db)

        async def go() -> list[AuditEntry]:
            try:
                async with database.session() as session:
                    return await trail(session, group, start, limit)
            finally:
                await database.close()

        entries = asyncio.run(go())
        if as_json:
            with base.closed_pipe_is_fine():
                for e in entries:
                    row = {
                        "ts": e.ts.isoformat(),
                        "group": e.group,
                        "kind": e.kind,
                        "actor": e.actor,
                        "target": e.target,
                        "reason": e.reason,
                    }
                    typer.echo(json.dumps(row, ensure_ascii=False))
            return
        table = Table(title=f"audit trail{f' · {group}' if group else ''} ({len(entries)} entries)")
        for column in ("when (UTC)", "group", "what", "by", "member", "why"):
            table.add_column(column)
        for e in entries:
            when = e.ts.strftime("%Y-%m-%d %H:%M")
            table.add_row(when, e.group, e.kind, e.actor or "bot", e.target or "", e.reason)
        Console().print(table)
