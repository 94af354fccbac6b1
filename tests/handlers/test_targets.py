"""One resolver for every admin command (handlers/common/target.py): the same handle reaches the same
member in /strikes, /pardon, /points, /vip and /notspam; an ambiguous name is reported, never guessed."""

from __future__ import annotations

from bot.tools.simulator import Simulator
from handlers.honours.handler import Honours
from handlers.moderation.handler import Moderation
from handlers.points.handler import Points
from handlers.tracking import Tracking
from tests.support import SimFactory, log_rows

RULES = """
[defaults.topics]
enabled = false
[defaults.checkin]
remind_at = ""
"""


async def group(make_sim: SimFactory) -> Simulator:
    sim = await make_sim(RULES, features=[Tracking(), Moderation(), Points(), Honours()])
    sim.add_user("adm", "上海-运营-阿May", "amay", admin=True)
    # Joined first: the member whose @username is "xw".
    sim.add_user("wang", "上海-产品-小王", "xw")
    # Joined later: a member whose display name is "xw" (no username).
    sim.add_user("imposter", "xw")
    for uid in ("adm", "wang", "imposter"):
        await sim.join(uid)
    return sim


async def targets(sim: Simulator, kind: str) -> list[str | None]:
    return [row.user_id for row in await log_rows(sim, [kind])]


async def test_strikes_pardon_and_points_name_the_same_member(make_sim: SimFactory) -> None:
    """The old lookups disagreed here: /strikes and /pardon took the newest row matching by username OR
    name (the member called "xw"), /points the oldest (the member whose username is xw)."""
    sim = await group(make_sim)
    await sim.say("adm", "/strikes @xw")
    await sim.say("adm", "/pardon @xw 误会")
    await sim.say("adm", "/points +5 @xw 分享")
    await sim.say("adm", "/vip @xw")
    assert await targets(sim, "admin.strikes") == ["wang"]
    assert await targets(sim, "admin.pardon") == ["wang"]
    assert await targets(sim, "points_adjusted") == ["wang"]
    assert await targets(sim, "tier_changed") == ["wang"]
    texts = sim.adapter.sent_texts()
    assert texts[0].startswith("上海-产品-小王 ")
    assert "已为 @xw +5 积分" in texts[2]


async def test_an_ambiguous_name_is_reported_to_the_admin_not_guessed(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    sim.add_user("wang2", "上海-产品-小王", "wang_two")
    await sim.join("wang2")
    await sim.say("adm", "/pardon @上海-产品-小王")
    await sim.say("adm", "/points +5 @上海-产品-小王")
    first, second = sim.adapter.sent_texts()
    assert first == second
    assert first.startswith("有 2 位成员叫 @上海-产品-小王：")
    assert "@xw (ID wang)" in first and "@wang_two (ID wang2)" in first
    assert await targets(sim, "admin.pardon") == []
    assert await targets(sim, "points_adjusted") == []
    # named by @username or id, each is reachable
    await sim.say("adm", "/points +5 @wang_two")
    await sim.say("adm", "/points +5 @wang")
    assert await targets(sim, "points_adjusted") == ["wang2", "wang"]


async def test_a_reply_beats_a_handle_and_the_handle_is_not_an_argument(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await sim.say("imposter", "你好", label="hi")
    await sim.say("adm", "/points +5 @wang 回答问题", reply_to="hi")
    rows = await log_rows(sim, ["points_adjusted"])
    assert [r.user_id for r in rows] == ["imposter"]
    # "@wang" does not name the imposter, so it stays in the reason
    assert rows[0].reason.endswith("+5: @wang 回答问题")
    await sim.say("adm", "/points +5 @xw 再答一题", reply_to="hi")  # the imposter's display name
    assert (await log_rows(sim, ["points_adjusted"]))[-1].reason.endswith("+5: 再答一题")


async def test_unknown_handles_and_punishing_commands_by_handle(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await sim.say("adm", "/strikes @nobody")
    await sim.say("adm", "/points +5 @nobody")
    # /warn, /ban and /mute act only on a reply: a stored member's admin status is not known
    await sim.say("adm", "/warn @xw")
    assert sim.adapter.sent_texts() == [
        "找不到成员 @nobody。",
        "找不到成员 @nobody。",
        "请回复要处理的那条消息，再发送 /warn。",
    ]
    assert await log_rows(sim, ["strike"]) == []
