"""Prometheus metrics for /metrics: events, actions, errors, decision latency."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram


class Metrics:
    """One registry per process (tests make their own, so nothing is global)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.events = Counter(
            "qunbot_events_total", "Events handled", ["platform", "kind"], registry=self.registry
        )
        self.duplicates = Counter(
            "qunbot_duplicate_deliveries_total",
            "Deliveries seen before and skipped",
            ["platform"],
            registry=self.registry,
        )
        self.actions = Counter(
            "qunbot_actions_total", "Actions by outcome", ["action", "status"], registry=self.registry
        )
        self.errors = Counter(
            "qunbot_errors_total", "Handler and platform errors", ["where"], registry=self.registry
        )
        self.latency = Histogram(
            "qunbot_decision_seconds",
            "Time from event in to actions decided (dedupe, handlers, commit)",
            buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
            registry=self.registry,
        )
