"""Nickname format end to end: reminders with a correct example, grace period, consequence, exemptions."""

from __future__ import annotations

from pathlib import Path

from bot.tools.simulator import Simulator
from handlers.feature import Feature
from handlers.moderation.handler import Moderation
from handlers.nickname.handler import Nickname
from handlers.tracking import Tracking
from storage.repos.moderation import NicknameRepo
from tests.support import SimFactory, log_rows

CITIES = '[defaults.nickname.fields.city]\nallowed = ["上海", "北京", "深圳", "杭州"]\n'
REMIND_XW = (
    "@xw 你好！本群昵称格式为「城市-行业-昵称」，你现在的昵称「小王」不符合："
    "应为 城市-行业-昵称（3 段），「小王」只有 1 段。\n"
    "请修改群昵称，例如：上海-互联网-小王\n请在 3月3日 08:00 前修改，逾期将记违规一次。"
)


def features() -> list[Feature]:
    return [Tracking(), Moderation(), Nickname()]


NO_WELCOME = "[defaults.welcome]\nenabled = false\n"  # with a welcome, the request is a line of it


async def group(make_sim: SimFactory, rules: str = "", db_url: str | None = None) -> Simulator:
    if "[defaults.welcome]" not in rules:
        rules = NO_WELCOME + rules
    sim = await make_sim(rules, features=features(), db_url=db_url)
    sim.add_user("adm", "阿May", "amay", admin=True)  # admins are never checked, whatever their name
    sim.add_user("xw", "小王", "xw")
    sim.add_user("ok", "杭州-电商-阿杰", "ajie")
    return sim


async def pending(sim: Simulator, uid: str) -> bool:
    async with sim.app.db.session() as session:
        return await NicknameRepo(session).get(sim.chat.key, uid) is not None


