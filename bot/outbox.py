"""The outbox: what an event decided is written with its commit and deleted once carried out, so a stop
between the two (SIGTERM while a group's replies wait on Telegram's limit, a crash) loses nothing: the
next process, or another one that sees this one gone, carries the rest out.

At least once: an action tried just before a crash may be tried again (a second delete of a deleted
message fails harmlessly); the deletions go with the batched writes (within ``event_log_flush_ms``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from bot.executor import Executor
from bot.outbox_codec import dumps, kept, loads
from bot.platforms.base import Adapter
from handlers.config import GroupConfig
from handlers.contract.actions import Action
from handlers.contract.events import Chat
from storage.db import Database
from storage.liveness import Liveness
from storage.repos import outbox as repo
from storage.repos.events import LogRow

log = structlog.get_logger(__name__)


class Outbox:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.owner = uuid.uuid4().hex
        self.liveness = Liveness(db, self.owner)
        self._tried: list[str] = []
        self._flushing: list[str] = []

    def rows(self, chat: Chat, actions: Sequence[Action], at: datetime) -> list[dict[str, object]]:
        """The rows for the actions worth keeping (platform effects), each with a fresh key."""
        return [
            {
                "key": uuid.uuid4().hex,
                "owner": self.owner,
                "group_key": chat.key,
                "action": dumps(a),
                "created_at": at,
            }
            for a in actions
            if kept(a)
        ]

    async def keep(self, session: AsyncSession, rows: Sequence[dict[str, object]]) -> None:
        """In the event's own transaction, committed with its state."""
        await repo.add(session, rows)

    def tried(self, rows: Sequence[dict[str, object]]) -> None:
        """The actions were carried out (or refused): their rows go with the next batched write."""
        self._tried.extend(str(r["key"]) for r in rows)

    async def flush(self, session: AsyncSession) -> None:
        self._flushing, self._tried = self._tried, []
        await repo.done(session, self._flushing)

    def flush_failed(self) -> None:
        self._tried[:0] = self._flushing
        self._flushing = []

    async def take_over(
        self,
        executor: Executor,
        adapters: dict[str, Adapter],
        config_for: Callable[[str], GroupConfig],
        log_rows: Callable[[list[LogRow]], None],
        now: datetime,
    ) -> int:
        """Carry out what processes that are gone left behind; how many actions."""
        async with self.db.session() as session:
            others = await repo.owners(session, self.owner)
        count = 0
        for owner in others:
            if await self.liveness.alive(owner):
                continue
            async with self.db.session() as session:
                rows = await repo.take(session, owner)
                await session.commit()
            for group_key, text, created_at in rows:
                try:
                    action = loads(text)
                except ValueError:
                    log.warning("outbox_row_unreadable", group=group_key)
                    continue
                adapter = adapters.get(Chat.from_key(group_key).platform)
                if adapter is None:
                    log.warning("outbox_no_platform", group=group_key)
                    continue
                [outcome] = (await executor.execute([action], config_for(group_key), adapter))[:1]
                target = outcome.detail.get("target")
                detail = {
                    "outcome": outcome.status,
                    **outcome.detail,
                    "resumed": True,
                    "decided_at": created_at,
                }
                row = LogRow(
                    now,
                    adapter.platform,
                    group_key,
                    outcome.kind,
                    getattr(action, "reason", ""),
                    str(target) if target is not None else None,
                    {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in detail.items()},
                )
                log_rows([row])
                log.info(
                    "outbox_resumed",
                    group=group_key,
                    action=type(action).__name__,
                    outcome=outcome.status,
                    decided_at=created_at.isoformat(),
                )
                count += 1
        if count:
            log.info("outbox_taken_over", actions=count)
        return count
