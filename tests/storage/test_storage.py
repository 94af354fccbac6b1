"""The storage layer on SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from bot.config import ConfigStore, parse_rules
from handlers.contract.capabilities import Capabilities
from handlers.contract.events import Chat, Event, EventKind, User
from handlers.feature import Context, Repos
from handlers.tracking import Tracking
from storage import migrate
from storage.db import Database, normalize_url
from storage.models import Base
from storage.models.core import Delivery, Member, PointsEntry
from storage.repos import deliveries, events
from storage.repos.events import LogRow
from storage.repos.members import MemberRepo
from storage.repos.points import NotEnoughPoints, PointsRepo
from storage.sql import insert_ignore_many

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_normalize_url() -> None:
    assert normalize_url("data/q.db") == "sqlite+aiosqlite:///data/q.db"
    assert normalize_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"
    assert normalize_url("postgresql://u@h/db").startswith("postgresql+asyncpg://u@h/db")


def _diff(connection: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


async def test_migrations_match_the_models(db: Database) -> None:
    assert await migrate.is_current(db)
    async with db.engine.connect() as connection:
        diff = await connection.run_sync(_diff)
    assert diff == [], f"models and migrations differ; add a migration: {diff}"


async def test_upgrade_is_idempotent(db: Database) -> None:
    await migrate.upgrade(db)
    assert await migrate.is_current(db)


async def test_delivery_is_claimed_once(db: Database) -> None:
    async with db.session() as session:
        assert await deliveries.claim(session, "tg:update:1", T0)
        assert not await deliveries.claim(session, "tg:update:1", T0)
        await session.commit()
    async with db.session() as session:
        assert not await deliveries.claim(session, "tg:update:1", T0 + timedelta(seconds=1))
        await insert_ignore_many(
            session,
            Delivery.__table__,
            [{"delivery": "tg:update:1", "seen_at": T0}, {"delivery": "b", "seen_at": T0}],
            ("delivery",),
        )
        await session.commit()
        assert await deliveries.forget_before(session, T0 + timedelta(days=1)) == 2


async def test_event_log_round_trip_keeps_utc_and_json(db: Database) -> None:
    rows = [
        LogRow(
            T0 + timedelta(minutes=i),
            "tg",
            "tg:group:-1",
            "message",
            "",
            str(i),
            {"length": i, "名字": "小王"},
        )
        for i in range(5)
    ]
    async with db.session() as session:
        await events.append(session, rows)
        await session.commit()
    async with db.session() as session:
        got = [row async for row in events.iter_rows(session, since=T0 + timedelta(minutes=2), chunk=2)]
        assert [r.user_id for r in got] == ["2", "3", "4"]
        assert got[0].ts == T0 + timedelta(minutes=2) and got[0].ts.tzinfo is not None
        assert got[0].detail == {"length": 2, "名字": "小王"}
        assert await events.count_by_kind(session) == {"message": 5}
        assert await events.count(session, "message", "tg:group:-1", user_id="3") == 1


async def test_members_join_leave_rejoin(db: Database) -> None:
    async with db.session() as session:
        repo = MemberRepo(session)
        member, rejoined = await repo.joined("g", "u1", "小王", T0)
        assert not rejoined and member.joined_at == T0
        await repo.left("g", "u1", T0 + timedelta(days=1))
        await session.commit()
    async with db.session() as session:
        repo = MemberRepo(session)
        assert await repo.count_present("g") == 0
        member, rejoined = await repo.joined("g", "u1", "小王2", T0 + timedelta(days=2))
        assert rejoined and member.left_at is None and member.display_name == "小王2"
        spoke = await repo.spoke("g", "u1", "小王2", T0 + timedelta(days=2, hours=1))
        assert spoke.message_count == 1
        await session.commit()
        assert await repo.count_present("g") == 1


async def test_erase_user_pseudonymises_log(db: Database) -> None:
    async with db.session() as session:
        await events.append(session, [LogRow(T0, "tg", "g", "message", "", "u1", {"name": "小王"})])
        await session.commit()
    async with db.session() as session:
        assert await events.erase_user(session, "u1", "erased:x") == 1
        await session.commit()
        rows = [r async for r in events.iter_rows(session)]
        assert rows[0].user_id == "erased:x" and rows[0].detail == {}


async def _counted(db: Database, group: str, user: str, times: list[datetime], name: str = "A") -> Tracking:
    """A Tracking feature that has buffered messages of ``user`` at ``times`` (nothing written yet)."""
    tracking = Tracking()
    chat = Chat("console", group.rsplit(":", 1)[-1], "group", "g")
    tracking._known_groups.add(chat.key)  # the group row is not what this test is about
    for i, at in enumerate(times):
        ctx = Context(
            chat, ConfigStore(parse_rules("")).for_chat(chat.key), db.sessions, Capabilities(), at, Repos
        )
        event = Event(EventKind.MESSAGE, chat, at, f"d{i}", User(user, name), message_id=str(i), text="hi")
        await tracking.handle(event, ctx)
    return tracking


async def _create_via_flush(db: Database, group: str, user: str) -> None:
    """The batched counter flush meeting a member it has not stored yet."""
    tracking = await _counted(db, group, user, [T0])
    async with db.session() as session:
        await tracking.flush(session)
        await session.commit()


async def _create_via_event(db: Database, group: str, user: str) -> None:
    """An event's transaction (a join, a check-in) meeting a member it has not stored yet."""
    async with db.session() as session:
        await MemberRepo(session).ensure(group, user, "A", T0)
        await session.commit()


