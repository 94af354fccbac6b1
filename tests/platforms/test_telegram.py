"""The Telegram adapter end to end: fake Bot API on loopback ← python-telegram-bot ← TelegramAdapter ←
a real App (pipeline, executor, event log on SQLite). Waits are bounded; nothing asserts on timing
except that a 429's ``retry_after`` was waited out (server-side timestamps, a lower bound)."""

from __future__ import annotations

import asyncio
import io
import json
import time
from typing import Any

import aiohttp
import pytest
import zxingcpp
from PIL import Image
from pydantic import SecretStr

from bot.http import HttpServer
from bot.metrics import Metrics
from bot.platforms.telegram.adapter import TelegramAdapter, TelegramStartError
from bot.settings import TelegramSettings
from handlers.botrights.handler import BotRights
from handlers.contract.events import EventKind
from handlers.moderation.handler import Moderation
from handlers.tracking import Tracking
from tests.platforms.conftest import Logs, TgFactory
from tests.platforms.fake_bot_api import (
    BOT_USER,
    FULL_RIGHTS,
    FakeBotApi,
    chat_member_update,
    command_entity,
    group,
    message,
    photo_sizes,
    url_entities,
    user,
)

G = -100_1234
GROUP = group(G, "测试群")
MEMBER = user(1, "小明", username="xiaoming")
OWNER = user(10, "群主")
ADMIN = user(11, "管理员")


def cmd(text: str, sender: dict[str, Any] = MEMBER, **fields: Any) -> dict[str, Any]:
    return message(GROUP, sender, text, entities=command_entity(text), **fields)


def ad(
    text: str = "加我领福利 https://spam.example/x", sender: dict[str, object] = MEMBER
) -> dict[str, object]:
    return message(GROUP, sender, text, entities=url_entities(text, "https://spam.example/x"))


# ------------------------------------------------------------------------------ features


async def test_join_is_welcomed_once_with_invite_link(fake: FakeBotApi, tg: TgFactory) -> None:
    """An admin bot gets the service message *and* the chat_member update for one join: one welcome,
    and the invite link name from the chat_member update reaches the event."""
    fake.set_bot_rights(G, **FULL_RIGHTS)
    t = await tg(fake)
    newbie = user(2, "新人", "甲")
    now = int(time.time())
    fake.push(message=message(GROUP, newbie, None, date=now, new_chat_members=[newbie]))
    fake.push(
        chat_member=chat_member_update(
            GROUP, newbie, "left", "member", date=now + 1, invite_link_name="ref:7"
        )
    )
    await t.wait_handled(1)
    await fake.wait_for(lambda: any("欢迎" in text for text in fake.sent(G)))
    await asyncio.sleep(0.3)  # a duplicate welcome would have been sent by now
    assert fake.sent(G) == ["欢迎 新人 甲！"]
    joins = t.events(EventKind.MEMBER_JOINED)
    assert len(joins) == 1
    assert joins[0].invite_link == "ref:7"
    assert joins[0].delivery == f"tg:join:{G}:2:{now + 1}"


async def test_an_admins_unban_in_telegram_reaches_moderation(fake: FakeBotApi, tg: TgFactory) -> None:
    """The group owner lifts a ban in Telegram's member list: the chat_member update (kicked → left, made by
    the owner) becomes one MEMBER_UNBANNED event, which reaches moderation (a ban the bot did not make:
    logged as not its business)."""
    fake.set_bot_rights(G, **FULL_RIGHTS)
    fake.set_admin(G, OWNER, owner=True)
    t = await tg(fake, features=[Tracking(), Moderation()])
    update = {"update_id": 501, "chat_member": chat_member_update(GROUP, MEMBER, "kicked", "left", by=OWNER)}
    fake.push_raw(update)
    fake.push_raw(update)  # a redelivery of the same update
    await fake.wait_for(lambda: len(t.events(EventKind.MEMBER_UNBANNED)) == 1)
    (unbanned,) = t.events(EventKind.MEMBER_UNBANNED)
    assert unbanned.actor is not None and unbanned.actor.id == str(OWNER["id"]) and unbanned.actor.is_admin
    rows = await t.log_rows(["unban_not_ours"])
    assert [row.user_id for row in rows] == [str(MEMBER["id"])]
    assert fake.sent(G) == []  # the admin chose not to announce it


