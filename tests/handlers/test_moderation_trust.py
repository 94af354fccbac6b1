"""Moderation an admin can trust: one removal per burst, a removal at once with a link, commands are
commands, /report @member without a message, warnings without public notices, reports never against admins,
and sanction()'s own admin guard."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.tools.simulator import Simulator
from handlers.abuse.handler import Abuse
from handlers.ads.handler import Ads
from handlers.common.strikes import sanction
from handlers.config import GroupConfig
from handlers.contract.capabilities import Capabilities
from handlers.contract.events import Chat, User
from handlers.feature import Context, Repos
from handlers.moderation.flood import Flood
from handlers.moderation.handler import Moderation
from handlers.tracking import Tracking
from tests.support import SimFactory, log_rows


async def group(make_sim: SimFactory, rules: str = "") -> Simulator:
    sim = await make_sim(rules, features=[Tracking(), Ads(), Abuse(), Flood(), Moderation()])
    sim.add_user("adm", "上海-运营-阿May", "amay", admin=True)
    sim.add_user("lee", "北京-金融-老李", "laoli")
    for uid in ("m1", "m2", "m3"):
        sim.add_user(uid, f"上海-互联网-成员{uid}", uid)
    for uid in ("adm", "lee", "m1", "m2", "m3"):
        await sim.join(uid)
    return sim


async def test_the_rest_of_a_burst_after_a_removal_is_deleted_silently(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    for i in range(5):  # the 3rd removes; the 4th and 5th were sent before the ban landed
        await sim.say("lee", f"加我微信 abc1234{i} 有好货", label=f"ad{i}")
    assert [p.user for p in sim.adapter.ops("remove")] == ["lee"]  # one ban + unban
    removals = [t for t in sim.adapter.sent_texts() if "移出群聊。原因" in t]
    assert len(removals) == 1 and "第 3 次" in removals[0]
    assert [p.message_id for p in sim.adapter.ops("delete")] == [sim.messages[f"ad{i}"].id for i in range(5)]
    skipped = await log_rows(sim, ["strike_skipped"])
    assert [r.reason for r in skipped] == ["already being removed"] * 2
    assert len(await log_rows(sim, ["strike"])) == 3


async def test_a_removal_long_ago_does_not_silence_a_rejoined_member(make_sim: SimFactory) -> None:
    sim = await group(make_sim, '[defaults.moderation]\nladder = ["remove"]\n')
    await sim.say("lee", "加我微信 abc12340 有好货")
    await sim.advance("11m")
    await sim.say("lee", "加我微信 abc12341 有好货")
    assert [p.user for p in sim.adapter.ops("remove")] == ["lee", "lee"]


async def test_a_porn_ad_with_a_link_is_removed_at_once(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await sim.say("lee", "同城约，附近美女上门服务 http://meet-520.top")
    assert [p.user for p in sim.adapter.ops("remove")] == ["lee"]
    (strike,) = await log_rows(sim, ["strike"])
    assert strike.detail["category"] == "porn" and strike.detail["at_once"] is True


async def test_a_news_line_about_knives_is_kept(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await sim.say("lee", "新闻：地铁安检查获管制刀具 3 把，提醒乘客不要携带")
    await sim.say("m1", "男子携带管制刀具进入商场被拘留")
    assert not sim.adapter.ops("delete") and not sim.adapter.ops("remove")


async def test_a_member_typing_an_admin_command_gets_the_refusal_not_a_strike(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    for _ in range(3):
        await sim.say("lee", "/warn +99999 @m1")
        await sim.advance("1m")
    assert not sim.adapter.ops("remove") and not await log_rows(sim, ["strike", "ad_detected"])
    assert len(await log_rows(sim, ["admin_refused"])) == 3


async def test_report_a_member_without_a_message(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await sim.say("m1", "/report @laoli 私加骚扰")
    (note,) = sim.adapter.ops("admins")
    expected = (
        "📣 上海-互联网-成员m1 举报了成员 北京-金融-老李（群 测试群），理由：私加骚扰，已有 1 人举报此成员。"
    )
    assert note.text == expected
    assert sim.adapter.sent_texts()[-1] == "已收到举报，管理员会尽快处理，谢谢 上海-互联网-成员m1！"
    await sim.say("m1", "/report @laoli 又来了")
    assert sim.adapter.sent_texts()[-1] == "你已经举报过这条消息了，谢谢。"
    await sim.say("m2", "/report @laoli")
    assert sim.adapter.ops("admins")[-1].text.endswith("已有 2 人举报此成员。")
    await sim.say("m3", "/report @nobody 骚扰")
    assert sim.adapter.sent_texts()[-1] == "找不到成员 @nobody。"
    await sim.say("lee", "/report @laoli")
    assert sim.adapter.sent_texts()[-1] == "不能举报自己的消息哦。"
    rows = await log_rows(sim, ["reported_member"])
    assert [(r.user_id, r.detail["reporter"]) for r in rows] == [("lee", "m1"), ("lee", "m2")]
    assert not await log_rows(sim, ["strike"])  # nothing in the group shows it: the admins decide


async def test_warnings_without_public_notices(make_sim: SimFactory) -> None:
    sim = await group(make_sim, "[defaults.moderation]\npublic_notice = false\n")
    await sim.say("lee", "加我微信 abc12345 有好货")
    assert sim.adapter.sent_texts() == []
    (strike,) = await log_rows(sim, ["strike"])
    assert strike.detail["step"] == "warn"


async def test_enough_reports_never_delete_an_admins_message(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await sim.say("adm", "本周话题：大家怎么看远程办公？", label="topic")
    for uid in ("m1", "m2", "m3"):
        await sim.say(uid, "/report", reply_to="topic")
    assert not sim.adapter.ops("delete") and not await log_rows(sim, ["strike", "strike_skipped"])
    assert len(sim.adapter.ops("admins")) == 3


async def test_sanction_never_touches_an_admin() -> None:
    """The guard is sanction()'s own, not only add_strike's: no row, no platform action, no database."""

    def no_database() -> AsyncSession:
        raise AssertionError("an admin's sanction must not reach the database")

    chat = Chat("console", "g1", "group", "测试群")
    ctx = Context(chat, GroupConfig(), no_database, Capabilities(), datetime(2026, 3, 2, tzinfo=UTC), Repos)
    admin = User("adm", "上海-运营-阿May", "amay", is_admin=True)
    for kind in ("remove", "ban", "mute"):
        actions = await sanction(ctx, chat, admin, kind, "test", until=ctx.now)  # type: ignore[arg-type]
        assert [(type(a).__name__, getattr(a, "kind", "")) for a in actions] == [
            ("Record", "sanction_skipped")
        ]


async def test_a_wall_of_one_letter_is_a_flood_not_an_ad(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    handled = await sim.say("lee", "a" * 100_000, label="wall")
    assert handled.stopped_by == "flood"
    assert [p.message_id for p in sim.adapter.ops("delete")] == [sim.messages["wall"].id]
    (strike,) = await log_rows(sim, ["strike"])
    assert strike.detail["category"] == "flood" and strike.detail["kind"] == "nonsense"
    assert not await log_rows(sim, ["ad_detected"])
    await sim.say("m1", "哈" * 199)  # below nonsense_chars
    await sim.say("m2", "今天的分享太精彩了" * 30)  # long, but not a few letters
    assert len(await log_rows(sim, ["strike"])) == 1


async def test_a_known_member_announcing_their_new_number_is_not_an_ad(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    topics = "早午晚春夏秋冬东南西北山水风云雨雪花草树"
    for n, word in enumerate(topics):
        await sim.say("lee", f"说到{word}，我也有同感")
        if n < 19:  # one message short of an established member
            await sim.say("m2", f"{word}字怎么写来着")
        await sim.advance("1h")
    await sim.advance("15d")
    await sim.app.writer.flush()  # the batched message counters, as the writer does within a second
    announce = "大家好，我换号了，新号码 13912345678，有事打这个"
    await sim.say("lee", announce, label="own")
    await sim.say("lee", "@13912345678 你快递到了，在门卫室", label="mention")  # an 11-digit QQ
    assert not sim.adapter.ops("delete")
    assert len(await log_rows(sim, ["ad_cleared"])) == 2
    await sim.say("m1", announce, label="stranger")  # a member with no history: a contact, as written
    await sim.say("m2", announce.replace("139", "138"), label="newish")
    deleted = [p.message_id for p in sim.adapter.ops("delete")]
    assert deleted == [sim.messages["stranger"].id, sim.messages["newish"].id]
    await sim.say("lee", "我换号了 13912345678，兼职日结，需要的私我", label="offer")  # history is no licence
    assert sim.adapter.ops("delete")[-1].message_id == sim.messages["offer"].id
