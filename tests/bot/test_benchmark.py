"""The decision-path benchmark runs and reports its figures (their values are machine-dependent and are
read by people, never asserted)."""

from __future__ import annotations

from pathlib import Path

from bot.tools.benchmarks.pipeline import AD, kind_of, mixed, run


def test_mixed_workload_reports_latencies_per_kind(tmp_path: Path) -> None:
    figures = run(600, users=50, db_url=str(tmp_path / "bench.db"), workload="mixed")
    assert figures["events"] == 600
    for kind in ("chat", "checkin", "command", "ad"):
        assert figures[f"{kind}_p50_ms"] <= figures[f"{kind}_p99_ms"]
    assert figures["p50_ms"] <= figures["p99_ms"] and figures["decisions_per_s"] > 0


def test_chat_workload_has_one_kind_and_no_split() -> None:
    figures = run(200, users=20, workload="chat")
    assert not any(key.startswith("chat_") for key in figures)


def test_the_mixed_workload_has_each_kind_in_its_share() -> None:
    kinds = [kind_of(mixed(i, 200)) for i in range(5000)]
    assert kinds.count("checkin") == 200 and kinds.count("ad") == 9 and kinds.count("command") == 96
    assert kind_of(AD) == "ad" and kind_of("/me") == "command" and kind_of("收到，谢谢") == "chat"
