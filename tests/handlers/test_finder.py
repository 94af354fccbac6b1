"""/找人 end to end on the console platform: members answer the questionnaire and introduce themselves
through the real onboarding flow; only those who sent /findme are suggested; off unless the group turns
it on."""

from __future__ import annotations

from bot.tools.simulator import Simulator
from tests.support import SimFactory, log_rows

RULES = """
[defaults.topics]
enabled = false
[defaults.honours]
enabled = false
[defaults.welcome]
batch_seconds = 0
[defaults.finder]
enabled = true
"""


async def community(make_sim: SimFactory, rules: str = RULES) -> Simulator:
    sim = await make_sim(rules)
    sim.add_user("w", "上海-财务-小王", username="xw")
    sim.add_user("l", "北京-互联网-小李")
    sim.add_user("z", "深圳-财务-阿赵")  # in 财务 too, but never agrees to be found
    sim.add_user("q", "杭州-电商-小钱")  # asks
    for uid in ("w", "l", "z", "q"):
        await sim.join(uid)
    # the questionnaire (problem, then skill) and the self-introduction, as members answer them
    await sim.say("w", "/answer 想认识同行")
    await sim.say("w", "/answer Excel 数据透视表、财务建模")
    await sim.say("l", "/intro 互联网-数据分析-想交流Python")
    await sim.say("z", "/answer 想学英语")
    await sim.say("z", "/answer 财务报表分析")
    return sim


def last(sim: Simulator) -> str:
    return sim.adapter.sent_texts()[-1]


async def test_only_members_who_agreed_are_suggested_best_first(make_sim: SimFactory) -> None:
    sim = await community(make_sim)
    await sim.say("q", "/找人 财务")
    assert last(sim).startswith("🔎 暂时没有同意被推荐、且提到「财务」的群友")  # nobody agreed yet

    await sim.say("w", "/findme")
    assert last(sim).startswith("✅ 上海-财务-小王，群友用 /找人 时")
    await sim.say("l", "/findme")
    assert "还没有填写可分享的技能" not in last(sim)  # 小李 introduced himself
    handled = await sim.say("q", "/找人 财务 数据分析")
    text = last(sim)
    assert text.startswith("🔎 可以请教「财务 数据分析」的群友：")
    lines = text.splitlines()[1:3]
    # 小王 can share 财务 (his skill); 小李's role is 数据分析 (his introduction)
    assert lines[0].startswith("1. @xw：Excel 数据透视表")
    assert lines[1] == "2. @北京-互联网-小李：互联网·数据分析"
    assert "阿赵" not in text  # never agreed
    mentioned = {u.id for a in handled.actions for u in getattr(a, "mentions", ())}
    assert mentioned == {"w", "l"}
    await sim.say("q", "/find 数据分析")
    assert last(sim).splitlines()[1] == "1. @北京-互联网-小李：互联网·数据分析"
    (row,) = [r for r in await log_rows(sim, ["finder.search"]) if r.detail["found"] == 1]
    assert "数据分析" not in row.reason  # the query is a member's message: not logged

    await sim.say("w", "/findme off")
    await sim.say("q", "/找人 Excel")
    assert last(sim).startswith("🔎 暂时没有同意被推荐")


async def test_the_asker_is_not_suggested_and_a_member_who_left_is_not(make_sim: SimFactory) -> None:
    sim = await community(make_sim)
    for uid in ("w", "z"):
        await sim.say(uid, "/findme")
    await sim.say("w", "/找人 财务")
    assert "@xw" not in last(sim) and "深圳-财务-阿赵" in last(sim)
    await sim.leave("z")
    await sim.say("q", "/找人 报表")
    assert last(sim).startswith("🔎 暂时没有")
    await sim.say("q", "/找人")
    assert last(sim).startswith("🔎 找人：/找人 关键词")


async def test_off_by_default(make_sim: SimFactory) -> None:
    sim = await community(make_sim, RULES.replace("enabled = true", "enabled = false"))
    before = len(sim.adapter.sent_texts())
    await sim.say("w", "/findme")
    await sim.say("q", "/找人 财务")
    assert len(sim.adapter.sent_texts()) == before
