"""``qunbot bench``: the end-to-end benchmark (bot/tools/benchmarks/) from the command line."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from bot.cli_common import DbOption

Summary = dict[str, tuple[float, float, float]]


def bench(
    groups: Annotated[int, typer.Option("--groups", min=1, help="Groups the messages are spread over.")] = 50,
    members: Annotated[int, typer.Option("--members", min=2, help="Members per group.")] = 200,
    messages: Annotated[int, typer.Option("--messages", min=100, help="Events in the run.")] = 50_000,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object instead of lines.")] = False,
    rounds: Annotated[
        int, typer.Option("--rounds", min=1, help="Rounds, each in a fresh process: min / median / max.")
    ] = 1,
    floor: Annotated[
        bool, typer.Option("--floor", help="Also the python-telegram-bot floor and the ratio to it.")
    ] = False,
    detector: Annotated[bool, typer.Option("--detector", help="Also the ad detector alone.")] = False,
    memory: Annotated[
        bool,
        typer.Option(
            "--memory",
            help="Instead: every member of every group speaks once (G × M seen); resident memory.",
        ),
    ] = False,
) -> None:
    """Drive a community (chat, ads, check-ins, /me, /tasks, joins, leaves) through the whole pipeline and
    print messages/s end to end, p50 / p99 decision latency overall and per kind, event-log rows/s and
    peak memory."""
    from bot.tools.benchmarks import pipeline

    scale = pipeline.Scale(groups, members, messages)
    url = db
    if url is not None:
        pipeline.ensure_database(url)
    if memory:
        with _progress(groups * members, as_json) as advance:
            figures = pipeline.run_memory(groups, members, url, advance)
        summary: Summary = {key: (value, value, value) for key, value in figures.items()}
        rounds, messages = 1, groups * members
    elif rounds == 1 and not floor:
        with _progress(messages, as_json) as advance:
            figures = pipeline.run_community(scale, url, advance)
        summary = {key: (value, value, value) for key, value in figures.items()}
    else:
        from bot.tools.benchmarks import rounds as rounds_

        with _progress(rounds, as_json, "rounds") as advance:
            summary = rounds_.run(scale, url, rounds, floor, lambda _done: advance(1))
    if detector:
        from bot.tools.benchmarks import detector as detector_

        figures = detector_.run(rounds=3)
        slowest, median = figures.pop("slowest_round_msgs_per_s"), figures.pop("median_round_msgs_per_s")
        summary.update({f"detector_{key}": (v, v, v) for key, v in figures.items()})
        # its own three rounds, slowest / median / best, whatever --rounds says for the pipeline
        summary["detector_msgs_per_s"] = (slowest, median, figures["msgs_per_s"])
    if as_json:
        medians = {key: values[1] for key, values in summary.items()}
        if rounds > 1:
            medians["min"] = {key: values[0] for key, values in summary.items()}  # type: ignore[assignment]
            medians["max"] = {key: values[2] for key, values in summary.items()}  # type: ignore[assignment]
        typer.echo(json.dumps(medians))
        return
    where = "SQLite" if url is None or not url.startswith("postgresql") else "PostgreSQL"
    typer.echo(f"bench: {groups} groups × {members} members, {messages:,} events, {where}, {rounds} round(s)")
    for key, (low, mid, high) in summary.items():
        spread = rounds > 1 or key == "detector_msgs_per_s"
        shown = f"{low:,.2f} / {mid:,.2f} / {high:,.2f}" if spread else f"{mid:,.2f}"
        typer.echo(f"  {key}: {shown}")


class _progress:
    """A progress bar on a terminal only (never in a pipe, a log or ``--json``)."""

    def __init__(self, total: int, quiet: bool, label: str = "events") -> None:
        self.bar: Any = None
        if not quiet and sys.stderr.isatty():
            self.bar = typer.progressbar(length=total, label=label, file=sys.stderr)

    def __enter__(self) -> Callable[[int], None]:
        if self.bar is None:
            return lambda _n: None
        update: Callable[[int], None] = self.bar.__enter__().update
        return update

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def register(app: typer.Typer) -> None:
    app.command()(bench)
