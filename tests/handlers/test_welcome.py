"""Welcome end to end on the console platform: batched joins, the three parts and the seam to topics,
buttons and their text fallback, late joins and restarts (never twice), the 72 h nudge (once)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from bot.tools.simulator import Simulator
from handlers.contract.capabilities import Capabilities
from handlers.contract.events import Chat, Event, EventKind
from handlers.feature import Feature
from handlers.milestones.handler import Milestones
from handlers.referrals.handler import Referrals
from handlers.tasks.handler import Tasks
from handlers.topics.handler import Topics
from handlers.tracking import Tracking
from handlers.welcome.handler import Welcome
from rules.schedule import local_day
from storage.models.onboarding import Newcomer
from storage.models.rhythm import TopicPost
from tests.support import START, SimFactory, log_rows

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"
RULES = """
[defaults]
name = "上海产品经理交流群"
purpose = "上海互联网产品人的交流群：分享干货、互帮互助。"
rules = ["群昵称格式：城市-行业-昵称", "禁止广告、二维码、外链引流"]
[defaults.privacy]
consent_notice = "本群机器人记录入群与发言次数，不保存消息内容。"
[defaults.topics]
pool = ["你最近在读的一本产品书？", "聊聊需求评审"]
"""
SLOW_SWEEPS = """
[defaults.welcome]
sweep = "every 2h"
[defaults.tasks]
sweep = "every 6h"
"""


def onboarding() -> list[Feature]:
    return [Tracking(), Referrals(), Welcome(), Tasks(), Milestones()]


def welcomes(sim: Simulator) -> list[str]:
    return [text for text in sim.adapter.sent_texts() if text.startswith(("👋 欢迎", "👋 Welcome"))]


async def test_joins_close_together_get_one_welcome_with_purpose_rules_topic_and_tasks(
    make_sim: SimFactory,
) -> None:
    sim = await make_sim(RULES, features=onboarding())
    sim.add_user("o_wang", "小王", username="xiaowang")
    sim.add_user("o_li", "上海-互联网-小李")
    sim.add_user("o_zhao", "北京-教育-老赵")
    await sim.join("o_wang")
    await sim.advance("4s")
    await sim.join("o_li")
    assert welcomes(sim) == []  # the batch is still open
    await sim.advance("1m")  # the sweep tick closes it

    [text] = welcomes(sim)
    assert text == (
        "👋 欢迎 @xiaowang、@上海-互联网-小李 加入「上海产品经理交流群」！\n"
        "🎯 上海互联网产品人的交流群：分享干货、互帮互助。\n"
        "✏️ 小王，麻烦把昵称改成 城市-行业-昵称，例如 上海-互联网-小王\n"  # one line, greet first
        "📋 新人任务请在 3月5日 08:00 前完成。\n"
        "👇 群规、今日话题和任务清单都在下面的按钮里\n"
        "🔒 本群机器人记录入群与发言次数，不保存消息内容。"
    )
    [post] = [p for p in sim.adapter.ops("send") if p.text == text]
    assert [(b.text, b.data, b.start) for b in post.buttons] == [
        ("查看群规", "rules:ack", ""),
        ("今日话题", "/topic", ""),  # nothing posted today: the pool's first, privately on a press
        ("开始任务", "/tasks", ""),
        ("私聊我完成问卷", "", "qg1"),  # the deep link into the private chat, at the questionnaire
    ]
    assert set(post.mentions) == {"o_wang", "o_li"}  # platforms that can, notify them

    await sim.advance("10m")
    await sim.join("o_zhao")
    await sim.advance("2m")
    assert len(welcomes(sim)) == 2 and "@北京-教育-老赵" in welcomes(sim)[1]
    greeted = await log_rows(sim, ["welcome.greeted"])
    assert sorted(r.user_id or "" for r in greeted) == ["o_li", "o_wang", "o_zhao"]
    assert {r.detail["batch"] for r in greeted if r.user_id != "o_zhao"} == {2}


async def test_the_welcome_goes_out_when_the_window_closes_by_a_one_shot_timer(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES + '[defaults.welcome]\nsweep = "every 6h"\n', features=onboarding())
    sim.add_user("o_a", "上海-金融-阿杰")
    sim.add_user("o_b", "上海-运营-小b")
    joined_at = sim.clock.now()
    await sim.join("o_a")
    await sim.advance("4s")
    await sim.join("o_b")  # the same batch: no second timer, no second welcome
    await sim.advance("5s")
    assert welcomes(sim) == []  # 9 s after the first join: the window is still open
    await sim.advance("2s")
    [text] = welcomes(sim)
    assert "上海-金融-阿杰" in text and "上海-运营-小b" in text
    [handled] = [h for h in sim.history if any(r.kind == "welcome.greeted" for r in h.records)][:1]
    assert handled.event.kind == EventKind.TICK and handled.event.data == "welcome.due"
    assert handled.event.at == joined_at + timedelta(seconds=10)  # not the 6-hourly sweep
    assert sim.app.scheduler.timers == {}
    await sim.advance("1h")
    assert len(welcomes(sim)) == 1


async def test_a_lost_timer_is_made_up_by_the_next_event_after_the_window(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES + '[defaults.welcome]\nsweep = "every 6h"\n', features=onboarding())
    sim.add_user("o_a", "上海-金融-阿杰")
    sim.add_user("o_old", "上海-运营-老成员")
    await sim.join("o_a")
    sim.app.scheduler.timers.clear()  # as if the process had restarted before the window closed
    await sim.advance("5s")
    await sim.say("o_old", "欢迎新朋友")  # inside the window: still waiting
    assert welcomes(sim) == []
    await sim.advance("20s")
    assert welcomes(sim) == []
    handled = await sim.say("o_old", "大家早")
    assert len(welcomes(sim)) == 1
    assert any(r.kind == "welcome.greeted" for r in handled.records)


async def test_todays_topic_comes_from_the_topics_feature_and_a_missing_one_is_left_out(
    make_sim: SimFactory,
) -> None:
    sim = await make_sim(RULES, features=[*onboarding(), Topics()])
    async with sim.app.db.session() as session:
        day = local_day(START, sim.app.config.for_chat(sim.chat.key).tz)
        session.add(
            TopicPost(
                group_key=sim.chat.key,
                job="topics.daily",
                day=day,
                scheduled_for=START,
                posted_at=START,
                topic="AI 会取代产品经理吗？",
                text="☀️ 早安！今日话题：AI 会取代产品经理吗？",
            )
        )
        await session.commit()
    sim.add_user("o_a", "上海-金融-阿杰")
    await sim.join("o_a")
    await sim.advance("1m")
    assert "今日话题" in welcomes(sim)[0]  # the topic itself is behind the button
    await sim.press("o_a", "/topic")
    [private] = [p.text for p in sim.adapter.ops("private") if p.user == "o_a"]
    assert "AI 会取代产品经理吗？" in private

    bare = await make_sim(
        "[defaults]\nrules = []\n[defaults.tasks]\nenabled = false\n", features=onboarding()
    )
    bare.add_user("o_b", "小b")
    await bare.join("o_b")
    await bare.advance("1m")
    [text] = welcomes(bare)
    assert "今日话题" not in text and "群规" not in text and "新人任务" not in text and "{" not in text
    assert "本群定位" not in text  # no purpose configured: the line is left out


async def test_without_buttons_the_welcome_says_which_commands_to_send(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, caps=Capabilities(buttons=False), features=onboarding())
    sim.add_user("o_a", "上海-金融-阿杰")
    await sim.join("o_a")
    await sim.advance("1m")
    [text] = welcomes(sim)
    assert "👉 发送 /rules 看群规、/topic 看今日话题、/tasks 看任务清单" in text
    [post] = [p for p in sim.adapter.ops("send") if p.text == text]
    assert post.buttons == ()  # the platform declares none: one plain line instead


async def test_delete_previous_replaces_the_last_welcome(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES + "[defaults.welcome]\ndelete_previous = true\n", features=onboarding())
    sim.add_user("o_a", "上海-金融-阿杰")
    sim.add_user("o_b", "上海-医疗-小白")
    await sim.join("o_a")
    await sim.advance("1m")
    await sim.join("o_b")
    await sim.advance("1m")
    sends = [p for p in sim.adapter.ops("send") if p.text.startswith("👋 欢迎")]
    assert [p.deleted for p in sends] == [True, False]


async def test_english_group_gets_the_english_welcome(make_sim: SimFactory) -> None:
    rules = (
        '[defaults]\nlanguage = "en"\nname = "Founders"\npurpose = "Founders helping founders."\n'
        'rules = ["Be kind"]\n'
    )
    sim = await make_sim(rules, features=onboarding())
    sim.add_user("o_a", "Berlin-SaaS-Anna", username="anna")
    await sim.join("o_a")
    await sim.advance("1m")
    [text] = welcomes(sim)
    assert text == (
        "👋 Welcome @anna to Founders!\n"
        "🎯 Founders helping founders.\n"
        "📋 Please finish your newcomer tasks by Mar 5, 08:00.\n"
        "👇 The rules, today's topic and your task list are behind the buttons below"
    )


async def test_bots_and_admins_are_not_greeted_as_newcomers(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, features=onboarding())
    sim.add_user("o_bot", "某机器人", bot=True)
    sim.add_user("o_admin", "上海-运营-群主", admin=True)
    await sim.join("o_bot")
    await sim.join("o_admin")
    await sim.advance("5m")
    assert welcomes(sim) == []


async def test_no_second_welcome_after_a_restart_a_redelivery_or_a_late_report(
    db_url: str, make_sim: SimFactory
) -> None:
    """On SQLite and PostgreSQL: the second process shares the first one's database."""
    url = db_url
    sim = await make_sim(RULES, features=onboarding(), db_url=url)
    sim.add_user("o_a", "上海-金融-阿杰")
    await sim.join("o_a")
    assert (await sim.redeliver()).duplicate
    await sim.advance("1m")
    assert len(welcomes(sim)) == 1
    await sim.app.writer.flush()

    # the process restarts; the adapter finds members it has no greeting for and reports their joins
    later = sim.clock.now() + timedelta(hours=3)
    again = await make_sim(RULES, features=onboarding(), db_url=url, start=later)
    user_a = sim.user("o_a")
    again.add_user("o_b", "上海-电商-小美")
    again.add_user("o_c", "上海-游戏-老周")

    def late_join(uid: str, joined_ago: timedelta) -> Event:
        user = user_a if uid == "o_a" else again.user(uid)
        at = later - joined_ago
        return Event(EventKind.MEMBER_JOINED, again.chat, at, f"console:resync:{uid}:{at.isoformat()}", user)

    for event in (
        late_join("o_a", timedelta(hours=3)),  # already greeted before the restart
        late_join("o_b", timedelta(hours=2)),  # joined while the bot was down: greet now
        late_join("o_c", timedelta(hours=30)),  # too long ago for a welcome
    ):
        handled = await again.app.dispatch(event)
        assert handled is not None and not handled.errors
    await again.advance("2m")
    [text] = welcomes(again)
    assert "@上海-电商-小美" in text and "阿杰" not in text and "老周" not in text
    async with again.app.db.session() as session:
        rows = {r.user_id: r for r in (await session.scalars(select(Newcomer))).all()}
    assert rows["o_a"].welcomed_at is not None and rows["o_b"].welcomed_at is not None
    assert rows["o_c"].welcomed_at is None