@pytest.mark.parametrize("second", [_create_via_event, _create_via_flush], ids=["event", "flush"])
async def test_a_member_created_by_two_transactions_at_once_is_one_row(
    db: Database, second: Callable[[Database, str, str], Awaitable[None]]
) -> None:
    """An event's transaction and the batched counter flush may both meet a new member. On PostgreSQL the
    second INSERT waits for the first transaction and must then do nothing, not fail."""
    group, user = "console:group:race", "u1"
    async with db.session() as first:
        await MemberRepo(first).ensure(group, user, "A", T0)  # inserted, not yet committed
        racer = asyncio.create_task(second(db, group, user))
        await asyncio.sleep(0.2)  # the racer is now waiting on the first transaction
        await first.commit()
    await asyncio.wait_for(racer, 10)
    async with db.session() as session:
        stmt = select(func.count()).select_from(Member).where(Member.user_id == user)
        assert await session.scalar(stmt) == 1


async def _award(db: Database, group: str, user: str, delta: int) -> None:
    async with db.session() as session:
        await PointsRepo(session).change(group, user, delta, "race", "test", T0)
        await session.commit()


async def test_two_transactions_changing_one_balance_at_once_both_count(db: Database) -> None:
    """Two instances awarding points to one member at the same moment: on PostgreSQL the second UPDATE
    waits for the first transaction and must then add to the committed balance, not overwrite it."""
    group, user = "console:group:points", "u1"
    await _award(db, group, user, 1)  # the member exists before the race
    async with db.session() as first:
        assert await PointsRepo(first).change(group, user, 5, "first", "test", T0) == 6
        racer = asyncio.create_task(_award(db, group, user, 7))
        await asyncio.sleep(0.2)  # the racer is now waiting on the first transaction
        await first.commit()
    await asyncio.wait_for(racer, 10)
    async with db.session() as session:
        assert await PointsRepo(session).balance(group, user) == 13
        balances = await session.scalars(select(PointsEntry.balance).where(PointsEntry.user_id == user))
        assert sorted(balances) == [1, 6, 13]


