"""话题接龙: ``/接龙 内容`` (``/chain``) adds a numbered link to the day's chain and shows the chain;
``/接龙`` alone shows it. The chain starts over each day (the group's calendar day)."""

from __future__ import annotations

from handlers.chain import texts
from handlers.contract.actions import Action, Record, Send
from handlers.contract.events import Event, EventKind
from handlers.contract.texts import render
from handlers.feature import CommandSpec, Context, Feature
from rules.schedule import local_day

CHINESE_COMMANDS = ("/接龙", "／接龙")


def chain_text(event: Event) -> str | None:
    """The new link's text ("" to show the chain) when the event is ``/chain`` or ``/接龙``, else None."""
    if event.kind == EventKind.COMMAND and event.command in ("chain", "jielong"):
        return " ".join(event.args)
    if event.kind == EventKind.MESSAGE and event.text.startswith(CHINESE_COMMANDS):
        head, _, rest = event.text.partition(" ")
        return rest.strip() if head in CHINESE_COMMANDS else None
    return None


class Chain(Feature):
    name = "chain"
    kinds = frozenset({EventKind.COMMAND, EventKind.MESSAGE})
    commands = (CommandSpec("chain", "话题接龙：/接龙 内容", "Topic chain: /chain text"),)

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        cfg = ctx.config.chain
        if not cfg.enabled or event.user is None or event.chat.kind != "group":
            return []
        text = chain_text(event)
        if text is None:
            return []
        lang, repo = ctx.config.language, ctx.repos.chain
        day = local_day(ctx.now, ctx.config.tz)
        actions: list[Action] = []
        if text:
            if len(text) > cfg.max_chars:
                reply = render(texts.TOO_LONG, lang, max=cfg.max_chars)
                return [Send(event.chat, reply, "chain link too long", event.message_id)]
            position = await repo.add(event.chat.key, day, event.user.id, text, ctx.now)
            actions.append(Record(event.chat, "chain.added", f"link {position} of {day}", event.user.id))
        links = await repo.links(event.chat.key, day)
        if not links:
            return [Send(event.chat, render(texts.EMPTY, lang), "chain shown (empty)", event.message_id)]
        lines = [f"{pos}. {name}：{link}" for pos, name, link in links[-cfg.shown :]]
        if len(links) > cfg.shown:
            lines.insert(0, render(texts.EARLIER, lang, n=len(links) - cfg.shown))
        shown = render(texts.CHAIN, lang, count=len(links), lines="\n".join(lines))
        return [Send(event.chat, shown, f"chain of {day} shown", tag="chain", replace_tag=True), *actions]
