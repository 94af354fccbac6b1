"""/metrics carries what the operators' dashboard charts: decisions by kind, scheduled runs, platform
errors by method, the write queue and the process."""

from __future__ import annotations

from datetime import timedelta

from prometheus_client import generate_latest

from bot.platforms.console import ConsoleAdapter
from tests.handlers.rhythm_support import rhythm_features
from tests.support import SimFactory

RULES = """
[defaults.checkin]
remind_at = "21:00"
[defaults.topics]
enabled = false
[defaults.honours]
enabled = false
"""


def scrape(registry: object) -> str:
    return generate_latest(registry).decode()  # type: ignore[arg-type]


async def test_metrics_count_decisions_runs_and_platform_errors(make_sim: SimFactory) -> None:
    adapter = ConsoleAdapter(refuse={"send"})
    sim = await make_sim(RULES, features=rhythm_features(), adapter=adapter)
    sim.add_user("a", "上海-产品-小王")
    await sim.join("a")
    await sim.say("a", "打卡")  # a check-in whose reply the platform refuses
    await sim.advance(timedelta(days=1))  # the evening reminder job runs

    body = scrape(sim.app.metrics.registry)
    assert 'qunbot_decisions_total{kind="checkin"} 1.0' in body
    assert 'qunbot_scheduler_runs_total{job="checkin.remind"}' in body
    assert 'qunbot_platform_errors_total{method="send",platform="console"}' in body
    assert "qunbot_write_queue_rows " in body
    assert "process_resident_memory_bytes" in body or "python_info" in body
    assert "python_gc_collections_total" in body
