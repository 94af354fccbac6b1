"""A newcomer's first minute on Telegram, through the fake Bot API and the real python-telegram-bot: the
welcome when its batch window closes (a one-shot timer in real time), private content that never reaches
the group, the deep link that opens the questionnaire at its step, and deletions tried while the bot's
rights are unknown."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from bot.platforms.telegram.outbound import utf16_len
from handlers.ads.handler import Ads
from handlers.contract.actions import Action, NotifyAdmins, SendPrivate
from handlers.contract.events import Event, EventKind
from handlers.feature import Context, Feature, Phase
from handlers.moderation.handler import Moderation
from handlers.tasks.handler import Tasks
from handlers.tracking import Tracking
from handlers.welcome.handler import Welcome
from tests.platforms.conftest import AdCop, TgFactory
from tests.platforms.fake_bot_api import (
    BOT_USERNAME,
    FakeBotApi,
    Json,
    group,
    message,
    private,
    url_entities,
    user,
)

G = -100_1234
GROUP = group(G, "读书会")
NEWBIE = user(2, "小新")  # no username, never started the bot
FRIEND = user(3, "阿杰")

RULES = """
[defaults]
purpose = "一起读书"
rules = ["不发广告"]
[defaults.welcome]
batch_seconds = 2
[defaults.tasks]
tasks = [{ kind = "questionnaire" }, { kind = "rules" }]
"""


def joined(*who: Json) -> Json:
    return message(GROUP, who[0], None, new_chat_members=list(who))


def group_calls(fake: FakeBotApi) -> list[Any]:
    return [c for c in fake.of("sendMessage") if c.params["chat_id"] == G]


def onboarding() -> list[Feature]:
    return [Tracking(), Welcome(), Tasks()]


async def test_the_welcome_arrives_when_the_batch_window_closes(fake: FakeBotApi, tg: TgFactory) -> None:
    """``qunbot run`` as wired: the scheduler runs in real time; nothing else happens in the group, so
    only the one-shot timer can send the welcome. Two joins 0.3 s apart share it (Telegram dates are whole
    seconds, so a window may close up to a second early; 2 s still holds both)."""
    t = await tg(fake, rules=RULES, features=onboarding())
    await t.app.scheduler.start()
    pushed = time.monotonic()
    fake.push(message=joined(NEWBIE))
    await asyncio.sleep(0.3)
    fake.push(message=joined(FRIEND))
    await fake.wait_for(lambda: bool(group_calls(fake)), within_s=8)
    [welcome] = group_calls(fake)
    assert welcome.at - pushed <= 2 + 2  # batch_seconds + 2 s
    assert "欢迎 @小新、@阿杰 加入「读书会」" in welcome.params["text"]
    text = welcome.params["text"]
    assert len(text.splitlines()) <= 8  # short: the details are behind the buttons
    rows = welcome.params["reply_markup"]["inline_keyboard"]
    assert [(b["text"], b.get("callback_data"), b.get("url")) for [b] in rows] == [
        ("查看群规", "rules:ack", None),
        ("开始任务", "/tasks", None),
        ("私聊我完成问卷", None, f"https://t.me/{BOT_USERNAME}?start=q{G}"),
    ]
    # neither newcomer has a username: each "@name" is a text_mention Telegram notifies them by
    assert sorted(e["user"]["id"] for e in welcome.params["entities"]) == [2, 3]
    await asyncio.sleep(2.5)
    assert len(group_calls(fake)) == 1  # one welcome for the batch


class EveryPrivateKind(Feature):
    """Each kind of private message the features send, each text carrying a secret the group must never
    see: the questionnaire, a reminder, the gift with its 提取码, a checklist, /stats, and an admin notice
    that names who filed a report."""

    name = "every_private_kind"
    phase = Phase.FEATURES

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind != EventKind.COMMAND or event.command != "all" or event.user is None:
            return []
        newbie = event.user
        kinds = {
            "questionnaire": ("入群问卷（1/2）：你最想解决的问题？SECRET-Q", "info"),
            "reminder": ("⏰ 新人任务提醒 SECRET-R", "reminder"),
            "gift": ("🎁 新人礼包 提取码 SECRET-G", "info"),
            "checklist": ("📋 你的任务 SECRET-T", "info"),
            "stats": ("📊 本周 SECRET-S", "report"),
        }
        actions: list[Action] = [
            SendPrivate(event.chat, newbie, text, kind, purpose=purpose)  # type: ignore[arg-type]
            for kind, (text, purpose) in kinds.items()
        ]
        actions.append(NotifyAdmins(event.chat, "小新 举报了一条消息 SECRET-A", "report"))
        return actions


async def test_no_private_content_ever_reaches_the_group(fake: FakeBotApi, tg: TgFactory) -> None:
    owner = user(10, "群主")
    fake.set_admin(G, owner, owner=True)
    fake.blocked = {2, 10}  # neither the member nor the only admin ever started the bot
    t = await tg(fake, rules=RULES, features=[*onboarding(), EveryPrivateKind()])
    fake.push(message=joined(NEWBIE))
    await t.wait_handled(1)
    fake.push(message=message(GROUP, NEWBIE, "/all", entities=[_cmd("/all")]))
    fake.push(callback_query=_press(NEWBIE, "rules:ack"))  # the real rules task confirms privately
    fake.push(message=message(GROUP, NEWBIE, "/all", entities=[_cmd("/all")]))
    await t.wait_handled(4)
    await asyncio.sleep(0.5)
    tried_privately = [c.params["chat_id"] for c in fake.of("sendMessage", ok_only=False) if c.status == 403]
    assert set(tried_privately) == {2, 10}  # tried where it belongs (then not again for a while)
    texts = [c.params["text"] for c in group_calls(fake)]
    assert not any("SECRET" in text or "举报" in text or "群规" in text for text in texts)
    # at most: one neutral line for the member, one line telling admins how to turn notices on
    assert len(texts) == 2
    assert texts[0] == "@小新 我有一条消息要私下发给你，请点下方按钮私聊我（点 Start 即可）。"
    assert texts[1].startswith("管理员通知暂时无法送达")


async def test_the_deep_link_opens_the_questionnaire_at_its_step(fake: FakeBotApi, tg: TgFactory) -> None:
    t = await tg(fake, rules=RULES, features=onboarding())
    await t.app.scheduler.start()
    fake.push(message=joined(NEWBIE))
    await fake.wait_for(lambda: bool(group_calls(fake)), within_s=8)
    [welcome] = group_calls(fake)
    links = [b["url"] for [b] in welcome.params["reply_markup"]["inline_keyboard"] if "url" in b]
    assert links == [f"https://t.me/qun_test_bot?start=q{G}"]

    fake.blocked = set()  # pressing the button opens the private chat: Start
    start = f"/start q{G}"
    fake.push(message=message(private(2, "小新"), NEWBIE, start, entities=[_cmd("/start")]))
    await fake.wait_for(lambda: any(c.params["chat_id"] == 2 for c in fake.of("sendMessage")))
    [first] = [c.params["text"] for c in fake.of("sendMessage") if c.params["chat_id"] == 2]
    assert first == "📝「读书会」入群问卷（1/2），直接回复即可：\n你最想在群里解决的问题是什么？"

    fake.push(message=message(private(2, "小新"), NEWBIE, "想找读书搭子"))
    await fake.wait_for(lambda: len([c for c in fake.of("sendMessage") if c.params["chat_id"] == 2]) == 2)
    second = [c.params["text"] for c in fake.of("sendMessage") if c.params["chat_id"] == 2][-1]
    assert second.startswith("收到 ✅ 下一题（2/2）")
    await fake.wait_for(lambda: len(t.handled) >= 3)
    rows = await t.log_rows(["tasks.answered"])
    assert [r.user_id for r in rows] == ["2"]


async def test_deletion_is_tried_when_the_rights_cannot_be_learned(fake: FakeBotApi, tg: TgFactory) -> None:
    fake.refused["getChatMember"] = (500, "Internal Server Error")
    fake.refused["getChatAdministrators"] = (500, "Internal Server Error")
    t = await tg(fake, features=[Tracking(), AdCop()])
    text = "加我领福利 https://spam.example/x"
    fake.push(message=message(GROUP, NEWBIE, text, entities=url_entities(text, "https://spam.example/x")))
    await t.wait_handled(1)
    await fake.wait_for(lambda: bool(fake.of("deleteMessage")))
    rows = await t.log_rows(["action.delete"])
    assert [r.detail["outcome"] for r in rows] == ["done"]

    fake.refused["deleteMessage"] = (400, "Bad Request: message can't be deleted")  # the refusal decides
    fake.push(message=message(GROUP, NEWBIE, text, entities=url_entities(text, "https://spam.example/x")))
    await t.wait_handled(2)
    await fake.wait_for(lambda: len(fake.of("deleteMessage", ok_only=False)) == 2)
    rows = await t.log_rows(["action.delete"])
    assert [r.detail["outcome"] for r in rows] == ["done", "escalated"]


def _cmd(text: str) -> Json:
    return {"type": "bot_command", "offset": 0, "length": len(text)}


def _press(who: Json, data: str) -> Json:
    return {
        "id": f"cb{time.monotonic_ns()}",
        "from": who,
        "chat_instance": "1",
        "data": data,
        "message": message(GROUP, user(999_000, "群助手", bot=True), "👋"),
    }


async def test_a_member_without_a_username_is_mentioned_so_telegram_notifies_them(
    fake: FakeBotApi, tg: TgFactory
) -> None:
    """A warning names its member: ``@username`` where there is one (Telegram links it by itself), else a
    ``text_mention`` entity carrying the user id over their ``@name`` (a plain "@小新" notifies nobody)."""
    named = user(4, "小王", username="xiaowang")
    await tg(fake, features=[Tracking(), Ads(), Moderation()])

    def warnings() -> list[Any]:
        return [c for c in group_calls(fake) if c.params["text"].startswith("⚠️")]

    fake.push(message=message(GROUP, NEWBIE, "🎉加我微信 abc12345 有好货"))
    await fake.wait_for(lambda: len(warnings()) == 1)
    fake.push(message=message(GROUP, named, "加我微信 xyz67890 有好货"))
    await fake.wait_for(lambda: len(warnings()) == 2)
    plain, handled = warnings()
    text = plain.params["text"]
    assert text.startswith("⚠️ @小新 违规：发布广告（留联系方式）")
    [entity] = plain.params["entities"]
    assert entity["type"] == "text_mention" and entity["user"]["id"] == 2
    start = text.index("@小新")
    assert (entity["offset"], entity["length"]) == (utf16_len(text[:start]), utf16_len("@小新"))
    assert handled.params["text"].startswith("⚠️ @xiaowang 违规")
    assert "entities" not in handled.params  # Telegram resolves @username itself


def test_mention_entities_count_utf16_and_never_overlap() -> None:
    from bot.platforms.telegram.outbound import mention_entities
    from handlers.contract.events import User

    short, long_, known = User("7", "小王"), User("8", "小王子"), User("9", "阿杰", "ajie")
    text = "😀 @小王子 和 @小王 好，@阿杰"
    entities = mention_entities(text, [short, long_, known])
    assert [(e.offset, e.length, e.user.id if e.user else 0) for e in entities] == [
        (3, 4, 8),  # the emoji is two UTF-16 units; the longer name keeps its own span
        (10, 3, 7),
    ]
