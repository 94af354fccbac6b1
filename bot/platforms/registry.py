"""Which adapters ``qunbot run`` starts, from the settings (a platform runs when its secrets are set)."""

from __future__ import annotations

from bot.http import HttpServer
from bot.platforms.base import Adapter, NoPlatform
from bot.settings import Settings


def build_adapters(settings: Settings, http: HttpServer) -> dict[str, Adapter]:
    adapters: dict[str, Adapter] = {}
    if settings.telegram.token is not None and settings.telegram.token.get_secret_value():  # empty = unset
        from bot.platforms.telegram.adapter import TelegramAdapter

        adapters["tg"] = TelegramAdapter(settings.telegram, http)
    if not adapters:
        raise NoPlatform(
            "no platform configured: set QUNBOT_TELEGRAM__TOKEN (or run `qunbot demo` to try it)"
        )
    return adapters
