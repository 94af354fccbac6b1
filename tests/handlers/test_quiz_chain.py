"""Quiz with a draw and 话题接龙 end to end on the console platform with the fake clock."""

from __future__ import annotations

from datetime import timedelta

from bot.tools.simulator import Simulator
from handlers.chain.handler import Chain
from handlers.quiz.handler import Quiz
from handlers.tracking import Tracking
from rules.lottery import draw_tickets
from tests.support import SimFactory, log_rows

# START is Monday 2026-03-02 08:00 in Shanghai; the quiz is asked at 09:00, answers count for 30 minutes.
RULES = """
[defaults.topics]
enabled = false
[defaults.honours]
enabled = false
[defaults.quiz]
enabled = true
at = "09:00"
window_minutes = 30
winners = 2
prize = "10 积分"
close_check = "every 5m"
[[defaults.quiz.questions]]
question = "Excel 里反向查找用哪个函数？"
answers = ["XLOOKUP", "xlookup 函数"]
[[defaults.quiz.questions]]
question = "一周有几天？"
answers = ["7", "七"]
"""


async def _sim(make_sim: SimFactory, rules: str = RULES) -> Simulator:
    sim = await make_sim(rules, features=[Tracking(), Quiz(), Chain()])
    sim.add_user("admin", "运营-阿May", admin=True)
    sim.add_user("a", "上海-产品-小王", username="xw")
    sim.add_user("b", "北京-运营-小李")
    sim.add_user("c", "深圳-设计-小陈")
    for uid in ("admin", "a", "b", "c"):
        await sim.join(uid)
    return sim


async def test_right_answers_in_the_window_enter_a_reproducible_draw(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    await sim.say("a", "/答 XLOOKUP")
    assert sim.adapter.sent_texts()[-1] == "现在没有进行中的问答。"
    await sim.advance(timedelta(hours=1, minutes=1))
    assert sim.adapter.sent_texts()[-1].startswith("🧠 知识问答：Excel 里反向查找用哪个函数？")
    await sim.say("a", "/答 VLOOKUP")
    assert sim.adapter.sent_texts()[-1] == "❌ 不对，再想想？"
    await sim.say("a", "/答 ｘｌｏｏｋｕｐ！")  # full-width, punctuation: still right
    assert sim.adapter.sent_texts()[-1] == "✅ 答对了，已进入抽奖！"
    await sim.say("a", "/answer xlookup")  # right again: one entry
    await sim.say("b", "/answer Xlookup 函数")
    await sim.say("admin", "/答 xlookup")
    await sim.advance(timedelta(minutes=29))
    await sim.say("c", "/答 xlookup")  # 09:30 exactly: the window has closed
    assert sim.adapter.sent_texts()[-1] == "现在没有进行中的问答。"
    await sim.advance(timedelta(minutes=10))

    results = [t for t in sim.adapter.sent_texts() if t.startswith("🧠 问答结束")]
    assert len(results) == 1
    assert "答案：XLOOKUP" in results[0] and "答对 3 人" in results[0] and "（奖品：10 积分）" in results[0]
    drawn = await log_rows(sim, ["quiz.drawn"])
    assert len(drawn) == 1
    seed = str(drawn[0].detail["seed"])
    assert seed not in results[0]  # the seed is for the admins and the log, not the group
    notices = [p.text for p in sim.adapter.ops("admins")]
    assert any(seed in text and "候选 3 人" in text for text in notices)
    expected = draw_tickets(["a", "b", "admin"], 2, seed)  # anyone can redo the draw from the log
    assert drawn[0].detail["winners"] == [t for t, _ in expected]
    won = await log_rows(sim, ["quiz.won"])
    assert [row.user_id for row in won] == [user for _, user in expected]
    right = [row.user_id for row in await log_rows(sim, ["quiz.right"])]
    assert right == ["a", "b", "admin"]

    await sim.advance(timedelta(days=1))  # the next day: the next question of the pool, drawn once each
    assert any(t.startswith("🧠 知识问答：一周有几天？") for t in sim.adapter.sent_texts())
    assert len([t for t in sim.adapter.sent_texts() if t.startswith("🧠 问答结束")]) == 2
    assert sim.adapter.sent_texts()[-1].endswith("这次没有人答对。")


def test_the_draw_is_reproducible_and_ignores_order_and_duplicates() -> None:
    first = draw_tickets(["a", "b", "c", "d"], 2, "seed1")
    assert draw_tickets(["d", "c", "b", "a", "a"], 2, "seed1") == first
    assert len({user for _, user in first}) == 2
    assert draw_tickets(["a"], 3, "seed1")[0][1] == "a" and len(draw_tickets(["a"], 3, "seed1")) == 1


async def test_the_chain_of_the_day_is_numbered_and_starts_over_the_next_day(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim)
    await sim.say("a", "/接龙")
    assert sim.adapter.sent_texts()[-1].startswith("今天还没有接龙")
    await sim.say("a", "/接龙 我推荐《增长黑客》")
    await sim.say("b", "/chain 我推荐《启示录》")
    assert sim.adapter.sent_texts()[-1] == (
        "🔗 今日接龙（2）\n1. 上海-产品-小王：我推荐《增长黑客》\n2. 北京-运营-小李：我推荐《启示录》"
    )
    shown = [p for p in sim.adapter.ops("send") if p.text.startswith("🔗")]
    assert [p.deleted for p in shown] == [True, False]  # the chain is one message that follows the latest
    await sim.say("c", "/接龙 " + "长" * 101)
    assert sim.adapter.sent_texts()[-1] == "每条接龙最多 100 个字。"
    await sim.advance(timedelta(hours=16, minutes=1))  # 00:01 the next day in Shanghai
    await sim.say("c", "/接龙 新的一天")
    assert sim.adapter.sent_texts()[-1] == "🔗 今日接龙（1）\n1. 深圳-设计-小陈：新的一天"
    assert [row.user_id for row in await log_rows(sim, ["chain.added"])] == ["a", "b", "c"]


async def test_a_long_chain_shows_the_newest_links(make_sim: SimFactory) -> None:
    sim = await _sim(make_sim, RULES + "[defaults.chain]\nshown = 5\n")
    for n in range(1, 7):
        await sim.say("a", f"/接龙 第{n}条")
    lines = sim.adapter.sent_texts()[-1].split("\n")
    assert lines[:3] == ["🔗 今日接龙（6）", "…（前 1 条省略）", "2. 上海-产品-小王：第2条"]
    assert lines[-1] == "6. 上海-产品-小王：第6条"


async def test_the_quiz_is_not_asked_where_members_answers_cannot_reach_the_bot(make_sim: SimFactory) -> None:
    from bot.platforms.wecom.kinds import KINDS

    sim = await make_sim(RULES, caps=KINDS["customer"].caps, features=[Tracking(), Quiz(), Chain()])
    await sim.advance(timedelta(hours=1, minutes=1))
    assert not any("知识问答" in t for t in sim.adapter.sent_texts())
    [skipped] = await log_rows(sim, ["quiz.skipped"])
    assert "cannot reach the bot" in skipped.reason
    assert await log_rows(sim, ["quiz.asked"]) == []