async def test_points_change_keeps_the_loaded_member_current(db: Database) -> None:
    """A member row already loaded in the transaction sees the new balance; spending more than the balance
    changes nothing and says how much there was."""
    group = "console:group:points"
    async with db.session() as session:
        repo = PointsRepo(session)
        assert (
            await repo.change(group, "new", 10, "first points of a member not stored yet", "test", T0) == 10
        )
        member = await MemberRepo(session).get(group, "new")
        assert member is not None and member.points == 10
        assert await repo.change(group, "new", -4, "spend", "test", T0) == 6
        assert member.points == 6
        with pytest.raises(NotEnoughPoints) as refused:
            await repo.change(group, "new", -7, "too much", "test", T0)
        assert (refused.value.balance, refused.value.needed) == (6, 7)
        assert await repo.change(group, "new", -7, "admin correction", "test", T0, allow_negative=True) == -1
        await session.commit()
    async with db.session() as session:
        history = await PointsRepo(session).history(group, "new")
        assert [(e.delta, e.balance) for e in reversed(history)] == [(10, 10), (-4, 6), (-7, -1)]


async def test_two_instances_flushing_counters_of_one_member_at_once_both_count(db: Database) -> None:
    """Each instance buffers its own messages; on PostgreSQL the second flush waits for the first and must
    add to the committed count, not write back the count it would have read before."""
    group, user = "console:group:count", "u1"
    first = await _counted(db, group, user, [T0 + timedelta(minutes=m) for m in (1, 2, 3)], name="早")
    second = await _counted(db, group, user, [T0, T0 + timedelta(minutes=9)], name="晚")
    async with db.session() as setup:  # the member is known (and has spoken) before the race
        await MemberRepo(setup).spoke(group, user, "A", T0 - timedelta(days=1))
        await setup.commit()
    async with db.session() as session:
        await first.flush(session)  # updated, not yet committed

        async def flush_second() -> None:
            async with db.session() as other:
                await second.flush(other)
                await other.commit()

        racer = asyncio.create_task(flush_second())
        await asyncio.sleep(0.2)  # the racer is now waiting on the first transaction
        await session.commit()
    await asyncio.wait_for(racer, 10)
    async with db.session() as session:
        member = await MemberRepo(session).get(group, user)
    assert member is not None and member.message_count == 1 + 3 + 2
    assert member.first_message_at == T0 - timedelta(days=1)  # kept: it is older than both buffers
    assert member.last_message_at == member.last_seen_at == T0 + timedelta(minutes=9)  # the latest wins
    assert member.display_name == "晚"


async def test_counter_flush_keeps_a_newer_time_and_a_known_name(db: Database) -> None:
    """A buffer holding older messages (a slow instance) does not move the last-message time back, and a
    platform that gave no name does not blank the stored one."""
    group, user = "console:group:count", "u2"
    async with db.session() as setup:
        await MemberRepo(setup).spoke(group, user, "小王", T0 + timedelta(hours=1))
        await setup.commit()
    late = await _counted(db, group, user, [T0], name="")
    async with db.session() as session:
        await late.flush(session)
        await session.commit()
    async with db.session() as session:
        member = await MemberRepo(session).get(group, user)
    assert member is not None and member.message_count == 2
    assert member.last_message_at == T0 + timedelta(hours=1) and member.display_name == "小王"


async def test_points_change_reports_the_stored_balance_not_a_stale_copy(db: Database) -> None:
    """A member object read before another transaction changed the balance: the change and the refusal both
    go by the stored balance, and the object is brought up to date."""
    group = "console:group:points"
    await _award(db, group, "m", 10)
    async with db.session() as session:
        member = await MemberRepo(session).get(group, "m")
        assert member is not None and member.points == 10
        await session.commit()  # the object keeps the values it was read with
        await _award(db, group, "m", 5)  # another transaction: 15 stored
        assert await PointsRepo(session).change(group, "m", 1, "one more", "test", T0) == 16
        assert member.points == 16
        await session.commit()
        await _award(db, group, "m", -10)  # 6 stored, the object still says 16
        with pytest.raises(NotEnoughPoints) as refused:
            await PointsRepo(session).change(group, "m", -10, "spend", "test", T0)
        assert refused.value.balance == 6
        assert await PointsRepo(session).balance(group, "m") == 6
