"""What a platform (and the bot's rights in one chat) allows; the executor falls back where it does not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

NameSource = Literal["display_name", "first_last_name", "group_nickname"]


@dataclass(frozen=True, slots=True)
class Capabilities:
    can_send: bool = True
    can_delete: bool = False
    can_remove: bool = False
    can_ban: bool = False
    can_mute: bool = False
    can_pin: bool = False
    can_edit: bool = False
    buttons: bool = False
    invite_links: bool = False
    # answer join requests (Telegram "approve new members": approveChatJoinRequest / decline, and revoking
    # the links the bot made); WeCom customer groups cannot: the owner is asked instead
    can_approve_joins: bool = False
    # switch joins to "needs approval" for a while (raid mode): Telegram, on the invite links the bot made
    can_lock_joins: bool = False
    private_chat: bool = False
    sees_all_messages: bool = True  # False: only commands / messages that mention the bot
    # False: members' messages and commands never reach the bot here (WeCom customer groups without a
    # message source): features that wait for members' answers (the quiz) are not asked there in vain.
    hears_members: bool = True
    can_list_members: bool = False  # joins missed while down can be found on start
    name_source: NameSource = "display_name"
    # The platform greets newcomers itself (WeCom customer groups: the group_welcome_template, kept in
    # sync with the rules), so the bot does not post its own welcome there.
    platform_welcome: bool = False

    def missing(self) -> list[str]:
        """Names of the moderation rights this chat lacks, for the 'please grant' message."""
        wanted = ("can_delete", "can_remove", "can_mute", "can_pin", "invite_links")
        return [name for name in wanted if not getattr(self, name)]


EVERYTHING = Capabilities(
    can_delete=True,
    can_remove=True,
    can_ban=True,
    can_mute=True,
    can_pin=True,
    can_edit=True,
    buttons=True,
    invite_links=True,
    can_approve_joins=True,
    can_lock_joins=True,
    private_chat=True,
    sees_all_messages=True,
    can_list_members=True,
)
