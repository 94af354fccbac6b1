"""Redemption stock: how many of each catalogue item were redeemed; taking one is a conditional UPDATE, so
two instances cannot both take the last one.

Never commits (``bot/`` commits once per event).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.rhythm import RedeemStock
from storage.sql import insert_ignore


class StockRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def take(self, group_key: str, item: str, stock: int) -> bool:
        """Take one of ``stock`` (from the catalogue); False when none is left. The conditional UPDATE is
        atomic on both databases."""
        await insert_ignore(
            self.session,
            RedeemStock.__table__,
            {"group_key": group_key, "item": item, "redeemed": 0},
            conflict=("group_key", "item"),
        )
        result = await self.session.execute(
            update(RedeemStock)
            .where(
                RedeemStock.group_key == group_key,
                RedeemStock.item == item,
                RedeemStock.redeemed < stock,
            )
            .values(redeemed=RedeemStock.redeemed + 1)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0) == 1

    async def redeemed(self, group_key: str) -> dict[str, int]:
        """Items redeemed so far in the group, by catalogue key."""
        rows = await self.session.execute(
            select(RedeemStock.item, RedeemStock.redeemed).where(RedeemStock.group_key == group_key)
        )
        return {item: int(n) for item, n in rows.all()}
