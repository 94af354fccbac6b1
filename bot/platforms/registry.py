"""Which adapters ``qunbot run`` starts, from the settings (a platform runs when its secrets are set)."""

from __future__ import annotations

from bot.http import HttpServer
from bot.platforms.base import Adapter, NoPlatform
from bot.settings import Settings
from storage.db import Database


def build_adapters(settings: Settings, http: HttpServer, db: Database | None = None) -> dict[str, Adapter]:
    adapters: dict[str, Adapter] = {}
    if settings.telegram.token is not None and settings.telegram.token.get_secret_value():  # empty = unset
        from bot.platforms.telegram.adapter import TelegramAdapter

        adapters["tg"] = TelegramAdapter(settings.telegram, http)
    if db is not None and settings.wecom.corp_id:
        from bot.platforms.wecom.adapter import WecomAdapter, configured

        if not configured(settings.wecom):
            raise NoPlatform(
                "WeCom half configured: set QUNBOT_WECOM__CORP_ID, __SECRET, __AGENT_ID, __TOKEN"
                " and __AES_KEY"
            )
        adapters["wecom"] = WecomAdapter(settings.wecom, http, db)
    if not adapters:
        raise NoPlatform(
            "no platform configured: set QUNBOT_TELEGRAM__TOKEN or the QUNBOT_WECOM__* settings"
            " (or run `qunbot demo` to try it)"
        )
    return adapters