async def test_join_without_admin_rights_uses_service_message_and_dedupes(
    fake: FakeBotApi, tg: TgFactory
) -> None:
    """Not an admin: the service message is the join; a chat_member for the same join is a duplicate.
    Leaving and coming back is a new join."""
    t = await tg(fake)
    newbie = user(3, "小红")
    now = int(time.time())
    fake.push(message=message(GROUP, newbie, None, date=now, new_chat_members=[newbie]))
    fake.push(chat_member=chat_member_update(GROUP, newbie, "left", "member", date=now + 2))
    fake.push(chat_member=chat_member_update(GROUP, newbie, "member", "left", date=now + 3))
    fake.push(chat_member=chat_member_update(GROUP, newbie, "left", "member", date=now + 400))
    await t.wait_handled(4)
    kinds = [h.event.kind for h in t.handled if not h.duplicate]
    assert kinds == [EventKind.MEMBER_JOINED, EventKind.MEMBER_LEFT, EventKind.MEMBER_JOINED]
    assert sum(h.duplicate for h in t.handled) == 1
    assert fake.sent(G) == ["欢迎 小红！", "欢迎 小红！"]


async def test_ad_is_deleted_and_warned_third_strike_removes(fake: FakeBotApi, tg: TgFactory) -> None:
    fake.set_bot_rights(G, **FULL_RIGHTS)
    t = await tg(fake)
    ids = []
    for _ in range(3):
        update = ad()
        ids.append(update["message_id"])
        fake.push(message=update)
    await t.wait_handled(3)
    assert [c.params["message_id"] for c in fake.of("deleteMessage")] == ids
    assert fake.sent(G) == [f"@xiaoming 请勿发广告（第 {n} 次）" for n in (1, 2, 3)]
    ban, unban = fake.of("banChatMember")[0], fake.of("unbanChatMember")[0]
    assert (ban.params["chat_id"], ban.params["user_id"]) == (G, 1)
    assert unban.params["only_if_banned"] == "true"
    assert ban.at <= unban.at
    event = t.events(EventKind.MESSAGE)[0]
    assert event.urls == ("https://spam.example/x",)
    rows = await t.log_rows(["action.remove"])
    assert [row.detail["outcome"] for row in rows] == ["done"]


async def test_checkin_command_gets_a_reply(fake: FakeBotApi, tg: TgFactory) -> None:
    t = await tg(fake)
    other = cmd("/checkin@some_other_bot")
    mine = cmd("/checkin@qun_test_bot")
    fake.push(message=other)
    fake.push(message=mine)
    await t.wait_handled(2)
    await fake.wait_for(lambda: len(fake.sent(G)) == 1)
    reply = fake.of("sendMessage")[0]
    assert reply.params["text"] == "✅ 小明 打卡成功"
    assert reply.params["reply_parameters"]["message_id"] == mine["message_id"]
    assert [e.kind for e in t.events()] == [EventKind.MESSAGE, EventKind.COMMAND]


async def test_without_delete_rights_admins_are_told(fake: FakeBotApi, tg: TgFactory) -> None:
    """The bot is a plain member: nothing is deleted; the owner (who started the bot) gets a DM, the
    admin who never did is skipped; the warning still goes to the group; nothing crashes."""
    fake.set_admin(G, OWNER, owner=True)
    fake.set_admin(G, ADMIN)
    fake.blocked = {11}
    t = await tg(fake)
    fake.push(message=ad())
    await t.wait_handled(1)
    await fake.wait_for(lambda: len(fake.sent(10)) == 1 and len(fake.sent(G)) == 1)
    assert fake.of("deleteMessage", ok_only=False) == []
    assert fake.sent(10)[0].startswith("【测试群】\n")
    assert "请管理员处理" in fake.sent(10)[0]
    assert [c.status for c in fake.calls if c.params.get("chat_id") == 11] == [403]
    rows = await t.log_rows(["action.delete"])
    assert [row.detail["outcome"] for row in rows] == ["escalated"]
    assert t.handled[0].errors == []


