"""Prometheus metrics for /metrics: events, decisions, actions, platform errors, scheduler runs, the write
queue, decision latency and the process itself. ``deploy/grafana-dashboard.json`` charts them."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prometheus_client import (
    GC_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
)
from prometheus_client.metrics_core import Metric


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
        self.decisions = Counter(
            "qunbot_decisions_total",
            "Decisions logged, by kind (ad_detected, strike, flood_detected, checkin …)",
            ["kind"],
            registry=self.registry,
        )
        self.platform_errors = Counter(
            "qunbot_platform_errors_total",
            "Platform calls that failed or were refused, by platform and method (the action carried out)",
            ["platform", "method"],
            registry=self.registry,
        )
        self.scheduler_runs = Counter(
            "qunbot_scheduler_runs_total",
            "Scheduled job runs handled, by job",
            ["job"],
            registry=self.registry,
        )
        self.write_queue = Gauge(
            "qunbot_write_queue_rows",
            "Event-log rows and deliveries waiting for the batched writer",
            registry=self.registry,
        )
        # CPU, memory, open files, GC and the Python version, as every Prometheus process exporter has them.
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        self.registry.register(_ProcessGc())

    def watch_write_queue(self, pending: Callable[[], int]) -> None:
        """Report the writer's queue depth at each scrape."""
        self.write_queue.set_function(lambda: float(pending()))


class _ProcessGc:
    """The garbage collector's figures from prometheus_client's one process-wide collector (a second
    ``GCCollector`` per registry would hook ``gc.callbacks`` again for every registry made)."""

    def collect(self) -> Iterable[Metric]:
        return GC_COLLECTOR.collect()
