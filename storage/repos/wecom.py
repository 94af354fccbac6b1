"""The WeCom adapter's shared state: the access token and the reconciled customer-group rosters."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.wecom import WecomGroup, WecomRosterEntry, WecomState, WecomToken
from storage.sql import dialect_insert


async def valid_token(session: AsyncSession, key: str, now: datetime) -> tuple[str, datetime] | None:
    """The stored token and its expiry when it is still good at ``now`` (callers add a safety margin)."""
    row = await session.get(WecomToken, key)
    return (row.token, row.expires_at) if row is not None and row.expires_at > now else None


async def save_token(session: AsyncSession, key: str, token: str, expires_at: datetime) -> None:
    stmt = dialect_insert(session, WecomToken.__table__).values(key=key, token=token, expires_at=expires_at)
    stmt = stmt.on_conflict_do_update(index_elements=["key"], set_={"token": token, "expires_at": expires_at})
    await session.execute(stmt)


async def drop_token(session: AsyncSession, key: str, token: str) -> None:
    """Forget ``token`` only if it is still the stored one: another instance may already have a new one."""
    await session.execute(delete(WecomToken).where(WecomToken.key == key, WecomToken.token == token))


async def group(session: AsyncSession, chat_id: str) -> WecomGroup | None:
    return await session.get(WecomGroup, chat_id)


async def roster(session: AsyncSession, chat_id: str) -> dict[str, str]:
    """user id → name, as the bot last reconciled the group."""
    rows = await session.scalars(select(WecomRosterEntry).where(WecomRosterEntry.chat_id == chat_id))
    return {row.user_id: row.name for row in rows}


async def save_group(
    session: AsyncSession,
    chat_id: str,
    member_version: str,
    owner: str,
    name: str,
    members: Mapping[str, str],
) -> None:
    """Replace what is known of the group with what the API returned."""
    values = {"chat_id": chat_id, "member_version": member_version, "owner": owner, "name": name}
    stmt = dialect_insert(session, WecomGroup.__table__).values(**values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["chat_id"], set_={"member_version": member_version, "owner": owner, "name": name}
        )
    )
    await session.execute(delete(WecomRosterEntry).where(WecomRosterEntry.chat_id == chat_id))
    if members:
        await session.execute(
            dialect_insert(session, WecomRosterEntry.__table__),
            [{"chat_id": chat_id, "user_id": uid, "name": name} for uid, name in members.items()],
        )


async def state(session: AsyncSession, key: str) -> str | None:
    row = await session.get(WecomState, key)
    return row.value if row is not None else None


async def set_state(session: AsyncSession, key: str, value: str) -> None:
    stmt = dialect_insert(session, WecomState.__table__).values(key=key, value=value)
    await session.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


async def drop_state(session: AsyncSession, key: str) -> None:
    row = await session.get(WecomState, key)
    if row is not None:
        await session.delete(row)
