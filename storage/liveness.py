"""Which qunbot processes are still running, so a process can take over the work a gone one left (its
outbox). On PostgreSQL each process holds a session-level advisory lock on its own id for its lifetime:
the lock goes with the connection when the process dies, so another process that can take the lock knows
its owner is gone. A SQLite database has one process (``qunbot run``) at a time: any other owner is gone.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database


def lock_key(owner: str) -> int:
    """A signed 64-bit advisory-lock key for ``owner`` (qunbot's own keys come from its names)."""
    return int.from_bytes(hashlib.sha256(f"qunbot-process:{owner}".encode()).digest()[:8], "big", signed=True)


class Liveness:
    def __init__(self, db: Database, owner: str) -> None:
        self.db = db
        self.owner = owner
        self._held: AsyncConnection | None = None

    @property
    def shared(self) -> bool:
        """Several processes may share this database (PostgreSQL)."""
        return self.db.dialect == "postgresql"

    async def start(self) -> None:
        if self.shared and self._held is None:
            connection = await self.db.engine.connect()
            await connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": lock_key(self.owner)})
            await connection.commit()  # a session-level lock outlives the transaction
            self._held = connection

    async def alive(self, owner: str) -> bool:
        if owner == self.owner:
            return True
        if not self.shared:
            return False
        async with self.db.engine.connect() as connection:
            key = lock_key(owner)
            got = await connection.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": key})
            if got:
                await connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            await connection.commit()
            return not got

    async def stop(self) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            try:
                await held.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key(self.owner)})
                await held.commit()
            finally:
                # out of the pool for good: a pooled connection would keep the session (and a lock) open
                await held.invalidate()
                await held.close()
