"""Broadcasts end to end on the console platform: an admin's private /broadcast with a button per group
(only that group's admins can press it, each group gets it once), and an operator's `qunbot broadcast`
planned per group at --per-minute and posted by the running bot's ticks, once, logged."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.tools.simulator import Simulator
from handlers.contract.events import Chat
from storage.models.broadcast import Broadcast
from tests.bot.test_cli import run
from tests.support import SimFactory, log_rows

G1 = Chat("console", "g1", "group", "测试群")
G2 = Chat("console", "g2", "group", "二群")
G3 = Chat("console", "g3", "group", "三群")
RULES = """
[defaults.topics]
enabled = false
[defaults.honours]
enabled = false
[groups."console:group:g3".broadcast]
enabled = false
"""


async def community(make_sim: SimFactory, tmp_path: Path, start: datetime | None = None) -> Simulator:
    """Three groups: the admin and a member in g1 and g2, only the member in g3 (broadcasts off there)."""
    kwargs = {"start": start} if start is not None else {}
    sim = await make_sim(RULES, db_url=str(tmp_path / "community.db"), **kwargs)
    sim.add_user("adm", "运营-阿May", admin=True)
    sim.add_user("m", "上海-产品-小王")
    for chat, uids in ((G1, ("adm", "m")), (G2, ("adm", "m")), (G3, ("m",))):
        sim.chat = chat
        for uid in uids:
            await sim.join(uid)
    sim.chat = G1
    return sim


def announcements(sim: Simulator, chat: Chat) -> list[str]:
    return [t for t in sim.adapter.sent_texts(chat.key) if t.startswith("📢 公告")]


async def test_an_admin_drafts_in_private_and_each_group_gets_it_once(
    make_sim: SimFactory, tmp_path: Path
) -> None:
    sim = await community(make_sim, tmp_path)
    await sim.say("adm", "/broadcast 本周六群规更新：禁止发布任何外链", private=True)
    draft = sim.adapter.posted[-1]
    assert draft.chat == "console:private:adm" and draft.text.startswith("📢 公告草稿（2 个群可选）")
    assert "本周六群规更新" in draft.text
    assert [(b.text, b.admins_of) for b in draft.buttons] == [
        ("发送到「测试群」", G1.key),
        ("发送到「二群」", G2.key),
    ]  # g3: the admin is not in it
    data = draft.buttons[1].data

    sim.chat = G2  # the press arrives in the group the button is about
    await sim.press("adm", data, draft.message_id)
    assert announcements(sim, G2) == ["📢 公告\n本周六群规更新：禁止发布任何外链"]
    assert sim.adapter.ops("private")[-1].text == "✅ 已发送到「二群」。"
    await sim.press("adm", data, draft.message_id)  # pressed again (or on another instance)
    await sim.redeliver()
    assert len(announcements(sim, G2)) == 1
    assert sim.adapter.ops("private")[-1].text.startswith("「二群」已经收到这条公告")
    assert announcements(sim, G1) == []  # only where it was pressed
    rows = await log_rows(sim, ["broadcast.sent"])
    assert [(r.group_key, r.detail["origin"]) for r in rows] == [(G2.key, "admin")]


async def test_a_member_cannot_post_it_and_the_group_is_told_to_use_private(
    make_sim: SimFactory, tmp_path: Path
) -> None:
    sim = await community(make_sim, tmp_path)
    await sim.say("adm", "/broadcast 草稿", private=True)
    draft = sim.adapter.posted[-1]
    await sim.press("m", draft.buttons[0].data, draft.message_id)  # a member who saw the button somehow
    assert announcements(sim, G1) == []
    assert sim.adapter.ops("private")[-1].text == "只有「测试群」的管理员可以发公告到该群。"

    await sim.say("adm", "/broadcast 在群里发")
    assert sim.adapter.sent_texts(G1.key)[-1].startswith("群发请私聊我使用 /broadcast")
    await sim.say("adm", "/broadcast", private=True)
    assert sim.adapter.posted[-1].text.startswith("群发公告：私聊我发送 /broadcast 公告内容")
    async with sim.app.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Broadcast)) == 1  # the first draft only


async def test_the_cli_plans_per_minute_and_the_bot_posts_each_copy_once(
    make_sim: SimFactory, tmp_path: Path
) -> None:
    """`qunbot broadcast` plans; the running bot's ticks post. The CLI reads the wall clock, so the bot's
    clock starts at it here."""
    start = datetime.now(UTC).replace(microsecond=0)
    sim = await community(make_sim, tmp_path, start)
    db = str(tmp_path / "community.db")
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")

    code, out, err = await asyncio.to_thread(
        run, "broadcast", "--db", db, "--config", str(rules), "--all", "--text", "台风停课通知", "--dry-run"
    )
    assert code == 0, err
    assert "console:group:g1" in out and "console:group:g2" in out and "g3" not in out  # g3: off in its rules
    assert "dry run: 2 groups, nothing queued" in out
    async with sim.app.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Broadcast)) == 0

    code, out, err = await asyncio.to_thread(
        run,
        "broadcast",
        "--db",
        db,
        "--config",
        str(rules),
        "--all",
        "--text",
        "台风停课通知",
        "--per-minute",
        "1",
    )
    assert code == 0, err
    assert "queued broadcast 1: 2 groups, 1 a minute" in out
    await sim.advance(timedelta(minutes=1))
    assert announcements(sim, G1) == ["📢 公告\n台风停课通知"] and announcements(sim, G2) == []  # rate limit
    await sim.advance(timedelta(minutes=1))
    assert announcements(sim, G2) == ["📢 公告\n台风停课通知"]
    await sim.advance(timedelta(minutes=5))
    assert (
        len(announcements(sim, G1)) == 1 and len(announcements(sim, G2)) == 1 and announcements(sim, G3) == []
    )
    queued = await log_rows(sim, ["broadcast.queued"])
    sent = await log_rows(sim, ["broadcast.sent"])
    assert sorted(r.group_key for r in queued) == sorted(r.group_key for r in sent) == [G1.key, G2.key]


def test_the_cli_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    code, _, err = run("db", "upgrade", "--db", str(db))
    assert code == 0, err
    code, _, err = run("broadcast", "--db", str(db), "--group", "tg:group:-1", "--text", "x")
    assert code == 2 and "never been in tg:group:-1" in err
    code, _, err = run("broadcast", "--db", str(db), "--all")
    assert code == 2 and "--text or --text-file" in err
    code, _, err = run("broadcast", "--db", str(db), "--text", "x")
    assert code == 2 and "--group" in err and "--all" in err
    code, _, err = run("broadcast", "--db", str(db), "--all", "--text", "   ")
    assert code == 2 and "empty" in err
    code, _, err = run("broadcast", "--db", str(db), "--all", "--text", "x")
    assert code == 2 and "no group to reach" in err
