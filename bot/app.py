"""Wiring: one object that owns the database, config, features, pipeline, executor and scheduler.

Adapters are passed in, so the same ``App`` runs Telegram, WeCom and the console simulator.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from pathlib import Path

import structlog
from sqlalchemy import text

from bot import texts
from bot.clock import Clock, SystemClock
from bot.config import ConfigStore, Rules
from bot.eventlog import EventLogWriter
from bot.executor import Executor
from bot.metrics import Metrics
from bot.outbox import Outbox
from bot.pipeline import Handled, Pipeline
from bot.platforms.base import Adapter, PlatformError
from bot.scheduler import Scheduler
from bot.settings import Settings
from handlers.contract.actions import After, Emit, GroupActivity
from handlers.contract.events import Chat, Event
from handlers.contract.texts import render
from handlers.feature import Feature
from handlers.registry import build_features
from storage import migrate
from storage.db import Database
from storage.repos.groups import GroupRepo

log = structlog.get_logger(__name__)
# How often a process on a shared database looks for a dead peer's undone actions (its outbox rows).
PEER_SWEEP_SECONDS = 10.0


class App:
    def __init__(
        self,
        settings: Settings,
        config: ConfigStore,
        db: Database,
        adapters: Mapping[str, Adapter],
        clock: Clock | None = None,
        features: Sequence[Feature] | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.settings = settings
        self.config = config
        self.db = db
        self.adapters = dict(adapters)
        self.clock = clock or SystemClock()
        self.metrics = metrics or Metrics()
        self.features = list(features) if features is not None else build_features()
        if settings.ads_model is not None:
            use_trained_model(self.features, settings.ads_model)
        self.executor = Executor(dry_run=settings.dry_run)
        self.writer = EventLogWriter(db, settings.event_log_batch, settings.event_log_flush_ms)
        self.metrics.watch_write_queue(lambda: self.writer.pending)
        self.outbox = Outbox(db)
        self.pipeline = Pipeline(
            db,
            config,
            self.features,
            self.adapters,
            self.executor,
            self.writer,
            self.metrics,
            strict_dedupe=settings.strict_dedupe,
            outbox=self.outbox,
        )
        self.scheduler = Scheduler(self.dispatch, self.clock, config, self.features, self.known_chats)
        self._rebuilds: set[asyncio.Task[None]] = set()
        self.listeners: list[Callable[[Handled], None]] = []  # the simulator's transcript, tests
        config.on_change(self._config_changed)

    async def open(self) -> None:
        """Migrate the database and start the background writer."""
        await migrate.upgrade(self.db)
        await self.outbox.liveness.start()
        self.writer.add_flusher(self.outbox.flush, self.outbox.flush_failed)
        async with self.db.session() as session:
            await self.pipeline.recent.load(session, self.clock.now() - timedelta(hours=48))
        for feature in self.features:
            feature.warm()
            self.writer.add_flusher(feature.flush, feature.flush_failed)
        self.writer.start()

    async def close(self) -> None:
        await self.scheduler.stop()
        for adapter in self.adapters.values():
            await adapter.stop()
        await self.executor.close()
        await self.writer.close()
        await self.outbox.liveness.stop()
        await self.db.close()

    async def resume(self) -> int:
        """Once the adapters run: carry out what a stopped (or crashed) process decided but did not do."""
        return await self.outbox.take_over(
            self.executor, self.adapters, self.config.for_chat, self.writer.add, self.clock.now()
        )

    async def watch_peers(self, stop: asyncio.Event, every: float = PEER_SWEEP_SECONDS) -> None:
        """On a shared database (PostgreSQL, several instances): every ``every`` seconds, carry out what a
        peer that died (kill -9, a lost machine) decided but did not do, so its members are answered within
        seconds rather than at the next start. Rows go to one taker (DELETE … RETURNING); a live peer's rows
        are never taken (its advisory lock is held). On SQLite one process runs at a time: nothing to do."""
        if not self.outbox.liveness.shared:
            return
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=every)
            if stop.is_set():
                return
            try:
                await self.resume()
            except Exception:  # a database hiccup: try again next time
                log.exception("outbox_peer_sweep_failed")

    async def dispatch(self, event: Event) -> Handled | None:
        """Handle one event; an error is logged and counted, never raised into an adapter's loop."""
        try:
            handled = await self.pipeline.process(event)
        except Exception:
            self.metrics.errors.labels("pipeline").inc()
            log.exception("event_failed", delivery=event.delivery, kind=str(event.kind), group=event.chat.key)
            return None
        for listener in self.listeners:
            listener(handled)
        for action in handled.actions:
            if isinstance(action, After):  # a one-shot timer a feature asked for
                self.scheduler.once(action.chat, event.at + action.delay, action.data)
        if any(isinstance(action, GroupActivity) for action in handled.actions):
            await self.scheduler.rebuild()  # jobs follow the groups the bot is in
        for action in handled.actions:
            if isinstance(action, Emit):  # a follow-up (``member_verified``): after this event's effects
                await self.dispatch(action.event)
        return handled

    async def known_chats(self) -> list[Chat]:
        keys = {key for key in self.config.rules.groups if ":group:" in key}
        async with self.db.session() as session:
            keys |= {group.key for group in await GroupRepo(session).all() if group.active}
        chats = [Chat.from_key(key) for key in sorted(keys)]
        return [chat for chat in chats if chat.platform in self.adapters]

    def _config_changed(self, rules: Rules) -> None:
        for job in (self.scheduler.rebuild(), self._announce_reload(rules)):
            task = asyncio.get_running_loop().create_task(job)
            self._rebuilds.add(task)
            task.add_done_callback(self._rebuilds.discard)

    async def _announce_reload(self, rules: Rules) -> None:
        """A reload is an action of the bot's too: one line in each log chat that takes action lines."""
        told: set[str] = set()
        for config in (rules.defaults, *rules.groups.values()):
            if not config.log_chat or not config.log_actions or config.log_chat in told:
                continue
            told.add(config.log_chat)
            chat = Chat.from_key(config.log_chat)
            adapter = self.adapters.get(chat.platform)
            if adapter is None:
                continue
            text = render(texts.LOG_CONFIG_RELOADED, config.language, file=Path(rules.source).name)
            try:
                await adapter.send(chat, text)
            except PlatformError as exc:
                log.warning("config_reload_not_logged", chat=chat.key, error=str(exc))

    async def healthy(self) -> bool:
        try:
            async with self.db.session() as session:
                await session.execute(text("SELECT 1"))
        except Exception:
            return False
        return True


def use_trained_model(features: list[Feature], path: Path) -> None:
    """Give the ad feature the deployment's own model. A model file that cannot be read stops the start
    (``ModelFileError``) rather than running quietly on a different model than the operator chose."""
    from handlers.ads.handler import Ads
    from handlers.ads.model_io import load_model

    model = load_model(path)
    for feature in features:
        if isinstance(feature, Ads):
            feature.replace_model(model)
    log.info("ads_model_loaded", path=str(path), features=len(model.weights))
