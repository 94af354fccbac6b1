"""The door on Telegram, through python-telegram-bot and the fake Bot API: a newcomer restricted on join
and released by the verification button (then greeted), removed for a wrong answer or at the deadline."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from handlers.antiraid.handler import SWEEP as RAID_SWEEP
from handlers.antiraid.handler import Antiraid
from handlers.contract.actions import Action, Send
from handlers.contract.events import ARRIVALS, Chat, Event, EventKind
from handlers.feature import Context, Feature, Phase
from handlers.locks.handler import Locks
from handlers.moderation.handler import Moderation
from handlers.referrals.handler import Referrals
from handlers.tracking import Tracking
from handlers.verify.handler import SWEEP, Verify
from handlers.verify.requests import SWEEP as JR_SWEEP
from handlers.verify.requests import JoinRequests
from tests.platforms.conftest import Tg, TgFactory
from tests.platforms.fake_bot_api import (
    BOT_USER,
    FULL_RIGHTS,
    FakeBotApi,
    chat_member_update,
    group,
    join_request,
    message,
    url_entities,
    user,
)

G = -100_4321
GROUP = group(G, "门口群")
NEWBIE = user(2, "新人", "甲")
RULES = """
[defaults.verify]
method = "{method}"
[[defaults.verify.questions]]
question = "本群禁止什么？"
answer = "发广告"
wrong = ["发言", "提问"]
"""


class ArrivalGreeter(Feature):
    """Greets a member once they are in (as the real welcome does): a plain join or a verified one."""

    name = "test_arrival"
    phase = Phase.MEMBERSHIP

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind in ARRIVALS and event.user is not None:
            return [Send(event.chat, f"欢迎 {event.user.name}！", "test welcome")]
        return []


async def joined(fake: FakeBotApi, tg: TgFactory, method: str) -> tuple[Tg, dict[str, Any]]:
    """Start the bot with full rights, let NEWBIE join, and return the challenge message sent."""
    fake.set_bot_rights(G, **FULL_RIGHTS)
    t = await tg(
        fake, rules=RULES.replace("{method}", method), features=[Tracking(), Verify(), ArrivalGreeter()]
    )
    fake.push(chat_member=chat_member_update(GROUP, NEWBIE, "left", "member"))
    await fake.wait_for(lambda: len(fake.of("sendMessage")) == 1 and len(fake.of("restrictChatMember")) == 1)
    return t, fake.of("sendMessage")[0].params


def keyboard(sent: dict[str, Any]) -> list[dict[str, str]]:
    return [button for row in sent["reply_markup"]["inline_keyboard"] for button in row]


def press(fake: FakeBotApi, data: str, who: dict[str, Any] = NEWBIE, message_id: int = 7000) -> None:
    fake.press(who, data, message(GROUP, BOT_USER, "验证", message_id=message_id))


async def test_join_is_restricted_then_released_by_the_button(fake: FakeBotApi, tg: TgFactory) -> None:
    t, sent = await joined(fake, tg, "button")
    mute = fake.of("restrictChatMember")[0].params
    assert mute["user_id"] == 2 and not any(mute["permissions"].values())
    assert mute["until_date"] > time.time() + 366 * 86400  # muted until released, not for a while
    assert fake.sent(G) == [sent["text"]] and "欢迎 新人 甲！" not in fake.sent(G)  # no welcome yet
    [button] = keyboard(sent)

    press(fake, button["callback_data"], who=user(3, "路人"))  # someone else's button
    press(fake, button["callback_data"])
    await fake.wait_for(lambda: len(fake.of("restrictChatMember")) == 2)
    unmute = fake.of("restrictChatMember")[1].params
    assert unmute["user_id"] == 2 and all(unmute["permissions"].values())
    await fake.wait_for(lambda: "欢迎 新人 甲！" in fake.sent(G))
    assert fake.of("deleteMessage")[0].params["message_id"] == 7000  # the challenge goes away
    assert [e.user.id for e in t.events(EventKind.MEMBER_VERIFIED) if e.user] == ["2"]
    assert [row.reason for row in await t.log_rows(["verify.passed"])] == ["button answered"]
    assert not fake.of("banChatMember")


async def test_wrong_answer_removes_the_newcomer(fake: FakeBotApi, tg: TgFactory) -> None:
    t, sent = await joined(fake, tg, "question")
    wrong = next(b for b in keyboard(sent) if b["text"] != "发广告")
    press(fake, wrong["callback_data"])
    await fake.wait_for(lambda: bool(fake.of("unbanChatMember")))
    assert fake.of("banChatMember")[0].params["user_id"] == 2  # removal = ban + unban: may rejoin
    assert len(fake.of("restrictChatMember")) == 1  # never released
    [failed] = await t.log_rows(["verify.failed"])
    assert failed.reason.startswith("wrong answer")
    assert "欢迎 新人 甲！" not in fake.sent(G)


async def test_no_answer_by_the_deadline_removes_the_newcomer(fake: FakeBotApi, tg: TgFactory) -> None:
    t, _ = await joined(fake, tg, "arithmetic")
    await t.wait_handled(1)
    joined_at = t.events(EventKind.MEMBER_JOINED)[0].at
    chat = Chat("tg", str(G), "group")

    async def sweep(after: timedelta) -> None:
        at = joined_at + after
        await t.app.dispatch(Event(EventKind.TICK, chat, at, f"tick:test@{at.isoformat()}", data=SWEEP))

    await sweep(timedelta(minutes=4))
    assert not fake.of("banChatMember")
    await sweep(timedelta(minutes=5, seconds=1))
    await fake.wait_for(lambda: bool(fake.of("unbanChatMember")))
    assert fake.of("banChatMember")[0].params["user_id"] == 2
    [timeout] = await t.log_rows(["verify.timeout"])
    assert timeout.reason == "no answer in 5 min: removed"


# ------------------------------------------------------------------------------ locks

MEMBER = user(5, "小明")
OWNER = user(10, "群主")
FILE = {"file_id": "f1", "file_unique_id": "u1"}
LOCKED_MESSAGES: dict[str, dict[str, Any]] = {
    "links": {
        "text": "看 https://spam.example/x",
        "entities": url_entities("看 https://spam.example/x", "https://spam.example/x"),
    },
    "forwards": {"text": "转发", "forward_origin": {"type": "user", "date": 1, "sender_user": OWNER}},
    "stickers": {
        "sticker": {
            **FILE,
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
    },
    "gifs": {"animation": {**FILE, "width": 320, "height": 240, "duration": 2}, "document": FILE},
    "voice": {"voice": {**FILE, "duration": 3}},
    "video": {"video": {**FILE, "width": 640, "height": 480, "duration": 5}},
    "contacts": {"contact": {"phone_number": "+8613800000000", "first_name": "广告"}},
    "games": {
        "game": {"title": "小游戏", "description": "玩", "photo": [{**FILE, "width": 90, "height": 90}]}
    },
    "inline": {"text": "来投票", "via_bot": user(77, "vote", username="vote", bot=True)},
}


async def test_each_lock_deletes_through_the_bot_api(fake: FakeBotApi, tg: TgFactory) -> None:
    fake.set_bot_rights(G, **FULL_RIGHTS)
    fake.set_admin(G, OWNER, owner=True)
    kinds = ", ".join(f'"{k}"' for k in [*LOCKED_MESSAGES, "bots"])
    t = await tg(fake, rules=f"[defaults.locks]\nlocked = [{kinds}]\n", features=[Tracking(), Locks()])
    ids: dict[str, int] = {}
    for n, (kind, fields) in enumerate(LOCKED_MESSAGES.items()):
        ids[kind] = 9000 + n
        body = dict(fields)
        text = body.pop("text", None)
        fake.push(message=message(GROUP, MEMBER, text, message_id=ids[kind], **body))
    fake.push(
        message=message(
            GROUP,
            OWNER,
            "管理员的链接 https://docs.example",
            message_id=8999,
            entities=url_entities("管理员的链接 https://docs.example", "https://docs.example"),
        )
    )
    fake.push(message=message(GROUP, MEMBER, "普通消息", message_id=8998))
    spam_bot = user(66, "spam", username="spam_bot", bot=True)
    fake.push(chat_member=chat_member_update(GROUP, spam_bot, "left", "member", by=MEMBER))
    await fake.wait_for(
        lambda: len(fake.of("deleteMessage")) == len(LOCKED_MESSAGES) and bool(fake.of("unbanChatMember"))
    )
    await t.wait_handled(len(LOCKED_MESSAGES) + 3)
    deleted = sorted(int(c.params["message_id"]) for c in fake.of("deleteMessage"))
    assert deleted == sorted(ids.values())  # every kind, not the admin's link nor the plain message
    assert fake.of("banChatMember")[0].params["user_id"] == 66
    rows = await t.log_rows(["lock.deleted"])
    assert sorted(r.reason.removeprefix("locked: ") for r in rows) == sorted(LOCKED_MESSAGES)


# ------------------------------------------------------------------------------ anti-raid


async def test_a_wave_of_joins_turns_raid_mode_on_and_off(fake: FakeBotApi, tg: TgFactory) -> None:
    fake.set_bot_rights(G, **FULL_RIGHTS)
    rules = "[defaults.antiraid]\nenabled = true\njoins = 3\nseconds = 60\nminutes = 10\n"
    t = await tg(fake, rules=rules, features=[Tracking(), Antiraid(), Verify(), ArrivalGreeter()])
    for uid in (21, 22, 23, 24):
        fake.push(chat_member=chat_member_update(GROUP, user(uid, f"号{uid}"), "left", "member"))
    await t.wait_handled(4)
    await fake.wait_for(lambda: len(fake.of("restrictChatMember")) == 2)
    assert [c.params["user_id"] for c in fake.of("restrictChatMember")] == [
        23,
        24,
    ]  # verified from the wave on
    [started] = await t.log_rows(["raid.started"])
    assert started.reason == "3 joins within 60 s (threshold 3)"
    # no admin has started the bot here: the admins' notice (with the figures) stays in the log and never
    # goes into the group
    assert not any("秒内有" in s for s in fake.sent(G))

    joined_at = t.events(EventKind.MEMBER_JOINED)[-1].at
    chat = Chat("tg", str(G), "group")
    at = joined_at + timedelta(minutes=11)
    await t.app.dispatch(Event(EventKind.TICK, chat, at, f"tick:raid@{at.isoformat()}", data=RAID_SWEEP))
    [ended] = await t.log_rows(["raid.ended"])
    assert ended.reason.startswith("raid mode over after 10 min: 2 joins")
    assert not any("已结束" in s for s in fake.sent(G))  # an admins' notice: the log, never the group


# ------------------------------------------------------------------------------ join requests

ASKER = user(31, "申请", "人")
ASKER_CHAT = 7_031  # user_chat_id: Telegram does not promise it is the user's id
LOG = -100_9999
ADMIN = user(40, "管理员")
JOIN_RULES = f"""
[defaults]
log_chat = "tg:group:{LOG}"
[defaults.verify.join_requests]
enabled = true
timeout_minutes = 60
on_timeout = "decline"
"""


async def requested(fake: FakeBotApi, tg: TgFactory, referral: bool = False) -> Tg:
    fake.set_bot_rights(G, **FULL_RIGHTS)
    fake.set_admin(G, ADMIN)
    t = await tg(fake, rules=JOIN_RULES, features=[Tracking(), Verify(), JoinRequests()])
    link = "ref:5" if referral else None
    fake.push(chat_join_request=join_request(GROUP, ASKER, user_chat_id=ASKER_CHAT, invite_link_name=link))
    await fake.wait_for(lambda: bool(fake.sent(ASKER_CHAT)) and bool(fake.sent(LOG)))
    await t.wait_handled(1)
    return t


def notice_buttons(fake: FakeBotApi) -> dict[str, str]:
    [call] = [
        c for c in fake.of("sendMessage") if c.params["chat_id"] == LOG and "申请加入" in c.params["text"]
    ]
    return {b["text"]: b["callback_data"] for b in keyboard(call.params)}


def press_in_log(fake: FakeBotApi, data: str, who: dict[str, Any], message_id: int = 8100) -> None:
    fake.press(who, data, message(group(LOG, "日志"), BOT_USER, "通知", message_id=message_id))


async def test_a_join_request_is_approved_after_the_private_questionnaire(
    fake: FakeBotApi, tg: TgFactory
) -> None:
    t = await requested(fake, tg, referral=True)
    [first] = fake.sent(ASKER_CHAT)
    assert "门口群" in first and "(1/2) 是谁推荐你入群的？" in first  # a referral joiner: 推荐人 first
    assert not fake.of("approveChatJoinRequest")
    private = {"id": ASKER_CHAT, "type": "private", "first_name": "申请"}
    fake.push(message=message(private, ASKER, "老王推荐的"))
    await fake.wait_for(lambda: len(fake.sent(ASKER_CHAT)) == 2)
    assert "(2/2) 你对本群有什么期待？" in fake.sent(ASKER_CHAT)[1] and not fake.of("approveChatJoinRequest")
    fake.push(message=message(private, ASKER, "想认识同行"))
    await fake.wait_for(lambda: bool(fake.of("approveChatJoinRequest")))
    [approve] = fake.of("approveChatJoinRequest")
    assert approve.params["chat_id"] == G and approve.params["user_id"] == 31
    await fake.wait_for(lambda: len(fake.sent(ASKER_CHAT)) == 3)
    assert "已通过" in fake.sent(ASKER_CHAT)[2]
    [row] = await t.log_rows(["join_request.approved"])
    assert row.reason == "entry questionnaire answered"
    # a further private message does not approve again
    fake.push(message=message(private, ASKER, "谢谢"))
    await t.wait_handled(4)
    assert len(fake.of("approveChatJoinRequest")) == 1 and not fake.of("declineChatJoinRequest")


async def test_no_answer_by_the_deadline_declines_the_request(fake: FakeBotApi, tg: TgFactory) -> None:
    t = await requested(fake, tg)
    assert "(1/2) 你最想在群里解决的问题是什么？" in fake.sent(ASKER_CHAT)[0]  # not a referral
    at = t.events(EventKind.JOIN_REQUEST)[0].at
    chat = Chat("tg", str(G), "group")

    async def sweep(after: timedelta) -> None:
        when = at + after
        await t.app.dispatch(Event(EventKind.TICK, chat, when, f"tick:jr@{when.isoformat()}", data=JR_SWEEP))

    await sweep(timedelta(minutes=59))
    assert not fake.of("declineChatJoinRequest")
    await sweep(timedelta(minutes=60, seconds=1))
    await fake.wait_for(lambda: bool(fake.of("declineChatJoinRequest")))
    assert fake.of("declineChatJoinRequest")[0].params["user_id"] == 31
    [timeout] = await t.log_rows(["join_request.timeout"])
    assert timeout.reason == "no answer in 60 min: declined (may ask again)"
    await sweep(timedelta(minutes=90))
    assert len(fake.of("declineChatJoinRequest")) == 1  # settled once


async def test_an_admin_approves_a_request_with_the_button_and_a_member_is_refused(
    fake: FakeBotApi, tg: TgFactory
) -> None:
    t = await requested(fake, tg)
    buttons = notice_buttons(fake)
    approve = buttons["✅ 通过"]
    press_in_log(fake, approve, MEMBER)  # a member of the group (not an admin) tries
    await fake.wait_for(lambda: len(fake.of("answerCallbackQuery")) == 1)
    assert "仅该群管理员" in str(fake.of("answerCallbackQuery")[0].params.get("text"))
    assert not fake.of("approveChatJoinRequest")
    press_in_log(fake, approve, ADMIN)
    await fake.wait_for(lambda: bool(fake.of("approveChatJoinRequest")))
    assert fake.of("approveChatJoinRequest")[0].params["user_id"] == 31
    assert not fake.of("answerCallbackQuery")[1].params.get("text")  # the admin is not refused
    await fake.wait_for(lambda: bool(fake.of("editMessageText")))
    edited = fake.of("editMessageText")[0].params
    assert edited["chat_id"] == LOG and edited["message_id"] == 8100 and "已通过" in edited["text"]
    assert "reply_markup" not in edited or not keyboard(edited)  # the buttons are gone
    press_in_log(fake, approve, ADMIN)  # a second press does nothing twice
    await fake.wait_for(lambda: len(fake.of("answerCallbackQuery")) == 3)
    await t.wait_handled(4)
    assert len(fake.of("approveChatJoinRequest")) == 1
    refused = await t.log_rows(["join_request.refused"])
    assert [r.user_id for r in refused] == ["5"]
    [approved] = await t.log_rows(["join_request.approved"])
    assert approved.reason == "approved by admin 管理员"


# ------------------------------------------------------------------------------ the log chat: 撤销 / 确认

OTHER_GROUP_ADMIN = user(41, "别群管理员")
LOG_RULES = f"""
[defaults]
log_chat = "tg:group:{LOG}"
"""


def command(text: str, sender: dict[str, Any], reply_to: dict[str, Any]) -> dict[str, Any]:
    entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return message(GROUP, sender, text, entities=entities, reply_to_message=reply_to)


def log_lines(fake: FakeBotApi) -> list[dict[str, Any]]:
    return [c.params for c in fake.of("sendMessage") if c.params["chat_id"] == LOG]


async def test_undo_in_the_log_chat_by_an_admin_and_refused_to_others(
    fake: FakeBotApi, tg: TgFactory
) -> None:
    fake.set_bot_rights(G, **FULL_RIGHTS)
    fake.set_admin(G, OWNER, owner=True)
    fake.set_admin(-100_7777, OTHER_GROUP_ADMIN)  # an admin, of another group
    t = await tg(fake, rules=LOG_RULES, features=[Tracking(), Moderation()])
    posted = message(GROUP, MEMBER, "一条消息", message_id=9500)
    fake.push(message=posted)
    fake.push(message=command("/warn 刷屏", OWNER, posted))
    await fake.wait_for(lambda: len(log_lines(fake)) == 1)
    fake.push(message=command("/ban 广告", OWNER, posted))
    await fake.wait_for(lambda: len(log_lines(fake)) == 2 and bool(fake.of("banChatMember")))
    warned, banned = log_lines(fake)
    assert "⚠️ 记违规 小明" in warned["text"] and "门口群" in warned["text"]
    assert "⛔ 封禁 小明：广告" in banned["text"]
    buttons = {b["text"]: b["callback_data"] for b in keyboard(banned)}
    assert set(buttons) == {"撤销", "确认"}

    def press_undo(who: dict[str, Any]) -> None:
        callback = message(group(LOG, "日志"), BOT_USER, banned["text"], message_id=8200)
        fake.press(who, buttons["撤销"], callback)

    for who in (MEMBER, OTHER_GROUP_ADMIN):  # a member, and an admin of another group: refused
        press_undo(who)
    await fake.wait_for(lambda: len(fake.of("answerCallbackQuery")) == 2)
    assert all("仅该群管理员" in str(c.params.get("text")) for c in fake.of("answerCallbackQuery"))
    assert not fake.of("unbanChatMember") and not fake.of("editMessageText")

    press_undo(OWNER)
    await fake.wait_for(lambda: bool(fake.of("unbanChatMember")) and bool(fake.of("editMessageText")))
    assert fake.of("unbanChatMember")[0].params["user_id"] == 5
    edited = fake.of("editMessageText")[0].params
    assert edited["chat_id"] == LOG and edited["message_id"] == 8200
    assert edited["text"].startswith(banned["text"]) and "已撤销（群主）" in edited["text"]
    [undo] = await t.log_rows(["admin.log_undo"])
    assert undo.detail["strikes_cleared"] == 1 and undo.detail["lifted"] == ["ban"]
    refused = await t.log_rows(["admin.log_undo_refused"])
    assert sorted(r.user_id for r in refused) == ["5", "5"]  # the target of the pressed line, twice

    press_undo(OWNER)  # a double press: nothing left to undo, nothing done twice
    await fake.wait_for(lambda: len(fake.of("answerCallbackQuery")) == 4)
    await t.wait_handled(7)
    assert len(fake.of("unbanChatMember")) == 1
    assert len(await t.log_rows(["admin.log_undo_nothing"])) == 1
    # the undo is itself logged in the log chat (the unban line)
    assert any("↩️ 解封" in p["text"] and "log chat" in p["text"] for p in log_lines(fake))


# ------------------------------------------------------------------------------ raid mode locks the door


async def test_raid_mode_locks_joins_through_the_bots_links_and_opens_them_after(
    fake: FakeBotApi, tg: TgFactory
) -> None:
    fake.set_bot_rights(G, **FULL_RIGHTS)
    rules = (
        "[defaults.antiraid]\nenabled = true\njoins = 3\nseconds = 60\nminutes = 10\n"
        "[defaults.verify.join_requests]\nenabled = true\n"
    )
    features = [Tracking(), Referrals(), Antiraid(), Verify(), JoinRequests()]
    t = await tg(fake, rules=rules, features=features)
    text = "/invite"
    fake.push(
        message=message(GROUP, MEMBER, text, entities=[{"type": "bot_command", "offset": 0, "length": 7}])
    )
    await fake.wait_for(lambda: bool(fake.of("createChatInviteLink")))
    await t.wait_handled(1)
    for uid in (21, 22):  # two joins: no raid yet, nothing locked
        fake.push(chat_member=chat_member_update(GROUP, user(uid, f"号{uid}"), "left", "member"))
    await t.wait_handled(3)
    assert not fake.of("editChatInviteLink")
    fake.push(chat_member=chat_member_update(GROUP, user(23, "号23"), "left", "member"))
    await fake.wait_for(lambda: bool(fake.of("editChatInviteLink")))
    [locked] = fake.of("editChatInviteLink")
    assert locked.params["invite_link"].startswith("https://t.me/+fake")
    assert str(locked.params["creates_join_request"]).lower() == "true"
    [lock] = await t.log_rows(["raid.lock"])
    assert lock.reason.startswith("raid mode: joins through the bot's links need approval")

    # a join request during the raid (through a locked link) is declined at once, not questioned
    fake.push(chat_join_request=join_request(GROUP, ASKER, user_chat_id=ASKER_CHAT))
    await fake.wait_for(lambda: bool(fake.of("declineChatJoinRequest")))
    assert fake.of("declineChatJoinRequest")[0].params["user_id"] == 31
    assert not fake.sent(ASKER_CHAT)

    await t.wait_handled(5)
    joined_at = t.events(EventKind.MEMBER_JOINED)[-1].at
    chat = Chat("tg", str(G), "group")
    at = joined_at + timedelta(minutes=11)
    await t.app.dispatch(Event(EventKind.TICK, chat, at, f"tick:raid@{at.isoformat()}", data=RAID_SWEEP))
    await fake.wait_for(lambda: len(fake.of("editChatInviteLink")) == 2)
    reopened = fake.of("editChatInviteLink")[1].params
    assert reopened["invite_link"] == locked.params["invite_link"]
    assert str(reopened["creates_join_request"]).lower() == "false"
    assert [r.reason for r in await t.log_rows(["raid.unlock"])] == [
        "raid mode over: the bot's links let members in again"
    ]
