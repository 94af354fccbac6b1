"""wechatpy's work client, made safe for an async, multi-instance bot.

- Every call, ``gettoken`` included, goes to ``api_base`` (wechatpy's own token fetch hard-codes the
  official host, so a test server or a proxy would be bypassed).
- The access_token lives in storage: one instance fetches it, the others read it; a token WeCom rejects
  (40014 / 42001 / 40001) is dropped only if it is still the stored one, fetched again, and the call is
  retried once (tenacity).
- wechatpy is synchronous (requests): calls run in a thread (``asyncio.to_thread``).
- Every errcode becomes one log line (``wecom_api_error``) with what it usually means, and a
  ``WecomError`` (a ``PlatformError``) for the caller.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import structlog
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt
from wechatpy.exceptions import WeChatClientException
from wechatpy.work import WeChatClient

from bot.platforms.base import PlatformError
from storage.db import Database
from storage.repos import wecom as repo

log = structlog.get_logger(__name__)

T = TypeVar("T")

TOKEN_REJECTED = frozenset({40001, 40014, 42001})  # invalid credential / invalid token / expired token
HINTS = {
    40001: "invalid credential: check QUNBOT_WECOM__SECRET",
    40013: "invalid corp id: check QUNBOT_WECOM__CORP_ID",
    40014: "invalid access_token (refreshed and retried)",
    42001: "access_token expired (refreshed and retried)",
    40003: "invalid user id",
    40050: "chat id not found (or not created by this app)",
    45009: "API call frequency limit reached",
    48002: "the app lacks this API right: enable it in the admin console",
    60011: "no privilege: the user or group is outside the app's visible range",
    84061: "the customer-contact (客户联系) right is not granted to this app",
    86003: "group chat not found",
    93000: "invalid group-robot webhook key",
}
MARGIN = timedelta(seconds=60)  # a token this close to expiry is fetched again


class WecomError(PlatformError):
    """WeCom answered with an errcode (or the call failed); ``errcode`` is None for network errors."""

    def __init__(self, method: str, errcode: int | None, errmsg: str) -> None:
        hint = HINTS.get(errcode or 0, "")
        super().__init__(f"wecom {method}: errcode {errcode} {errmsg}" + (f" ({hint})" if hint else ""))
        self.method = method
        self.errcode = errcode


class BaseUrlClient(WeChatClient):  # type: ignore[misc]  # wechatpy has no type hints
    """wechatpy's ``WeChatClient`` with the base URL on every call and the token handed in from outside."""

    def __init__(self, corp_id: str, secret: str, api_base: str, timeout: float = 10.0) -> None:
        super().__init__(corp_id, secret, timeout=timeout, auto_retry=False)
        self.API_BASE_URL = api_base if api_base.endswith("/") else api_base + "/"
        self.token = ""

    def fetch_access_token(self) -> dict[str, Any]:
        result: dict[str, Any] = self._fetch_access_token(
            url=f"{self.API_BASE_URL}gettoken", params={"corpid": self.corp_id, "corpsecret": self.secret}
        )
        return result

    @property
    def access_token(self) -> str:
        return self.token


def _token_rejected(exc: BaseException) -> bool:
    return isinstance(exc, WecomError) and exc.errcode in TOKEN_REJECTED


def failure(method: str, exc: Exception) -> WecomError:
    """One log line for a failed call (its errcode and what that usually means), and the error to raise."""
    errcode: int | None = getattr(exc, "errcode", None)
    errmsg = str(getattr(exc, "errmsg", None) or exc)
    log.warning(
        "wecom_api_error", method=method, errcode=errcode, errmsg=errmsg, hint=HINTS.get(errcode or 0, "")
    )
    return WecomError(method, errcode, errmsg)


class WecomApi:
    """Async face of the client: ``await api.call("appchat/send", lambda c: c.appchat.send_text(...))``."""

    def __init__(
        self,
        corp_id: str,
        secret: str,
        agent_id: str,
        api_base: str,
        db: Database,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.client = BaseUrlClient(corp_id, secret, api_base)
        self.db = db
        self.now = now
        self.key = f"{corp_id}:{agent_id}"
        self._expires = datetime.min.replace(tzinfo=UTC)
        self._lock = asyncio.Lock()
        self.token_fetches = 0

    async def call(self, method: str, fn: Callable[[BaseUrlClient], T]) -> T:
        async for attempt in AsyncRetrying(
            stop=stop_after_attempt(2), retry=retry_if_exception(_token_rejected), reraise=True
        ):
            with attempt:
                token = await self._token()
                try:
                    return await asyncio.to_thread(fn, self.client)
                except (WeChatClientException, OSError) as exc:  # requests' errors are OSErrors
                    error = failure(method, exc)
                    if error.errcode in TOKEN_REJECTED:
                        await self._drop(token)
                    raise error from exc
        raise AssertionError("unreachable")  # pragma: no cover - reraise=True re-raises the last error

    async def _token(self) -> str:
        """The shared token, fetched (once, under a lock) when neither memory nor storage has a good one."""
        if self.client.token and self._expires - MARGIN > self.now():
            return self.client.token
        async with self._lock:
            if self.client.token and self._expires - MARGIN > self.now():
                return self.client.token
            async with self.db.session() as session:
                stored = await repo.valid_token(session, self.key, self.now() + MARGIN)
            if stored is None:
                stored = await self._fetch()
            self.client.token, self._expires = stored
            return self.client.token

    async def _fetch(self) -> tuple[str, datetime]:
        try:
            result = await asyncio.to_thread(self.client.fetch_access_token)
        except (WeChatClientException, OSError) as exc:
            raise failure("gettoken", exc) from exc
        self.token_fetches += 1
        token = str(result["access_token"])
        expires = self.now() + timedelta(seconds=int(result.get("expires_in", 7200)))
        async with self.db.session() as session:
            await repo.save_token(session, self.key, token, expires)
            await session.commit()
        log.info("wecom_token_fetched", expires_at=expires.isoformat())
        return token, expires

    async def _drop(self, token: str) -> None:
        async with self._lock:
            if self.client.token == token:
                self.client.token = ""
            async with self.db.session() as session:
                await repo.drop_token(session, self.key, token)
                await session.commit()
