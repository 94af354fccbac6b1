"""The bot never turns on itself on Telegram, even when it started while the Bot API was unreachable:
its own id is learned when ``getMe`` finally answers, and every event after that carries it."""

from __future__ import annotations

import asyncio

from handlers.contract.actions import Ban, Mute, Remove, Send
from handlers.contract.events import EventKind
from handlers.registry import build_features
from tests.platforms.conftest import Logs, TgFactory
from tests.platforms.fake_bot_api import (
    BOT_ID,
    BOT_USER,
    FakeBotApi,
    command_entity,
    group,
    message,
    url_entities,
    user,
)

G = -100_4321
GROUP = group(G, "自检群")
OWNER = user(10, "群主")


def admin_cmd(text: str, reply_to: dict[str, object]) -> dict[str, object]:
    return message(GROUP, OWNER, text, entities=command_entity(text), reply_to_message=reply_to)


async def test_started_while_the_api_was_down_the_bot_still_never_acts_on_itself(
    fake: FakeBotApi, tg: TgFactory, logs: Logs
) -> None:
    fake.set_admin(G, OWNER, owner=True)
    await fake.stop()
    t = await tg(fake, features=build_features())
    assert any(entry["event"] == "telegram_start_deferred" for entry in logs)
    assert t.adapter.bot_user_id == ""
    await fake.start()
    await asyncio.wait_for(t.adapter.ready.wait(), timeout=15)
    assert t.adapter.bot_user_id == str(BOT_ID)

    link = "https://t.me/+welcome"
    own = message(
        GROUP, BOT_USER, f"欢迎！群规见 {link}", entities=url_entities(f"欢迎！群规见 {link}", link)
    )
    fake.push(message=message(GROUP, BOT_USER, None, new_chat_members=[BOT_USER]))  # its own join
    fake.push(message=own)  # its own message, with a link
    fake.push(message=message(GROUP, {**BOT_USER, "first_name": "改了名的助手"}, "我改名了"))  # renamed
    fake.push(message=admin_cmd("/warn", own))
    fake.push(message=admin_cmd("/mute 1h", own))
    fake.push(message=admin_cmd("/ban", own))
    await fake.wait_for(lambda: len(t.events(EventKind.COMMAND)) == 3, within_s=15)
    await fake.wait_for(lambda: len(fake.sent(G)) >= 3)

    assert all(h.errors == [] for h in t.handled)
    assert t.events(EventKind.MEMBER_JOINED) == []  # its own join is not a newcomer's
    against_itself = [
        action
        for handled in t.handled
        for action in handled.actions
        if isinstance(action, Ban | Mute | Remove) and action.user.id == str(BOT_ID)
    ]
    assert against_itself == []
    assert fake.of("banChatMember") == [] and fake.of("restrictChatMember") == []
    assert fake.of("deleteMessage") == []
    assert sorted(fake.sent(G)) == sorted(f"我不能对自己执行 /{c}。" for c in ("warn", "mute", "ban"))
    sends = [a for h in t.handled for a in h.actions if isinstance(a, Send)]
    assert {s.reason for s in sends} == {"the target is this bot"}
