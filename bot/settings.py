"""Process settings and secrets, from the environment (``QUNBOT_`` prefix, ``__`` nesting) or ``.env``.

Secrets never come from the rules TOML, which operators share and commit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class HttpSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = 8080
    # The read-only dashboard at /admin/ is off unless this is set (send it as a Bearer token or log in).
    admin_token: SecretStr | None = None


class BackupSettings(BaseModel):
    dir: Path | None = None  # daily copies of the SQLite database go here; unset: no daily backup
    at: str = "03:30"  # when, as a schedule ("03:30", "cron: 30 3 * * *") in ``timezone``
    timezone: str = "Asia/Shanghai"
    keep: int = 7  # newest copies kept


class TelegramSettings(BaseModel):
    token: SecretStr | None = None
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str | None = None  # file downloads (QR codes); default: base_url with /bot → /file/bot
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None  # public URL Telegram posts to; the route is /telegram/webhook
    webhook_secret: SecretStr | None = None  # required in webhook mode
    poll_timeout: int = 30


class WecomSettings(BaseModel):
    """The self-built app (客户联系 rights for customer groups), its callback, group robots and 智能机器人."""

    corp_id: str | None = None
    secret: SecretStr | None = None  # the app's Secret
    agent_id: str | None = None
    token: SecretStr | None = None  # callback Token
    aes_key: SecretStr | None = None  # callback EncodingAESKey
    api_base: str = "https://qyapi.weixin.qq.com/cgi-bin/"  # every call uses it, gettoken included
    appchats: list[str] = []  # chat ids of groups the app created (appchat): send and remove
    robots: dict[str, SecretStr] = {}  # internal group chat id → group-robot webhook key (send-only)
    robot_per_minute: int = 20  # WeCom's limit per group robot
    admins: list[str] = []  # user ids told about escalations where a group has no owner on record
    reconcile_every_s: int = 600  # customer groups are re-read this often (lost callbacks)
    aibot_token: SecretStr | None = None  # 智能机器人 callback Token (route /wecom/aibot)
    aibot_aes_key: SecretStr | None = None  # 智能机器人 callback EncodingAESKey
    aibot_chats: list[str] = []  # chats where the 智能机器人 is a member (it sees @-messages there)
    # Message sources (会话内容存档 records fed by the company's own archive puller): see README.
    archive_spool: Path | None = None  # a JSON-lines file the puller appends to
    archive_poll_s: float = 2.0  # how often the spool is read
    archive_secret: SecretStr | None = None  # enables POST /wecom/archive (Authorization: Bearer <secret>)
    archive_source: str | None = None  # "package.module:factory": a company's own MessageSource
    archive_chats: list[str] = []  # the groups the source covers (empty: every group)


class LogSettings(BaseModel):
    level: str = "INFO"
    format: Literal["auto", "json", "console"] = "auto"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="QUNBOT_",
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    database_url: str = "sqlite+aiosqlite:///qunbot.db"
    config: Path = Path("rules.toml")
    dry_run: bool = False  # decide and log everything, carry out nothing
    # Several instances that may receive the same delivery: claim each one in the database first.
    strict_dedupe: bool = False
    # A model trained for this deployment (`qunbot train-detector` writes one next to the database);
    # unset: the model shipped with qunbot.
    ads_model: Path | None = None
    event_log_batch: int = 200  # rows per event-log flush
    event_log_flush_ms: int = 200
    http: HttpSettings = HttpSettings()
    backup: BackupSettings = BackupSettings()
    telegram: TelegramSettings = TelegramSettings()
    wecom: WecomSettings = WecomSettings()
    log: LogSettings = LogSettings()
