"""Update → Event conversion, capabilities from the bot's rights, outgoing text and buttons: pure parts,
table-driven, on real PTB objects parsed from the JSON Telegram sends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telegram import ChatMember, Update

from bot.platforms.telegram.convert import Me, Memory, capabilities_from, convert_update
from bot.platforms.telegram.limiter import message_chat
from bot.platforms.telegram.outbound import MAX_CALLBACK_DATA, CallbackData, keyboard, split_text, utf16_len
from handlers.contract.actions import Button
from handlers.contract.events import EventKind
from tests.platforms.fake_bot_api import (
    BOT_USER,
    FULL_RIGHTS,
    chat_member_update,
    command_entity,
    group,
    member,
    message,
    private,
    user,
)

ME = Me(999_000, "qun_test_bot")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
G = -1001
GROUP = group(G)
ALICE = user(1, "Alice", "Wang", username="alice")


class Facts:
    """The adapter's admin cache, as plain data."""

    def __init__(self, admins: set[int] = frozenset(), bot_admin: bool | None = None) -> None:  # type: ignore[assignment]
        self.admins = set(admins)
        self.bot_admin = bot_admin

    def is_admin(self, chat_id: int, user_id: int) -> bool:
        return user_id in self.admins

    def bot_is_admin(self, chat_id: int) -> bool | None:
        return self.bot_admin


def convert(raw: dict[str, object], memory: Memory | None = None, facts: Facts | None = None, **kw: object):  # type: ignore[no-untyped-def]
    update = Update.de_json({"update_id": 7, **raw}, None)
    assert update is not None
    return convert_update(update, ME, memory or Memory(), facts or Facts(), NOW, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "kind", "command", "args"),
    [
        ("/warn@qun_test_bot 发广告 三次", EventKind.COMMAND, "warn", ("发广告", "三次")),
        ("/CHECKIN", EventKind.COMMAND, "checkin", ()),
        ("/checkin@another_bot", EventKind.MESSAGE, None, ()),
        ("打卡", EventKind.MESSAGE, None, ()),
    ],
)
def test_commands(text: str, kind: EventKind, command: str | None, args: tuple[str, ...]) -> None:
    entities = command_entity(text) if text.startswith("/") else None
    [event] = convert({"message": message(GROUP, ALICE, text, entities=entities)})
    assert (event.kind, event.command, event.args) == (kind, command, args)
    assert event.chat.key == f"tg:group:{G}"
    assert event.delivery == "tg:update:7"
    assert event.user is not None and event.user.name == "Alice Wang" and event.user.username == "alice"


def test_private_chat_key_is_the_user_id() -> None:
    [event] = convert({"message": message(private(1), ALICE, "/start", entities=command_entity("/start"))})
    assert event.chat.key == "tg:private:1"
    assert event.command == "start"


def test_urls_from_entities_with_utf16_offsets_and_hidden_links() -> None:
    text = "😀 看 example.com/a 和 这里"
    start = len(text[: text.index("example")].encode("utf-16-le")) // 2
    link_start = len(text[: text.index("这里")].encode("utf-16-le")) // 2
    entities = [
        {"type": "url", "offset": start, "length": len("example.com/a")},
        {"type": "text_link", "offset": link_start, "length": 2, "url": "https://hidden.example/"},
    ]
    [event] = convert({"message": message(GROUP, ALICE, text, entities=entities)})
    assert event.urls == ("example.com/a", "https://hidden.example/")


def test_caption_reply_forward_and_media() -> None:
    replied = message(GROUP, user(2, "Bob"), "原消息", message_id=55)
    raw = message(
        GROUP,
        ALICE,
        None,
        caption="看图",
        caption_entities=[{"type": "url", "offset": 0, "length": 2}],
        photo=[{"file_id": "p", "file_unique_id": "u", "width": 10, "height": 10}],
        reply_to_message=replied,
        forward_origin={
            "type": "channel",
            "date": 1,
            "chat": {"id": -100777, "type": "channel", "title": "广告频道"},
            "message_id": 3,
        },
    )
    [event] = convert({"message": raw}, qr_texts=("https://qr",))
    assert (event.text, event.media, event.qr_texts) == ("看图", "photo", ("https://qr",))
    assert event.urls == ("看图",)
    assert event.forwarded_from_channel
    assert event.reply_to is not None and event.reply_to.id == "55" and event.reply_to.text == "原消息"
    assert event.reply_to.user is not None and event.reply_to.user.name == "Bob"


