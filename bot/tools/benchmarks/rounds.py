"""Rounds of the end-to-end benchmark, each in a fresh process (so each round's peak memory is its own and
no round warms the next one's caches), summarised as min / median / max.

``python -m bot.tools.benchmarks.rounds G M N [DB_URL]`` runs one round and prints its figures as JSON:
the community workload, then the python-telegram-bot floor on the same number of messages, and their ratio.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from collections.abc import Callable

from bot.tools.benchmarks import floor, pipeline

Figures = dict[str, float]


def one_round(scale: pipeline.Scale, db_url: str | None, with_floor: bool) -> Figures:
    """One round in a child process."""
    argv = [sys.executable, "-m", __name__, str(scale.groups), str(scale.members), str(scale.messages)]
    argv += [db_url or "", "floor" if with_floor else ""]
    done = subprocess.run(argv, check=True, capture_output=True, text=True)
    figures: Figures = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def summarise(rounds: list[Figures]) -> dict[str, tuple[float, float, float]]:
    """min / median / max of every figure over the rounds (keys every round has)."""
    keys = [key for key in rounds[0] if all(key in r for r in rounds)]
    return {
        key: (
            min(r[key] for r in rounds),
            statistics.median(r[key] for r in rounds),
            max(r[key] for r in rounds),
        )
        for key in keys
    }


def run(
    scale: pipeline.Scale,
    db_url: str | None,
    count: int,
    with_floor: bool,
    done: Callable[[int], None] | None = None,
) -> dict[str, tuple[float, float, float]]:
    results = []
    for i in range(count):
        results.append(one_round(scale, db_url, with_floor))
        if done is not None:
            done(i + 1)
    return summarise(results)


def _main(args: list[str]) -> None:
    groups, members, messages = (int(a) for a in args[:3])
    db_url = args[3] if len(args) > 3 and args[3] else None
    with_floor = len(args) > 4 and args[4] == "floor"
    scale = pipeline.Scale(groups, members, messages)
    if db_url:
        pipeline.ensure_database(db_url)
    figures = pipeline.run_community(scale, db_url)
    if with_floor:
        figures.update(floor.run(messages, groups, members))
        figures["ratio_to_floor"] = figures["msgs_per_s"] / figures["floor_msgs_per_s"]
    print(json.dumps(figures))


if __name__ == "__main__":
    _main(sys.argv[1:])