async def test_undeliverable_admin_notices_stay_out_of_the_group_which_is_told_once_how_to_turn_them_on(
    fake: FakeBotApi, tg: TgFactory
) -> None:
    fake.set_admin(G, OWNER, owner=True)
    fake.blocked = {10}  # the only admin never started the bot
    t = await tg(fake)
    fake.push(message=ad())
    fake.push(message=ad())
    await t.wait_handled(2)
    await fake.wait_for(lambda: len(fake.sent(G)) == 3)
    await asyncio.sleep(0.3)  # a second "turn notices on" line would have been sent by now
    sent = fake.sent(G)
    assert not any("请管理员处理" in text for text in sent)  # the notice (whom, why) is not posted
    [told] = [
        c for c in fake.of("sendMessage") if c.params["chat_id"] == G and "管理员通知" in c.params["text"]
    ]
    [[button]] = told.params["reply_markup"]["inline_keyboard"]
    assert button["url"] == "https://t.me/qun_test_bot?start=admin"
    rows = await t.log_rows(["action.delete"])
    assert [r.detail["notice_outcome"] for r in rows] == ["fallback", "failed"]


async def test_private_message_to_a_user_who_never_started_the_bot_is_one_neutral_line_with_a_deep_link(
    fake: FakeBotApi, tg: TgFactory
) -> None:
    fake.blocked = {1}
    t = await tg(fake)
    fake.push(message=cmd("/dm"))
    fake.push(message=cmd("/dm"))
    await t.wait_handled(2)
    await fake.wait_for(lambda: len(fake.sent(G)) == 1)
    await asyncio.sleep(0.3)
    [line] = fake.sent(G)  # once, not once per message
    assert line.startswith("@xiaoming ") and "问卷" not in line
    [call] = [c for c in fake.of("sendMessage") if c.params["chat_id"] == G]
    [[button]] = call.params["reply_markup"]["inline_keyboard"]
    assert button["url"] == "https://t.me/qun_test_bot?start=hi"
    rows = await t.log_rows(["action.send_private"])
    assert [r.detail["outcome"] for r in rows] == ["fallback", "skipped"]


async def test_retry_after_is_honoured_and_the_message_delivered(fake: FakeBotApi, tg: TgFactory) -> None:
    await tg(fake)
    fake.rate_limit("sendMessage", retry_after=1)
    fake.push(message=cmd("/checkin"))
    await fake.wait_for(lambda: len(fake.sent(G)) == 1, within_s=15)
    attempts = fake.of("sendMessage", ok_only=False)
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0
    assert fake.sent(G) == ["✅ 小明 打卡成功"]


async def test_member_actions_reach_the_bot_api_with_the_right_parameters(
    fake: FakeBotApi, tg: TgFactory
) -> None:
    fake.set_bot_rights(G, **FULL_RIGHTS)
    t = await tg(fake)
    fake.push(message=cmd("/tools"))
    await t.wait_handled(1)
    assert [o.status for o in t.handled[0].outcomes] == ["done"] * 6
    pinned = fake.of("pinChatMessage")[0].params
    assert pinned["message_id"] == int(t.handled[0].outcomes[0].message_id or 0)
    assert pinned["disable_notification"] == "true"
    link = fake.of("createChatInviteLink")[0].params
    assert (link["name"], link["creates_join_request"]) == ("ref:1", "false")
    assert fake.sent(1)[0].startswith("你的专属邀请链接：https://t.me/+fake")
    mute, unmute = fake.of("restrictChatMember")
    assert not any(mute.params["permissions"].values())
    assert mute.params["until_date"] >= time.time() + 30  # under 30 s Telegram would mute forever
    assert all(unmute.params["permissions"].values())
    assert "until_date" not in fake.of("banChatMember")[0].params  # a ban, not a removal
    assert fake.of("unbanChatMember")[0].params["only_if_banned"] == "true"


# ------------------------------------------------------------------------------ delivery


async def test_duplicate_update_id_does_nothing_twice(fake: FakeBotApi, tg: TgFactory) -> None:
    t = await tg(fake)
    update = {"update_id": 41, "message": cmd("/checkin")}
    fake.push_raw(update)
    await fake.wait_for(lambda: len(fake.sent(G)) == 1)
    fake.push_raw(update)  # an overlapping poll / a redelivery
    fake.push(message=cmd("/checkin", sender=user(5, "阿强")))
    await fake.wait_for(lambda: len(fake.sent(G)) == 2)
    assert fake.sent(G) == ["✅ 小明 打卡成功", "✅ 阿强 打卡成功"]
    await fake.wait_for(lambda: len(t.events()) >= 2)
    assert [e.delivery for e in t.events()] == ["tg:update:41", "tg:update:42"]