async def test_join_with_a_wrong_name_gets_a_reminder_with_a_correct_example(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await sim.join("adm")
    await sim.join("ok")
    await sim.join("xw")
    assert sim.adapter.sent_texts() == [REMIND_XW]
    (row,) = await log_rows(sim, ["nickname_invalid"])
    assert row.user_id == "xw" and row.detail["trigger"] == "join"
    assert row.detail["deadline"] == "2026-03-03T00:00:00+00:00"
    assert "只有 1 段" in row.reason
    assert await pending(sim, "xw") and not await pending(sim, "ok")


async def test_fixing_the_name_ends_the_grace_period(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await sim.join("xw")
    reminder_id = sim.adapter.posted[0].message_id
    await sim.advance("2h")
    await sim.rename("xw", "上海｜互联网｜小王")
    assert sim.adapter.sent_texts()[-1] == "谢谢 @xw，昵称已符合格式 👍"
    assert sim.adapter.posted[0].deleted and sim.adapter.ops("delete")[0].message_id == reminder_id
    assert not await pending(sim, "xw")
    await sim.advance("2d")
    assert await log_rows(sim, ["strike"]) == []
    assert [r.kind for r in await log_rows(sim, ["nickname_fixed"])] == ["nickname_fixed"]


async def test_reminders_then_a_strike_then_a_new_grace_period(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await sim.join("xw")
    await sim.advance("8h")
    # kind reminders; the consequence was said once, at join
    assert sim.adapter.sent_texts()[-1] == (
        "@xw 小提醒：名字还差一步，改成「城市-行业-昵称」格式就好，例如 上海-互联网-小王（3月3日 08:00 前）。"
    )
    await sim.advance("8h")
    assert "小提醒" in sim.adapter.sent_texts()[-1] and "违规" not in sim.adapter.sent_texts()[-1]
    await sim.advance("8h")
    assert sim.adapter.sent_texts()[-1] == (
        "⚠️ @xw 违规：昵称「小王」不符合群规格式「城市-行业-昵称」，期限内未修改。"
        "这是第 1 次警告，3 次将被移出群聊。"
    )
    assert len(sim.adapter.sent_texts()) == 4
    live = [p.text for p in sim.adapter.ops("send") if not p.deleted]
    assert len(live) == 2  # reminders replace each other: only the latest one and the notice remain
    (overdue,) = await log_rows(sim, ["nickname_overdue"])
    assert overdue.detail["consequence"] == "strike"
    await sim.advance("2d")  # still not fixed: a strike every grace period, up to removal
    assert [p.user for p in sim.adapter.ops("remove")] == ["xw"]
    assert "已被移出群聊" in sim.adapter.sent_texts()[-1]
    assert not await pending(sim, "xw")  # no reminders for someone who is gone


async def test_a_rename_that_is_still_wrong_explains_again(make_sim: SimFactory) -> None:
    sim = await group(make_sim, CITIES)
    await sim.join("xw")
    await sim.advance("1h")
    await sim.rename("xw", "纽约-金融-小王")
    assert sim.adapter.sent_texts()[-1] == (
        "@xw 新昵称「纽约-金融-小王」还不符合格式：城市「纽约」不在允许的范围内（上海、北京、深圳、杭州）。"
        "例如：上海-金融-小王（3月3日 08:00 前）"
    )
    await sim.rename("xw", "北京小王")
    assert "例如：北京-互联网-小王" in sim.adapter.sent_texts()[-1]


async def test_admins_and_allow_listed_members_are_exempt(make_sim: SimFactory) -> None:
    sim = await group(make_sim, '[defaults.nickname]\nallow_users = ["vip"]\n')
    sim.add_user("vip", "VIP嘉宾")
    await sim.join("adm")
    await sim.join("vip")
    await sim.say("adm", "欢迎大家")
    await sim.say("vip", "大家好")
    await sim.advance("2d")
    assert sim.adapter.posted == []
    assert await log_rows(sim, ["nickname_invalid"]) == []


async def test_members_from_before_the_bot_are_checked_on_their_first_message(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await sim.say("xw", "早上好")  # never seen joining
    assert sim.adapter.sent_texts() == [REMIND_XW]
    await sim.say("xw", "今天讨论什么？")  # the same name: nothing more, no database work
    await sim.say("ok", "早")
    assert len(sim.adapter.sent_texts()) == 1
    (row,) = await log_rows(sim, ["nickname_invalid"])
    assert row.detail["trigger"] == "message"


async def test_deadlines_survive_a_restart(make_sim: SimFactory, tmp_path: Path) -> None:
    url = str(tmp_path / "shared.db")
    first = await group(make_sim, db_url=url)
    await first.join("xw")
    await first.app.writer.flush()
    restarted = await group(make_sim, db_url=url)
    await restarted.advance("25h")
    assert any("这是第 1 次警告" in text for text in restarted.adapter.sent_texts())


async def test_a_member_who_left_is_not_punished(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await sim.join("xw")
    await sim.advance("1h")
    await sim.leave("xw")
    await sim.advance("2d")
    assert len(sim.adapter.sent_texts()) == 1 and await log_rows(sim, ["strike"]) == []


async def test_consequence_remove(make_sim: SimFactory) -> None:
    rules = '[defaults.nickname]\ngrace_hours = 2\nremind_every_hours = 1\nconsequence = "remove"\n'
    sim = await group(make_sim, rules)
    await sim.join("xw")
    assert "请在 3月2日 10:00 前修改，逾期将被移出群聊。" in sim.adapter.sent_texts()[0]
    await sim.advance("1h")
    assert "小提醒" in sim.adapter.sent_texts()[-1]
    await sim.advance("1h")
    assert sim.adapter.sent_texts()[-1] == (
        "🚫 小王 已被移出群聊。原因：昵称「小王」不符合群规格式「城市-行业-昵称」，期限内未修改。"
    )
    assert [p.user for p in sim.adapter.ops("remove")] == ["xw"]
    await sim.advance("1d")
    assert len(sim.adapter.ops("remove")) == 1


async def test_consequence_mute_and_remind_only(make_sim: SimFactory) -> None:
    rules = '[defaults.nickname]\ngrace_hours = 1\nconsequence = "mute"\nmute_hours = 12\n'
    sim = await group(make_sim, rules)
    await sim.join("xw")
    await sim.advance("1h")
    assert sim.adapter.sent_texts()[-1].startswith("🔇 @xw 修改昵称的期限已过，禁言 12 小时。")
    (mute,) = sim.adapter.ops("mute")
    assert mute.user == "xw"

    quiet = await group(make_sim, '[defaults.nickname]\ngrace_hours = 1\nconsequence = "remind"\n')
    await quiet.join("xw")
    await quiet.advance("1h")
    assert quiet.adapter.sent_texts()[-1] == (
        "@xw 修改昵称的期限已过：请尽快改为「城市-行业-昵称」格式，例如：上海-互联网-小王。"
    )
    assert quiet.adapter.ops("mute") == [] and await log_rows(quiet, ["strike"]) == []


async def test_english_group(make_sim: SimFactory) -> None:
    sim = await group(make_sim, '[defaults]\nlanguage = "en"\n')
    await sim.join("xw")
    assert sim.adapter.sent_texts()[0].startswith(
        "@xw hello! Names here follow '城市-行业-昵称'; yours, '小王', does not: "
        "expected 城市-行业-昵称 (3 parts)"
    )


async def test_a_disabled_check_does_nothing(make_sim: SimFactory) -> None:
    sim = await group(make_sim, "[defaults.nickname]\nenabled = false\n")
    await sim.join("xw")
    await sim.say("xw", "hi")
    assert sim.adapter.posted == [] and sim.app.scheduler.jobs == []


REGISTERED = '[defaults.nickname]\nsource = "registered"\ngrace_hours = 24\nremind_every_hours = 8\n'


async def test_registered_names_are_checked_and_used_in_the_bots_texts(make_sim: SimFactory) -> None:
    """``source = "registered"``: the account name does not matter, the group name registered with /nick
    does (the same rule), and the bot then calls the member by it: welcome, lists, notices, mentions."""
    from handlers.honours.handler import Honours
    from handlers.tasks.handler import Tasks
    from handlers.welcome.handler import Welcome

    sim = await make_sim(
        REGISTERED + '[defaults.tasks]\ntasks = [{ kind = "nickname" }, { kind = "rules" }]\n',
        features=[Tracking(), Moderation(), Nickname(), Welcome(), Tasks(), Honours()],
    )
    sim.add_user("xw", "小王")  # no username: mentioned by name
    sim.add_user("acct", "北京-教育-老赵", "zhao")  # an account name in the format is not a registration
    await sim.join("xw")
    await sim.join("acct")
    await sim.advance("1m")
    [welcome] = [t for t in sim.adapter.sent_texts() if t.startswith("👋")]
    assert (
        "✏️ 小王、北京-教育-老赵，请发送 /nick 上海-互联网-小王 登记你在本群的名字（格式 城市-行业-昵称）"
        in welcome
    )

    await sim.say("xw", "/nick 小王")
    assert sim.adapter.sent_texts()[-1].startswith("「小王」还不符合格式：")
    await sim.say("xw", "/nick 上海-互联网-小王")
    assert sim.adapter.sent_texts()[-1] == "✅ 已登记你的群名「上海-互联网-小王」，之后机器人都这样称呼你。"
    [done] = [r for r in await log_rows(sim, ["tasks.done"]) if r.user_id == "xw"]
    assert (done.detail["task"], done.detail["via"]) == ("nickname", "nick")
    await sim.rename("xw", "whatever")  # the account's name no longer matters
    await sim.advance("9h")
    reminders = [t for t in sim.adapter.sent_texts() if t.startswith("@")]
    assert reminders == [
        "@zhao 你好！本群用登记的群名称呼大家："
        "请发送 /nick 北京-教育-老赵 登记你的群名（格式「城市-行业-昵称」）。"
        "请在 3月3日 08:00 前登记，逾期将记违规一次。"
    ]
    assert not any("@小王" in t or "@whatever" in t for t in sim.adapter.sent_texts()[-2:])
    await sim.advance("16h")  # the grace period is over: only the member who never registered is struck
    strikes = await log_rows(sim, ["strike"])
    assert [r.user_id for r in strikes] == ["acct"]

    for _ in range(3):
        await sim.say("xw", "大家好")
    await sim.advance("6d")  # Monday 09:00: the weekly star lists members by the names the bot uses
    [board] = [t for t in sim.adapter.sent_texts() if t.startswith("🌟")]
    assert "🥇 上海-互联网-小王 · " in board and "whatever" not in board
    sim.add_user("adm", "阿May", "amay", admin=True)
    await sim.join("adm")
    await sim.say("xw", "这条消息违规了", label="bad")
    await sim.say("adm", "/warn 刷屏", reply_to="bad")
    notice = [p for p in sim.adapter.ops("send") if p.text.startswith("⚠️")][-1]
    assert notice.text.startswith("⚠️ @上海-互联网-小王 违规")  # notices call them by the group name …
    assert notice.mentions == ("xw",)  # … and mention them (Telegram: a text_mention with their id)


async def test_nick_where_account_names_are_checked_says_where_to_change_it(make_sim: SimFactory) -> None:
    sim = await group(make_sim)
    await sim.join("xw")
    await sim.say("xw", "/nick 上海-互联网-小王")
    assert sim.adapter.sent_texts()[-1] == "本群直接检查昵称，改好名字即可，不需要 /nick。"
    assert await pending(sim, "xw")  # nothing registered: the account name is still wrong


async def test_consequence_remove_where_the_bot_cannot_remove_says_the_owner_was_asked(
    make_sim: SimFactory,
) -> None:
    from handlers.contract.capabilities import Capabilities

    rules = '[defaults.nickname]\ngrace_hours = 2\nremind_every_hours = 1\nconsequence = "remove"\n'
    sim = await group(make_sim, rules)
    sim.adapter.caps[sim.chat.key] = Capabilities(can_remove=False)
    await sim.join("xw")
    await sim.advance("2h")
    assert sim.adapter.sent_texts()[-1] == (
        "🚫 小王 违规：昵称「小王」不符合群规格式「城市-行业-昵称」，期限内未修改。"
        "已通知群主处理（机器人在本群无法移出成员）。"
    )
    assert not sim.adapter.ops("remove") and len(sim.adapter.ops("admins")) == 1
