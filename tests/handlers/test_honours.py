"""Honours end to end: the weekly 活跃之星, monthly honours, tiers up and down, VIP, /rank, lucky draws."""

from __future__ import annotations

from sqlalchemy import select

from bot.privacy import erase_user
from bot.tools.simulator import Simulator
from rules.lottery import draw, seed_for, ticket
from storage.models.core import Member
from storage.models.rhythm import Badge
from storage.repos.points import PointsRepo
from tests.handlers.rhythm_support import rhythm_features
from tests.support import SimFactory, log_rows

RULES = """
[defaults]
timezone = "Asia/Shanghai"
[defaults.topics]
enabled = false
[defaults.checkin]
remind_at = ""
[defaults.honours.weekly_star]
schedule = "mon 09:00"
top = 2
points = [30, 20]
min_interactions = 3
[defaults.honours.tiers]
schedule = "mon 09:00"
core_min = 3
demote_after_weeks = 2
announce = "{announce}"
[defaults.honours.monthly]
schedule = "cron: 0 10 1 * *"
"""


async def _sim(make_sim: SimFactory, announce: str = "member") -> Simulator:
    sim = await make_sim(RULES.format(announce=announce), features=rhythm_features())  # Monday 08:00
    sim.add_user("boss", "上海-运营-阿May", username="amay", admin=True)
    sim.add_user("a", "上海-产品-小王", username="xw")
    sim.add_user("b", "北京-运营-小李")
    sim.add_user("c", "杭州-设计-小陈")
    sim.add_user("bot", "打卡助手", bot=True)
    for uid in ("boss", "a", "b", "c", "bot"):
        await sim.join(uid)
    return sim


async def chat(sim: Simulator, user: str, n: int) -> None:
    for i in range(n):
        await sim.say(user, f"第{i + 1}条")


async def balance(sim: Simulator, user: str) -> int:
    async with sim.app.db.session() as session:
        return await PointsRepo(session).balance(sim.chat.key, user)


async def tiers(sim: Simulator) -> dict[str, str]:
    async with sim.app.db.session() as session:
        return {m.user_id: m.tier for m in (await session.scalars(select(Member))).all()}


