"""Event → dedupe → handlers by phase → decisions logged → executor → outcomes logged.

The hot path (an ordinary message) touches no database: dedupe is in memory, counters are buffered and
the log rows go to the batched writer. An event whose handlers change state gets one transaction:
their writes, the delivery id and the decision rows commit together, so a redelivery after a crash is
handled once. Scheduler ticks are claimed in the database, so two instances never run the same job: the
claim is made in the transaction of the tick's effects, and a tick that found nothing to do needs none.
With ``strict_dedupe`` (several instances sharing deliveries) every event is claimed before it is
handled. Actions run after the commit; their outcomes go through the batched writer. An event that
changed no state has its delivery id written with the next batch (within ``event_log_flush_ms``): a crash
inside that window can repeat such a reply on redelivery, never a state change.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog

from bot.config import ConfigStore
from bot.dedupe import RecentDeliveries
from bot.eventlog import EventLogWriter
from bot.executor import Executor, Outcome
from bot.metrics import Metrics
from bot.outbox import Outbox
from bot.platforms.base import Adapter
from handlers.config import GroupConfig
from handlers.contract.actions import Action, GroupActivity, Record, Stop, action_name
from handlers.contract.events import Event, EventKind
from handlers.feature import Context, Feature, Repos
from storage.db import Database, wrote
from storage.repos import deliveries
from storage.repos.events import LogRow

log = structlog.get_logger(__name__)


@dataclass(slots=True)
class Handled:
    """What happened to one event (tests and the console transcript read this)."""

    event: Event
    duplicate: bool = False
    actions: list[Action] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stopped_by: str | None = None


def event_detail(event: Event, config: GroupConfig) -> dict[str, Any]:
    """Metadata of an event for the log; message text only where the group's privacy config allows it."""
    detail: dict[str, Any] = {"delivery": event.delivery}
    if event.message_id:
        detail["message_id"] = event.message_id
    if event.kind in (EventKind.MESSAGE, EventKind.COMMAND):
        detail["length"] = len(event.text)
        if event.urls:
            detail["urls"] = len(event.urls)
        if event.media:
            detail["media"] = event.media
        if config.privacy.store_message_text:
            detail["text"] = event.text
    if event.command:
        detail["command"] = event.command
    if event.user is not None:
        detail["name"] = event.user.name
        if event.user.is_admin:
            detail["admin"] = True
    if event.old_name is not None:
        detail["old_name"] = event.old_name
    if event.invite_link:
        detail["invite_link"] = event.invite_link
    if event.actor is not None and event.user is not None and event.actor.id != event.user.id:
        detail["actor"] = event.actor.id
    if event.kind == EventKind.TICK:
        detail["job"] = event.data
        if event.scheduled_for:
            detail["scheduled_for"] = event.scheduled_for.isoformat()
    elif event.data:
        detail["data"] = event.data
    return detail