async def test_a_member_returning_within_days_continues_and_later_is_welcomed_again(
    make_sim: SimFactory,
) -> None:
    rules = RULES + '[defaults.welcome]\nsweep = "every 6h"\nbatch_seconds = 0\nrejoin_days = 7\n'
    sim = await make_sim(rules, features=onboarding())
    sim.add_user("o_a", "上海-金融-阿杰")
    await sim.join("o_a")
    assert len(welcomes(sim)) == 1  # no window: greeted at once
    await sim.leave("o_a")
    await sim.advance("1d")
    await sim.join("o_a")
    assert len(welcomes(sim)) == 1  # back within 7 days: the same membership
    await sim.leave("o_a")
    await sim.advance("7d")
    await sim.join("o_a")
    assert len(welcomes(sim)) == 2


async def test_a_silent_newcomer_is_nudged_once_after_72_hours(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES + SLOW_SWEEPS, features=onboarding())
    sim.add_user("o_quiet", "上海-法律-安静", username="anjing")
    sim.add_user("o_talker", "上海-设计-话多")
    await sim.join("o_quiet")
    await sim.join("o_talker")
    await sim.advance("1h")
    await sim.say("o_talker", "大家好，我是做设计的")  # speaks; counters are still buffered
    await sim.advance("70h")
    nudges = [t for t in sim.adapter.sent_texts() if "还没听到你的声音" in t]
    assert nudges == []
    await sim.advance("2h")
    nudges = [t for t in sim.adapter.sent_texts() if "还没听到你的声音" in t]
    assert len(nudges) == 1 and nudges[0].startswith("👋 @anjing 入群 72 小时啦")
    assert "话多" not in nudges[0] and "💡 今日话题：" in nudges[0]
    await sim.advance("3d")
    assert len([t for t in sim.adapter.sent_texts() if "还没听到你的声音" in t]) == 1
    assert [r.user_id for r in await log_rows(sim, ["welcome.nudged"])] == ["o_quiet"]


