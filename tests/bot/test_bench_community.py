"""``qunbot bench``: the community workload has the shares it claims, a run reports every figure the issue
asks for (values are machine-dependent and read by people, never asserted), and ``--json`` is one object."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from typer.testing import CliRunner

from bot.app import App
from bot.cli import app
from bot.clock import FakeClock
from bot.config import ConfigStore, parse_rules
from bot.platforms.console import ConsoleAdapter
from bot.settings import Settings
from bot.tools.benchmarks import community, floor, pipeline, rounds
from handlers.contract.events import EventKind
from storage.db import Database


def test_the_community_workload_mixes_chat_ads_checkins_commands_joins_and_leaves() -> None:
    steps = list(community.events(groups=10, members=100, messages=10_000, tag="t"))
    kinds = Counter(step.kind for step in steps)
    assert 400 <= kinds["ad"] <= 600  # ~5 %
    assert 300 <= kinds["checkin"] <= 600 and 100 <= kinds["command"] <= 200
    assert kinds["join"] > 20 and kinds["leave"] > 10 and kinds["chat"] > 8000
    assert len({step.event.chat.key for step in steps}) == 10
    speakers = Counter(s.event.user.id for s in steps if s.kind == "chat" and s.event.user is not None)
    assert speakers.most_common(1)[0][1] > 100  # members speak many times
    commands = {s.event.command for s in steps if s.kind == "command"}
    assert commands == {"me", "tasks"}
    assert all(s.event.kind == EventKind.MEMBER_JOINED for s in steps if s.kind == "join")
    assert len({s.event.delivery for s in steps}) == len(steps)
    times = [s.event.at for s in steps]
    assert times == sorted(times) and times[-1] - times[0] > community.SPAN * 0.99


async def test_the_workloads_chat_is_honest_no_ordinary_message_is_deleted(tmp_path: Path) -> None:
    """Chat is the ~90 % an ordinary member writes: a phrase the detector takes for an ad (a job offer with
    私聊 once was in one chat message in eight) would strike and remove ordinary members and put every
    strike's transaction on the chat path the figures claim to time."""
    adapter = ConsoleAdapter()
    clock = FakeClock(community.START)
    db = Database(str(tmp_path / "honest.db"))
    bot = App(Settings(), ConfigStore(parse_rules("")), db, {"console": adapter}, clock)
    await bot.open()
    try:
        deleted_chat = []
        for step in community.events(groups=5, members=40, messages=1500, tag="h"):
            clock.set(step.event.at)
            before = len(adapter.posted)
            await bot.pipeline.process(step.event)
            if step.kind == "chat" and any(p.op == "delete" for p in adapter.posted[before:]):
                deleted_chat.append(step.event.text)
        assert deleted_chat == []
        assert len({*(p.message_id for p in adapter.ops("delete"))}) > 20  # the ads are deleted
    finally:
        await bot.close()


def test_the_workload_is_the_same_every_run() -> None:
    first = [(s.kind, s.event.text) for s in community.events(3, 20, 500, "a")]
    assert first == [(s.kind, s.event.text) for s in community.events(3, 20, 500, "b")]


def test_a_run_reports_throughput_latency_per_kind_log_rows_and_memory(tmp_path: Path) -> None:
    figures = pipeline.run_community(pipeline.Scale(3, 20, 600), str(tmp_path / "bench.db"))
    assert figures["events"] == 600
    assert figures["msgs_per_s"] > 0 and figures["eventlog_rows_per_s"] > 0 and figures["rss_mb"] > 10
    assert figures["p50_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    for kind in ("chat", "ad", "checkin", "command"):
        assert figures[f"{kind}_p50_ms"] <= figures[f"{kind}_p99_ms"]
    assert sum(figures[f"{kind}_events"] for kind in community.KINDS if f"{kind}_events" in figures) == 600


def test_bench_json_is_one_object_with_the_figures_and_no_progress_bar_off_a_terminal() -> None:
    result = CliRunner().invoke(
        app, ["bench", "--groups", "2", "--members", "10", "--messages", "300", "--json"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    figures = json.loads(lines[0])
    for key in ("msgs_per_s", "p50_ms", "p99_ms", "rss_mb", "chat_p99_ms", "checkin_p99_ms"):
        assert figures[key] > 0


def test_the_floor_parses_and_dispatches_telegram_updates() -> None:
    assert floor.run(300, groups=3, members=10)["floor_msgs_per_s"] > 0


def test_rounds_are_summarised_as_min_median_max() -> None:
    summary = rounds.summarise([{"a": 3.0, "b": 1.0}, {"a": 1.0}, {"a": 2.0, "b": 5.0}])
    assert summary == {"a": (1.0, 2.0, 3.0)}


def test_the_memory_workload_has_every_member_of_every_group_speak_once() -> None:
    events = list(community.everyone_once(groups=4, members=6, tag="m"))
    seen = [(e.chat.key, e.user.id) for e in events if e.user is not None]
    assert len(seen) == len(set(seen)) == 24
    assert len({chat for chat, _ in seen}) == 4 and len({user for _, user in seen}) == 6
    assert all(e.kind == EventKind.MESSAGE and e.text for e in events)
    assert len({e.delivery for e in events}) == 24


def test_bench_memory_reports_resident_memory_and_what_each_member_seen_added() -> None:
    result = CliRunner().invoke(app, ["bench", "--memory", "--groups", "3", "--members", "40", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["members_seen"] == 120
    assert 10 < figures["rss_start_mb"] <= figures["rss_mb"] and figures["rss_end_mb"] <= figures["rss_mb"]
    assert "kb_per_member_seen" in figures and figures["msgs_per_s"] > 0
