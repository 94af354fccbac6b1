"""Keeps WeCom's group welcome template in step with the rules: at start and after every reload.

Lives in ``bot/`` (not the adapter) because it reads the welcome feature's config and text, which the
platform package may not import."""

from __future__ import annotations

import asyncio

import structlog

from bot.app import App
from bot.config import Rules
from bot.platforms.base import PlatformError
from bot.platforms.wecom.adapter import WecomAdapter
from handlers.welcome.platform_template import platform_template

log = structlog.get_logger(__name__)

NICKNAME = "%NICKNAME%"  # WeCom fills in the newcomer's name
DEFAULTS_KEY = "wecom:group:"  # no group of that name: the [defaults] everyone without an override gets


async def sync_welcome(app: App) -> str | None:
    adapter = app.adapters.get("wecom")
    if not isinstance(adapter, WecomAdapter):
        return None
    config = app.config.for_chat(DEFAULTS_KEY)
    if not config.welcome.enabled:
        return None
    try:
        return await adapter.sync_welcome(platform_template(config, NICKNAME))
    except PlatformError as exc:
        log.warning("wecom_welcome_not_synced", error=str(exc))
        return None


def attach(app: App) -> None:
    """Sync again whenever the rules file is reloaded."""
    tasks: set[asyncio.Task[str | None]] = set()

    def changed(_rules: Rules) -> None:
        task = asyncio.get_running_loop().create_task(sync_welcome(app))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    app.config.on_change(changed)