async def test_redelivery_after_a_restart_is_caught_by_the_stored_dedupe(
    fake: FakeBotApi, tg: TgFactory, tmp_path: object
) -> None:
    from pathlib import Path

    db = Path(str(tmp_path)) / "shared.db"
    first = await tg(fake, db=db)
    update = {"update_id": 77, "message": cmd("/checkin")}
    fake.push_raw(update)
    await fake.wait_for(lambda: len(fake.sent(G)) == 1)
    await first.close()
    second = await tg(fake, db=db)
    fake.push_raw(update)  # Telegram resends what it thinks was not confirmed
    await second.wait_handled(1)
    assert second.handled[0].duplicate
    assert second.handled[0].event.delivery == "tg:update:77"
    await asyncio.sleep(0.2)
    assert fake.sent(G) == ["✅ 小明 打卡成功"]


async def test_polling_survives_the_server_going_away(fake: FakeBotApi, tg: TgFactory, logs: Logs) -> None:
    t = await tg(fake)
    fake.push(message=cmd("/checkin"))
    await fake.wait_for(lambda: len(fake.sent(G)) == 1)
    await fake.stop()
    await fake.wait_for(lambda: sum(log["event"] == "telegram_retrying" for log in logs) >= 2)
    await fake.start()
    fake.push(message=cmd("/checkin", sender=user(6, "回来了")))
    await fake.wait_for(lambda: len(fake.sent(G)) == 2, within_s=15)
    assert fake.sent(G)[1] == "✅ 回来了 打卡成功"
    await fake.wait_for(lambda: len(t.events()) >= 2)
    assert len(t.events()) == 2


async def test_malformed_update_in_a_batch_is_skipped(fake: FakeBotApi, tg: TgFactory, logs: Logs) -> None:
    await tg(fake)
    fake.push_raw({"update_id": 50, "message": 5})
    fake.push(message=cmd("/checkin"))
    await fake.wait_for(lambda: len(fake.sent(G)) == 1)
    await fake.wait_for(lambda: any(c.params.get("offset") == 52 for c in fake.of("getUpdates")))
    assert any(log["event"] == "telegram_update_malformed" and log["update_id"] == 50 for log in logs)


async def test_offset_confirmed_on_stop(fake: FakeBotApi, tg: TgFactory) -> None:
    t = await tg(fake)
    fake.push(message=cmd("/checkin"))
    await fake.wait_for(lambda: len(fake.sent(G)) == 1)
    await t.close()
    assert fake.of("getUpdates")[-1].params.get("offset") == 2


# ------------------------------------------------------------------------------ webhook


async def test_webhook_registers_and_handles_updates_once(fake: FakeBotApi, tg: TgFactory) -> None:
    t = await tg(fake, mode="webhook")
    await fake.wait_for(lambda: bool(fake.webhook))
    assert fake.webhook["secret_token"] == "s3cret-Token_1"
    assert fake.webhook["allowed_updates"] == [
        "message",
        "edited_message",
        "chat_member",
        "my_chat_member",
        "callback_query",
        "chat_join_request",
    ]
    assert fake.of("getUpdates", ok_only=False) == []
    update = {"update_id": 900, "message": cmd("/checkin")}
    assert await fake.deliver_webhook(update) == 200
    assert await fake.deliver_webhook(update) == 200  # Telegram resends when unsure
    await fake.wait_for(lambda: len(fake.sent(G)) == 1)
    await asyncio.sleep(0.2)
    assert fake.sent(G) == ["✅ 小明 打卡成功"]
    assert len(t.events()) == 1


async def test_webhook_wrong_secret_is_refused_before_the_body_is_read(
    fake: FakeBotApi, tg: TgFactory
) -> None:
    t = await tg(fake, mode="webhook")
    for header in (b"X-Telegram-Bot-Api-Secret-Token: wrong\r\n", b""):
        reader, writer = await asyncio.open_connection("127.0.0.1", t.http.port)
        # Announce a large body and never send it: a server that read the body first would hang.
        writer.write(
            b"POST /telegram/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100000\r\n" + header + b"\r\n"
        )
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), timeout=5)
        writer.close()
        assert status.split()[1] == b"403"
    assert t.handled == []


