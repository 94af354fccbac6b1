"""Join verification end to end on the console platform: muted on join, released by the right choice
(and only then welcomed), removed on a wrong choice or at the deadline, kept muted where the group says so."""

from __future__ import annotations

from bot.platforms.console import Posted
from bot.tools.simulator import Simulator
from handlers.contract.capabilities import Capabilities
from handlers.feature import Feature
from handlers.referrals.handler import Referrals
from handlers.tasks.handler import Tasks
from handlers.tracking import Tracking
from handlers.verify.handler import Verify, parse_press
from handlers.welcome.handler import Welcome
from tests.support import SimFactory, log_rows

RULES = """
[defaults]
name = "测试群"
rules = ["不发广告", "友善交流"]
[defaults.welcome]
batch_seconds = 0
[defaults.verify]
method = "{method}"
timeout_minutes = 5
on_timeout = "{on_timeout}"
[[defaults.verify.questions]]
question = "本群禁止什么？"
answer = "发广告"
wrong = ["发言", "提问"]
"""


def rules(method: str = "button", on_timeout: str = "remove") -> str:
    return RULES.replace("{method}", method).replace("{on_timeout}", on_timeout)


def door() -> list[Feature]:
    return [Tracking(), Verify(), Referrals(), Welcome(), Tasks()]


def challenge(sim: Simulator) -> Posted:
    return [p for p in sim.adapter.ops("send") if p.buttons and p.buttons[0].data.startswith("verify:")][-1]


def right_and_wrong(sim: Simulator, uid: str) -> tuple[str, str]:
    """The passing button's data and a failing one's, found by asking the stored row (not the text)."""
    post = challenge(sim)
    datas = [b.data for b in post.buttons]
    assert all(parse_press(d) is not None and parse_press(d)[0] == uid for d in datas)  # type: ignore[index]
    return datas[0], datas[-1]


async def answer_index(sim: Simulator, uid: str) -> int:
    from storage.repos.verify import VerificationRepo

    async with sim.app.db.session() as session:
        row = await VerificationRepo(session).pending(sim.chat.key, uid)
    assert row is not None
    return row.answer


async def test_button_mutes_then_releases_and_only_then_welcomes(make_sim: SimFactory) -> None:
    sim = await make_sim(rules("button"), features=door())
    sim.add_user("u1", "北京-产品-小明")
    handled = await sim.join("u1")
    assert handled.stopped_by == "verify"
    [mute] = sim.adapter.ops("mute")
    assert mute.user == "u1"
    post = challenge(sim)
    assert "5 分钟" in post.text and [b.text for b in post.buttons] == ["✅ 我不是机器人"]
    await sim.advance("1m")
    assert not any("欢迎" in t and "测试群" in t for t in sim.adapter.sent_texts())  # no welcome yet

    await sim.press("u1", post.buttons[0].data, message_id=post.message_id)
    assert [p.user for p in sim.adapter.ops("unmute")] == ["u1"]
    assert post.deleted
    await sim.advance("1m")
    assert any("测试群" in t for t in sim.adapter.sent_texts() if t != post.text)  # the welcome came
    [passed] = await log_rows(sim, ["verify.passed"])
    assert passed.user_id == "u1" and passed.reason == "button answered"
    assert await log_rows(sim, ["member_verified"])

    await sim.press("u1", post.buttons[0].data)  # a second press changes nothing
    assert len(sim.adapter.ops("unmute")) == 1
    await sim.advance("10m")
    assert not sim.adapter.ops("remove")  # passed members are not swept at the deadline


async def test_someone_elses_button_does_nothing_and_an_admin_can_approve(make_sim: SimFactory) -> None:
    sim = await make_sim(rules("arithmetic"), features=door())
    sim.add_user("u1", "新人")
    sim.add_user("u2", "老成员")
    sim.add_user("boss", "群主", admin=True)
    await sim.join("u1")
    post = challenge(sim)
    assert len(post.buttons) == 4 and "= ?" in post.text
    await sim.press("u2", post.buttons[0].data)
    assert not sim.adapter.ops("unmute") and not sim.adapter.ops("remove")
    await sim.press("boss", post.buttons[0].data)
    assert [p.user for p in sim.adapter.ops("unmute")] == ["u1"]
    [passed] = await log_rows(sim, ["verify.passed"])
    assert passed.reason == "approved by admin 群主"


async def test_right_arithmetic_answer_passes(make_sim: SimFactory) -> None:
    sim = await make_sim(rules("arithmetic"), features=door())
    sim.add_user("u1", "新人")
    await sim.join("u1")
    post = challenge(sim)
    right = await answer_index(sim, "u1")
    question = post.text.split("：")[-1].removesuffix(" = ?")
    a, op, b = question.split()
    assert int(post.buttons[right].text) == (int(a) + int(b) if op == "+" else int(a) * int(b))
    await sim.press("u1", post.buttons[right].data)
    assert [p.user for p in sim.adapter.ops("unmute")] == ["u1"]


