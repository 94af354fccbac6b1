"""Insults end to end: deleted, struck as ``abuse`` with its weight from the strike policy, admins unchecked,
the group's own words and its choice of action."""

from __future__ import annotations

from bot.tools.simulator import Simulator
from handlers.abuse.handler import Abuse
from handlers.ads.handler import Ads
from handlers.moderation.flood import Flood
from handlers.moderation.handler import Moderation
from handlers.tracking import Tracking
from tests.support import SimFactory, log_rows


async def group(make_sim: SimFactory, rules: str = "") -> Simulator:
    sim = await make_sim(rules, features=[Tracking(), Ads(), Abuse(), Flood(), Moderation()])
    sim.add_user("adm", "上海-运营-阿May", "amay", admin=True)
    sim.add_user("lee", "北京-金融-老李", "laoli")
    for uid in ("adm", "lee"):
        await sim.join(uid)
    return sim


async def test_an_insult_is_deleted_and_struck_as_abuse(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    handled = await sim.say("lee", "你们都是傻逼，滚出去", label="insult")
    assert handled.stopped_by == "abuse"
    assert [p.message_id for p in sim.adapter.ops("delete")] == [sim.messages["insult"].id]
    (notice,) = sim.adapter.sent_texts()
    assert notice.startswith("⚠️ @laoli 违规：人身攻击/辱骂他人") and "傻逼" not in notice
    (strike,) = await log_rows(sim, ["strike"])
    assert strike.detail["category"] == "abuse" and strike.detail["weight"] == 1
    (row,) = await log_rows(sim, ["abuse_detected"])
    assert "傻逼" in row.reason  # the log names the words for the admins


async def test_the_abuse_weight_comes_from_the_strike_policy(make_sim: SimFactory) -> None:
    sim = await group(make_sim, "[defaults.moderation.weights]\nabuse = 3\n")
    await sim.say("lee", "你个sb")
    (strike,) = await log_rows(sim, ["strike"])
    assert strike.detail["weight"] == 3 and strike.detail["step"] == "remove"
    assert [p.user for p in sim.adapter.ops("remove")] == ["lee"]


async def test_admins_honest_rudeness_and_notify_mode(make_sim: SimFactory) -> None:
    sim = await group(make_sim, '[defaults.abuse]\naction = "notify"\nextra_words = ["大笨蛋"]\n')
    await sim.say("adm", "你们都是傻逼")  # admins are not checked
    await sim.say("lee", "这破手机真垃圾")
    assert not sim.adapter.ops("delete") and not await log_rows(sim, ["abuse_detected"])
    await sim.say("lee", "你是个大笨 蛋")
    assert not sim.adapter.ops("delete") and not await log_rows(sim, ["strike"])
    (note,) = sim.adapter.ops("admins")
    assert "疑似辱骂" in note.text