async def test_webhook_malformed_body_is_answered_and_logged(
    fake: FakeBotApi, tg: TgFactory, logs: Logs
) -> None:
    t = await tg(fake, mode="webhook")
    await fake.wait_for(lambda: bool(fake.webhook))
    headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"}
    async with aiohttp.ClientSession() as session:
        for body in (
            b"{not json",
            json.dumps({"update_id": "x"}).encode(),
            b'{"update_id": 3, "message": 1}',
        ):
            async with session.post(str(fake.webhook["url"]), data=body, headers=headers) as response:
                assert response.status == 200
    events = [log["event"] for log in logs]
    assert events.count("telegram_webhook_malformed") == 1
    assert events.count("telegram_update_malformed") == 2
    assert t.handled == []
    assert await fake.deliver_webhook({"update_id": 4, "message": cmd("/checkin")}) == 200
    await fake.wait_for(lambda: len(fake.sent(G)) == 1)


def test_webhook_mode_without_secret_is_a_startup_error() -> None:
    http = HttpServer("127.0.0.1", 0, Metrics(), _healthy)
    no_secret = TelegramSettings(
        token=SecretStr("1:x"), mode="webhook", webhook_url="https://bot.example/telegram/webhook"
    )
    with pytest.raises(TelegramStartError, match="WEBHOOK_SECRET"):
        TelegramAdapter(no_secret, http)
    no_url = TelegramSettings(token=SecretStr("1:x"), mode="webhook", webhook_secret=SecretStr("abc"))
    with pytest.raises(TelegramStartError, match="WEBHOOK_URL"):
        TelegramAdapter(no_url, http)
    bad = TelegramSettings(
        token=SecretStr("1:x"),
        mode="webhook",
        webhook_url="https://x/",
        webhook_secret=SecretStr("no spaces!"),
    )
    with pytest.raises(TelegramStartError, match="may only contain"):
        TelegramAdapter(bad, http)


async def test_rejected_token_is_a_startup_error(fake: FakeBotApi, tg: TgFactory) -> None:
    http = HttpServer("127.0.0.1", 0, Metrics(), _healthy)
    settings = TelegramSettings(token=SecretStr("1:wrong"), base_url=fake.base_url)
    adapter = TelegramAdapter(settings, http)
    try:
        with pytest.raises(TelegramStartError, match="rejected the bot token") as raised:
            await adapter.start(_ignore)
        assert "wrong" not in str(raised.value)
    finally:
        await adapter.stop()
    assert fake.calls[-1].status == 401


async def _healthy() -> bool:
    return True


async def _ignore(_: object) -> None:
    return None


# ------------------------------------------------------------------------------ capabilities


async def test_bot_added_tells_what_is_missing_and_rechecks_on_change(
    fake: FakeBotApi, tg: TgFactory
) -> None:
    fake.set_admin(G, OWNER, owner=True)
    fake.can_read_all_group_messages = False
    t = await tg(fake, features=[Tracking(), BotRights()])
    fake.push(my_chat_member=chat_member_update(GROUP, BOT_USER, "left", "member", by=OWNER))
    await fake.wait_for(lambda: len(fake.sent(G)) == 1)
    first = fake.sent(G)[0]
    assert first.startswith("@群主 谢谢把我加入「测试群」")
    for right in ("删除消息", "移出/封禁成员", "禁言成员", "置顶消息", "邀请链接", "/setprivacy"):
        assert right in first
    # The reply is sent while the event is handled; the harness hears of it only once handling ends.
    await fake.wait_for(lambda: len(t.events(EventKind.BOT_ADDED)) == 1)
    added = t.events(EventKind.BOT_ADDED)[0]
    assert added.user is not None and added.user.is_admin and added.data == "added"

    fake.set_bot_rights(G, **FULL_RIGHTS)
    fake.push(
        my_chat_member=chat_member_update(
            GROUP, BOT_USER, "member", "administrator", by=OWNER, rights=FULL_RIGHTS
        )
    )
    await fake.wait_for(lambda: len(fake.sent(G)) == 2)
    assert "一切就绪" in fake.sent(G)[1]
    assert t.adapter.capabilities(added.chat).can_delete

    fake.push(
        my_chat_member=chat_member_update(
            GROUP, BOT_USER, "administrator", "administrator", by=OWNER, rights=FULL_RIGHTS
        )
    )
    await t.wait_handled(3)
    await asyncio.sleep(0.2)
    assert len(fake.sent(G)) == 2  # nothing changed: nothing said
    async with t.app.db.session() as session:
        from storage.models.core import Group

        row = await session.get(Group, f"tg:group:{G}")
    assert row is not None and row.rights["missing"] == [] and row.active


