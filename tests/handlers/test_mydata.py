"""``/mydata`` and ``/forgetme``: members ask for their own data in private; the erasure waits for a
confirmation, runs at the next ``privacy.erase`` run, leaves no row naming them, and both are audited."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.tools.simulator import Simulator
from storage.models import Base
from storage.models.core import Member
from tests.support import SimFactory, log_rows

RULES = '[defaults]\ntimezone = "Asia/Shanghai"\n[defaults.topics]\nenabled = false\n'
NAME = "上海-互联网-小王"


async def _sim(make_sim: SimFactory) -> Simulator:
    sim = await make_sim(RULES)
    sim.add_user("boss", "上海-运营-阿May", admin=True)
    sim.add_user("u_wang", NAME, username="xiaowang")
    sim.add_user("u_li", "北京-运营-小李")
    for uid in ("boss", "u_wang", "u_li"):
        await sim.join(uid)
    await sim.say("u_wang", "打卡")
    await sim.say("u_li", "@xiaowang 你好")
    return sim


def private_texts(sim: Simulator, uid: str) -> list[str]:
    return [p.text for p in sim.adapter.posted if p.chat == f"console:private:{uid}" and p.op == "send"]


async def test_mydata_in_private_lists_what_is_kept(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    await sim.say("u_wang", "/mydata")  # in the group: only a pointer, no data
    assert sim.adapter.sent_texts(sim.chat.key)[-1].endswith("请私聊我发送 /mydata。")
    await sim.say("u_wang", "/mydata", private=True)
    text = private_texts(sim, "u_wang")[-1]
    assert text.startswith("🔐 我为你保存的数据：")
    assert f"· 测试群：昵称「{NAME}」，入群 2026-03-02" in text
    assert "· 打卡：1 条" in text and "· 事件日志：" in text and "/forgetme" in text
    (row,) = await log_rows(sim, ["privacy.export"])
    assert row.user_id == "u_wang" and row.detail["tables"]["checkins"] == 1


async def test_forgetme_needs_a_confirmation_then_erases_everything(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    await sim.say("u_wang", "/forgetme", private=True)
    assert "确认请发送：/forgetme 确认" in private_texts(sim, "u_wang")[-1]
    await sim.advance("30m")
    async with sim.app.db.session() as session:
        assert await session.scalar(select(Member.id).where(Member.user_id == "u_wang"))  # nothing yet
    await sim.say("u_wang", "/forgetme 确认", private=True)
    assert "30 分钟内删除" in private_texts(sim, "u_wang")[-1]
    await sim.app.writer.flush()
    await sim.advance("31m")
    everything = []
    async with sim.app.db.session() as session:
        for table in Base.metadata.sorted_tables:
            for row in await session.execute(table.select()):
                everything.append(json.dumps(dict(row._mapping), ensure_ascii=False, default=str))
    dump = "\n".join(everything)
    assert "u_wang" not in dump and NAME not in dump and "xiaowang" not in dump
    assert "北京-运营-小李" in dump  # others stay
    kinds = [row.kind for row in await log_rows(sim, None) if row.kind.startswith("privacy.")]
    assert {"privacy.forget_asked", "privacy.forget_confirmed", "privacy.erased", "privacy.erasures"} <= set(
        kinds
    )
    await sim.advance("2h")  # the request is done: later runs find nothing to do
    assert len(await log_rows(sim, ["privacy.erasures"])) == 1
