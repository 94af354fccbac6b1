"""Moderation storage on SQLite and PostgreSQL: strikes counted in a window, once per source; pardons;
sanctions; reports; nickname deadlines; ad samples; finding a member by @username."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.db import Database
from storage.repos.ad_samples import HAM, SPAM, add_sample, feedback_samples
from storage.repos.members import MemberRepo
from storage.repos.moderation import NicknameRepo, ReportRepo, SanctionRepo, members_by_id
from storage.repos.strikes import StrikeRepo

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
G = "tg:group:-100"
WINDOW = timedelta(days=30)


async def test_strikes_are_counted_within_the_window_by_weight(db: Database) -> None:
    async with db.session() as session:
        repo = StrikeRepo(session)
        assert await repo.add(G, "u1", "ad", "发布广告", "ad:1", T0)
        assert await repo.add(G, "u1", "abuse", "人身攻击", "warn:2", T0 + timedelta(days=10), weight=2)
        assert await repo.add(G, "u2", "ad", "发布广告", "ad:3", T0)  # another member
        assert await repo.add("tg:group:-200", "u1", "ad", "发布广告", "ad:1", T0)  # another group
        await session.commit()
    async with db.session() as session:
        repo = StrikeRepo(session)
        now = T0 + timedelta(days=11)
        assert await repo.count_within(G, "u1", now - WINDOW) == 3
        later = T0 + timedelta(days=31)  # the first strike has expired
        assert await repo.count_within(G, "u1", later - WINDOW) == 2
        assert [s.category for s in await repo.active(G, "u1", later - WINDOW)] == ["abuse"]
        assert await repo.count_within(G, "u1", T0 + timedelta(days=41) - WINDOW) == 0


async def test_a_source_is_counted_once(db: Database) -> None:
    async with db.session() as session:
        repo = StrikeRepo(session)
        assert await repo.add(G, "u1", "ad", "发布广告", "ad:1001", T0)
        assert not await repo.add(G, "u1", "ad", "发布广告", "ad:1001", T0 + timedelta(seconds=5))
        await session.commit()
        assert await repo.count_within(G, "u1", T0 - WINDOW) == 1


async def test_observed_strikes_are_kept_apart(db: Database) -> None:
    async with db.session() as session:
        repo = StrikeRepo(session)
        await repo.add(G, "u1", "ad", "发布广告", "ad:1", T0, observed=True)
        await repo.add(G, "u1", "ad", "发布广告", "ad:2", T0)
        await session.commit()
        assert await repo.count_within(G, "u1", T0 - WINDOW, observed=True) == 1
        assert await repo.count_within(G, "u1", T0 - WINDOW) == 1


async def test_pardon_latest_source_and_all(db: Database) -> None:
    async with db.session() as session:
        repo = StrikeRepo(session)
        for i in range(4):
            await repo.add(G, "u1", "ad", f"第 {i} 次", f"ad:{i}", T0 + timedelta(minutes=i))
        await session.commit()
        since = T0 - WINDOW
        latest = await repo.pardon_latest(G, "u1", since, T0 + timedelta(hours=1), by="admin")
        assert latest is not None and latest.reason == "第 3 次" and latest.pardoned_by == "admin"
        assert await repo.pardon_source(G, "u1", "ad:0", T0, "admin")
        assert not await repo.pardon_source(G, "u1", "ad:0", T0, "admin")  # already pardoned
        await session.commit()
        assert await repo.count_within(G, "u1", since) == 2
        assert await repo.pardon_all(G, "u1", T0 + timedelta(hours=2), "admin") == 2
        await session.commit()
        assert await repo.count_within(G, "u1", since) == 0
        assert await repo.pardon_latest(G, "u1", since, T0, "admin") is None


async def test_sanctions_lift_only_what_is_in_force(db: Database) -> None:
    async with db.session() as session:
        repo = SanctionRepo(session)
        repo.add(G, "u1", "remove", "第 3 次违规", T0)
        repo.add(G, "u1", "mute", "刷屏", T0, actor="admin", until=T0 + timedelta(hours=1))
        repo.add(G, "u1", "mute", "刷屏", T0 - timedelta(days=1), until=T0 - timedelta(hours=20))  # over
        await session.commit()
        assert [s.kind for s in await repo.open(G, "u1", T0)] == ["remove", "mute"]
        lifted = await repo.lift_open(G, "u1", T0 + timedelta(minutes=5), "admin")
        assert sorted(s.kind for s in lifted) == ["mute", "remove"]
        await session.commit()
        assert list(await repo.open(G, "u1", T0)) == []


async def test_reports_are_one_per_reporter_and_message(db: Database) -> None:
    async with db.session() as session:
        repo = ReportRepo(session)
        assert await repo.add(G, "m1", "r1", "spammer", T0)
        assert not await repo.add(G, "m1", "r1", "spammer", T0)
        assert await repo.add(G, "m1", "r2", "spammer", T0)
        assert await repo.add(G, "m2", "r1", "spammer", T0)
        await session.commit()
        assert await repo.reporters(G, "m1") == 2


async def test_nickname_deadlines(db: Database) -> None:
    async with db.session() as session:
        repo = NicknameRepo(session)
        deadline = T0 + timedelta(hours=24)
        assert await repo.open(G, "u1", "小王", "xw", T0, deadline, T0 + timedelta(hours=8))
        assert not await repo.open(G, "u1", "王", "xw", T0 + timedelta(hours=1), deadline, deadline)
        await repo.open(G, "u2", "李", None, T0, T0 + timedelta(hours=2), T0 + timedelta(hours=2))
        await session.commit()
        assert list(await repo.due(G, T0 + timedelta(hours=1))) == []
        assert [p.user_id for p in await repo.due(G, T0 + timedelta(hours=8))] == ["u2", "u1"]
        pending = await repo.get(G, "u1")
        assert pending is not None and pending.name == "小王" and pending.deadline_at == deadline
        assert await repo.close(G, "u1")
        assert not await repo.close(G, "u1")
        await session.commit()
        assert await repo.get(G, "u1") is None


async def test_feedback_samples_for_retraining(db: Database) -> None:
    async with db.session() as session:
        await add_sample(session, G, SPAM, "加微信 abc123 领资料", "admin", T0)
        await add_sample(
            session, G, HAM, "周三晚上的分享会链接发群公告了", "admin", T0 + timedelta(minutes=1)
        )
        await add_sample(session, G, SPAM, "   ", "admin", T0 + timedelta(minutes=2))  # nothing to learn from
        await session.commit()
        assert await feedback_samples(session) == [
            (1, "加微信 abc123 领资料"),
            (0, "周三晚上的分享会链接发群公告了"),
        ]


async def test_members_a_handle_may_name(db: Database) -> None:
    async with db.session() as session:
        members = MemberRepo(session)
        await members.joined(G, "u1", "上海-互联网-小王", T0, username="XiaoWang")
        await members.joined(G, "u2", "北京-金融-老李", T0)
        await members.joined(G, "u3", "xiaowang", T0)
        await session.commit()
        assert {m.user_id for m in await members.named(G, "xiaowang")} == {"u1", "u3"}
        assert [m.user_id for m in await members.named(G, "北京-金融-老李")] == ["u2"]
        assert [m.user_id for m in await members.named(G, "u2")] == ["u2"]
        assert await members.named(G, "北京") == []  # whole names only
        assert await members.named(G, "nobody") == []
        assert await members.named("tg:group:-200", "xiaowang") == []
        assert set(await members_by_id(session, G, ["u1", "u2", "u9"])) == {"u1", "u2"}
