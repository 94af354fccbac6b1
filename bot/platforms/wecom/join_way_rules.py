"""The rules file's ``[wecom.join_ways."<community>"]`` tables: one 群活码 (join QR) per community.

Pure pydantic (``qunbot check-config`` validates it without wechatpy or the database); ``join_way.py``
turns each into ``externalcontact/groupchat/add_join_way`` / ``update_join_way`` bodies."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_CHATS = 5  # WeCom's limit for chat_id_list
MAX_STATE = 30  # characters of `state` and `remark` WeCom keeps
MAX_BASE_NAME = 40  # characters of `room_base_name`


class JoinWay(BaseModel):
    """One 群活码: newcomers who scan it land in the first of ``chat_id_list`` that has room; with
    ``auto_create_room`` WeCom opens ``<room_base_name><room_base_id>``, ``…+1`` … when they are full."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    chat_id_list: list[str] = Field(min_length=1, max_length=MAX_CHATS)
    auto_create_room: bool = True
    room_base_name: str = Field(default="", max_length=MAX_BASE_NAME)
    room_base_id: int = Field(default=1, ge=1)
    remark: str = Field(default="", max_length=MAX_STATE)
    state: str = Field(default="", max_length=MAX_STATE)

    @field_validator("chat_id_list")
    @classmethod
    def _distinct_ids(cls, value: list[str]) -> list[str]:
        if any(not chat_id.strip() for chat_id in value):
            raise ValueError("expected customer-group chat ids (wr…), not empty strings")
        if len(set(value)) != len(value):
            raise ValueError("a chat id is listed twice")
        return value

    @model_validator(mode="after")
    def _base_name_for_new_rooms(self) -> JoinWay:
        if self.auto_create_room and not self.room_base_name.strip():
            raise ValueError("auto_create_room needs room_base_name (the new groups' name prefix)")
        return self

    def body(self) -> dict[str, Any]:
        """The API body (scene 2: a QR code), without ``config_id``."""
        body: dict[str, Any] = {
            "scene": 2,
            "remark": self.remark,
            "auto_create_room": int(self.auto_create_room),
            "chat_id_list": list(self.chat_id_list),
            "state": self.state,
        }
        if self.auto_create_room:
            body |= {"room_base_name": self.room_base_name, "room_base_id": self.room_base_id}
        return body


class WecomRules(BaseModel):
    """The rules file's ``[wecom]`` table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    join_ways: dict[str, JoinWay] = {}
