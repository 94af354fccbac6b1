"""Points end to end: admin adjustments (audited), redemption with stock shared in the database, /me."""

from __future__ import annotations

import itertools
from pathlib import Path

from sqlalchemy import select

from bot.tools.simulator import Simulator
from storage.models.core import PointsEntry
from storage.repos.points import PointsRepo
from tests.handlers.rhythm_support import rhythm_features
from tests.support import SimFactory, log_rows

RULES = """
[defaults]
[defaults.topics]
enabled = false
[defaults.checkin]
remind_at = ""
[defaults.points]
admin_max = 500
[[defaults.points.items]]
id = "book"
name = "产品经理书籍一本"
cost = 100
stock = 1
[[defaults.points.items]]
id = "sticker"
name = "社群贴纸"
cost = 10
"""


async def _sim(make_sim: SimFactory, **kw: object) -> Simulator:
    sim = await make_sim(RULES, features=rhythm_features(), **kw)
    sim.add_user("boss", "上海-运营-阿May", username="amay", admin=True)
    sim.add_user("a", "上海-产品-小王", username="xw")
    sim.add_user("b", "北京-运营-小李")
    for uid in ("boss", "a", "b"):
        await sim.join(uid)
    return sim


async def balance(sim: Simulator, user: str) -> int:
    async with sim.app.db.session() as session:
        return await PointsRepo(session).balance(sim.chat.key, user)


async def test_admins_adjust_points_with_an_audit_trail(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    await sim.say("a", "/points +100 @xw 自己加")
    assert sim.adapter.sent_texts()[-1] == "只有管理员可以调整积分"
    await sim.say("boss", "/points +120 @xw 分享了一篇好文")
    assert sim.adapter.sent_texts()[-1] == "已为 @xw +120 积分（分享了一篇好文），当前 120 分"
    await sim.say("b", "我的周报模板", label="post")
    await sim.say("boss", "/points +30 优质内容", reply_to="post")  # a reply names the member
    await sim.say("boss", "/points -200 @xw")
    assert sim.adapter.sent_texts()[-1] == "@xw 只有 120 分，不能扣 200 分"
    await sim.say("boss", "/points +600 @xw")
    assert sim.adapter.sent_texts()[-1] == "单次最多调整 500 分"
    await sim.say("boss", "/points +5 @nobody")
    assert sim.adapter.sent_texts()[-1] == "找不到成员 @nobody。"
    assert await balance(sim, "a") == 120 and await balance(sim, "b") == 30
    async with sim.app.db.session() as session:
        entries = (await session.scalars(select(PointsEntry).order_by(PointsEntry.id))).all()
    assert [(e.user_id, e.delta, e.source, e.actor, e.reason) for e in entries] == [
        ("a", 120, "admin", "boss", "分享了一篇好文"),
        ("b", 30, "admin", "boss", "优质内容"),
    ]
    audit = await log_rows(sim, ["points_adjusted"])
    assert [(r.user_id, r.detail["delta"], r.detail["actor"]) for r in audit] == [
        ("a", 120, "boss"),
        ("b", 30, "boss"),
    ]
    await sim.say("a", "/points")
    assert sim.adapter.sent_texts()[-1] == "@xw 当前积分：120"


async def test_redemption_takes_the_last_item_then_it_is_sold_out(
    make_sim: SimFactory, tmp_path: Path
) -> None:
    url = str(tmp_path / "shared.db")
    sim = await _sim(make_sim, db_url=url)
    await sim.say("boss", "/points +150 @xw")
    await sim.say("boss", "/points +150 @北京-运营-小李")
    await sim.say("a", "/redeem")
    assert sim.adapter.sent_texts()[-1] == (
        "🎁 积分兑换（你有 150 分），发送 /redeem 编号 兑换：\n"
        "· book — 产品经理书籍一本：100 分（剩 1 件）\n"
        "· sticker — 社群贴纸：10 分"
    )
    await sim.say("a", "/redeem book")
    assert sim.adapter.sent_texts()[-1].startswith(
        "🎉 @xw 兑换成功：产品经理书籍一本，消耗 100 分，剩余 50 分"
    )
    assert (
        sim.adapter.ops("admins")[-1].text
        == "【兑换】上海-产品-小王 (@xw) 兑换了「产品经理书籍一本」（100 分），请安排发放"
    )
    # the other instance shares the stock: the book is gone there too
    other = await make_sim(RULES, db_url=url, features=rhythm_features())
    other._seq = itertools.count(1000)
    other.add_user("b", "北京-运营-小李")
    await other.say("b", "/redeem 产品经理书籍一本")
    assert other.adapter.sent_texts()[-1] == "「产品经理书籍一本」已经兑完了，下次早点来～"
    await other.say("b", "/redeem")
    assert "· book — 产品经理书籍一本：100 分（已兑完）" in other.adapter.sent_texts()[-1]
    await other.say("b", "/redeem sticker")  # unlimited stock
    assert await balance(sim, "a") == 50 and await balance(sim, "b") == 140
    await sim.say("a", "/redeem book")
    assert sim.adapter.sent_texts()[-1] == "积分不足：产品经理书籍一本 需要 100 分，你有 50 分"
    await sim.say("a", "/redeem 咖啡券")
    assert sim.adapter.sent_texts()[-1] == "没有「咖啡券」这个奖品，发送 /redeem 查看列表"
    redeemed = await log_rows(sim, ["points_redeemed"])
    assert [(r.user_id, r.detail["item"]) for r in redeemed] == [("a", "book"), ("b", "sticker")]


async def test_me_shows_points_streak_tier_and_badges(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    await sim.say("a", "打卡")
    await sim.advance("1d")
    await sim.say("a", "打卡")
    await sim.say("boss", "/vip @xw")
    await sim.say("a", "/me")
    assert sim.adapter.sent_texts()[-1] == (
        "👤 @xw\n等级：VIP\n积分：10\n连续打卡：2 天（最长 2 天，累计 2 次）\n徽章：暂无"
    )
    await sim.advance("2d")  # the streak broke; the best stays
    await sim.say("a", "/me")
    assert "连续打卡：0 天（最长 2 天，累计 2 次）" in sim.adapter.sent_texts()[-1]