def test_forum_topic_root_is_not_a_reply() -> None:
    root = message(GROUP, ALICE, None, message_id=9, forum_topic_created={"name": "话题", "icon_color": 1})
    [event] = convert({"message": message(GROUP, ALICE, "hi", reply_to_message=root, is_topic_message=True)})
    assert event.reply_to is None


def test_edited_message_is_a_message_never_a_command() -> None:
    edited = message(
        GROUP, ALICE, "/ban@qun_test_bot x", entities=command_entity("/ban"), edit_date=1_700_000_100
    )
    [event] = convert({"edited_message": edited})
    assert event.kind == EventKind.MESSAGE and event.command is None
    assert ("edited", "1") in event.extra
    assert event.at == datetime.fromtimestamp(1_700_000_100, UTC)


def test_anonymous_admin_and_sender_channel() -> None:
    anon = message(
        GROUP, user(1087968824, "Group", username="GroupAnonymousBot", bot=True), "公告", sender_chat=GROUP
    )
    [event] = convert({"message": anon})
    assert event.user is not None and event.user.is_admin and event.user.id == str(G)
    channel = {"id": -100555, "type": "channel", "title": "某频道"}
    [as_channel] = convert(
        {"message": message(GROUP, user(136817688, "Channel", bot=True), "hi", sender_chat=channel)}
    )
    assert as_channel.user is not None and not as_channel.user.is_admin and as_channel.user.name == "某频道"


def test_linked_channel_posts_and_service_messages_are_not_events() -> None:
    channel = {"id": -100555, "type": "channel", "title": "本群频道"}
    mirrored = message(
        GROUP, user(777000, "Telegram"), "频道更新", sender_chat=channel, is_automatic_forward=True
    )
    assert convert({"message": mirrored}) == []
    assert convert({"message": message(GROUP, ALICE, None, new_chat_title="新群名")}) == []
    assert convert({"message": message({"id": -100555, "type": "channel", "title": "c"}, ALICE, "x")}) == []


def test_one_join_reported_twice_is_one_delivery() -> None:
    memory = Memory()
    service = message(GROUP, ALICE, None, date=1_700_000_000, new_chat_members=[ALICE])
    [a] = convert({"message": service}, memory)
    [b] = convert(
        {"chat_member": chat_member_update(GROUP, ALICE, "left", "member", date=1_700_000_001)}, memory
    )
    assert a.kind == b.kind == EventKind.MEMBER_JOINED
    assert a.delivery == b.delivery == f"tg:join:{G}:1:1700000000"


def test_service_join_skipped_when_bot_is_admin_and_bot_itself_skipped() -> None:
    service = message(GROUP, ALICE, None, new_chat_members=[ALICE, BOT_USER])
    assert convert({"message": service}, facts=Facts(bot_admin=True)) == []
    [only] = convert({"message": service}, facts=Facts(bot_admin=None))
    assert only.user is not None and only.user.id == "1"


def test_added_by_someone_else_has_an_actor_and_leave_by_kick() -> None:
    by = user(10, "群主")
    added = message(GROUP, by, None, new_chat_members=[ALICE])
    [event] = convert({"message": added}, facts=Facts({10}))
    assert event.actor is not None and event.actor.id == "10" and event.actor.is_admin
    [kicked] = convert({"chat_member": chat_member_update(GROUP, ALICE, "member", "kicked", by=by)})
    assert kicked.kind == EventKind.MEMBER_LEFT and kicked.actor is not None


