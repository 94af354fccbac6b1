"""Onboarding repositories on SQLite and PostgreSQL: memberships and rejoins, once-only rows, the
batched first-words update, referral counts and the leaderboard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.db import Database
from storage.repos.members import MemberRepo
from storage.repos.onboarding import MilestoneRepo, NewcomerRepo, ReferralRepo

T0 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
G = "tg:group:-100"


async def test_a_join_is_new_once_and_a_rejoin_starts_over_but_keeps_done_tasks(db: Database) -> None:
    async with db.session() as session:
        await MemberRepo(session).joined(G, "u1", "小王", T0)
        repo = NewcomerRepo(session)
        row, new = await repo.joined(G, "u1", T0, referrer_id="u9")
        assert new and row.referrer_id == "u9" and row.questions == [] and row.reminders_sent == 0
        row.welcomed_at, row.due_at = T0, T0 + timedelta(hours=72)
        again, new = await repo.joined(G, "u1", T0 + timedelta(minutes=5))  # redelivered / late report
        assert not new and again.welcomed_at == T0
        assert await repo.mark_done(G, "u1", "rules", T0, "button")
        assert not await repo.mark_done(G, "u1", "rules", T0 + timedelta(hours=1), "command")
        await session.commit()
    async with db.session() as session:
        repo = NewcomerRepo(session)
        await repo.left(G, "u1", T0 + timedelta(days=1))
        row, new = await repo.joined(G, "u1", T0 + timedelta(days=2))
        assert new and row.welcomed_at is None and row.due_at is None and row.left_at is None
        assert row.joined_at == T0 + timedelta(days=2) and row.referrer_id == "u9"
        assert await repo.done(G, "u1") == {"rules": T0}
        await session.commit()


async def test_answers_are_kept_once_unless_replaced(db: Database) -> None:
    async with db.session() as session:
        repo = NewcomerRepo(session)
        assert await repo.answer(G, "u1", "problem", "需求优先级", T0)
        assert not await repo.answer(G, "u1", "problem", "别的", T0)
        await repo.update_answer(G, "u1", "problem", "需求管理", T0 + timedelta(hours=1))
        await session.commit()
    async with db.session() as session:
        assert await NewcomerRepo(session).answers(G, "u1") == {"problem": "需求管理"}


async def test_first_words_are_written_in_one_batch_and_silent_ones_found(db: Database) -> None:
    async with db.session() as session:
        for uid in ("u1", "u2", "u3"):
            await MemberRepo(session).joined(G, uid, uid, T0)
            await NewcomerRepo(session).joined(G, uid, T0)
        await session.commit()
    async with db.session() as session:
        await NewcomerRepo(session).mark_spoke([(G, "u1", T0 + timedelta(hours=1)), (G, "nobody", T0)])
        await session.commit()
    async with db.session() as session:
        repo = NewcomerRepo(session)
        silent = await repo.silent(G, T0 - timedelta(days=1), T0 + timedelta(days=3))
        assert [row.user_id for row, _ in silent] == ["u2", "u3"]
        assert sorted(await repo.watched_silent(G, T0 - timedelta(days=1))) == [("u2", T0), ("u3", T0)]
        assert [row.user_id for row, _ in await repo.unwelcomed(G, T0)] == ["u1", "u2", "u3"]
        assert await repo.unwelcomed(G, T0 + timedelta(seconds=1)) == []


async def test_referral_counts_leaderboard_and_rewards(db: Database) -> None:
    async with db.session() as session:
        members = MemberRepo(session)
        for i, referrer in enumerate(["a", "a", "b", "a", "b", "c"]):
            member, _ = await members.joined(G, f"n{i}", f"n{i}", T0 + timedelta(minutes=i))
            member.invited_by = referrer
        await members.left(G, "n0", T0 + timedelta(hours=1))
        await session.commit()
    async with db.session() as session:
        repo = ReferralRepo(session)
        assert await repo.count(G, "a", present_only=False) == 3
        assert await repo.count(G, "a", present_only=True) == 2
        assert await repo.leaderboard(G, 3, present_only=False) == [("a", 3), ("b", 2), ("c", 1)]
        assert await repo.leaderboard(G, 2, present_only=True) == [("a", 2), ("b", 2)]
        assert await repo.reward(G, "a", 3, 50, T0)
        assert not await repo.reward(G, "a", 3, 50, T0)
        assert await repo.rewarded(G, "a") == {3}
        await session.commit()


async def test_milestones_are_marked_once(db: Database) -> None:
    async with db.session() as session:
        repo = MilestoneRepo(session)
        assert await repo.mark(G, "u1", "1m", T0)
        assert not await repo.mark(G, "u1", "1m", T0)
        assert await repo.mark(G, "u1", "3m", T0)
        assert await repo.sent(G, ["u1", "u2"]) == {"u1": {"1m", "3m"}}
        await session.commit()
