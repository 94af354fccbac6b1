"""Locks on the console platform: each locked kind deleted (admins exempt), /lock and /unlock by admins
only and stored, bots added by members removed, night and slow mode, observe mode, strikes only if asked."""

from __future__ import annotations

import pytest

from bot.tools.simulator import Simulator
from handlers.feature import Feature
from handlers.locks.handler import Locks
from handlers.moderation.handler import Moderation
from handlers.tracking import Tracking
from tests.support import SimFactory, log_rows

ALL = '["links", "forwards", "stickers", "gifs", "voice", "video", "contacts", "games", "inline", "bots"]'
RULES = """
[defaults]
name = "测试群"
[defaults.locks]
locked = {locked}
"""


def rules(locked: str = ALL, extra: str = "") -> str:
    return RULES.replace("{locked}", locked) + extra


def features() -> list[Feature]:
    return [Tracking(), Locks(), Moderation()]


async def people(sim: Simulator) -> None:
    sim.add_user("u1", "小明")
    sim.add_user("boss", "群主", admin=True)
    await sim.join("u1")


SAMPLES: dict[str, dict[str, object]] = {
    "links": {"text": "看这个 https://example.com/x", "urls": ("https://example.com/x",)},
    "forwards": {"text": "转发的消息", "forwarded": True},
    "stickers": {"text": "", "media": "sticker"},
    "gifs": {"text": "", "media": "animation"},
    "voice": {"text": "", "media": "voice"},
    "video": {"text": "", "media": "video"},
    "contacts": {"text": "", "media": "card"},
    "games": {"text": "", "media": "game"},
    "inline": {"text": "投票", "via_bot": True},
}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
async def test_each_locked_kind_is_deleted_and_admins_are_exempt(make_sim: SimFactory, kind: str) -> None:
    sim = await make_sim(rules(f'["{kind}"]'), features=features())
    await people(sim)
    sample = SAMPLES[kind]
    handled = await sim.say("u1", **sample)  # type: ignore[arg-type]
    assert handled.stopped_by == "locks"
    assert [d.message_id for d in sim.adapter.ops("delete")] == [handled.event.message_id]
    [row] = await log_rows(sim, ["lock.deleted"])
    assert row.reason == f"locked: {kind}" and row.user_id == "u1"
    await sim.say("boss", **sample)  # type: ignore[arg-type]
    assert len(sim.adapter.ops("delete")) == 1
    await sim.say("u1", "普通的一句话")
    assert len(sim.adapter.ops("delete")) == 1


async def test_an_unlocked_kind_passes(make_sim: SimFactory) -> None:
    sim = await make_sim(rules('["stickers"]'), features=features())
    await people(sim)
    for kind, sample in SAMPLES.items():
        if kind != "stickers":
            await sim.say("u1", **sample)  # type: ignore[arg-type]
    assert not sim.adapter.ops("delete")


async def test_lock_and_unlock_by_command_are_admins_only_and_stored(make_sim: SimFactory) -> None:
    sim = await make_sim(rules("[]"), features=features())
    await people(sim)
    refused = await sim.say("u1", "/lock stickers")
    assert "管理员" in sim.adapter.sent_texts()[-1] and refused.stopped_by == "locks"
    await sim.say("u1", "", media="sticker")
    assert not sim.adapter.ops("delete")

    await sim.say("boss", "/lock 贴纸")
    assert sim.adapter.sent_texts()[-1] == "🔒 已锁定：贴纸"
    await sim.say("u1", "", media="sticker")
    assert len(sim.adapter.ops("delete")) == 1

    # a restart (fresh feature object) reads the stored lock
    sim.app.pipeline.features = [Locks() if f.name == "locks" else f for f in sim.app.pipeline.features]
    await sim.say("u1", "", media="sticker")
    assert len(sim.adapter.ops("delete")) == 2

    await sim.say("boss", "/locks")
    assert sim.adapter.sent_texts()[-1].startswith("🔒 当前锁定：贴纸\n🌙 夜间模式：关闭")
    await sim.say("boss", "/unlock stickers")
    await sim.say("u1", "", media="sticker")
    assert len(sim.adapter.ops("delete")) == 2
    await sim.say("boss", "/lock everything")
    assert sim.adapter.sent_texts()[-1].startswith("用法：/lock <类型>")
    assert [r.reason for r in await log_rows(sim, ["lock.set", "lock.lifted"])] == [
        "stickers by 群主",
        "stickers by 群主",
    ]


