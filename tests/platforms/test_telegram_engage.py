"""Engagement on Telegram, through python-telegram-bot and the fake Bot API: a poll's buttons, votes and
results; an admin's broadcast drafted in private and posted by a button only the group's admins can use."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from handlers.broadcast.handler import BroadcastFeature
from handlers.contract.events import Chat, Event, EventKind
from handlers.polls.handler import CLOSE_JOB, Polls
from handlers.tracking import Tracking
from tests.platforms.conftest import Tg, TgFactory
from tests.platforms.fake_bot_api import (
    BOT_USER,
    FULL_RIGHTS,
    FakeBotApi,
    command_entity,
    group,
    message,
    private,
    user,
)

G = -100_8800
GROUP = group(G, "读书会")
ADMIN = user(10, "阿May", username="amay")
MEMBER = user(11, "小王")
OTHER = user(12, "小李")
RULES = """
[defaults.topics]
enabled = false
[defaults.polls]
default_hours = 2
"""


def keyboard(sent: dict[str, Any]) -> list[dict[str, str]]:
    return [button for row in sent["reply_markup"]["inline_keyboard"] for button in row]


def press(fake: FakeBotApi, who: dict[str, Any], data: str, bot_message: dict[str, Any]) -> None:
    fake.press(who, data, bot_message)


async def started(fake: FakeBotApi, tg: TgFactory) -> Tg:
    fake.set_bot_rights(G, **FULL_RIGHTS)
    fake.set_admin(G, ADMIN)
    return await tg(fake, rules=RULES, features=[Tracking(), Polls(), BroadcastFeature()])


async def test_a_poll_is_voted_with_buttons_and_its_results_posted(fake: FakeBotApi, tg: TgFactory) -> None:
    t = await started(fake, tg)
    text = "/poll 下次读哪本 | 三体 | 活着"
    fake.push(message=message(GROUP, ADMIN, text, entities=command_entity(text)))
    await fake.wait_for(lambda: any(s.startswith("📊 投票：下次读哪本") for s in fake.sent(G)))
    sent = next(c.params for c in fake.of("sendMessage") if c.params["text"].startswith("📊 投票"))
    buttons = keyboard(sent)
    assert [b["text"] for b in buttons] == ["三体", "活着"]
    poll_message = message(GROUP, BOT_USER, sent["text"], message_id=9100)

    press(fake, MEMBER, buttons[0]["callback_data"], poll_message)
    press(fake, OTHER, buttons[0]["callback_data"], poll_message)
    press(fake, OTHER, buttons[1]["callback_data"], poll_message)  # changes their vote
    await fake.wait_for(lambda: len(fake.of("answerCallbackQuery")) == 3)
    await fake.wait_for(lambda: len(t.events(EventKind.BUTTON_PRESSED)) == 3)

    opened = t.events(EventKind.COMMAND)[0].at
    at = opened + timedelta(hours=2, minutes=1)
    chat = Chat("tg", str(G), "group")
    await t.app.dispatch(Event(EventKind.TICK, chat, at, f"tick:poll@{at.isoformat()}", data=CLOSE_JOB))
    await fake.wait_for(lambda: any(s.startswith("📊 投票结束") for s in fake.sent(G)))
    result = next(s for s in fake.sent(G) if s.startswith("📊 投票结束"))
    assert "共 2 人投票" in result and "平票" in result  # one each after the change


async def test_a_broadcast_is_posted_by_an_admins_press_and_refused_to_others(
    fake: FakeBotApi, tg: TgFactory
) -> None:
    t = await started(fake, tg)
    for who in (ADMIN, MEMBER):  # both are seen in the group
        fake.push(message=message(GROUP, who, "大家好"))
    await t.wait_handled(2)
    await t.app.writer.flush()  # members first seen by a message are written in the batch (200 ms)
    draft_text = "/broadcast 周日停更一次"
    fake.push(message=message(private(10, "阿May"), ADMIN, draft_text, entities=command_entity(draft_text)))
    await fake.wait_for(lambda: any(s.startswith("📢 公告草稿") for s in fake.sent(10)))
    draft = next(c.params for c in fake.of("sendMessage") if c.params["text"].startswith("📢 公告草稿"))
    [button] = keyboard(draft)
    assert button["text"] == "发送到「读书会」"
    in_private = message(private(10, "阿May"), BOT_USER, draft["text"], message_id=9200)

    press(fake, MEMBER, button["callback_data"], in_private)  # forwarded to a member, say
    await fake.wait_for(lambda: len(fake.of("answerCallbackQuery")) == 1)
    assert not any(s.startswith("📢 公告\n") for s in fake.sent(G))

    press(fake, ADMIN, button["callback_data"], in_private)
    await fake.wait_for(lambda: "📢 公告\n周日停更一次" in fake.sent(G))
    await fake.wait_for(lambda: "✅ 已发送到「读书会」。" in fake.sent(10))
    press(fake, ADMIN, button["callback_data"], in_private)  # a second press posts nothing more
    await fake.wait_for(lambda: any(s.startswith("「读书会」已经收到") for s in fake.sent(10)))
    assert fake.sent(G).count("📢 公告\n周日停更一次") == 1
    [row] = await t.log_rows(["broadcast.sent"])
    assert row.group_key == f"tg:group:{G}" and row.detail["origin"] == "admin"
