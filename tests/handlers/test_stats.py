from __future__ import annotations

from datetime import timedelta

from handlers.contract.capabilities import Capabilities
from handlers.stats import Stats
from handlers.tracking import Tracking
from tests.support import SimFactory


async def test_stats_for_admins_privately_with_speak_rate(make_sim: SimFactory) -> None:
    sim = await make_sim(features=[Tracking(), Stats()])
    sim.add_user("boss", "上海-运营-群主", admin=True)
    for uid in ("a", "b", "c", "d"):
        sim.add_user(uid, f"上海-互联网-{uid}")
        await sim.join(uid)
    await sim.leave("d")
    await sim.say("a", "早")
    await sim.say("b", "早上好")
    await sim.advance(timedelta(hours=1))
    await sim.app.writer.flush()  # figures come from stored rows
    await sim.say("a", "/stats")
    assert sim.adapter.sent_texts() == ["只有管理员可以查看群数据。"]
    await sim.say("boss", "/stats 3")
    (report,) = [p for p in sim.adapter.posted if p.op == "private"]
    assert report.user == "boss"
    assert "近 3 天数据" in report.text
    assert "成员 3 人（新进 4，退出 1）" in report.text  # the admin only spoke after the last write
    assert "今日发言 2 人，日发言率 67%" in report.text


async def test_stats_fall_back_to_the_group_without_private_chat(make_sim: SimFactory) -> None:
    sim = await make_sim(
        '[defaults]\nlanguage = "en"\n', caps=Capabilities(private_chat=False), features=[Tracking(), Stats()]
    )
    sim.add_user("boss", "Boss", username="boss", admin=True)
    await sim.say("boss", "/stats")
    (text,) = sim.adapter.sent_texts()
    assert text.startswith("@boss 📊") and "last 7 days" in text and "30-day retention: n/a" in text
