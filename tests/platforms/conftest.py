"""Telegram tests: a real ``App`` with the real ``TelegramAdapter`` (python-telegram-bot underneath),
talking to the fake Bot API server in ``fake_bot_api.py`` on loopback."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import pytest
import structlog
from pydantic import SecretStr
from structlog.testing import LogCapture
from telegram.ext import BaseRateLimiter

from bot.app import App
from bot.config import ConfigStore, parse_rules
from bot.http import HttpServer
from bot.metrics import Metrics
from bot.pipeline import Handled
from bot.platforms.telegram.adapter import TelegramAdapter
from bot.serve import start_adapters
from bot.settings import Settings, TelegramSettings
from handlers.contract.actions import (
    Action,
    Ban,
    Button,
    CreateInviteLink,
    Delete,
    Mute,
    Record,
    Remove,
    Send,
    SendPrivate,
    Unban,
    Unmute,
)
from handlers.contract.events import Event, EventKind
from handlers.feature import CommandSpec, Context, Feature, Phase
from handlers.tracking import Tracking
from storage.db import Database
from storage.models.core import EventLogRow
from storage.repos.events import iter_rows
from tests.platforms.fake_bot_api import FakeBotApi


@dataclass
class Tg:
    fake: FakeBotApi
    app: App
    adapter: TelegramAdapter
    http: HttpServer
    handled: list[Handled] = field(default_factory=list)
    closed: bool = False

    async def close(self) -> None:
        if not self.closed:
            self.closed = True
            await self.app.close()
            await self.http.stop()

    async def log_rows(self, kinds: list[str] | None = None) -> list[EventLogRow]:
        await self.app.writer.flush()
        async with self.app.db.session() as session:
            return [row async for row in iter_rows(session, kinds=kinds)]

    def events(self, kind: EventKind | None = None) -> list[Event]:
        return [h.event for h in self.handled if not h.duplicate and (kind is None or h.event.kind == kind)]

    async def wait_handled(self, count: int, within_s: float = 10.0) -> None:
        await self.fake.wait_for(lambda: len(self.handled) >= count, within_s)


TgFactory = Callable[..., Awaitable[Tg]]
Logs = list[MutableMapping[str, Any]]


# ------------------------------------------------------------------------------- test features
# Small stand-ins that act like the real welcome / ads / check-in features, so the adapter is tested
# through the real pipeline and executor even where a feature is still being written.


class Greeter(Feature):
    name = "test_greeter"
    phase = Phase.MEMBERSHIP

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind == EventKind.MEMBER_JOINED and event.user is not None:
            return [Send(event.chat, f"欢迎 {event.user.name}！", reason="test welcome", purpose="welcome")]
        return []


class AdCop(Feature):
    """Any link or QR code is an ad: delete + public warning; the third strike removes the member."""

    name = "test_adcop"
    phase = Phase.MODERATION

    def __init__(self) -> None:
        self.strikes: dict[tuple[str, str], int] = {}

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind != EventKind.MESSAGE or event.user is None or event.user.is_admin:
            return []
        if not (event.urls or event.qr_texts) or event.message_id is None:
            return []
        key = (event.chat.key, event.user.id)
        self.strikes[key] = count = self.strikes.get(key, 0) + 1
        actions: list[Action] = [
            Delete(event.chat, event.message_id, reason="ad"),
            Send(
                event.chat,
                f"{event.user.mention} 请勿发广告（第 {count} 次）",
                "ad warning",
                purpose="moderation",
            ),
        ]
        if count >= 3:
            actions.append(Remove(event.chat, event.user, reason="third strike"))
        return actions


class CheckinReply(Feature):
    name = "test_checkin"
    phase = Phase.FEATURES
    commands = (
        CommandSpec("checkin", "每日打卡", "Daily check-in"),
        CommandSpec("warn", "警告成员", "Warn a member", admin=True),
    )

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind == EventKind.COMMAND and event.command == "checkin" and event.user is not None:
            return [Send(event.chat, f"✅ {event.user.name} 打卡成功", "check-in", reply_to=event.message_id)]
        if event.kind == EventKind.COMMAND and event.command == "dm" and event.user is not None:
            return [SendPrivate(event.chat, event.user, "你的问卷 / your questionnaire", "questionnaire")]
        if event.kind == EventKind.COMMAND and event.command == "menu":
            long_data = "/tasks " + "x" * 100
            return [Send(event.chat, "菜单", "menu", buttons=(Button("任务", data=long_data),))]
        if event.kind == EventKind.COMMAND and event.command == "tools" and event.user is not None:
            target = event.user
            return [
                Send(event.chat, "置顶公告", "announcement", pin=True),
                CreateInviteLink(event.chat, target, "你的专属邀请链接：{link}", "referral link"),
                Mute(event.chat, target, ctx.now + timedelta(seconds=5), "flood"),
                Unmute(event.chat, target, "mute over"),
                Ban(event.chat, target, "banned"),
                Unban(event.chat, target, "pardoned"),
            ]
        if event.kind == EventKind.BUTTON_PRESSED:
            return [Record(event.chat, "pressed", "button", event.user_id, {"data": event.data})]
        return []


def stand_in_features() -> list[Feature]:
    return [Tracking(), AdCop(), Greeter(), CheckinReply()]


# ------------------------------------------------------------------------------- fixtures


@pytest.fixture
def logs() -> Iterator[Logs]:
    """Structured log entries at every level, whatever another test configured (``qunbot demo`` sets the
    level to ERROR); the previous configuration is restored afterwards."""
    capture = LogCapture()
    previous = structlog.get_config()
    structlog.configure(
        processors=[capture],
        wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG),
        cache_logger_on_first_use=False,
    )
    try:
        yield capture.entries
    finally:
        structlog.configure(**previous)


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def tg(tmp_path: Path) -> AsyncIterator[TgFactory]:
    """``await tg(fake, rules=..., features=..., mode=..., db=...)``: a running App on Telegram."""
    made: list[Tg] = []

    async def factory(
        fake: FakeBotApi,
        rules: str = "",
        features: list[Feature] | None = None,
        mode: Literal["polling", "webhook"] = "polling",
        db: Path | None = None,
        start: bool = True,
        limiter: BaseRateLimiter[int] | None = None,
        **telegram: Any,
    ) -> Tg:
        settings = Settings(
            telegram=TelegramSettings(
                token=SecretStr(fake.token),
                base_url=fake.base_url,
                mode=mode,
                poll_timeout=1,
                **(
                    {"webhook_url": "http://127.0.0.1/", "webhook_secret": SecretStr("s3cret-Token_1")}
                    if mode == "webhook"
                    else {}
                ),
                **telegram,
            )
        )
        metrics = Metrics()
        http = HttpServer("127.0.0.1", 0, metrics, _always_healthy)
        adapter = TelegramAdapter(
            settings.telegram, http, limiter=limiter, backoff_max_s=0.2, admin_ttl_s=600
        )
        app = App(
            settings,
            ConfigStore(parse_rules(rules)),
            Database(str(db or tmp_path / f"tg{len(made)}.db")),
            {"tg": adapter},
            features=features if features is not None else stand_in_features(),
            metrics=metrics,
        )
        harness = Tg(fake, app, adapter, http)
        app.listeners.append(harness.handled.append)
        await app.open()
        await http.start()
        if mode == "webhook" and "webhook_url" not in telegram:  # the port is known only now
            settings.telegram.webhook_url = f"http://127.0.0.1:{http.port}/telegram/webhook"
        made.append(harness)
        if start:
            await start_adapters(app)
        return harness

    yield factory
    for harness in made:
        await harness.close()


async def _always_healthy() -> bool:
    return True
