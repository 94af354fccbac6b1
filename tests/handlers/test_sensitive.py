"""Sensitive content: the admins are told (category and words), nothing is deleted unless the group says so,
nobody is struck; the group's own lists through the normaliser."""

from __future__ import annotations

from bot.tools.simulator import Simulator
from handlers.moderation.handler import Moderation
from handlers.sensitive.handler import Sensitive
from handlers.tracking import Tracking
from rules.sensitive import SensitiveDetector
from tests.support import SimFactory, log_rows


async def group(make_sim: SimFactory, rules: str = "") -> Simulator:
    sim = await make_sim(rules, features=[Tracking(), Sensitive(), Moderation()])
    sim.add_user("adm", "上海-运营-阿May", "amay", admin=True)
    sim.add_user("lee", "北京-金融-老李", "laoli")
    for uid in ("adm", "lee"):
        await sim.join(uid)
    return sim


async def test_a_rumour_is_shown_to_the_admins_and_kept(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await sim.say("lee", "紧急扩散！明天起全国停止发放退休金，不转不是中国人", label="r")
    assert not sim.adapter.ops("delete") and not await log_rows(sim, ["strike"])
    (note,) = sim.adapter.ops("admins")
    assert note.text.startswith(f"⚠️ 北京-金融-老李 的消息（ID {sim.messages['r'].id}）涉及疑似谣言内容（")
    assert "紧急扩散" in note.text and "已按本群设置删除" not in note.text
    (row,) = await log_rows(sim, ["sensitive_detected"])
    assert row.detail["categories"] == ["rumour"] and row.detail["action"] == "notify"


async def test_deleted_only_where_the_group_says_so(make_sim: SimFactory) -> None:
    rules = (
        '[defaults.sensitive.keywords]\nlocal = ["某小区爆炸"]\n'
        '[defaults.sensitive.actions]\nlocal = "delete"\n'
    )
    sim = await group(make_sim, rules)
    await sim.say("lee", "听说 某 小 區 爆 炸 了？", label="x")  # spaced, traditional
    assert [p.message_id for p in sim.adapter.ops("delete")] == [sim.messages["x"].id]
    assert "已按本群设置删除" in sim.adapter.ops("admins")[0].text
    await sim.say("lee", "速转！看完请转发")  # the built-in rumour list: still only a note
    assert len(sim.adapter.ops("delete")) == 1 and len(sim.adapter.ops("admins")) == 2
    await sim.say("adm", "速转：下周停电通知")  # admins are not checked
    assert len(sim.adapter.ops("admins")) == 2


def test_lists_can_be_replaced_and_plain_chat_is_untouched() -> None:
    assert SensitiveDetector().detect("今天天气不错，我们去游行的队伍里看热闹吗") is None
    own = SensitiveDetector({"brand": ["竞品A"]}, defaults=False)
    assert own.detect("不转不是中国人") is None
    hit = own.detect("大家别买竞品Ａ")
    assert hit is not None and hit.categories == ("brand",)
