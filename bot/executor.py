"""Carries out actions on an adapter: checks capabilities, applies the documented fallback, honours
observe-only and dry-run, and reports one outcome per action for the event log.

Fallbacks (handlers never need to know the platform):
- Delete / Remove / Ban / Mute the chat cannot do, or the platform refuses → the admins are asked to do
  it, with the reason (outcome ``escalated``).
- Buttons where there are none → the buttons become text lines (``fallback``).
- A private message that cannot be delivered → never its content in the group: at most one neutral line a
  day mentioning the member, with a button into the private chat (``fallback``), else ``skipped``. Only
  where the platform has no private chat at all is a reminder said in the group (``fallback``).
- Admin notices → the log chat, else the admins who started the bot; if none, the group is told once how
  an admin turns notices on (``fallback``); the notice itself stays in the event log.
- Observe-only groups: enforcing actions and moderation notices are not carried out; the admins get
  one report of what would have happened (``observed``). Dry run: nothing is carried out (``dry_run``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import structlog

from bot import logchat, texts
from bot.platforms.base import Adapter, PlatformError, Unsupported
from handlers.config import GroupConfig
from handlers.contract.actions import (
    ENFORCING,
    Action,
    After,
    ApproveJoin,
    Ban,
    Button,
    CreateInviteLink,
    DeclineJoin,
    Delete,
    Edit,
    Emit,
    GroupActivity,
    LockJoins,
    Mute,
    NotifyAdmins,
    Record,
    Remove,
    Send,
    SendPrivate,
    Stop,
    Unban,
    Unmute,
    action_name,
)
from handlers.contract.events import Chat
from handlers.contract.texts import render

log = structlog.get_logger(__name__)

Enforcing = Delete | Remove | Ban | Unban | Mute | Unmute | ApproveJoin | DeclineJoin


@dataclass(frozen=True, slots=True)
class Outcome:
    action: Action
    status: str  # done / failed / escalated / fallback / skipped / observed / dry_run
    detail: dict[str, Any] = field(default_factory=dict)
    message_id: str | None = None

    @property
    def kind(self) -> str:
        return f"action.{action_name(self.action)}"


def describe(action: Action) -> dict[str, Any]:
    """The loggable fields of an action (ids and texts of the bot's own messages, never member content)."""
    out: dict[str, Any] = {}
    for name in ("message_id", "text", "purpose", "tag", "until"):
        value = getattr(action, name, None)
        if value is not None and value != "":
            out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    user = getattr(action, "user", None)
    if user is not None:
        out["target"] = user.id
        out["target_name"] = user.name
    return out


POINT_AGAIN_S = 24 * 3600  # a member is pointed to the private chat at most once a day per group


def _why(outcome: Outcome, prefix: str = "") -> dict[str, Any]:
    """What happened to a delegated action, for the outer action's log row."""
    out = {f"{prefix}_outcome" if prefix else "delivered": outcome.status}
    for key in ("why", "error"):
        if key in outcome.detail:
            out[f"{prefix}_{key}" if prefix else key] = outcome.detail[key]
    return out


def buttons_as_text(text: str, buttons: Sequence[Button], language: str) -> str:
    lines = [text]
    for button in buttons:
        if button.url:
            lines.append(f"👉 {button.text}: {button.url}")
        elif button.data.startswith("/"):
            lines.append(render(texts.BUTTON_AS_COMMAND, language, label=button.text, command=button.data))
    return "\n".join(lines)


class Executor:
    def __init__(self, dry_run: bool = False) -> None:
        self.dry_run = dry_run
        self._tagged: dict[tuple[str, str], str] = {}  # (chat key, tag) → last message id
        self._timers: set[asyncio.Task[None]] = set()
        self._pointed: dict[tuple[str, str], float] = {}  # (group, member) → when pointed to a private chat
        self._told_no_admins: set[str] = set()  # groups told how admins turn notices on

    async def execute(
        self,
        actions: Sequence[Action],
        config: GroupConfig,
        adapter: Adapter,
        *,
        records: Sequence[Record] = (),
        chat: Chat | None = None,
        config_for: Callable[[str], GroupConfig] | None = None,
        texts: Mapping[str, str] | None = None,
    ) -> list[Outcome]:
        """Carry out one event's actions; then, where the group has a ``log_chat``, one message there
        with a line per action and decision worth reading (``bot/logchat.py``). An event in a private
        chat that acted on a group (a join request approved by its last answer) is logged in that
        group's log chat, with that group's config (``config_for``)."""
        outcomes = await self._execute(actions, config, adapter)
        # a deleted message's text goes into the log chat only where the group stores message text
        kept = dict(texts or {}) if config.privacy.store_message_text else {}
        if chat is not None and chat.kind != "group" and config_for is not None:
            targets = (getattr(a, "chat", None) for a in (*actions, *records))
            groups = [c for c in targets if isinstance(c, Chat) and c.kind == "group"]
            if groups:
                chat = groups[0]
                config = config_for(chat.key)
                outcomes_here = [o for o in outcomes if getattr(o.action, "chat", None) == chat]
                records = [r for r in records if r.chat == chat]
                logged = await self._logged(chat, outcomes_here, records, config, adapter, kept)
                return outcomes + logged
        if chat is not None and chat.kind == "group":
            outcomes += await self._logged(chat, outcomes, records, config, adapter, kept)
        return outcomes

    async def _logged(
        self,
        chat: Chat,
        outcomes: Sequence[Outcome],
        records: Sequence[Record],
        config: GroupConfig,
        adapter: Adapter,
        kept: Mapping[str, str],
    ) -> list[Outcome]:
        if not (config.log_chat and config.log_actions):
            return []
        logged = await self._log(chat, outcomes, records, config, adapter, kept)
        return [logged] if logged is not None else []

    async def _log(
        self,
        chat: Chat,
        outcomes: Sequence[Outcome],
        records: Sequence[Record],
        config: GroupConfig,
        adapter: Adapter,
        kept: Mapping[str, str],
    ) -> Outcome | None:
        assert config.log_chat is not None
        log_chat = Chat.from_key(config.log_chat)
        if log_chat.platform != adapter.platform or log_chat.key == chat.key or self.dry_run:
            return None
        names: dict[str, str] = {}
        for outcome in outcomes:
            for user in (getattr(outcome.action, "user", None), *getattr(outcome.action, "mentions", ())):
                if user is not None and user.name:
                    names.setdefault(user.id, user.name)
        done = [logchat.Done(o.action, o.status) for o in outcomes]
        message = logchat.compose(
            chat, config.name or chat.title, done, records, names, config.language, kept
        )
        if message is None:
            return None
        line = Send(log_chat, message.text, "the group's actions, for its log chat", buttons=message.buttons)
        return await self._guarded(line, config, adapter)

    async def _execute(
        self, actions: Sequence[Action], config: GroupConfig, adapter: Adapter
    ) -> list[Outcome]:
        outcomes: list[Outcome] = []
        observed: list[Action] = []
        for action in actions:
            if isinstance(action, Record | GroupActivity | After | Stop | Emit):
                continue
            if self.dry_run:
                outcomes.append(Outcome(action, "dry_run", describe(action)))
                continue
            if config.mode == "observe" and self._enforcing(action):
                observed.append(action)
                outcomes.append(Outcome(action, "observed", describe(action)))
                continue
            outcomes.append(await self._guarded(action, config, adapter))
        if observed:
            chat = getattr(observed[0], "chat")  # noqa: B009 - every enforcing action has a chat
            lines = [render(texts.OBSERVE_HEADER, config.language)]
            lines += [f"- {action_name(a)}: {a.reason}" for a in observed]
            outcomes.append(
                await self._guarded(
                    NotifyAdmins(chat, "\n".join(lines), "observe-only report"), config, adapter
                )
            )
        return outcomes

    @staticmethod
    def _enforcing(action: Action) -> bool:
        return isinstance(action, ENFORCING) or (isinstance(action, Send) and action.purpose == "moderation")

    async def _guarded(self, action: Action, config: GroupConfig, adapter: Adapter) -> Outcome:
        """One action; whatever goes wrong becomes a ``failed`` outcome, so the event's other actions
        still run and every outcome is logged."""
        try:
            return await self._one(action, config, adapter)
        except Exception as exc:
            log.exception("action_crashed", action=action_name(action))
            return Outcome(action, "failed", {**describe(action), "error": f"{type(exc).__name__}: {exc}"})

    async def _one(self, action: Action, config: GroupConfig, adapter: Adapter) -> Outcome:
        caps = adapter.capabilities(action.chat) if hasattr(action, "chat") else None
        try:
            if isinstance(action, Send):
                return await self._send(action, config, adapter)
            if isinstance(action, SendPrivate):
                return await self._send_private(action, caps, config, adapter)
            if isinstance(action, NotifyAdmins):
                return await self._notify(action, config, adapter)
            if isinstance(action, CreateInviteLink):
                if caps is None or not caps.invite_links:
                    return Outcome(action, "skipped", {**describe(action), "why": "no invite links here"})
                link = await adapter.create_invite_link(action.chat, f"ref:{action.user.id}")
                text = action.text.replace("{link}", link)
                if caps.private_chat:
                    try:
                        mid = await adapter.send_private(action.user, text)
                        return Outcome(action, "done", {**describe(action), "link": link}, mid)
                    except PlatformError as exc:
                        log.info("invite_link_not_sent_privately", error=str(exc))
                # a link made to be shared, asked for by the member: not private content
                mid = await adapter.send(
                    action.chat, f"{action.user.mention} {text}", mentions=(action.user,)
                )
                return Outcome(action, "fallback", {**describe(action), "link": link}, mid)
            if isinstance(action, Delete | Remove | Ban | Unban | Mute | Unmute | ApproveJoin | DeclineJoin):
                return await self._enforce(action, caps, config, adapter)
            if isinstance(action, LockJoins):
                if caps is None or not caps.can_lock_joins:
                    why = "joins cannot be locked here"
                    return Outcome(action, "skipped", {**describe(action), "why": why})
                links = await adapter.lock_joins(action.chat, action.locked)
                return Outcome(action, "done", {**describe(action), "locked": action.locked, "links": links})
            if isinstance(action, Edit):
                if caps is None or not caps.can_edit:
                    return Outcome(
                        action, "skipped", {**describe(action), "why": "messages cannot be edited"}
                    )
                await adapter.edit(action.chat, action.message_id, action.text, action.buttons)
                return Outcome(action, "done", describe(action), action.message_id)
            raise TypeError(f"no executor for {action_name(action)}")
        except PlatformError as exc:
            log.warning("action_failed", action=action_name(action), error=str(exc))
            return Outcome(action, "failed", {**describe(action), "error": str(exc)})

    async def _enforce(self, action: Enforcing, caps: Any, config: GroupConfig, adapter: Adapter) -> Outcome:
        allowed = {
            Delete: "can_delete",
            Remove: "can_remove",
            Ban: "can_ban",
            Mute: "can_mute",
            Unban: "can_ban",
            Unmute: "can_mute",
            ApproveJoin: "can_approve_joins",
            DeclineJoin: "can_approve_joins",
        }[type(action)]
        why = ""
        if caps is not None and getattr(caps, allowed):
            try:
                if isinstance(action, Delete):
                    await adapter.delete(action.chat, action.message_id)
                elif isinstance(action, Remove):
                    await adapter.remove(action.chat, action.user)
                elif isinstance(action, Ban):
                    await adapter.ban(action.chat, action.user)
                elif isinstance(action, Unban):
                    await adapter.unban(action.chat, action.user)
                elif isinstance(action, Mute):
                    await adapter.mute(action.chat, action.user, action.until)
                elif isinstance(action, Unmute):
                    await adapter.unmute(action.chat, action.user)
                elif isinstance(action, ApproveJoin):
                    await adapter.approve_join(action.chat, action.user)
                elif isinstance(action, DeclineJoin):
                    await adapter.decline_join(action.chat, action.user)
                return Outcome(action, "done", describe(action))
            except (PlatformError, Unsupported) as exc:
                why = str(exc)
        else:
            why = f"missing right {allowed}"
        if isinstance(action, Unban | Unmute):
            return Outcome(action, "skipped", {**describe(action), "why": why})
        request = render(
            texts.ESCALATE[type(action).__name__],
            config.language,
            name=getattr(getattr(action, "user", None) or getattr(action, "author", None), "name", ""),
            message_id=getattr(action, "message_id", ""),
            reason=action.reason,
        )
        notified = await self._notify(NotifyAdmins(action.chat, request, action.reason), config, adapter)
        return Outcome(action, "escalated", {**describe(action), "why": why, **_why(notified, "notice")})

    async def _send_private(
        self, action: SendPrivate, caps: Any, config: GroupConfig, adapter: Adapter
    ) -> Outcome:
        """The message in private, or else at most one neutral line in the group with a button into the
        private chat (once a day per member): the content itself never goes to the group."""
        if caps is None or not caps.private_chat:
            if action.purpose == "reminder" and action.chat.kind == "group":
                # no private chat on this platform at all: a reminder (written to be read by anyone) is
                # the one kind said in the group; questions, gifts and notices are not
                text = f"{action.user.mention} {action.text}"
                mid = await adapter.send(action.chat, text, mentions=(action.user,))
                return Outcome(action, "fallback", {**describe(action), "why": "no private chat"}, mid)
            return Outcome(action, "skipped", {**describe(action), "why": "no private chat on this platform"})
        try:
            mid = await adapter.send_private(action.user, action.text, action.buttons)
            return Outcome(action, "done", describe(action), mid)
        except PlatformError as exc:
            reason = str(exc)
        if action.chat.kind != "group":
            return Outcome(action, "failed", {**describe(action), "error": reason})
        if action.purpose == "survey":  # an invitation: not worth a line in the group
            return Outcome(action, "skipped", {**describe(action), "why": reason})
        key = (action.chat.key, action.user.id)
        now = time.monotonic()
        if now - self._pointed.get(key, -POINT_AGAIN_S) < POINT_AGAIN_S:
            return Outcome(action, "skipped", {**describe(action), "why": reason, "pointed": True})
        if len(self._pointed) > 50_000:
            self._pointed = {k: v for k, v in self._pointed.items() if now - v < POINT_AGAIN_S}
        self._pointed[key] = now
        lang = config.language
        line = render(texts.PRIVATE_WAITING, lang, mention=action.user.mention)
        button = Button(render(texts.PRIVATE_BUTTON, lang), start=action.start or "hi")
        neutral = Send(
            action.chat,
            line,
            action.reason,
            buttons=(button,),
            purpose=action.purpose,
            mentions=(action.user,),
        )
        sent = await self._send(neutral, config, adapter)
        return Outcome(action, "fallback", {**describe(action), "why": reason, "said": line}, sent.message_id)

    async def _notify(self, action: NotifyAdmins, config: GroupConfig, adapter: Adapter) -> Outcome:
        """The log chat (on this platform) or the admins who started the bot. Nobody reachable: the
        notice stays in the log, and the group is told once, neutrally, how an admin turns notices on."""
        detail = describe(action)
        text, buttons = action.text, action.buttons
        if buttons and not adapter.capabilities(action.chat).buttons:
            text, buttons = buttons_as_text(text, buttons, config.language), ()
        if config.log_chat:
            log_chat = Chat.from_key(config.log_chat)
            if log_chat.platform == adapter.platform:  # another platform's chat: the admins here
                mid = await adapter.send(log_chat, text, buttons=buttons)
                return Outcome(action, "done", detail, mid)
        try:
            await adapter.notify_admins(action.chat, text, buttons)
            return Outcome(action, "done", detail)
        except PlatformError as exc:
            why = str(exc)
        if action.chat.kind != "group" or action.chat.key in self._told_no_admins:
            return Outcome(action, "failed", {**detail, "error": why})
        self._told_no_admins.add(action.chat.key)
        lang = config.language
        button = Button(render(texts.ADMIN_BUTTON, lang), start="admin")
        line = Send(action.chat, render(texts.ADMIN_NOTICES_OFF, lang), "admin notices undeliverable")
        sent = await self._send(replace(line, buttons=(button,)), config, adapter)
        return Outcome(action, "fallback", {**detail, "why": why}, sent.message_id)

    async def _send(self, action: Send, config: GroupConfig, adapter: Adapter) -> Outcome:
        caps = adapter.capabilities(action.chat)
        if action.purpose == "welcome" and caps.platform_welcome:
            why = "welcomed by the platform's own template"
            return Outcome(action, "fallback", {**describe(action), "why": why})
        status = "done"
        text, buttons = action.text, action.buttons
        if buttons and not caps.buttons:
            text, buttons, status = buttons_as_text(text, buttons, config.language), (), "fallback"
        if action.tag and action.replace_tag:
            previous = self._tagged.pop((action.chat.key, action.tag), None)
            if previous and caps.can_delete:
                try:
                    await adapter.delete(action.chat, previous)
                except PlatformError as exc:
                    log.info("old_tagged_message_not_deleted", tag=action.tag, error=str(exc))
        mid = await adapter.send(action.chat, text, action.reply_to, buttons, action.mentions)
        if mid and action.tag:
            self._tagged[(action.chat.key, action.tag)] = mid
        if mid and action.pin and caps.can_pin:
            try:
                await adapter.pin(action.chat, mid)
            except PlatformError as exc:
                log.info("pin_failed", error=str(exc))
        if mid and action.delete_after_s and caps.can_delete:
            self._later(action.delete_after_s, adapter, action.chat, mid)
        return Outcome(action, status, describe(action), mid)

    def _later(self, seconds: int, adapter: Adapter, chat: Chat, message_id: str) -> None:
        async def delete_later() -> None:
            await asyncio.sleep(seconds)
            try:
                await adapter.delete(chat, message_id)
            except PlatformError as exc:
                log.info("auto_delete_failed", error=str(exc))

        task = asyncio.get_running_loop().create_task(delete_later())
        self._timers.add(task)
        task.add_done_callback(self._timers.discard)

    async def close(self) -> None:
        for task in list(self._timers):
            task.cancel()
        await asyncio.gather(*self._timers, return_exceptions=True)
