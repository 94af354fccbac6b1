"""Referrals end to end: /invite, credit through the link, a reward every N referrals (once), the
团长排行榜, and platforms without invite links."""

from __future__ import annotations

from sqlalchemy import select

from bot.tools.simulator import Simulator
from handlers.contract.capabilities import Capabilities
from handlers.feature import Feature
from handlers.milestones.handler import Milestones
from handlers.referrals.handler import Referrals
from handlers.tasks.handler import Tasks
from handlers.tracking import Tracking
from handlers.welcome.handler import Welcome
from storage.models.core import Member, PointsEntry
from tests.support import SimFactory, log_rows

RULES = """
[defaults]
name = "上海产品经理交流群"
[defaults.welcome]
sweep = "every 6h"
[defaults.referrals]
reward_every = 3
reward_points = 50
reward_text = "一本《启示录》"
"""


def onboarding() -> list[Feature]:
    return [Tracking(), Referrals(), Welcome(), Tasks(), Milestones()]


def link_of(uid: str) -> str:
    return f"https://console.invalid/join/g1/ref:{uid}"


async def invited_by(sim: Simulator) -> dict[str, str | None]:
    async with sim.app.db.session() as session:
        members = (await session.scalars(select(Member))).all()
    return {m.user_id: m.invited_by for m in members}


async def test_invite_link_credit_reward_and_leaderboard(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, features=onboarding())
    sim.add_user("o_chen", "上海-咨询-老陈", username="laochen")
    sim.add_user("o_lin", "上海-电商-林林")
    for uid in ("o_chen", "o_lin"):
        await sim.join(uid)

    await sim.say("o_chen", "/invite")
    [invite] = sim.adapter.ops("invite")
    assert invite.text == link_of("o_chen")
    dm = [p.text for p in sim.adapter.ops("private") if p.user == "o_chen"][-1]
    assert dm.startswith(f"🔗 你的专属邀请链接：{link_of('o_chen')}\n")
    assert "每邀请 3 位朋友入群，奖励 50 积分和一本《启示录》" in dm

    for i in range(1, 5):
        sim.add_user(f"o_f{i}", f"上海-教育-朋友{i}")
        await sim.join(f"o_f{i}", invite_link=link_of("o_chen"))
    sim.add_user("o_g1", "上海-汽车-阿光")
    await sim.join("o_g1", invite_link=link_of("o_lin"))
    sim.add_user("o_self", "上海-游戏-自己")
    await sim.join("o_self", invite_link=link_of("o_self"))  # one's own link credits nobody

    credit = await invited_by(sim)
    assert [credit[f"o_f{i}"] for i in range(1, 5)] == ["o_chen"] * 4
    assert credit["o_g1"] == "o_lin" and credit["o_self"] is None
    rewards = [t for t in sim.adapter.sent_texts() if t.startswith("🏅")]
    assert rewards == ["🏅 感谢 @laochen 邀请了 3 位新朋友入群，奖励 50 积分和一本《启示录》！"]
    notes = [p.text for p in sim.adapter.ops("private") if p.user == "o_chen" and "邀请链接加入" in p.text]
    assert notes[-1] == "🎉 上海-教育-朋友4 通过你的邀请链接加入了「上海产品经理交流群」！你已邀请 4 人。"

    # a member who leaves and comes back through the link is not credited twice
    await sim.leave("o_f1")
    await sim.join("o_f1", invite_link=link_of("o_chen"))
    assert await sim.redeliver() is not None
    async with sim.app.db.session() as session:
        ledger = (await session.scalars(select(PointsEntry).where(PointsEntry.user_id == "o_chen"))).all()
    assert [(e.delta, e.source) for e in ledger] == [(50, "referral")]
    assert len(await log_rows(sim, ["referral.credited"])) == 5

    await sim.say("o_lin", "/invites")
    assert sim.adapter.sent_texts()[-1] == (
        "📨 你已邀请 1 人入群。\n🏆 团长排行榜：\n🥇 上海-咨询-老陈 — 4 人\n🥈 上海-电商-林林 — 1 人"
    )


async def test_referrals_who_left_do_not_count_towards_the_reward(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, features=onboarding())
    sim.add_user("o_chen", "上海-咨询-老陈")
    await sim.join("o_chen")
    for i in range(1, 3):
        sim.add_user(f"o_f{i}", f"朋友{i}")
        await sim.join(f"o_f{i}", invite_link=link_of("o_chen"))
    await sim.leave("o_f1")
    sim.add_user("o_f3", "朋友3")
    await sim.join("o_f3", invite_link=link_of("o_chen"))
    assert not [t for t in sim.adapter.sent_texts() if t.startswith("🏅")]
    sim.add_user("o_f4", "朋友4")
    await sim.join("o_f4", invite_link=link_of("o_chen"))
    assert len([t for t in sim.adapter.sent_texts() if t.startswith("🏅")]) == 1


async def test_without_invite_links_the_member_is_told_whom_to_ask(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, caps=Capabilities(invite_links=False), features=onboarding())
    sim.add_user("o_chen", "上海-咨询-老陈")
    await sim.join("o_chen")
    await sim.say("o_chen", "/invite")
    assert sim.adapter.ops("invite") == []
    assert sim.adapter.sent_texts()[-1].startswith("本群所在平台不支持专属邀请链接")
    await sim.say("o_chen", "/invites")
    assert sim.adapter.sent_texts()[-1].endswith("还没有人通过邀请链接入群，发送 /invite 获取你的专属链接。")


async def test_other_invite_links_credit_nobody(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, features=onboarding())
    sim.add_user("o_a", "上海-咨询-小安")
    await sim.join("o_a", invite_link="https://t.me/+AbCdEf123")  # the group's general link
    assert (await invited_by(sim))["o_a"] is None
    assert await log_rows(sim, ["referral.credited"]) == []
