"""SQL statements one check-in costs through the whole pipeline (dedupe, every feature, executor, commit),
counted with a SQLAlchemy listener: the figure the speed issue (#18) sets at five or fewer. Not a timing:
a count, so the machine's load cannot move it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event, select

from bot.tools.simulator import Simulator
from storage.models.rhythm import RhythmProfile
from storage.repos.points import PointsRepo
from storage.repos.profiles import ProfileRepo
from tests.support import SimFactory

RULES = """
[defaults.checkin]
points = 5
"""


@contextmanager
def counted(sim: Simulator) -> Iterator[list[str]]:
    """Every statement sent to the database inside the block but the transaction's BEGIN."""
    statements: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        if not statement.startswith("BEGIN"):
            statements.append(statement)

    engine = sim.app.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", seen)


async def _sim(make_sim: SimFactory) -> Simulator:
    sim = await make_sim(RULES)
    sim.add_user("a", "上海-产品-小王")
    sim.add_user("b", "北京-运营-小李")
    for uid in ("a", "b"):  # members of long standing (no newcomer tasks), their first message behind them
        await sim.say(uid, "大家好，好久不见")
    await sim.app.writer.flush()
    return sim


def own(statements: list[str]) -> list[str]:
    """The check-in's own statements: without the pipeline's delivery claim, its event-log row and its
    outbox row (the reply kept until sent), which every state-changing event pays."""
    shared = ("INSERT INTO deliveries", "INSERT INTO event_log", "INSERT INTO outbox")
    return [s for s in statements if not s.startswith(shared)]


async def test_a_first_check_in_is_five_statements_and_eight_with_the_delivery_log_and_outbox(
    make_sim: SimFactory,
) -> None:
    sim = await _sim(make_sim)
    with counted(sim) as statements:
        await sim.say("a", "打卡")
    assert sim.adapter.sent_texts()[-1].startswith("✅ 上海-产品-小王 打卡成功！今天第 1 位")
    assert sim.adapter.sent_texts()[-1].endswith("+5 积分，当前 5 分")
    # the day's row, rank and profile together, the profile stored, the balance, the ledger
    assert len(own(statements)) <= 5, "\n".join(statements)
    assert len(statements) <= 8, "\n".join(statements)


async def test_the_next_days_check_in_costs_the_same_and_extends_the_streak(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    await sim.say("a", "打卡")
    await sim.advance(timedelta(days=1))
    with counted(sim) as statements:
        await sim.say("a", "打卡")
    assert "已连续打卡 2 天（最长 2 天），+5 积分，当前 10 分" in sim.adapter.sent_texts()[-1]
    async with sim.app.db.session() as session:
        assert (await ProfileRepo(session).get_or_create("console:group:g1", "a")).checkins == 2
    assert len(own(statements)) <= 5, "\n".join(statements)


async def test_a_repeated_check_in_the_same_day_reads_once_then_touches_no_table(
    make_sim: SimFactory,
) -> None:
    sim = await _sim(make_sim)
    await sim.say("b", "打卡")
    with counted(sim) as statements:
        await sim.say("b", "打卡")  # refused by the unique key: the row, rank and streak read together
    assert "今天已经打过卡啦（第 1 位），已连续 1 天" in sim.adapter.sent_texts()[-1]
    assert len(own(statements)) <= 2, "\n".join(statements)
    with counted(sim) as statements:
        await sim.say("b", "打卡")  # answered from what the database confirmed
    assert "今天已经打过卡啦（第 1 位），已连续 1 天" in sim.adapter.sent_texts()[-1]
    assert not own(statements), "\n".join(statements)


async def test_storing_a_streak_creates_the_profile_or_updates_it_keeping_the_reminder_choice(
    make_sim: SimFactory,
) -> None:
    sim = await _sim(make_sim)
    day = date(2026, 3, 2)
    async with sim.app.db.session() as session:
        repo = ProfileRepo(session)
        await repo.save_streak("console:group:g1", "new", 1, 1, day, 1)
        made = await repo.get_or_create("console:group:g1", "old")  # e.g. /remind off in another instance
        made.remind = False
        await session.commit()
        await repo.save_streak("console:group:g1", "old", 3, 7, day, 20)
        await session.commit()
    async with sim.app.db.session() as session:
        rows = (await session.scalars(select(RhythmProfile).order_by(RhythmProfile.user_id))).all()
        got = [(p.user_id, p.streak, p.best_streak, p.last_checkin, p.checkins, p.remind) for p in rows]
    assert got == [("new", 1, 1, day, 1, True), ("old", 3, 7, day, 20, False)]


async def test_a_member_whose_first_event_is_a_check_in_costs_the_same(make_sim: SimFactory) -> None:
    """Their row is not stored yet (a first message's is written in the next batch): the points upsert
    creates it with the balance, where an update that missed, an insert and the update again took three."""
    sim = await _sim(make_sim)
    sim.add_user("c", "杭州-设计-小陈")
    with counted(sim) as statements:
        await sim.say("c", "打卡")
    assert sim.adapter.sent_texts()[-1].endswith("+5 积分，当前 5 分")
    assert len(own(statements)) <= 5, "\n".join(statements)
    async with sim.app.db.session() as session:
        assert await PointsRepo(session).balance("console:group:g1", "c") == 5
