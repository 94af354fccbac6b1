"""The satisfaction survey on the fake clock: a sample of recently active members asked in private with
buttons 1–5, answers changeable until the round closes, totals (never who said what) in the weekly
briefing; nothing when the feature is off."""

from __future__ import annotations

from bot.tools.simulator import Simulator
from tests.support import SimFactory, log_rows

RULES = """
[defaults]
timezone = "Asia/Shanghai"
[defaults.topics]
enabled = false
[defaults.checkin]
remind_at = ""
[defaults.briefings]
enabled = true
daily = ""
weekly = "fri 16:00"
[defaults.survey]
enabled = {enabled}
ask_at = "tue 20:00"
sample = 2
active_days = 7
window_days = 2
"""


async def _sim(make_sim: SimFactory, enabled: str = "true") -> Simulator:
    sim = await make_sim(RULES.format(enabled=enabled))  # Monday 2 March 08:00 Shanghai
    sim.add_user("boss", "上海-运营-阿May", admin=True)
    for uid, name in (
        ("a", "上海-产品-小王"),
        ("b", "北京-运营-小李"),
        ("c", "杭州-设计-小陈"),
        ("d", "深圳-测试-阿D"),
    ):
        sim.add_user(uid, name)
        await sim.join(uid)
    await sim.join("boss")
    for uid in ("a", "b", "c"):  # d never speaks: not asked
        await sim.say(uid, "大家好")
    await sim.app.writer.flush()
    return sim


def invitations(sim: Simulator) -> list[tuple[str, str, tuple[str, ...]]]:
    return [
        (p.user or "", p.message_id or "", tuple(b.data for b in p.buttons))
        for p in sim.adapter.ops("private")
        if p.text.startswith("📝")
    ]


async def test_a_sample_of_active_members_is_asked_and_the_briefing_has_the_totals(
    make_sim: SimFactory,
) -> None:
    sim = await _sim(make_sim)
    await sim.advance("1d 11h 59m")  # Tuesday 19:59
    assert invitations(sim) == []
    await sim.advance("1m")  # Tuesday 20:00
    asked = invitations(sim)
    assert len(asked) == 2 and {user for user, _, _ in asked} <= {"a", "b", "c"}  # sample 2, never d
    text = next(p.text for p in sim.adapter.ops("private") if p.text.startswith("📝"))
    assert text.startswith("📝「测试群」满意度小调查：你对本群满意吗？") and "3月5日 20:00 前有效" in text
    (first, mid1, buttons1), (second, mid2, buttons2) = asked
    assert buttons1 == tuple(f"{buttons1[0].rsplit(':', 1)[0]}:{n}" for n in range(1, 6))
    (row,) = await log_rows(sim, ["survey.asked"])
    assert row.detail["invited"] == 2 and row.detail["active"] == 3 and row.detail["seed"]

    await sim.press(first, buttons1[1], mid1)  # 2 …
    await sim.press(first, buttons1[4], mid1)  # … changed to 5
    await sim.redeliver()
    await sim.press(second, buttons2[2], mid2)  # 3
    assert sim.adapter.ops("private")[-1].text.startswith("谢谢！已记下 3 分")
    assert not [t for t in sim.adapter.sent_texts(sim.chat.key) if "谢谢" in t]  # never in the group

    await sim.advance("2d")  # Thursday 20:00: closed
    await sim.press(second, buttons2[0], mid2)
    assert sim.adapter.ops("private")[-1].text == "这次调查已经结束，谢谢你的关注。"

    await sim.advance("20h")  # Friday 16:00
    (weekly,) = [p.text for p in sim.adapter.ops("admins") if "本周回顾" in p.text]
    line = next(x for x in weekly.splitlines() if x.startswith("😊"))
    assert (
        line == "😊 满意度（2026-03-03 发出）：平均 4.0 分，2/2 人回答；5分 1 · 4分 0 · 3分 1 · 2分 0 · 1分 0"
    )


async def test_off_by_default_nobody_is_asked(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim, enabled="false")
    await sim.advance("4d 8h")  # through Tuesday 20:00 to Friday 16:00
    assert invitations(sim) == []
    (weekly,) = [p.text for p in sim.adapter.ops("admins") if "本周回顾" in p.text]
    assert "😊" not in weekly
    assert await log_rows(sim, ["survey.asked"]) == []


async def test_an_invitation_that_cannot_be_delivered_is_not_pointed_to_in_the_group(
    make_sim: SimFactory,
) -> None:
    """A Telegram member who never started the bot cannot be written to first: for a questionnaire the group
    gets a neutral line with a button; a survey invitation is not worth one."""
    sim = await _sim(make_sim)
    await sim.advance("1d 11h 59m")  # Tuesday 19:59 (the welcome and the day's posts are out)
    sim.adapter.refuse.add("private")
    before = list(sim.adapter.sent_texts(sim.chat.key))
    await sim.advance("1m")  # Tuesday 20:00
    assert sim.adapter.sent_texts(sim.chat.key) == before
    outcomes = [o for h in sim.history for o in h.outcomes if getattr(o.action, "purpose", "") == "survey"]
    assert len(outcomes) == 2 and {o.status for o in outcomes} == {"skipped"}