async def test_bot_rights_message_in_english(fake: FakeBotApi, tg: TgFactory) -> None:
    await tg(fake, rules='[defaults]\nlanguage = "en"\n', features=[Tracking(), BotRights()])
    fake.push(my_chat_member=chat_member_update(GROUP, BOT_USER, "left", "member", by=OWNER))
    await fake.wait_for(lambda: len(fake.sent(G)) == 1)
    text = fake.sent(G)[0]
    assert "Delete messages" in text and "thanks for adding me" in text
    assert "/setprivacy" not in text  # privacy mode is off on this fake


async def test_commands_are_registered_in_chinese_and_english(fake: FakeBotApi, tg: TgFactory) -> None:
    await tg(fake)
    await fake.wait_for(lambda: len(fake.of("setMyCommands")) == 4)
    calls = {
        (c.params["scope"]["type"], c.params.get("language_code")): c.params["commands"]
        for c in fake.of("setMyCommands")
    }
    assert calls[("default", None)] == [{"command": "checkin", "description": "每日打卡"}]
    assert calls[("default", "en")] == [{"command": "checkin", "description": "Daily check-in"}]
    admin_names = [c["command"] for c in calls[("all_chat_administrators", None)]]
    assert admin_names == ["checkin", "warn"]


async def test_core_methods_only_server(fake: FakeBotApi, tg: TgFactory) -> None:
    """setMyCommands, getChatAdministrators, getChatMember… answer 404: each is tried once, logged, and
    the bot carries on; its rights unknown, it tries the deletions (the server allows them)."""
    fake.core_only = True
    t = await tg(fake)
    newbie = user(2, "新人")
    fake.push(message=message(GROUP, newbie, None, new_chat_members=[newbie]))
    fake.push(message=ad())
    fake.push(message=ad())
    fake.push(message=cmd("/checkin"))
    await t.wait_handled(4)
    await fake.wait_for(lambda: any("打卡成功" in text for text in fake.sent(G)))
    assert fake.sent(G)[0] == "欢迎 新人！"
    # the bot's rights could not be learned: unknown is not "no", so the ads were deleted
    assert len(fake.of("deleteMessage")) == 2
    assert not any("请管理员处理" in text for text in fake.sent(G))
    assert len(fake.of("setMyCommands", ok_only=False)) == 1
    assert len(fake.of("getChatAdministrators", ok_only=False)) == 1
    assert len(fake.of("getChatMember", ok_only=False)) == 1
    assert {"setMyCommands", "getChatAdministrators", "getChatMember"} <= t.adapter.unsupported_methods
    assert all(h.errors == [] for h in t.handled)


# ------------------------------------------------------------------------------ buttons, photos


async def test_buttons_long_data_and_callback_answers(fake: FakeBotApi, tg: TgFactory) -> None:
    t = await tg(fake)
    fake.push(message=cmd("/menu"))
    await fake.wait_for(lambda: len(fake.sent(G)) == 1)
    sent = fake.of("sendMessage")[0]
    data = sent.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert len(data.encode()) <= 64
    bot_message = message(GROUP, BOT_USER, "菜单", message_id=5000)
    base = {"from": MEMBER, "chat_instance": "ci", "message": bot_message}
    fake.push(callback_query={"id": "q1", **base, "data": data})
    fake.push(callback_query={"id": "q2", **base, "game_short_name": "nothing"})
    fake.push(callback_query={"id": "q3", **base, "data": "qb~" + "0" * 40})
    await fake.wait_for(lambda: len(fake.of("answerCallbackQuery")) == 3)
    await t.wait_handled(2)
    answers = {c.params["callback_query_id"]: c.params.get("text") for c in fake.of("answerCallbackQuery")}
    assert answers["q1"] is None and answers["q2"] is None
    assert answers["q3"] is not None and "expired" in answers["q3"]
    pressed = t.events(EventKind.BUTTON_PRESSED)
    assert [e.data for e in pressed] == ["/tasks " + "x" * 100]
    assert pressed[0].message_id == "5000"