def test_an_unban_by_an_admin_is_an_event_and_the_bots_own_is_not() -> None:
    owner = user(10, "群主")
    unban = chat_member_update(GROUP, ALICE, "kicked", "left", by=owner)
    [unbanned] = convert({"chat_member": unban}, facts=Facts({10}))
    assert unbanned.kind == EventKind.MEMBER_UNBANNED and unbanned.delivery == f"tg:unban:{G}:1:7"
    assert unbanned.user is not None and unbanned.user.id == "1"
    assert unbanned.actor is not None and unbanned.actor.id == "10" and unbanned.actor.is_admin
    # Bots remove members with a ban and an unban (this one, and others such as Rose): no correction.
    assert convert({"chat_member": chat_member_update(GROUP, ALICE, "kicked", "left", by=BOT_USER)}) == []
    rose = user(4242, "Rose", bot=True)
    assert convert({"chat_member": chat_member_update(GROUP, ALICE, "kicked", "left", by=rose)}) == []
    # An admin acting anonymously shows as Telegram's GroupAnonymousBot: a person, so it counts.
    anonymous = user(1087968824, "Group", bot=True, username="GroupAnonymousBot")
    [by_anonymous] = convert(
        {"chat_member": chat_member_update(GROUP, ALICE, "kicked", "left", by=anonymous)}
    )
    assert by_anonymous.kind == EventKind.MEMBER_UNBANNED
    # An admin adding a banned member back unbans and adds them.
    readded = convert({"chat_member": chat_member_update(GROUP, ALICE, "kicked", "member", by=owner)})
    assert [e.kind for e in readded] == [EventKind.MEMBER_UNBANNED, EventKind.MEMBER_JOINED]


def test_restricted_member_counts_as_member() -> None:
    restricted = chat_member_update(GROUP, ALICE, "left", "member")
    restricted["new_chat_member"] = {
        "status": "restricted",
        "user": ALICE,
        "is_member": True,
        "until_date": 0,
        **{
            name: False
            for name in (
                "can_send_messages",
                "can_send_audios",
                "can_send_documents",
                "can_send_photos",
                "can_send_videos",
                "can_send_video_notes",
                "can_send_voice_notes",
                "can_send_polls",
                "can_send_other_messages",
                "can_add_web_page_previews",
                "can_change_info",
                "can_invite_users",
                "can_pin_messages",
                "can_manage_topics",
                "can_edit_tag",
                "can_react_to_messages",
            )
        },
    }
    [event] = convert({"chat_member": restricted})
    assert event.kind == EventKind.MEMBER_JOINED


def test_rename_on_next_message_and_on_chat_member() -> None:
    memory = Memory()
    assert [e.kind for e in convert({"message": message(GROUP, ALICE, "hi")}, memory)] == [EventKind.MESSAGE]
    renamed = user(1, "上海-运营-Alice")
    events = convert({"message": message(GROUP, renamed, "hi again")}, memory)
    assert [e.kind for e in events] == [EventKind.NICKNAME_CHANGED, EventKind.MESSAGE]
    assert events[0].old_name == "Alice Wang" and events[0].delivery == f"tg:rename:{G}:1:7"
    again = user(1, "北京-运营-Alice")
    [change] = convert({"chat_member": chat_member_update(GROUP, again, "member", "administrator")}, memory)
    assert change.kind == EventKind.NICKNAME_CHANGED and change.old_name == "上海-运营-Alice"
    assert change.user is not None and change.user.is_admin


def test_my_chat_member_is_bot_added() -> None:
    owner = user(10, "群主")
    [added] = convert({"my_chat_member": chat_member_update(GROUP, BOT_USER, "left", "member", by=owner)})
    assert (added.kind, added.data, added.user and added.user.id) == (EventKind.BOT_ADDED, "added", "10")
    [changed] = convert(
        {
            "my_chat_member": chat_member_update(
                GROUP, BOT_USER, "member", "administrator", by=owner, rights=FULL_RIGHTS
            )
        }
    )
    assert changed.data == "changed"
    [removed] = convert({"my_chat_member": chat_member_update(GROUP, BOT_USER, "member", "kicked", by=owner)})
    assert (removed.kind, removed.data) == (EventKind.BOT_REMOVED, "kicked")
    assert convert({"my_chat_member": chat_member_update(GROUP, BOT_USER, "left", "kicked", by=owner)}) == []


def test_callback_query() -> None:
    bot_message = message(GROUP, BOT_USER, "菜单", message_id=88)
    base = {"id": "q", "from": ALICE, "chat_instance": "c", "message": bot_message}
    [pressed] = convert({"callback_query": {**base, "data": "/tasks"}})
    assert (pressed.kind, pressed.data, pressed.message_id, pressed.at) == (
        EventKind.BUTTON_PRESSED,
        "/tasks",
        "88",
        NOW,
    )
    assert convert({"callback_query": base}) == []