async def test_no_nudge_for_someone_who_spoke_just_before_the_sweep(make_sim: SimFactory) -> None:
    """The message counters are written in batches: the welcome trusts what it saw itself."""
    sim = await make_sim(RULES + SLOW_SWEEPS, features=onboarding())
    sim.add_user("o_late", "上海-物流-晚到")
    await sim.join("o_late")
    await sim.advance("71h")
    await sim.say("o_late", "潜水三天，冒个泡")
    await sim.advance("2h")
    assert not [t for t in sim.adapter.sent_texts() if "还没听到你的声音" in t]


async def test_a_group_first_seen_through_a_join_gets_its_jobs_and_is_called_by_its_title(
    make_sim: SimFactory,
) -> None:
    rules = RULES.replace('name = "上海产品经理交流群"\n', "")  # no name: the chat's own title
    sim = await make_sim(rules, features=onboarding())
    sim.chat = Chat("console", "g_new", "group", "读书会")  # never stored: a fresh database, say
    assert not any(job.chat.key == sim.chat.key for job in sim.app.scheduler.jobs)
    sim.add_user("o_a", "上海-金融-阿杰")
    await sim.join("o_a")
    assert {job.spec.name for job in sim.app.scheduler.jobs if job.chat.key == sim.chat.key} >= {
        "welcome.sweep",
        "tasks.sweep",
    }
    await sim.advance("10s")
    [text] = welcomes(sim)
    assert "加入「读书会」" in text
    assert [r.reason for r in await log_rows(sim, ["group_active"])] == ["group first seen"]