async def test_wrong_rules_answer_removes_with_the_reason(make_sim: SimFactory) -> None:
    sim = await make_sim(rules("question"), features=door())
    sim.add_user("u1", "新人")
    await sim.join("u1")
    post = challenge(sim)
    assert "本群禁止什么？" in post.text
    assert sorted(b.text for b in post.buttons) == ["发广告", "发言", "提问"]
    right = await answer_index(sim, "u1")
    wrong = next(i for i in range(3) if i != right)
    await sim.press("u1", post.buttons[wrong].data)
    assert [p.user for p in sim.adapter.ops("remove")] == ["u1"]
    assert not sim.adapter.ops("unmute")
    [failed] = await log_rows(sim, ["verify.failed"])
    assert failed.reason == f"wrong answer: chose option {wrong + 1}, the right one was {right + 1}"
    await sim.advance("10m")
    assert len(sim.adapter.ops("remove")) == 1  # not removed again at the deadline

    await sim.join("u1")  # may rejoin, and is asked again
    assert len(sim.adapter.ops("mute")) == 2


async def test_timeout_removes_after_the_deadline_not_before(make_sim: SimFactory) -> None:
    sim = await make_sim(rules("button"), features=door())
    sim.add_user("u1", "新人")
    await sim.join("u1")
    await sim.advance("4m")
    assert not sim.adapter.ops("remove")
    await sim.advance("2m")
    assert [p.user for p in sim.adapter.ops("remove")] == ["u1"]
    [timeout] = await log_rows(sim, ["verify.timeout"])
    assert timeout.reason == "no answer in 5 min: removed"
    await sim.press("u1", challenge(sim).buttons[0].data)  # too late
    assert not sim.adapter.ops("unmute")


async def test_timeout_keeps_muted_where_the_group_prefers(make_sim: SimFactory) -> None:
    sim = await make_sim(rules("button", on_timeout="mute"), features=door())
    sim.add_user("u1", "新人")
    await sim.join("u1")
    await sim.advance("6m")
    assert not sim.adapter.ops("remove") and not sim.adapter.ops("unmute")
    [timeout] = await log_rows(sim, ["verify.timeout"])
    assert timeout.reason == "no answer in 5 min: kept muted"


async def test_deadline_survives_a_restart_of_the_feature(make_sim: SimFactory) -> None:
    """The pending challenge is in the database: a fresh feature object (a restart) still removes."""
    sim = await make_sim(rules("button"), features=door())
    sim.add_user("u1", "新人")
    await sim.join("u1")
    fresh = Verify()
    sim.app.pipeline.features = [fresh if f.name == "verify" else f for f in sim.app.pipeline.features]
    sim.app.scheduler.features = sim.app.pipeline.features
    await sim.advance("6m")
    assert [p.user for p in sim.adapter.ops("remove")] == ["u1"]


async def test_admins_bots_and_members_added_by_an_admin_are_not_asked(make_sim: SimFactory) -> None:
    sim = await make_sim(rules("button"), features=door())
    sim.add_user("boss", "群主", admin=True)
    sim.add_user("b1", "helper_bot", bot=True)
    sim.add_user("u1", "朋友")
    await sim.join("boss")
    await sim.join("b1")
    handled = await sim.join("u1", by="boss")
    assert not sim.adapter.ops("mute") and handled.stopped_by is None


async def test_a_message_that_slips_through_before_passing_is_deleted(make_sim: SimFactory) -> None:
    sim = await make_sim(rules("button"), features=door())
    sim.add_user("u1", "新人")
    await sim.join("u1")
    handled = await sim.say("u1", "加我微信")
    assert handled.stopped_by == "verify" and sim.adapter.ops("delete")


async def test_no_mute_right_tells_the_admins_and_onboards_as_usual(make_sim: SimFactory) -> None:
    caps = Capabilities(buttons=True, can_delete=True, can_mute=False)
    sim = await make_sim(rules("button"), caps=caps, features=door())
    sim.add_user("u1", "新人")
    handled = await sim.join("u1")
    assert handled.stopped_by is None
    assert "无法限制新成员发言" in sim.adapter.ops("admins")[0].text
    assert await log_rows(sim, ["verify.unavailable"])


async def test_observe_mode_mutes_nobody(make_sim: SimFactory) -> None:
    sim = await make_sim(
        rules("button").replace('name = "测试群"', 'name = "测试群"\nmode = "observe"'), features=door()
    )
    sim.add_user("u1", "新人")
    handled = await sim.join("u1")
    assert not sim.adapter.ops("mute") and handled.stopped_by is None


async def test_method_none_changes_nothing(make_sim: SimFactory) -> None:
    sim = await make_sim(rules("none"), features=door())
    sim.add_user("u1", "新人")
    handled = await sim.join("u1")
    assert not sim.adapter.ops("mute") and handled.stopped_by is None
