"""Anti-raid on the console platform: a wave of joins turns raid mode on (admins told once, with the
figures), newcomers are verified and their links held, and raid mode ends by itself, logged once."""

from __future__ import annotations

from bot.tools.simulator import Simulator
from handlers.antiraid.handler import Antiraid
from handlers.feature import Feature
from handlers.tracking import Tracking
from handlers.verify.handler import Verify
from handlers.welcome.handler import Welcome
from tests.support import SimFactory, log_rows

RULES = """
[defaults]
name = "测试群"
[defaults.antiraid]
enabled = true
joins = 3
seconds = 60
minutes = 10
"""


def features() -> list[Feature]:
    return [Tracking(), Antiraid(), Verify(), Welcome()]


async def wave(sim: Simulator, names: list[str], gap: str = "10s") -> None:
    for uid in names:
        sim.add_user(uid, f"号{uid}")
        await sim.join(uid)
        await sim.advance(gap)


async def test_a_wave_turns_raid_mode_on_and_it_ends_by_itself(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, features=features())
    await wave(sim, ["a1", "a2"])
    assert not await log_rows(sim, ["raid.started"])
    assert not sim.adapter.ops("mute")  # method "none": nobody asked before the raid

    await wave(sim, ["a3"])  # the third join within 60 s
    [started] = await log_rows(sim, ["raid.started"])
    assert started.reason == "3 joins within 60 s (threshold 3)"
    [notice] = sim.adapter.ops("admins")
    assert "60 秒内有 3 人入群" in notice.text and "10 分钟" in notice.text
    assert [m.user for m in sim.adapter.ops("mute")] == ["a3"]  # verification for everyone now

    await wave(sim, ["a4", "a5"])
    assert len(sim.adapter.ops("admins")) == 1  # told once
    assert [m.user for m in sim.adapter.ops("mute")] == ["a3", "a4", "a5"]
    assert len(await log_rows(sim, ["raid.join"])) == 3  # a3 (the trigger), a4, a5

    await sim.advance("12m")
    [ended] = await log_rows(sim, ["raid.ended"])
    assert "joins" in ended.reason and ended.reason.startswith("raid mode over after")
    assert "已结束" in sim.adapter.ops("admins")[-1].text
    await sim.advance("5m")
    assert len(await log_rows(sim, ["raid.ended"])) == 1  # ended once

    sim.add_user("later", "后来的人")
    await sim.join("later")  # after the raid: back to the group's own method ("none")
    assert "later" not in [m.user for m in sim.adapter.ops("mute")]


async def test_slow_joins_are_no_raid(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, features=features())
    await wave(sim, ["b1", "b2", "b3", "b4"], gap="31s")
    assert not await log_rows(sim, ["raid.started"])


async def test_newcomers_links_are_held_in_raid_mode_others_not(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES.replace("joins = 3", "joins = 2"), features=[Tracking(), Antiraid()])
    sim.add_user("old", "老成员")
    await sim.join("old")
    await sim.advance("5m")
    await wave(sim, ["c1", "c2"], gap="1s")
    handled = await sim.say("c2", "快来 https://spam.example/x", urls=("https://spam.example/x",))
    assert handled.stopped_by == "antiraid" and len(sim.adapter.ops("delete")) == 1
    await sim.say("c2", "大家好")  # plain words pass
    await sim.say("old", "资料在 https://docs.example/a", urls=("https://docs.example/a",))
    assert len(sim.adapter.ops("delete")) == 1
    await sim.leave("c1")
    assert await log_rows(sim, ["raid.leave"])
    await sim.advance("11m")
    [ended] = await log_rows(sim, ["raid.ended"])
    assert ended.reason.endswith("1 held")


async def test_raid_mode_survives_a_restart(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, features=features())
    await wave(sim, ["d1", "d2", "d3"], gap="1s")
    fresh = [Tracking(), Antiraid(), Verify(), Welcome()]
    sim.app.pipeline.features = fresh
    await sim.advance("5m")
    assert not await log_rows(sim, ["raid.ended"])
    sim.add_user("d4", "号d4")
    await sim.join("d4")
    assert "d4" in [m.user for m in sim.adapter.ops("mute")]
    await sim.advance("6m")
    assert len(await log_rows(sim, ["raid.ended"])) == 1
