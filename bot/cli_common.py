"""What the ``qunbot`` commands share: the one-line failure (exit 2), the settings, the database a
command works on, dates from options. A command module (``bot/cli_<thing>.py``) imports these from here,
never from ``bot/cli.py``, which imports the command modules (no import circle)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:  # the database layer and pydantic-settings load only for the commands that use them
    from bot.settings import Settings
    from storage.db import Database

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL or a SQLite file path (default: QUNBOT_DATABASE_URL)."),
]


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def settings() -> Settings:
    """The environment's settings; pydantic-settings is imported here, by the commands that need it (not by
    ``check-config``, whose start time CI jobs and pre-commit hooks pay)."""
    from bot.settings import Settings

    try:
        return Settings()
    except Exception as exc:
        fail(f"bad environment settings: {exc}".replace("\n", " "))


def database(db: str | None, create: bool = False) -> Database:
    """The database a command works on. Commands that only read (export, stats, audit …) never create
    one: a mistyped SQLite path is an error, not a new empty file and a table of zeros."""
    from storage.db import Database, DatabaseUrlError, checked_url, sqlite_file

    given = db or settings().database_url
    try:
        url = checked_url(given)
    except DatabaseUrlError as exc:
        fail(str(exc))
    path = sqlite_file(url)
    if path is not None and not create and not path.is_file():
        fail(f"no database at {path} (nothing was created; `qunbot run` or `qunbot db upgrade` makes one)")
    return Database(url)


@contextmanager
def closed_pipe_is_fine() -> Iterator[None]:
    """``qunbot export | head``: the reader closing the pipe early ends the command quietly, exit 0."""
    try:
        yield
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python would otherwise report the flush at exit
        raise typer.Exit(0) from None


def parse_date(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        fail(f"{option}: expected a date like 2026-03-01 or 2026-03-01T08:00:00+08:00, got {value!r}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