async def test_command_unlock_wins_over_the_toml(make_sim: SimFactory) -> None:
    sim = await make_sim(rules('["links"]'), features=features())
    await people(sim)
    await sim.say("boss", "/unlock links")
    await sim.say("u1", **SAMPLES["links"])  # type: ignore[arg-type]
    assert not sim.adapter.ops("delete")


async def test_a_bot_added_by_a_member_is_removed_not_by_an_admin(make_sim: SimFactory) -> None:
    sim = await make_sim(rules('["bots"]'), features=features())
    await people(sim)
    sim.add_user("b1", "spam_bot", bot=True)
    sim.add_user("b2", "helper_bot", bot=True)
    await sim.join("b1", by="u1")
    await sim.join("b2", by="boss")
    assert [r.user for r in sim.adapter.ops("remove")] == ["b1"]
    [row] = await log_rows(sim, ["lock.bot_removed"])
    assert row.reason == "locked: bots (added by 小明)"


async def test_night_mode_only_admins_post_inside_the_window(make_sim: SimFactory) -> None:
    extra = '[defaults.locks.night]\nenabled = true\nstart = "23:00"\nend = "07:00"\n'
    sim = await make_sim(rules("[]", extra), features=features())  # starts Monday 08:00 Shanghai
    await people(sim)
    await sim.say("u1", "早上好")
    assert not sim.adapter.ops("delete")
    await sim.advance("15h")  # 23:00
    assert "🌙 夜间模式开始" in sim.adapter.sent_texts()[-1]
    await sim.advance("1m")
    handled = await sim.say("u1", "还有人吗")
    assert handled.stopped_by == "locks" and len(sim.adapter.ops("delete")) == 1
    await sim.say("boss", "管理员深夜公告")
    assert len(sim.adapter.ops("delete")) == 1
    await sim.advance("8h")  # 07:01
    assert "夜间模式结束" in sim.adapter.sent_texts()[-1]
    await sim.say("u1", "早")
    assert len(sim.adapter.ops("delete")) == 1
    [row] = await log_rows(sim, ["lock.night"])
    assert row.reason == "night mode (23:00-07:00)"


async def test_slow_mode_one_message_per_interval(make_sim: SimFactory) -> None:
    sim = await make_sim(rules("[]", "[defaults.locks.slow]\nseconds = 60\n"), features=features())
    await people(sim)
    await sim.say("u1", "第一条")
    await sim.advance("30s")
    await sim.say("u1", "第二条太快")
    assert len(sim.adapter.ops("delete")) == 1
    await sim.advance("31s")
    await sim.say("u1", "第三条可以")
    assert len(sim.adapter.ops("delete")) == 1
    [row] = await log_rows(sim, ["lock.slow"])
    assert row.reason == "slow mode: 31 s to wait"


async def test_observe_mode_logs_and_deletes_nothing(make_sim: SimFactory) -> None:
    sim = await make_sim(
        rules('["links"]').replace('name = "测试群"', 'name = "测试群"\nmode = "observe"'),
        features=features(),
    )
    await people(sim)
    await sim.say("u1", **SAMPLES["links"])  # type: ignore[arg-type]
    assert not sim.adapter.ops("delete")
    assert await log_rows(sim, ["lock.deleted"])


async def test_no_strike_unless_the_toml_says_so(make_sim: SimFactory) -> None:
    for strike, expected in (("false", 0), ("true", 1)):
        sim = await make_sim(rules('["links"]', f"strike = {strike}\n"), features=features())
        await people(sim)
        await sim.say("u1", **SAMPLES["links"])  # type: ignore[arg-type]
        assert len(await log_rows(sim, ["strike"])) == expected, strike
