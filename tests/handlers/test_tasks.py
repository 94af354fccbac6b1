"""New-member tasks end to end: done in any order, the questionnaire (a referral joiner's too), the
self-introduction check, the on-topic first post, deadlines with reminders and the configured action,
points and the gift exactly once, and export / erasure of the answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import select

from bot.privacy import erase_user, export_user
from bot.tools.simulator import Simulator
from handlers.contract.capabilities import Capabilities
from handlers.feature import Feature
from handlers.milestones.handler import Milestones
from handlers.referrals.handler import Referrals
from handlers.tasks.handler import Tasks
from handlers.tracking import Tracking
from handlers.welcome.handler import Welcome
from storage.models.core import PointsEntry
from storage.models.onboarding import NewcomerAnswer
from tests.support import SimFactory, log_rows

RULES = """
[defaults]
name = "上海产品经理交流群"
purpose = "上海互联网产品人的交流群"
rules = ["群昵称格式：城市-行业-昵称", "禁止广告"]
[defaults.welcome]
sweep = "every 6h"
nudge_after_hours = 0
[defaults.tasks]
sweep = "every 1h"
gift = "新人礼包：《产品经理入门书单》https://example.com/gift"
first_post_hashtags = ["#新人报到"]
"""


def onboarding() -> list[Feature]:
    return [Tracking(), Referrals(), Welcome(), Tasks(), Milestones()]


def private_texts(sim: Simulator, uid: str) -> list[str]:
    """What the member read in their private chat with the bot (bot-initiated or replies)."""
    return [p.text for p in sim.adapter.posted if p.chat == f"console:private:{uid}"]


async def points_of(sim: Simulator, uid: str) -> list[tuple[int, str]]:
    async with sim.app.db.session() as session:
        rows = (await session.scalars(select(PointsEntry).where(PointsEntry.user_id == uid))).all()
    return [(row.delta, row.source) for row in rows]


Step = Callable[[Simulator], Awaitable[object]]


async def fix_nickname(sim: Simulator) -> None:
    await sim.rename("o_new", "上海-互联网-小新")


async def confirm_rules(sim: Simulator) -> None:
    await sim.press("o_new", "rules:ack")


async def answer_questionnaire(sim: Simulator) -> None:
    await sim.say("o_new", "怎么做好需求优先级", private=True)
    await sim.say("o_new", "/answer 会画原型，懂一点数据分析")


async def introduce(sim: Simulator) -> None:
    await sim.say("o_new", "/intro 互联网-产品经理-想认识更多同行")


ORDERS = {
    "as listed": [fix_nickname, confirm_rules, answer_questionnaire, introduce],
    "reversed": [introduce, answer_questionnaire, confirm_rules, fix_nickname],
    "mixed": [answer_questionnaire, fix_nickname, introduce, confirm_rules],
}


@pytest.mark.parametrize("order", list(ORDERS))
async def test_tasks_in_any_order_earn_points_gift_and_welcome_aboard_once(
    make_sim: SimFactory, order: str
) -> None:
    sim = await make_sim(RULES, features=onboarding())
    sim.add_user("o_new", "小新", username="xiaoxin")
    await sim.join("o_new")
    assert private_texts(sim, "o_new") == []  # greet first: the welcome's button opens the questionnaire
    await sim.advance("10s")
    [welcome] = [p for p in sim.adapter.ops("send") if p.text.startswith("👋")]
    [deep_link] = [b for b in welcome.buttons if b.start]
    assert (deep_link.text, deep_link.start) == ("私聊我完成问卷", "qg1")
    await sim.say("o_new", f"/start {deep_link.start}", private=True)  # what pressing it does
    [first_question] = private_texts(sim, "o_new")
    assert (
        first_question
        == "📝「上海产品经理交流群」入群问卷（1/2），直接回复即可：\n你最想在群里解决的问题是什么？"
    )

    steps = ORDERS[order]
    for step in steps[:-1]:
        await step(sim)
    assert not [t for t in sim.adapter.sent_texts() if "完成了新人任务" in t]
    await sim.say("o_new", "/tasks")
    checklist = sim.adapter.sent_texts()[-1]
    assert "基础 3/4" in checklist and checklist.count("✅") == 3
    await steps[-1](sim)

    aboard = [t for t in sim.adapter.sent_texts() if "完成了新人任务" in t]
    assert aboard == ["🎉 @xiaoxin 完成了新人任务，正式加入「上海产品经理交流群」！大家欢迎～"]
    gift = [t for t in private_texts(sim, "o_new") if t.startswith("🎉 恭喜完成新人任务")]
    assert gift == [
        "🎉 恭喜完成新人任务！已为你加 20 积分。\n🎁 新人礼包：新人礼包：《产品经理入门书单》https://example.com/gift"
    ]
    assert await points_of(sim, "o_new") == [(20, "task")]

    # doing things again changes nothing
    await sim.press("o_new", "rules:ack")
    await sim.say("o_new", "/intro 互联网-产品经理-交朋友")
    await sim.advance("4d")
    assert await points_of(sim, "o_new") == [(20, "task")]
    assert len([r for r in await log_rows(sim, ["tasks.completed"])]) == 1
    assert not [t for t in private_texts(sim, "o_new") if "提醒" in t or "截止" in t]


async def test_a_referral_joiner_is_asked_who_invited_them_and_what_they_expect(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, features=onboarding())
    sim.add_user("o_host", "上海-咨询-老陈")
    sim.add_user("o_friend", "上海-医疗-小周")
    await sim.join("o_host")
    await sim.join("o_friend", invite_link="https://console.invalid/join/g1/ref:o_host")
    await sim.say("o_friend", "/start", private=True)  # a bare /start opens the questionnaire waiting
    [first] = [t for t in private_texts(sim, "o_friend") if "入群问卷" in t]
    assert "是谁推荐你入群的？" in first

    await sim.say("o_friend", "老陈", private=True)
    assert private_texts(sim, "o_friend")[-1] == "收到 ✅ 下一题（2/2）：\n你对本群有什么期待？"
    await sim.say("o_friend", "认识医疗行业的产品经理", private=True)
    assert private_texts(sim, "o_friend")[-1] == "问卷已完成，谢谢！新人任务进度 2/4"  # name was fine already
    await sim.say("o_friend", "还有一句", private=True)  # nothing open any more: no reply
    assert private_texts(sim, "o_friend")[-1] == "问卷已完成，谢谢！新人任务进度 2/4"

    async with sim.app.db.session() as session:
        answers = (await session.scalars(select(NewcomerAnswer).order_by(NewcomerAnswer.id))).all()
    assert [(a.user_id, a.question, a.answer) for a in answers] == [
        ("o_friend", "referrer", "老陈"),
        ("o_friend", "expectation", "认识医疗行业的产品经理"),
    ]
    # answers never go to the event log (personal data): only which question was answered
    for row in await log_rows(sim, ["tasks.answered"]):
        assert "老陈" not in str(row.detail) and row.detail["question"] in ("referrer", "expectation")


async def test_a_wrong_introduction_gets_the_reason_and_an_example(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, features=onboarding())
    sim.add_user("o_new", "上海-互联网-小新")
    await sim.join("o_new")
    await sim.say("o_new", "/intro 大家好我是小新")
    reply = sim.adapter.sent_texts()[-1]
    assert reply.startswith("自我介绍格式不对：应为 行业-岗位-入群期待 三段")
    assert "例如：/intro 互联网-产品经理-想认识更多同行" in reply
    await sim.say("o_new", "/intro 教育 — 课程运营 — 学习增长方法")  # other dashes and spaces are fine
    assert sim.adapter.sent_texts()[-1].startswith("✅ 自我介绍已记录：教育 · 课程运营 · 学习增长方法")


async def test_a_plain_message_in_the_intro_format_counts_and_a_real_post_is_the_advanced_task(
    make_sim: SimFactory,
) -> None:
    sim = await make_sim(RULES, features=onboarding())
    sim.add_user("o_new", "上海-互联网-小新")
    await sim.join("o_new")
    await sim.say("o_new", "金融-风控经理-想学产品思维")
    await sim.say("o_new", "好的")  # too short for a post
    done = [r.detail["task"] for r in await log_rows(sim, ["tasks.done"])]
    assert done == ["nickname", "intro"]
    await sim.say("o_new", "#新人报到 请多关照")  # short, but tagged
    assert [r.detail["task"] for r in await log_rows(sim, ["tasks.done"])][-1] == "first_post"
    assert private_texts(sim, "o_new")[-1].startswith("🌟 进阶任务完成")
    assert await points_of(sim, "o_new") == [(10, "task")]


async def test_rules_command_shows_the_rules_and_confirms_the_task(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, features=onboarding())
    sim.add_user("o_new", "上海-互联网-小新")
    sim.add_user("o_old", "上海-运营-老王")
    await sim.join("o_new")
    await sim.say("o_new", "/rules")
    text = sim.adapter.sent_texts()[-1]
    assert text.startswith("📜 「上海产品经理交流群」群规：\n1. 群昵称格式：城市-行业-昵称\n2. 禁止广告")
    assert text.endswith("✅ 已确认群规，新人任务进度 2/4")
    await sim.say("o_old", "/rules")  # a long-standing member just sees the rules
    assert "新人任务" not in sim.adapter.sent_texts()[-1]
    await sim.say("o_old", "/tasks")
    assert sim.adapter.sent_texts()[-1] == "上海-运营-老王，你没有待完成的新人任务。"
    await sim.press("o_old", "rules:ack")  # the welcome's button: the rules, privately
    assert private_texts(sim, "o_old")[-1].startswith("📜 「上海产品经理交流群」群规：")


@pytest.mark.parametrize("action", ["remind", "mute", "remove"])
async def test_deadline_reminder_then_the_configured_action(make_sim: SimFactory, action: str) -> None:
    rules = RULES + f'on_missed = "{action}"\nremind_before_hours = [24, 2]\nmute_hours = 12\n'
    sim = await make_sim(rules, features=onboarding())
    sim.add_user("o_slow", "小慢", username="xiaoman")
    await sim.join("o_slow")
    await sim.advance("47h")
    assert not [t for t in private_texts(sim, "o_slow") if t.startswith("⏰")]
    await sim.advance("2h")  # 24 h before the deadline
    reminders = [t for t in private_texts(sim, "o_slow") if t.startswith("⏰")]
    assert reminders == [
        "⏰ 新人任务提醒：还差 4 项（改群昵称、确认群规、入群问卷、自我介绍），"
        "请在 3月5日 08:00 前完成，发送 /tasks 查看清单。"
    ]
    await sim.press("o_slow", "rules:ack")
    await sim.advance("20h")  # 3 h before
    assert len([t for t in private_texts(sim, "o_slow") if t.startswith("⏰")]) == 1
    await sim.advance("2h")  # 1 h before: the second reminder, with what is left
    reminders = [t for t in private_texts(sim, "o_slow") if t.startswith("⏰")]
    assert len(reminders) == 2 and "还差 3 项（改群昵称、入群问卷、自我介绍）" in reminders[1]
    assert [p.op for p in sim.adapter.posted if p.op in ("mute", "remove")] == []

    await sim.advance("2h")  # past the deadline
    missed = await log_rows(sim, ["tasks.missed"])
    assert [(r.user_id, r.detail["action"]) for r in missed] == [("o_slow", action)]
    ops = [p.op for p in sim.adapter.posted if p.op in ("mute", "remove", "unmute")]
    public = [t for t in sim.adapter.sent_texts() if "未在截止时间前完成新人任务" in t]
    if action == "remind":
        assert ops == [] and public == []
        last = private_texts(sim, "o_slow")[-1]
        assert last.startswith("⌛ 新人任务已过截止时间，还差：改群昵称、入群问卷、自我介绍")
        await sim.say("o_slow", "/tasks")
        assert "基础 1/4，已过截止时间（3月5日 08:00）" in sim.adapter.sent_texts()[-1]
    elif action == "mute":
        assert ops == ["mute"]
        assert public == [
            "🔇 @xiaoman 未在截止时间前完成新人任务（还差：改群昵称、入群问卷、自我介绍），"
            "禁言 12 小时；完成任务后自动解除。"
        ]
    else:
        assert ops == ["remove"] and "已移出群聊" in public[0]
    await sim.advance("1d")
    assert len(await log_rows(sim, ["tasks.missed"])) == 1  # the action is taken once

    if action == "mute":  # finishing late still earns the gift and lifts the mute
        await sim.rename("o_slow", "上海-互联网-小慢")
        await sim.say("o_slow", "/answer 想系统学产品", private=True)
        await sim.say("o_slow", "/answer 会写 SQL", private=True)
        await sim.say("o_slow", "/intro 互联网-数据分析-转产品", private=True)
        assert [p.op for p in sim.adapter.posted if p.op in ("mute", "unmute")] == ["mute", "unmute"]
        assert await points_of(sim, "o_slow") == [(20, "task")]


async def test_removal_the_platform_cannot_do_is_escalated_to_admins(make_sim: SimFactory) -> None:
    rules = RULES + 'on_missed = "remove"\n'
    caps = Capabilities(can_remove=False, private_chat=False)
    sim = await make_sim(rules, caps=caps, features=onboarding())
    sim.add_user("o_slow", "小慢")
    await sim.join("o_slow")
    await sim.advance("73h")
    [admins] = sim.adapter.ops("admins")
    assert "无法移出 小慢" in admins.text and "newcomer tasks not finished" in admins.text
    said = [t for t in sim.adapter.sent_texts() if t.startswith("🚪")]
    assert len(said) == 1 and said[0].endswith("已通知群主处理。") and "已移出" not in said[0]
    # no private chat on this platform at all: reminders came as mentions in the group
    assert any(t.startswith("@小慢 ⏰ 新人任务提醒") for t in sim.adapter.sent_texts())


async def test_admins_get_no_tasks(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, features=onboarding())
    sim.add_user("o_admin", "上海-运营-群主", admin=True)
    await sim.join("o_admin")
    await sim.advance("4d")
    assert sim.adapter.posted == []


async def test_privacy_export_and_erase_cover_the_onboarding_tables(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, features=onboarding())
    sim.add_user("o_new", "小新")
    await sim.join("o_new")
    await sim.say("o_new", "怎么做好需求优先级", private=True)
    await sim.say("o_new", "/intro 互联网-产品经理-想认识更多同行")
    await sim.app.writer.flush()

    exported = await export_user(sim.app.db, "o_new")
    tables = exported["tables"]
    assert len(tables["newcomers"]) == 1 and tables["newcomers"][0]["due_at"]
    assert {row["question"]: row["answer"] for row in tables["newcomer_answers"]} == {
        "problem": "怎么做好需求优先级",
        "intro": "互联网-产品经理-想认识更多同行",
    }
    assert {row["task"] for row in tables["newcomer_tasks"]} == {"intro"}

    counts = await erase_user(sim.app.db, "o_new", sim.clock.now())
    assert counts["newcomers"] == 1 and counts["newcomer_answers"] == 2 and counts["newcomer_tasks"] == 1
    after = await export_user(sim.app.db, "o_new")
    for name in ("newcomers", "newcomer_answers", "newcomer_tasks", "referral_rewards", "member_milestones"):
        assert after["tables"][name] == []


async def test_with_every_feature_an_ad_never_counts_as_the_first_post(make_sim: SimFactory) -> None:
    """The whole registry: moderation runs before the tasks and stops ads, so they never reach them."""
    sim = await make_sim(RULES)
    sim.add_user("o_new", "上海-互联网-小新")
    await sim.join("o_new")
    handled = await sim.say("o_new", "兼职日结，加我微信 wxid_abc12345 详聊，每天在家轻松赚三百")
    assert handled.stopped_by is not None and handled.stopped_by != "tasks"
    assert "first_post" not in [r.detail["task"] for r in await log_rows(sim, ["tasks.done"])]
    await sim.say("o_new", "请教一下大家，B 端产品做需求调研时一般怎么安排用户访谈？")
    assert [r.detail["task"] for r in await log_rows(sim, ["tasks.done"])][-1] == "first_post"