async def test_weekly_star_ranks_members_by_interactions_and_awards_them(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    await chat(sim, "a", 5)
    await sim.advance("1d")
    await chat(sim, "b", 3)
    await sim.say("a", "/rank")  # commands count too
    await chat(sim, "c", 2)  # below the minimum
    await chat(sim, "bot", 9)  # bots never count
    await chat(sim, "boss", 12)  # nor admins: they run the group, they are not ranked in it
    await sim.advance("5d 12h")  # Sunday 20:00: the week is not over, nothing is announced
    assert not [t for t in sim.adapter.sent_texts() if t.startswith("🌟")]
    await sim.advance("3h")  # Sunday 23:00, the busiest evening of the week still counts
    await chat(sim, "c", 2)
    await sim.advance("9h 30m")  # Monday 08:30: the new week's messages do not count for the last one
    await chat(sim, "b", 2)
    await sim.advance("30m")  # Monday 09:00: the whole of Mon 2 – Sun 8 March, named in the post
    stars = [t for t in sim.adapter.sent_texts() if t.startswith("🌟")]
    assert stars == [
        "🌟 一周活跃之星（3月2日–3月8日）\n🥇 @xw · 6 次互动 · +30 积分\n"
        "🥈 杭州-设计-小陈 · 4 次互动 · +20 积分\n"
        "感谢大家的参与，下周继续加油！"
    ]
    assert await balance(sim, "a") == 30 and await balance(sim, "c") == 20 and await balance(sim, "b") == 0
    async with sim.app.db.session() as session:
        badges = (await session.execute(select(Badge.user_id, Badge.name).order_by(Badge.id))).all()
    assert [tuple(b) for b in badges] == [("a", "活跃之星"), ("c", "活跃之星")]
    rows = [r for r in await log_rows(sim, ["weekly_star"]) if r.user_id]  # Mar 2: an empty week before
    assert [(r.user_id, r.detail["rank"], r.detail["interactions"], r.detail["points"]) for r in rows] == [
        ("a", 1, 6, 30),
        ("c", 2, 4, 20),
    ]
    await sim.advance("7d")  # a quiet week: no star, nothing posted
    assert len([t for t in sim.adapter.sent_texts() if t.startswith("🌟")]) == 1


async def test_tiers_promote_active_members_and_demote_after_two_quiet_weeks(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    await chat(sim, "a", 3)
    await chat(sim, "b", 2)
    await sim.advance("7d 1h")  # Monday 09:00: the week before counted
    assert (await tiers(sim))["a"] == "core" and (await tiers(sim))["b"] == "regular"
    private = [p for p in sim.adapter.ops("private") if p.user == "a"]
    assert [p.text for p in private] == ["🎉 @xw 升级为核心成员！上周互动 3 次，感谢你的活跃～"]
    await sim.advance("7d")  # one quiet week: still core
    assert (await tiers(sim))["a"] == "core"
    await sim.advance("7d")  # the second quiet week: back to regular
    assert (await tiers(sim))["a"] == "regular"
    assert (
        sim.adapter.ops("private")[-1].text == "@xw 最近 2 周互动较少，等级调整为普通成员，期待你常来聊聊～"
    )
    changes = await log_rows(sim, ["tier_changed"])
    assert [(r.user_id, r.detail["old"], r.detail["new"]) for r in changes] == [
        ("a", "regular", "core"),
        ("a", "core", "regular"),
    ]


async def test_vip_is_set_by_admins_and_kept_by_the_weekly_recompute(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim, announce="admins")
    await sim.say("a", "/vip @北京-运营-小李")
    assert sim.adapter.sent_texts()[-1] == "只有管理员可以使用 /vip"
    await sim.say("boss", "/vip @北京-运营-小李")
    assert sim.adapter.sent_texts()[-1] == "💎 北京-运营-小李 已设为 VIP 成员"
    await chat(sim, "c", 4)
    await sim.advance("7d 1h")
    assert await tiers(sim) == {"boss": "regular", "a": "regular", "b": "vip", "c": "core", "bot": "regular"}
    assert (
        sim.adapter.ops("admins")[-1].text
        == "【等级变化】\n🎉 杭州-设计-小陈 升级为核心成员！上周互动 4 次，感谢你的活跃～"
    )
    await sim.say("boss", "/vip @北京-运营-小李 off")
    assert (await tiers(sim))["b"] == "regular"
    audit = [r for r in await log_rows(sim, ["tier_changed"]) if "actor" in r.detail]
    assert [(r.user_id, r.detail["new"], r.detail["actor"]) for r in audit] == [
        ("b", "vip", "boss"),
        ("b", "regular", "boss"),
    ]


async def test_rank_shows_streaks_points_and_this_month(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    for _ in range(3):
        await sim.say("a", "打卡")
        await sim.advance("1d")
    await sim.say("b", "打卡")
    await sim.say("boss", "/points +50 @北京-运营-小李")
    await sim.say("c", "/rank")
    assert sim.adapter.sent_texts()[-1] == (
        "🔥 连续打卡榜\n1. @xw 3 天\n2. 北京-运营-小李 1 天\n\n"
        "💰 积分榜\n1. 北京-运营-小李 55 分\n2. @xw 15 分\n\n"
        "📅 本月积分榜\n1. 北京-运营-小李 55 分\n2. @xw 15 分"
    )
    await sim.say("c", "/rank 打卡")
    assert sim.adapter.sent_texts()[-1] == "🔥 连续打卡榜\n1. @xw 3 天\n2. 北京-运营-小李 1 天"
    await sim.say("c", "/rank 什么")
    assert sim.adapter.sent_texts()[-1].startswith("用法：/rank")


async def test_monthly_honours_for_the_previous_month(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    for _ in range(3):
        await sim.say("b", "打卡")
        await chat(sim, "a", 2)
        await sim.advance("1d")
    await sim.advance_to(sim.clock.now().replace(month=4, day=1, hour=2))  # 1 April 10:00 Shanghai
    honours = [t for t in sim.adapter.sent_texts() if t.startswith("🏆")]
    assert honours == [
        "🏆 2026年3月 荣誉榜\n【月度活跃】\n🥇 @xw · 6 次互动 · +50 积分（获得徽章「月度之星」）\n"
        "🥈 北京-运营-小李 · 3 次互动 · +30 积分\n"
        "【月度打卡王】北京-运营-小李 · 3 次打卡 · +30 积分（获得徽章「月度打卡王」）"
    ]
    rows = await log_rows(sim, ["monthly_honour"])
    assert [(r.user_id, r.detail["board"], r.detail["rank"], r.detail["points"]) for r in rows] == [
        ("a", "active", 1, 50),
        ("b", "active", 2, 30),
        ("b", "checkin", 1, 30),
    ]


async def test_lottery_is_reproducible_from_the_logged_seed(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    sim.add_user("d", "深圳-开发-小赵")
    await sim.join("d")
    for uid in ("a", "b", "c", "d", "bot"):
        await sim.say(uid, "来了")
    await sim.say("b", "/lottery 1")
    assert sim.adapter.sent_texts()[-1] == "只有管理员可以使用 /lottery"
    await sim.advance("8d")
    await sim.say("a", "再来")  # only a and c are active in the last 7 days
    await sim.say("c", "我也在")
    await sim.say("boss", "/lottery 0")
    assert sim.adapter.sent_texts()[-1] == "用法：/lottery N [奖品]，N 为 1–20 的中奖人数"
    await sim.say("boss", "/lottery 1 新书一本")
    command = sim.last_event
    assert command is not None
    (row,) = await log_rows(sim, ["lottery_drawn"])
    seed = row.detail["seed"]
    assert seed == seed_for(command.delivery, command.at)
    # the log holds tickets, not ids: active this week are a and c (not the admin who draws, no bots)
    assert row.detail["tickets"] == sorted([ticket(seed, "a"), ticket(seed, "c")])
    assert row.detail["winners"] == draw(row.detail["tickets"], 1, seed)  # anyone can re-run it
    (won,) = await log_rows(sim, ["lottery_won"])
    assert won.detail["ticket"] == row.detail["winners"][0] == ticket(seed, str(won.user_id))
    winner = {"a": "@xw", "c": "杭州-设计-小陈"}[str(won.user_id)]
    # the group sees the winners; the seed and the tickets go to the admins (and the log), as in the quiz
    assert (
        sim.adapter.sent_texts()[-1]
        == f"🎲 抽奖结果（新书一本）：\n🎉 {winner}\n候选 2 人（近 7 天发过言的成员）"
    )
    assert not any(seed in text for text in sim.adapter.sent_texts())
    notices = [p.text for p in sim.adapter.ops("admins")]
    assert notices == [
        f"🎲 抽奖（新书一本）：候选 2 人，抽中 {winner}；种子 {seed}，票号 {won.detail['ticket']}（可复核）"
    ]
    await sim.advance("8d")
    await sim.say("boss", "/lottery 3")
    assert sim.adapter.sent_texts()[-1] == "近 7 天没有活跃成员，无法抽奖"


async def test_erasing_a_member_leaves_no_trace_of_them_in_rhythm_records(make_sim: SimFactory) -> None:
    """Every rhythm record names at most its own member (``user_id``), so PIPL / GDPR erasure reaches it."""
    sim = await _sim(make_sim)
    await sim.say("a", "打卡")
    await chat(sim, "a", 3)
    await chat(sim, "b", 3)
    await sim.advance("1d 13h")
    await sim.say("boss", "/vip @xw")
    await sim.say("boss", "/points +5 @xw")
    await sim.say("boss", "/lottery 2")
    await sim.advance("5d 13h")  # Monday 09:00: the weekly star of the week before
    await sim.app.writer.flush()
    before = await log_rows(sim)
    kinds = {r.kind for r in before if r.user_id == "a"}
    assert {"checkin", "tier_changed", "points_adjusted", "weekly_star"} <= kinds
    await erase_user(sim.app.db, "a", sim.clock.now())
    after = await log_rows(sim)
    assert all(r.user_id != "a" and "a" not in _values(r.detail) for r in after)


def _values(detail: object) -> set[str]:
    """Every string anywhere in a detail (nested lists and dicts included)."""
    if isinstance(detail, dict):
        return set().union(*(_values(v) for v in detail.values())) if detail else set()
    if isinstance(detail, list):
        return set().union(*(_values(v) for v in detail)) if detail else set()
    return {detail} if isinstance(detail, str) else set()