async def test_join_leave_churn_onboards_once_and_reminds_once_per_grace_period(
    make_sim: SimFactory,
) -> None:
    from handlers.nickname.handler import Nickname

    rules = RULES + "[defaults.nickname]\nremind_every_hours = 8\ngrace_hours = 24\n"
    sim = await make_sim(rules, features=[Tracking(), Nickname(), *onboarding()[1:]])
    sim.add_user("o_x", "小王", username="xw")  # a name that breaks the format
    for _ in range(50):
        await sim.join("o_x")
        await sim.advance("3s")
        await sim.leave("o_x")
        await sim.advance("2s")
    await sim.join("o_x")
    await sim.advance("9h")
    texts = sim.adapter.sent_texts()
    [welcome] = welcomes(sim)
    # greet first: the name request is one friendly line of the welcome, with an example from their name
    assert "✏️ 小王，麻烦把昵称改成 城市-行业-昵称，例如" in welcome and "违规" not in welcome
    assert texts.index(welcome) == 0
    reminders = [t for t in texts if "小提醒" in t]
    assert len(reminders) <= 1 and all("违规" in t for t in reminders)  # the consequence, said once
    assert len(await log_rows(sim, ["tasks.assigned"])) == 1
    assert len([p for p in sim.adapter.posted if p.op == "private"]) == 0


