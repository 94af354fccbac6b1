"""Polls, 精华 and silent members end to end on the console platform with the fake clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import func, select

from bot.tools.simulator import Simulator
from handlers.contract.capabilities import EVERYTHING, Capabilities
from handlers.essence.handler import EssenceFeature
from handlers.points.handler import Points
from handlers.polls.handler import Polls
from handlers.silence.handler import Silence
from handlers.tracking import Tracking
from storage.models.engagement import Essence, PollVote
from storage.repos.points import PointsRepo
from tests.support import SimFactory, log_rows

RULES = """
[defaults.topics]
enabled = false
[defaults.honours]
enabled = false
[defaults.polls]
default_hours = 2
[defaults.essence]
points = 10
[defaults.stats]
silent_days = 30
[defaults.silence]
enabled = true
report_at = "cron: 0 10 1 * *"
cleanup = true
grace_days = 7
cleanup_check = "10:30"
"""


async def _sim(make_sim: SimFactory, caps: Capabilities = EVERYTHING) -> Simulator:
    features = [Tracking(), Polls(), EssenceFeature(), Points(), Silence()]
    sim = await make_sim(RULES, caps=caps, features=features)
    sim.add_user("admin", "运营-阿May", admin=True)
    sim.add_user("a", "上海-产品-小王", username="xw")
    sim.add_user("b", "北京-运营-小李")
    for uid in ("admin", "a", "b"):
        await sim.join(uid)
    return sim


def poll_buttons(sim: Simulator) -> list[str]:
    return [button.data for button in sim.adapter.ops("send")[-1].buttons]


async def test_a_poll_collects_one_vote_per_member_and_posts_results_once(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    await sim.say("admin", "/poll 周六活动去哪 | 爬山 | 看展")
    assert "📊 投票：周六活动去哪" in sim.adapter.sent_texts()[-1]
    hike, show = poll_buttons(sim)
    assert (hike, show) == ("/vote 1 1", "/vote 1 2")

    await sim.press("a", hike)
    await sim.press("a", hike)  # the same again: nothing changes
    await sim.press("a", show)  # changed their mind
    await sim.redeliver()  # a retried delivery
    await sim.press("b", show)
    await sim.say("admin", "/vote 1 1")  # typed, as on a platform without buttons
    async with sim.app.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(PollVote)) == 3

    await sim.advance(timedelta(hours=2, minutes=10))
    results = [t for t in sim.adapter.sent_texts() if t.startswith("📊 投票结束")]
    assert len(results) == 1
    assert "看展 ▓▓▓▓▓▓▓░░░ 2 (67%)" in results[0] and "共 3 人投票" in results[0]
    assert "结果：看展" in results[0]
    assert "小王" not in results[0]  # anonymous by default

    await sim.press("b", hike)  # too late
    kinds = [
        row.kind
        for row in await log_rows(
            sim, ["poll.opened", "poll.voted", "poll.vote_changed", "poll.vote_late", "poll.closed"]
        )
    ]
    assert kinds == [
        "poll.opened",
        "poll.voted",
        "poll.vote_changed",
        "poll.voted",
        "poll.voted",
        "poll.closed",
        "poll.vote_late",
    ]
    await sim.advance(timedelta(hours=1))
    assert len([t for t in sim.adapter.sent_texts() if t.startswith("📊 投票结束")]) == 1


async def test_public_polls_name_the_voters_and_members_cannot_open_polls(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    await sim.say("a", "/poll 午饭 | 面 | 饭")
    assert sim.adapter.sent_texts()[-1] == "只有管理员可以发起投票。"
    await sim.say("admin", "/poll 午饭 | 面")
    assert sim.adapter.sent_texts()[-1].startswith("用法：/poll")
    await sim.say("admin", "/poll 实名 25m 午饭 | 面 | 饭")  # closes at 00:25; checked at 00:20 and 00:30
    noodles, rice = poll_buttons(sim)
    await sim.press("a", noodles)
    await sim.advance(timedelta(minutes=26))
    await sim.press("b", rice)  # after the closing time, before the check: too late all the same
    await sim.advance(timedelta(minutes=14))
    result = sim.adapter.sent_texts()[-1]
    assert "面：上海-产品-小王" in result and "结果：面" in result and "共 1 人投票" in result
    assert [row.user_id for row in await log_rows(sim, ["poll.vote_late"])] == ["b"]


async def test_without_buttons_the_poll_shows_the_commands_to_send(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim, caps=Capabilities(can_send=True, buttons=False))
    await sim.say("admin", "/poll 周六 | 爬山 | 看展")
    text = sim.adapter.sent_texts()[-1]
    assert "发送 /vote 1 1" in text and "发送 /vote 1 2" in text
    await sim.say("a", "/vote 1 2")
    kinds = [row.kind for row in await log_rows(sim, ["poll.voted"])]
    assert kinds == ["poll.voted"]


async def test_an_admin_keeps_a_post_as_essence_and_members_search_it(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    await sim.say("a", "分享一个 Excel 技巧：用 XLOOKUP 代替 VLOOKUP，反向查找也行", label="tip")
    await sim.say("b", "/精华", reply_to="tip")  # a member cannot
    assert sim.adapter.sent_texts()[-1] == "只有管理员可以加精。"
    await sim.say("admin", "/精华", reply_to="tip")
    assert sim.adapter.sent_texts()[-1].startswith("⭐ 已加入精华：上海-产品-小王 的分享（+10 积分）")
    await sim.say("admin", "/essence", reply_to="tip")  # again: no second entry, no second reward
    assert sim.adapter.sent_texts()[-1] == "这条已经在精华里了。"
    async with sim.app.db.session() as session:
        assert await PointsRepo(session).balance(sim.chat.key, "a") == 10
        assert await session.scalar(select(func.count()).select_from(Essence)) == 1

    await sim.say("b", "/精华 xlookup")  # normalised: case does not matter
    assert "1. 上海-产品-小王：分享一个 Excel 技巧" in sim.adapter.sent_texts()[-1]
    await sim.say("b", "/精华 透视表")
    assert sim.adapter.sent_texts()[-1] == "还没有精华，含「透视表」。"
    await sim.say("b", "/精华")
    assert sim.adapter.sent_texts()[-1].startswith("⭐ 精华（1 条）")


async def test_silent_members_are_warned_first_and_removed_only_if_still_silent(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    sim.add_user("c", "深圳-设计-小陈")
    sim.add_user("vip", "杭州-投资-老周")
    for uid in ("c", "vip"):
        await sim.join(uid)
    async with sim.app.db.session() as session:
        from storage.repos.members import MemberRepo

        vip = await MemberRepo(session).get(sim.chat.key, "vip")
        assert vip is not None
        vip.tier = "vip"
        await session.commit()
    await sim.say("admin", "大家好")  # the admin is seen as one
    await sim.advance(timedelta(days=30, hours=3))  # nobody speaks; the monthly report runs on April 1st
    notices = [p.text for p in sim.adapter.ops("admins")]
    assert notices and "沉默 5" in notices[-1]
    warning = next(t for t in sim.adapter.sent_texts() if "天内说句话就保留" in t)
    assert "@xw" in warning and "小李" in warning and "小陈" in warning
    assert "老周" not in warning and "阿May" not in warning  # VIPs and admins are never warned

    await sim.say("b", "我还在！")  # speaks within the grace period
    await sim.app.writer.flush()  # message counters are batched (flushed within 200 ms in service)
    await sim.advance(timedelta(days=8))
    removed = {p.user for p in sim.adapter.ops("remove")}
    assert removed == {"a", "c"}
    assert any(t.startswith("已请出 2 位长期未发言的成员") for t in sim.adapter.sent_texts())
    kinds = [(row.kind, row.user_id) for row in await log_rows(sim, ["silence.kept", "silence.removed"])]
    assert sorted(kinds) == [("silence.kept", "b"), ("silence.removed", "a"), ("silence.removed", "c")]


async def test_erasing_a_member_deletes_their_essence_posts_and_votes(make_sim: SimFactory) -> None:
    from datetime import UTC, datetime

    from bot.privacy import erase_user, export_user

    sim = await _sim(make_sim)
    await sim.say("a", "分享一个 Excel 技巧：XLOOKUP 反向查找", label="tip")
    await sim.say("admin", "/精华", reply_to="tip")
    await sim.say("admin", "/poll Q | x | y")
    await sim.press("a", "/vote 1 1")
    await sim.app.writer.flush()

    exported = await export_user(sim.app.db, "a")
    assert [row["text"] for row in exported["tables"]["essence"]] == ["分享一个 Excel 技巧：XLOOKUP 反向查找"]
    assert len(exported["tables"]["poll_votes"]) == 1

    counts = await erase_user(sim.app.db, "a", datetime(2026, 4, 1, tzinfo=UTC))
    assert counts["essence"] == 1 and counts["poll_votes"] == 1
    async with sim.app.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Essence)) == 0
        assert await session.scalar(select(func.count()).select_from(PollVote)) == 0


async def test_the_activity_report_says_who_it_cannot_count_where_members_cannot_be_listed(
    make_sim: SimFactory,
) -> None:
    """Telegram cannot list a group's members: a member who joined before the bot and never spoke is
    invisible, and the report says so; where the platform lists members (WeCom) it does not."""
    for caps, told in ((EVERYTHING, False), (replace(EVERYTHING, can_list_members=False), True)):
        sim = await _sim(make_sim, caps)
        await sim.advance(timedelta(days=30, hours=3))
        notice = [p.text for p in sim.adapter.ops("admins")][-1]
        assert notice.startswith("📋 成员活跃度")
        assert ("无法列出群成员" in notice) is told
