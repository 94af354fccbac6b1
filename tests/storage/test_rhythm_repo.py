"""The rhythm repositories (topics, check-ins, profiles, badges, stock, activity) on SQLite and PostgreSQL:
unique keys, conditional stock updates, activity sums; reached through ``Repos`` as handlers reach them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from storage.db import Database
from storage.repos.facade import Repos
from tests.handlers.rhythm_support import rhythm_features
from tests.support import SimFactory

T0 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
DAY = date(2026, 3, 2)
G = "tg:group:-100"


async def test_topics_are_recorded_once_per_run_and_read_per_day(db: Database) -> None:
    async with db.session() as session:
        assert await Repos(session).topics.for_day(G, DAY) is None
        evening = T0 + timedelta(hours=12)
        assert await Repos(session).topics.record(
            G, "topics.calendar.share", DAY, evening, evening, "晚间", "t"
        )
        assert await Repos(session).topics.record(G, "topics.daily", DAY, T0, T0, "早安话题", "t")
        assert not await Repos(session).topics.record(G, "topics.daily", DAY, T0, T0, "again", "t")
        await session.commit()
    async with db.session() as session:
        assert await Repos(session).topics.for_day(G, DAY) == "早安话题"
        assert await Repos(session).topics.for_day("tg:group:-200", DAY) is None
        assert await Repos(session).topics.posted_on(G, "topics.daily", DAY)
        assert not await Repos(session).topics.posted_on(G, "topics.daily", DAY + timedelta(days=1))
        assert await Repos(session).topics.rotation(G, "daily") == (0, set(), None)
        assert await Repos(session).topics.use(G, "daily", 0, "k1", T0)
        assert not await Repos(session).topics.use(G, "daily", 0, "k1", T0)
        assert await Repos(session).topics.use(G, "daily", 1, "k1", T0)
        assert await Repos(session).topics.rotation(G, "daily") == (1, {"k1"}, "k1")


async def test_one_checkin_per_day_and_ranks(db: Database) -> None:
    async with db.session() as session:
        assert await Repos(session).checkins.add(G, "a", DAY, T0)
        assert not await Repos(session).checkins.add(G, "a", DAY, T0 + timedelta(hours=1))
        assert await Repos(session).checkins.add(G, "b", DAY, T0 + timedelta(hours=2))
        assert await Repos(session).checkins.add(G, "b", DAY + timedelta(days=1), T0 + timedelta(days=1))
        await session.commit()
    async with db.session() as session:
        assert await Repos(session).checkins.rank(G, "b", DAY) == 2
        assert await Repos(session).checkins.rank(G, "c", DAY) == 0
        assert await Repos(session).checkins.counts(G, DAY, DAY + timedelta(days=1)) == [("b", 2), ("a", 1)]


async def test_stock_never_goes_below_zero_and_badges_are_once(db: Database) -> None:
    async with db.session() as session:
        assert await Repos(session).stock.take(G, "book", 2)
        assert await Repos(session).stock.take(G, "book", 2)
        assert not await Repos(session).stock.take(G, "book", 2)
        assert not await Repos(session).stock.take(G, "none", 0)
        await session.commit()
    async with db.session() as session:
        assert await Repos(session).stock.redeemed(G) == {"book": 2, "none": 0}
        assert await Repos(session).stock.take(G, "book", 3)  # the TOML raised the stock: restocked
        assert await Repos(session).badges.award(G, "a", "honours.star.2026-03-08", "活跃之星", T0)
        assert not await Repos(session).badges.award(G, "a", "honours.star.2026-03-08", "活跃之星", T0)
        assert await Repos(session).badges.award(G, "a", "honours.star.2026-03-15", "活跃之星", T0)
        assert await Repos(session).badges.award(G, "a", "checkin.streak.21", "21天打卡挑战", T0)
        await session.commit()
        assert await Repos(session).badges.of(G, "a") == [("活跃之星", 2), ("21天打卡挑战", 1)]


async def test_profiles_and_activity(db: Database) -> None:
    async with db.session() as session:
        profile = await Repos(session).profiles.get_or_create(G, "a")
        assert (profile.streak, profile.remind) == (0, True)
        profile.streak = 3
        assert (await Repos(session).profiles.get_or_create(G, "a")).streak == 3
        await Repos(session).activity.add({(G, "a", DAY): 2, (G, "b", DAY): 1})
        await Repos(session).activity.add({(G, "a", DAY): 3, (G, "a", DAY + timedelta(days=8)): 1})
        await session.commit()
    async with db.session() as session:
        assert await Repos(session).activity.interactions(G, DAY, DAY + timedelta(days=6)) == {"a": 5, "b": 1}
        assert [p.user_id for p in await Repos(session).profiles.in_group(G)] == ["a"]


async def test_check_in_and_redeem_end_to_end_on_each_database(db_url: str, make_sim: SimFactory) -> None:
    """``db_url`` first: its reset must come after the app (and its last flush) is closed."""
    rules = """
[defaults.checkin]
remind_at = ""
[[defaults.points.items]]
id = "pin"
name = "徽章"
cost = 5
stock = 1
"""
    sim = await make_sim(rules, db_url=db_url, features=rhythm_features())
    sim.add_user("a", "上海-产品-小王")
    await sim.say("a", "打卡")
    await sim.say("a", "打卡")
    await sim.say("a", "/redeem pin")
    await sim.say("a", "/redeem pin")
    assert [t.split("！")[0].split("：")[0] for t in sim.adapter.sent_texts()] == [
        "✅ 上海-产品-小王 打卡成功",
        "上海-产品-小王 今天已经打过卡啦（第 1 位），已连续 1 天，明天再来～",
        "🎉 上海-产品-小王 兑换成功",
        "积分不足",
    ]
