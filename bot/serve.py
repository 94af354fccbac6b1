"""``qunbot run``: start the HTTP server, the adapters and the scheduler; reload config on SIGHUP or
file change (a bad file is reported and the last good config stays); stop cleanly on SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from pathlib import Path

import structlog
from watchfiles import awatch

from bot import backups, heap
from bot.app import App
from bot.config import ConfigStore
from bot.http import HttpServer
from bot.metrics import Metrics
from bot.platforms.registry import build_adapters
from bot.settings import Settings
from storage.db import Database

log = structlog.get_logger(__name__)
# A dead peer's actions being carried out when SIGTERM comes: this long, within docker stop's 10 s.
PEER_SWEEP_GRACE_SECONDS = 3.0


def _is(path: str, target: Path) -> bool:
    return Path(path).resolve() == target


async def watch_config(config: ConfigStore, target: Path) -> None:
    """Reload when the file changes (editors often replace it, so the folder is watched)."""
    async for changes in awatch(target.parent, recursive=False):
        if any(_is(changed, target) for _, changed in changes):
            await config.reload_async()


async def start_adapters(app: App) -> None:
    """Start each adapter, with the features' commands for its command menu. The bot's own user id is
    not copied here: the pipeline asks the adapter for it at every event (it may be learned later)."""
    commands = [spec for feature in app.features for spec in feature.commands]
    for adapter in app.adapters.values():
        adapter.set_commands(commands)
        await adapter.start(app.dispatch)


async def serve(settings: Settings, config: ConfigStore, db_url: str) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    reloads: set[asyncio.Task[object]] = set()

    def reload_on_signal() -> None:
        task: asyncio.Task[object] = loop.create_task(config.reload_async())
        reloads.add(task)  # keep a reference until it is done
        task.add_done_callback(reloads.discard)

    loop.add_signal_handler(signal.SIGHUP, reload_on_signal)

    metrics = Metrics()
    app: App | None = None

    async def healthy() -> bool:
        return app is not None and await app.healthy()

    http = HttpServer(settings.http.host, settings.http.port, metrics, healthy)
    db = Database(db_url)
    adapters = build_adapters(settings, http, db)  # adapters may add webhook routes before the server starts
    app = App(settings, config, db, adapters, metrics=metrics)
    token = settings.http.admin_token
    if token is not None and token.get_secret_value().strip():
        # Only with an admin token: nothing of the dashboard and its report pages is loaded otherwise.
        from bot import dashboard

        dashboard.mount(token.get_secret_value(), app.db, config, http)
    watcher: asyncio.Task[None] | None = None
    backup_task: asyncio.Task[None] | None = None
    peers: asyncio.Task[None] | None = None
    try:
        await app.open()
        await http.start()
        await app.scheduler.start()
        await start_adapters(app)
        await app.resume()  # replies a stopped process decided but never sent
        if "wecom" in adapters:
            from bot import wecom_welcome

            await wecom_welcome.sync_welcome(app)
            wecom_welcome.attach(app)
        if config.path is not None:
            watcher = loop.create_task(watch_config(config, config.path.resolve()))
        b = settings.backup
        daily = backups.from_settings(b.dir, b.at, b.timezone, b.keep, app.db.url)
        backup_task = loop.create_task(daily.run(stop)) if daily is not None else None
        peers = loop.create_task(app.watch_peers(stop))  # a dead peer's replies, on PostgreSQL
        heap.settle()  # everything start-up built lives as long as the process: out of every collection
        log.info("running", platforms=sorted(adapters), http=f"{settings.http.host}:{http.port}")
        await stop.wait()
    finally:
        log.info("stopping")
        stop.set()
        if backup_task is not None:
            await backup_task  # returns at once when idle; lets a copy in progress finish
        if peers is not None:  # returns once ``stop`` is set; a sweep in progress gets a few seconds
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(peers, timeout=PEER_SWEEP_GRACE_SECONDS)
        if watcher is not None:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
        await app.close()
        await http.stop()
