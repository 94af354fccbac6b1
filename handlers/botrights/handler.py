"""Tell the group what the bot cannot do yet, in plain words, when it is added or its rights change.

Platform-neutral: it reads only ``ctx.caps`` (what the adapter found out about the bot's rights in this
chat) and ``BOT_ADDED`` events (Telegram's ``my_chat_member``; WeCom can send the same). The last
rights seen are stored on the group row, so a rights update that changes nothing stays silent, and a
change (a right granted or taken away) is reported again.
"""

from __future__ import annotations

from typing import Any

from handlers.botrights import texts
from handlers.contract.actions import Action, Record, Send
from handlers.contract.capabilities import Capabilities
from handlers.contract.events import Event, EventKind
from handlers.contract.texts import render
from handlers.feature import Context, Feature, Phase
from storage.repos.groups import GroupRepo


def rights_state(caps: Capabilities) -> dict[str, Any]:
    """What is stored on the group and compared next time."""
    return {"missing": caps.missing(), "sees_all_messages": caps.sees_all_messages, "can_send": caps.can_send}


def report(caps: Capabilities, language: str, platform: str, mention: str, group: str, first: bool) -> str:
    hello = texts.HELLO if first else texts.HELLO_AGAIN
    lines = [render(hello, language, mention=mention, group=group).strip()]
    missing = caps.missing()
    if not missing and caps.sees_all_messages:
        lines.append(render(texts.ALL_SET, language))
        return "\n".join(lines)
    lines.append(render(texts.MISSING_HEADER, language))
    lines += [render(texts.MISSING[name], language) for name in missing if name in texts.MISSING]
    if not caps.sees_all_messages:
        hint = texts.BLIND_HINT.get(platform)
        lines.append(render(texts.BLIND, language) + (render(hint, language) if hint else ""))
    lines.append(render(texts.GRANT, language))
    return "\n".join(lines)


class BotRights(Feature):
    name = "botrights"
    kinds = frozenset({EventKind.BOT_ADDED})
    phase = Phase.TRACK  # never stops; runs after tracking has registered the group

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind != EventKind.BOT_ADDED or event.chat.kind != "group":
            return []
        caps = ctx.caps
        state = rights_state(caps)
        groups = GroupRepo(ctx.session)
        group = await groups.ensure(
            event.chat.key, event.chat.platform, event.chat.id, event.chat.title, ctx.now
        )
        previous = dict(group.rights or {})
        group.active = True
        await groups.set_rights(event.chat.key, state, ctx.now)
        first = event.data != "changed"
        detail = {"missing": state["missing"], "sees_all_messages": caps.sees_all_messages, "first": first}
        actor = event.user.id if event.user else None
        if not first and previous == state:
            return [Record(event.chat, "bot_rights", "rights update changed nothing we use", actor, detail)]
        summary = "missing: " + (", ".join(state["missing"]) or "nothing")
        if not caps.sees_all_messages:
            summary += "; sees only commands and mentions"
        record = Record(event.chat, "bot_rights", summary, actor, detail)
        if not caps.can_send:
            return [record]
        mention = event.user.mention if event.user else ""
        group_name = event.chat.title or ctx.config.name or event.chat.id
        text = report(caps, ctx.config.language, event.chat.platform, mention, group_name, first)
        return [Send(event.chat, text, reason=f"bot rights checked ({summary})"), record]