def _qr_jpeg(payload: str) -> bytes:
    barcode = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode)
    image = Image.fromarray(__import__("numpy").array(barcode.to_image(scale=6)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()


async def test_qr_code_in_a_group_photo_is_decoded(fake: FakeBotApi, tg: TgFactory) -> None:
    fake.set_bot_rights(G, **FULL_RIGHTS)
    fake.files["ph1"] = _qr_jpeg("https://u.wechat.com/join-my-group")
    t = await tg(fake)
    photo = message(GROUP, MEMBER, None, photo=photo_sizes("ph1", fake.files["ph1"]), caption="扫码进群")
    fake.push(message=photo)
    await t.wait_handled(1)
    assert len(fake.of("deleteMessage")) == 1
    event = t.events(EventKind.MESSAGE)[0]
    assert event.qr_texts == ("https://u.wechat.com/join-my-group",)
    assert event.media == "photo" and event.text == "扫码进群"
    assert [c.params["file_id"] for c in fake.of("getFile")] == ["ph1"]  # not the >1 MB size


async def test_broken_photo_is_ignored(fake: FakeBotApi, tg: TgFactory) -> None:
    fake.files["ph2"] = b"not an image at all"
    t = await tg(fake)
    fake.push(message=message(GROUP, MEMBER, None, photo=photo_sizes("ph2", fake.files["ph2"])))
    await t.wait_handled(1)
    assert t.events()[0].qr_texts == ()
    assert t.handled[0].errors == []


async def test_rename_seen_on_next_message(fake: FakeBotApi, tg: TgFactory) -> None:
    t = await tg(fake)
    fake.push(message=message(GROUP, user(8, "张三"), "大家好"))
    fake.push(message=message(GROUP, user(8, "北京-设计-张三"), "改好名字了"))
    await t.wait_handled(3)
    kinds = [e.kind for e in t.events()]
    assert kinds == [EventKind.MESSAGE, EventKind.NICKNAME_CHANGED, EventKind.MESSAGE]
    renamed = t.events(EventKind.NICKNAME_CHANGED)[0]
    assert (renamed.old_name, renamed.user and renamed.user.name) == ("张三", "北京-设计-张三")


async def test_admin_status_comes_from_the_admin_list(fake: FakeBotApi, tg: TgFactory) -> None:
    fake.set_bot_rights(G, **FULL_RIGHTS)
    fake.set_admin(G, OWNER, owner=True)
    t = await tg(fake)
    fake.push(message=ad(sender=OWNER))  # admins are never punished by the test AdCop
    fake.push(chat_member=chat_member_update(GROUP, MEMBER, "member", "administrator", by=OWNER))
    fake.push(message=ad(sender=MEMBER))
    await fake.wait_for(lambda: len(t.events(EventKind.MESSAGE)) == 2)
    users = [e.user for e in t.events(EventKind.MESSAGE)]
    assert [u.is_admin if u else None for u in users] == [True, True]
    assert fake.of("deleteMessage") == []


async def test_the_real_features_run_unchanged_on_telegram(fake: FakeBotApi, tg: TgFactory) -> None:
    """The registry's platform-neutral features (written against the simulator), on Telegram: the rights
    check, welcome, ad → delete + warning, third strike → ban + unban, /checkin, the command menu."""
    from handlers.registry import build_features

    fake.set_admin(G, OWNER, owner=True)
    fake.set_bot_rights(G, **FULL_RIGHTS)
    t = await tg(fake, rules="[defaults.welcome]\nbatch_seconds = 0\n", features=build_features())
    fake.push(
        my_chat_member=chat_member_update(
            GROUP, BOT_USER, "left", "administrator", by=OWNER, rights=FULL_RIGHTS
        )
    )
    fake.push(chat_member=chat_member_update(GROUP, user(2, "北京-设计-新人"), "left", "member"))
    spammer = user(3, "上海-销售-老王", username="laowang")
    ads = [message(GROUP, spammer, f"加我微信 wx{i}abc123 领取福利，私聊我") for i in range(3)]
    for update in ads:
        fake.push(message=update)
    fake.push(message=cmd("/checkin", sender=user(5, "广州-运营-阿强")))
    await t.wait_handled(6, within_s=30)
    assert all(h.errors == [] for h in t.handled)
    texts = fake.sent(G)
    assert "一切就绪" in texts[0]
    assert any("北京-设计-新人" in text for text in texts[1:])
    assert [c.params["message_id"] for c in fake.of("deleteMessage")] == [a["message_id"] for a in ads]
    assert sum("@laowang" in text for text in texts) >= 2  # the public warnings
    assert [c.params["user_id"] for c in fake.of("banChatMember")] == [3]
    assert [c.params["user_id"] for c in fake.of("unbanChatMember")] == [3]
    assert "阿强" in texts[-1]
    names = {c["command"] for c in fake.of("setMyCommands")[0].params["commands"]}
    assert {"checkin", "help"} <= names
