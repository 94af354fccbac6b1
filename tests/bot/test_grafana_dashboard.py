"""The Grafana dashboard charts only metrics that /metrics really exposes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from prometheus_client import generate_latest

from bot.metrics import Metrics

DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "grafana-dashboard.json"


def test_every_charted_metric_is_exported() -> None:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    charted = {
        name for expr in exprs for name in re.findall(r"\b((?:qunbot|process|python)_[a-z_]+)\b", expr)
    }

    metrics = Metrics()  # touch each labelled family once, as a running bot does
    metrics.events.labels("tg", "message").inc()
    metrics.duplicates.labels("tg").inc()
    metrics.actions.labels("delete", "done").inc()
    metrics.errors.labels("ads").inc()
    metrics.decisions.labels("strike").inc()
    metrics.platform_errors.labels("tg", "delete").inc()
    metrics.scheduler_runs.labels("topics.post").inc()
    metrics.latency.observe(0.001)
    exported = set(re.findall(r"^([a-z_]+)[{ ]", generate_latest(metrics.registry).decode(), re.M))

    assert {"qunbot_decisions_total", "qunbot_platform_errors_total", "qunbot_write_queue_rows"} <= charted
    assert charted <= exported, sorted(charted - exported)
    assert len({panel["id"] for panel in dashboard["panels"]}) == len(dashboard["panels"])
