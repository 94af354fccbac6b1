"""``Chat.from_key``: the one parser of chat keys (rules tables, ``log_chat``, stored group keys)."""

from __future__ import annotations

import pytest

from handlers.contract.events import Chat


@pytest.mark.parametrize(
    ("key", "chat"),
    [
        ("tg:group:-1001234567890", Chat("tg", "-1001234567890", "group")),
        ("tg:private:12345", Chat("tg", "12345", "private")),
        ("wecom:group:wrAbC_123", Chat("wecom", "wrAbC_123", "group")),
        ("console:group:demo", Chat("console", "demo", "group")),
        ("wecom:group:wr:with:colons", Chat("wecom", "wr:with:colons", "group")),  # ids keep their colons
    ],
)
def test_a_key_gives_back_its_chat(key: str, chat: Chat) -> None:
    parsed = Chat.from_key(key)
    assert (parsed.platform, parsed.id, parsed.kind) == (chat.platform, chat.id, chat.kind)
    assert parsed.key == key


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("admins", "unknown platform 'admins'"),
        ("telegram:group:1", "unknown platform 'telegram'"),
        ("", "unknown platform ''"),
        ("tg:grp:1", "'grp' is neither group nor private"),
        ("tg:Group:1", "'Group' is neither group nor private"),
        ("tg:group", "the chat id is empty"),
        ("tg:group:", "the chat id is empty"),
        ("tg:group: -100", "has spaces around it"),
        ("tg:group:-100 ", "has spaces around it"),
    ],
)
def test_a_bad_key_says_what_is_wrong_and_what_a_key_looks_like(key: str, why: str) -> None:
    with pytest.raises(ValueError, match="not a chat key") as info:
        Chat.from_key(key)
    message = str(info.value)
    assert why in message
    assert repr(key) in message
    assert '"tg:group:-1001234567890"' in message  # the example to copy
