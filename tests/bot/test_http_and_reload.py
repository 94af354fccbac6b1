"""The process's HTTP server and config reload on file change."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from bot.config import ConfigStore
from bot.http import HttpServer
from bot.metrics import Metrics
from bot.serve import watch_config


async def test_healthz_and_metrics() -> None:
    metrics = Metrics()
    metrics.events.labels("console", "message").inc()
    healthy = True

    async def check() -> bool:
        return healthy

    server = HttpServer("127.0.0.1", 0, metrics, check)
    await server.start()
    try:
        async with aiohttp.ClientSession() as client:
            async with client.get(f"http://127.0.0.1:{server.port}/healthz") as response:
                assert response.status == 200 and (await response.json())["status"] == "ok"
            async with client.get(f"http://127.0.0.1:{server.port}/metrics") as response:
                body = await response.text()
                assert 'qunbot_events_total{kind="message",platform="console"} 1.0' in body
                assert "qunbot_decision_seconds_bucket" in body
            healthy = False
            async with client.get(f"http://127.0.0.1:{server.port}/healthz") as response:
                assert response.status == 503
    finally:
        await server.stop()


async def test_config_reloads_on_file_change_and_keeps_last_good(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[defaults]\nlanguage = "zh"\n', encoding="utf-8")
    store = ConfigStore.from_file(path)
    changed = asyncio.Event()
    store.on_change(lambda _rules: changed.set())
    watcher = asyncio.create_task(watch_config(store, path.resolve()))
    try:
        await asyncio.sleep(0.3)  # let the watcher start
        path.write_text('[defaults]\nlanguage = "en"\n', encoding="utf-8")
        await asyncio.wait_for(changed.wait(), timeout=20)
        assert store.for_chat("tg:group:-1").language == "en"
        path.write_text('[defaults]\nlanguage = "xx"\n', encoding="utf-8")
        for _ in range(200):
            if store.last_errors:
                break
            await asyncio.sleep(0.1)
        assert store.last_errors and store.last_errors[0].line == 2
        assert store.for_chat("tg:group:-1").language == "en"
    finally:
        watcher.cancel()