def _member(raw: dict[str, object]) -> ChatMember:
    parsed = ChatMember.de_json(raw, None)
    assert parsed is not None
    return parsed


@pytest.mark.parametrize(
    ("rights", "expected"),
    [
        (
            FULL_RIGHTS,
            {
                "can_delete": True,
                "can_remove": True,
                "can_ban": True,
                "can_mute": True,
                "can_pin": True,
                "invite_links": True,
            },
        ),
        (
            {"can_delete_messages": True},
            {"can_delete": True, "can_remove": False, "can_mute": False, "can_pin": False},
        ),
        (
            {"can_restrict_members": True},
            {"can_delete": False, "can_remove": True, "can_ban": True, "can_mute": True},
        ),
        (
            {"can_invite_users": True, "can_pin_messages": True},
            {"invite_links": True, "can_pin": True, "can_delete": False},
        ),
    ],
)
def test_capabilities_from_admin_rights(rights: dict[str, bool], expected: dict[str, bool]) -> None:
    caps = capabilities_from(_member(member("administrator", BOT_USER, **rights)), False, set())
    for name, value in expected.items():
        assert getattr(caps, name) == value, name
    assert caps.sees_all_messages  # admins see everything even in privacy mode
    assert caps.buttons and caps.private_chat and caps.name_source == "first_last_name"


def test_capabilities_plain_member_unknown_and_unsupported() -> None:
    plain = capabilities_from(_member(member("member", BOT_USER)), False, set())
    assert plain.missing() == ["can_delete", "can_remove", "can_mute", "can_pin", "invite_links"]
    assert not plain.sees_all_messages and plain.can_send
    assert capabilities_from(None, True, set()).sees_all_messages
    assert not capabilities_from(_member(member("left", BOT_USER)), True, set()).can_send
    refused = capabilities_from(
        _member(member("administrator", BOT_USER, **FULL_RIGHTS)), True, {"banChatMember"}
    )
    assert refused.can_delete and not refused.can_remove and not refused.can_ban and refused.can_mute
    basic_group = capabilities_from(
        _member(member("administrator", BOT_USER, **FULL_RIGHTS)), True, set(), False
    )
    assert basic_group.can_ban and not basic_group.can_mute  # restrictions exist only in supergroups


@pytest.mark.parametrize(
    ("endpoint", "data", "expected"),
    [
        ("sendMessage", {"chat_id": -1001}, ("-1001", True)),
        ("sendMessage", {"chat_id": 42}, ("42", False)),
        ("sendPhoto", {"chat_id": "@channel"}, ("@channel", True)),
        ("copyMessage", {"chat_id": -5}, ("-5", True)),
        ("sendChatAction", {"chat_id": -5}, None),
        ("deleteMessage", {"chat_id": -5}, None),
        ("banChatMember", {"chat_id": -5}, None),
        ("getMe", {}, None),
    ],
)
def test_only_messages_use_a_chats_budget(endpoint: str, data: dict[str, object], expected: object) -> None:
    assert message_chat(endpoint, data) == expected


def test_split_text_respects_utf16_and_prefers_newlines() -> None:
    assert split_text("short") == ["short"]
    text = ("一行文字\n" * 2000) + "😀" * 3000
    pieces = split_text(text)
    assert "".join(pieces) == text
    assert all(utf16_len(piece) <= 4096 for piece in pieces)
    assert pieces[0].endswith("\n")


def test_long_callback_data_round_trips_and_unknown_tokens_expire() -> None:
    data = CallbackData()
    long = "/intro " + "行业-岗位-期待" * 10
    markup = keyboard(
        [Button("介绍", data=long), Button("群规", url="https://example.com/r"), Button("x")], data
    )
    assert markup is not None
    rows = markup.inline_keyboard
    assert len(rows) == 2
    token = rows[0][0].callback_data
    assert isinstance(token, str) and len(token.encode()) <= MAX_CALLBACK_DATA
    assert data.decode(token) == long
    assert data.decode("/short") == "/short"
    assert CallbackData().decode(token) is None
    assert keyboard([], data) is None
