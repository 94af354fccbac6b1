"""Topics end to end: the morning topic rotates without repeats, the calendar posts its templates,
``/topic`` and ``TopicRepo.for_day`` show today's, pins where asked."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.tools.simulator import Simulator
from handlers.contract.events import EventKind
from rules.schedule import local_day
from storage.models.rhythm import TopicPost
from storage.repos.topics import TopicRepo
from tests.handlers.rhythm_support import rhythm_features
from tests.support import START, SimFactory, log_rows

POOL = [
    "你最近在读什么书？",
    "分享一个提升效率的小工具",
    "你怎么看 AI 对产品经理的影响？",
    "周末有什么安排？",
]

RULES = f"""
[defaults]
timezone = "Asia/Shanghai"
[defaults.honours]
enabled = false
[defaults.checkin]
remind_at = ""
[defaults.topics]
daily_at = "08:00"
daily_template = "☀️ 早安！{{date}} {{weekday}} 今日话题：{{topic}}"
pool = {POOL!r}
pin = true
[[defaults.topics.calendar]]
id = "share"
name = "干货分享"
schedule = "mon,wed,fri 20:00"
template = "📚 今晚{{name}}：{{topic}}"
topics = ["用户访谈怎么做", "需求评审的坑"]
"""


async def posted(sim: Simulator, job: str = "topics.daily") -> list[str]:
    async with sim.app.db.session() as session:
        stmt = select(TopicPost.topic).where(TopicPost.job == job).order_by(TopicPost.scheduled_for)
        return list((await session.scalars(stmt)).all())


async def test_morning_topic_rotates_through_the_pool_without_repeats(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, features=rhythm_features())
    await sim.advance("10d")  # Tuesday … Thursday of the next week: 10 mornings
    topics = await posted(sim)
    assert len(topics) == 10
    assert sorted(topics[:4]) == sorted(POOL) and sorted(topics[4:8]) == sorted(POOL)
    assert topics[3] != topics[4]  # a new round does not start with the topic that ended the last one
    assert set(topics[8:]) <= set(POOL) and topics[8] != topics[9]
    mornings = [t for t in sim.adapter.sent_texts() if t.startswith("☀️")]
    assert mornings[0] == f"☀️ 早安！3月3日 周二 今日话题：{topics[0]}"
    assert len(sim.adapter.ops("pin")) == 10  # the morning topic is pinned; the calendar is not
    rounds = [
        r.detail["round"] for r in await log_rows(sim, ["topic_posted"]) if r.detail["job"] == "topics.daily"
    ]
    assert rounds == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2]


async def test_rotation_continues_after_a_restart(make_sim: SimFactory, tmp_path: Path) -> None:
    url = str(tmp_path / "shared.db")
    first = await make_sim(RULES, db_url=url, features=rhythm_features())
    await first.advance("2d")
    second = await make_sim(RULES, db_url=url, start=first.clock.now(), features=rhythm_features())
    await second.advance("2d")
    topics = await posted(second)
    assert len(topics) == 4 and sorted(topics) == sorted(POOL)


async def test_calendar_posts_its_own_pool_and_topic_command_shows_today(make_sim: SimFactory) -> None:
    sim = await make_sim(RULES, start=START - timedelta(hours=1), features=rhythm_features())  # Mon 07:00
    sim.add_user("a", "上海-产品-小王")
    await sim.say("a", "/topic")
    assert sim.adapter.sent_texts()[-1] == "今天还没有发布话题，08:00 见～"
    await sim.advance("2h")
    await sim.say("a", "/topic")
    morning = (await posted(sim))[0]
    assert sim.adapter.sent_texts()[-1] == f"📌 今日话题：{morning}"
    await sim.advance("12h")  # Monday 21:00
    shares = [t for t in sim.adapter.sent_texts() if t.startswith("📚")]
    assert shares in (["📚 今晚干货分享：用户访谈怎么做"], ["📚 今晚干货分享：需求评审的坑"])
    async with sim.app.db.session() as session:
        today = local_day(START, sim.app.config.for_chat(sim.chat.key).tz)
        assert today == date(2026, 3, 2)
        assert await TopicRepo(session).for_day(sim.chat.key, today) == morning  # the morning one first
        assert await TopicRepo(session).for_day(sim.chat.key, today + timedelta(days=1)) is None


async def test_calendar_alone_is_todays_topic_for_the_welcome(make_sim: SimFactory) -> None:
    rules = RULES.replace('daily_at = "08:00"', 'daily_at = ""')
    sim = await make_sim(rules, features=rhythm_features())
    await sim.advance("13h")  # Monday 21:00
    async with sim.app.db.session() as session:
        assert await TopicRepo(session).for_day(sim.chat.key, date(2026, 3, 2)) in (
            "用户访谈怎么做",
            "需求评审的坑",
        )
    ticks = [h.event.data for h in sim.history if h.event.kind == EventKind.TICK]
    assert "topics.daily" not in ticks


async def test_empty_pool_means_no_morning_job(make_sim: SimFactory) -> None:
    rules = RULES.replace(f"pool = {POOL!r}", "pool = []")
    sim = await make_sim(rules, features=rhythm_features())
    assert "topics.daily" not in [job.spec.name for job in sim.app.scheduler.jobs]
    await sim.advance("1d")
    assert await posted(sim) == []