class Pipeline:
    def __init__(
        self,
        db: Database,
        config: ConfigStore,
        features: Sequence[Feature],
        adapters: Mapping[str, Adapter],
        executor: Executor,
        writer: EventLogWriter,
        metrics: Metrics,
        strict_dedupe: bool = False,
        outbox: Outbox | None = None,
    ) -> None:
        self.db = db
        # Several instances receiving the same deliveries (e.g. WeCom callbacks behind a load balancer):
        # claim every delivery in the database before any handler runs (one transaction per event).
        self.strict_dedupe = strict_dedupe
        self.config = config
        self.features = sorted(features, key=lambda f: int(f.phase))
        self.adapters = dict(adapters)
        self.executor = executor
        self.writer = writer
        self.metrics = metrics
        self.recent = RecentDeliveries()
        self.outbox = outbox

    def row(
        self, event: Event, kind: str, reason: str, user_id: str | None, detail: Mapping[str, Any]
    ) -> LogRow:
        return LogRow(event.at, event.chat.platform, event.chat.key, kind, reason, user_id, detail)

    async def process(self, event: Event) -> Handled:
        started = time.perf_counter()
        handled = Handled(event)
        config = self.config.for_chat(event.chat.key)
        adapter = self.adapters[event.chat.platform]
        rows: list[LogRow] = []
        kept: list[dict[str, object]] = []  # outbox rows: committed with the state, deleted once tried
        tick = event.kind == EventKind.TICK
        if not tick and not self.recent.first_time(event.delivery):
            return self._duplicate(handled)
        ctx = Context(
            chat=event.chat,
            config=config,
            sessions=self.db.sessions,
            caps=adapter.capabilities(event.chat),
            now=event.at,
            repos_factory=Repos,
            bot_user_id=adapter.bot_user_id,
        )
        try:
            claimed = False
            if self.strict_dedupe and not tick:
                if not await deliveries.claim(ctx.session, event.delivery, event.at):
                    return self._duplicate(handled)
                claimed = True
            if not tick:
                rows.append(self.row(event, str(event.kind), "", event.user_id, event_detail(event, config)))
            for feature in self.features:
                if feature.kinds is not None and event.kind not in feature.kinds:
                    continue
                try:
                    produced = await self._run_feature(feature, event, ctx)
                except Exception as exc:
                    self.metrics.errors.labels(feature.name).inc()
                    message = f"{feature.name} raised {type(exc).__name__}: {exc}"
                    handled.errors.append(message)
                    log.exception(
                        "handler_failed", feature=feature.name, delivery=event.delivery, kind=str(event.kind)
                    )
                    rows.append(self.row(event, "error", message, event.user_id, {"feature": feature.name}))
                    continue
                if self._collect(event, feature, produced, handled, rows):
                    break
            session = ctx.opened
            wrote_state = session is not None and wrote(session)
            if wrote_state or claimed or (tick and (rows or handled.actions)):
                # Effects and the delivery claim commit together; a tick another instance (or an earlier
                # run) already claimed is rolled back with everything it did, and its actions dropped.
                session = ctx.session
                if not claimed and not await deliveries.claim(session, event.delivery, event.at):
                    await session.rollback()
                    handled.actions, handled.records = [], []
                    return self._duplicate(handled)
                # Rows still queued from earlier events go first, so the log stays in event order.
                pending_rows, pending_deliveries = self.writer.take()
                try:
                    await self.writer.write(session, [*pending_rows, *rows], pending_deliveries)
                    if self.outbox is not None:
                        # the state is committed now and the replies after it: keep them until tried
                        kept = self.outbox.rows(event.chat, handled.actions, event.at)
                        await self.outbox.keep(session, kept)
                    await session.commit()
                except Exception:
                    self.writer.give_back(pending_rows, pending_deliveries)
                    raise
            else:
                # Nothing written (a tick that found nothing due needs no claim: running it again is
                # harmless): the decision rows and the delivery id go with the batched writes.
                self.writer.add(rows)
                if not tick:
                    self.writer.add_delivery(event.delivery, event.at)
        except Exception:
            if not tick:
                self.recent.forget(event.delivery)  # not handled: a redelivery may try again
            raise
        finally:
            if ctx.opened is not None:
                await ctx.opened.close()
        self.metrics.latency.observe(time.perf_counter() - started)
        self.metrics.events.labels(event.chat.platform, str(event.kind)).inc()
        handled.outcomes = await self.executor.execute(
            handled.actions,
            config,
            adapter,
            records=handled.records,
            chat=event.chat,
            config_for=self.config.for_chat,
            texts={event.message_id: event.text} if event.message_id and event.text else {},
        )
        self.writer.add([self._outcome_row(event, outcome) for outcome in handled.outcomes])
        if kept and self.outbox is not None:
            self.outbox.tried(kept)
        self._count(event, handled)
        return handled

    def _count(self, event: Event, handled: Handled) -> None:
        """Dashboard figures: decisions by kind, scheduled runs by job, platform calls that failed."""
        if event.kind == EventKind.TICK:
            self.metrics.scheduler_runs.labels(str(event.data)).inc()
        for record in handled.records:
            self.metrics.decisions.labels(record.kind).inc()
        for outcome in handled.outcomes:
            name = action_name(outcome.action)
            self.metrics.actions.labels(name, outcome.status).inc()
            if outcome.status == "failed":  # the platform refused or the call failed
                self.metrics.platform_errors.labels(event.chat.platform, name).inc()

    def _duplicate(self, handled: Handled) -> Handled:
        handled.duplicate = True
        self.metrics.duplicates.labels(handled.event.chat.platform).inc()
        log.info("duplicate_delivery", delivery=handled.event.delivery)
        return handled

    @staticmethod
    async def _run_feature(feature: Feature, event: Event, ctx: Context) -> list[Action]:
        """A failing handler's writes are undone without undoing the others': a savepoint where earlier
        handlers already wrote, a plain rollback where they only read or did nothing (no round trips)."""
        session = ctx.opened
        if session is not None and session.in_transaction() and wrote(session):
            async with session.begin_nested():
                return await feature.handle(event, ctx)
        try:
            return await feature.handle(event, ctx)
        except Exception:
            if ctx.opened is not None:
                await ctx.opened.rollback()
            raise

    def _collect(
        self, event: Event, feature: Feature, produced: list[Action], handled: Handled, rows: list[LogRow]
    ) -> bool:
        stop = False
        for action in produced:
            if isinstance(action, Stop):
                stop = True
                handled.stopped_by = feature.name
                rows.append(self.row(event, "stop", action.reason, event.user_id, {"feature": feature.name}))
            elif isinstance(action, Record):
                handled.records.append(action)
                detail = {"feature": feature.name, **action.detail}
                rows.append(self.row(event, action.kind, action.reason, action.user_id, detail))
            elif isinstance(action, GroupActivity):
                handled.actions.append(action)  # no platform effect: the app reacts to it
                rows.append(self.row(event, action.kind, action.reason, None, {"feature": feature.name}))
            else:
                handled.actions.append(action)
        return stop

    def _outcome_row(self, event: Event, outcome: Outcome) -> LogRow:
        target = outcome.detail.get("target")
        return self.row(
            event,
            outcome.kind,
            getattr(outcome.action, "reason", ""),
            str(target) if target is not None else event.user_id,
            {
                "outcome": outcome.status,
                **outcome.detail,
                **({"sent_id": outcome.message_id} if outcome.message_id else {}),
            },
        )