async def test_the_default_welcome_has_at_most_eight_lines_in_zh_and_en(make_sim: SimFactory) -> None:
    """The shipped example config's defaults, a batch of newcomers with broken names and a personal line,
    with buttons and without: never more than 8 lines."""
    example = EXAMPLE.read_text(encoding="utf-8")
    for lang in ("zh", "en"):
        for caps in (None, Capabilities(buttons=False)):
            rules = example.replace('language = "zh"', f'language = "{lang}"', 1)
            sim = await make_sim(rules, caps=caps, features=onboarding())
            sim.add_user("old", "上海-互联网-老张")
            await sim.join("old")
            await sim.advance("1h")
            sim.add_user("n1", "北京-互联网-小新")
            await sim.join("n1")
            await sim.advance("1m")
            for i in range(5):
                sim.add_user(f"x{i}", f"昵称{i}")
                await sim.join(f"x{i}")
            await sim.advance("1m")
            texts = welcomes(sim)
            assert len(texts) == 3, (lang, caps)
            for text in texts:
                assert len(text.splitlines()) <= 8, (lang, caps, text)
            assert ("群里有 1 位同行" if lang == "zh" else "and so are 1 of us here") in texts[1]


async def test_the_welcome_names_the_newcomers_peers_by_their_industry(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, features=onboarding())
    for uid, name in [
        ("m1", "上海-互联网-阿A"),
        ("m2", "北京-互联网-阿B"),
        ("m3", "杭州-教育-阿C"),
        ("m4", "互联网老兵"),  # a name that breaks the format says nothing
        ("m5", "深圳-ＩＴ-阿E"),
    ]:
        sim.add_user(uid, name)
        await sim.join(uid)
    await sim.advance("1h")
    sim.add_user("bot", "上海-互联网-机器人", bot=True)
    await sim.join("bot")

    async def greet(uid: str, name: str) -> str:
        sim.add_user(uid, name)
        await sim.join(uid)
        await sim.advance("1m")
        return welcomes(sim)[-1]

    assert "🤝 看到你是互联网行业，群里有 2 位同行" in await greet("n1", "广州-互联网-小新")
    assert "🤝 看到你是it行业，群里有 1 位同行" in await greet("n2", "广州-it-小七")  # width and case folded
    assert "🤝" not in await greet("n3", "广州-医疗-小八")  # nobody shares it: no line
    assert "🤝" not in await greet("n4", "小九")  # the name says nothing: no line
    sim.add_user("n5", "广州-互联网-小五")
    await sim.join("n5")
    assert "🤝" not in await greet("n6", "广州-互联网-小六")  # two at once: personal lines are for one
    rules = RULES + '[defaults.welcome]\npeers_field = ""\n'
    off = await make_sim(rules, features=onboarding())
    for uid, name in [("m1", "上海-互联网-阿A"), ("n1", "广州-互联网-小新")]:
        off.add_user(uid, name)
        await off.join(uid)
        await off.advance("1h")
    assert "🤝" not in welcomes(off)[-1]
