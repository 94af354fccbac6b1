"""Expert matching: ``/找人 Excel`` (or ``/find``) suggests members who said they can help — by the
questionnaire's 可分享的技能, the self-introduction's 行业 and 岗位, and the nickname's 行业 — and only those
who agreed to be found (``/findme``; ``/findme off`` withdraws). Off unless the group turns it on.

Telegram commands are Latin only, so ``/找人`` arrives as an ordinary message: both spellings are read here.
The query is a member's message: it is never written to the log (the row keeps the number of matches).
"""

from __future__ import annotations

from handlers.common.members import label, member_user
from handlers.config import GroupConfig
from handlers.contract.actions import Action, Record, Send
from handlers.contract.events import Event, EventKind, User
from handlers.contract.texts import render
from handlers.feature import CommandSpec, Context, Feature
from handlers.finder import texts
from rules.finder import Profile, find, summary
from rules.intro import parse_intro
from rules.nickname import fields_of
from storage.models.core import Member

CHINESE_COMMANDS = ("/找人", "／找人")
OFF_WORDS = frozenset({"off", "关", "关闭", "取消", "no"})


def find_query(event: Event) -> str | None:
    """The words after ``/find`` or ``/找人`` (None when the event is neither)."""
    if event.kind == EventKind.COMMAND and event.command == "find":
        return " ".join(event.args)
    if event.kind == EventKind.MESSAGE and event.text.startswith(CHINESE_COMMANDS):
        head, _, rest = event.text.strip().partition(" ")
        return rest.strip() if head in CHINESE_COMMANDS else None
    return None


def profile_of(member: Member, answers: dict[str, str], config: GroupConfig) -> Profile:
    intro = parse_intro(answers.get("intro", ""))
    industry = fields_of(config.nickname.compiled, member.display_name).get("industry", "")
    return Profile(
        member.user_id,
        label(member, member.user_id),
        skill=answers.get("skill", ""),
        role=intro.role if intro else "",
        industry=" ".join(dict.fromkeys(x for x in (intro.industry if intro else "", industry) if x)),
    )


class Finder(Feature):
    name = "finder"
    kinds = frozenset({EventKind.COMMAND, EventKind.MESSAGE})
    commands = (
        CommandSpec(
            "find", "找人：/找人 关键词（推荐能帮忙的群友）", "Find members who can help: /find words"
        ),
        CommandSpec("findme", "同意被 /找人 推荐（/findme off 取消）", "Let /find suggest you (/findme off)"),
    )

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if not ctx.config.finder.enabled or event.user is None or event.chat.kind != "group":
            return []
        if event.kind == EventKind.COMMAND and event.command == "findme":
            return await self._consent(event, ctx, event.user)
        query = find_query(event)
        return await self._find(event, ctx, event.user, query) if query is not None else []

    async def _consent(self, event: Event, ctx: Context, user: User) -> list[Action]:
        lang, repo = ctx.config.language, ctx.repos.finder
        if event.args and event.args[0].lower() in OFF_WORDS:
            await repo.withdraw(event.chat.key, user.id)
            text = render(texts.WITHDRAWN, lang, name=user.name)
            return [
                Send(event.chat, text, "/findme off", event.message_id),
                Record(event.chat, "finder.withdrawn", "no longer suggested by /find", user.id),
            ]
        await repo.consent(event.chat.key, user.id, ctx.now)
        text = render(texts.CONSENTED, lang, name=user.name)
        answers = await ctx.repos.newcomers.answers(event.chat.key, user.id)
        if not answers.get("skill") and not answers.get("intro"):
            text += "\n" + render(texts.NOTHING_TO_MATCH, lang)
        return [
            Send(event.chat, text, "/findme", event.message_id),
            Record(event.chat, "finder.consented", "agreed to be suggested by /find", user.id),
        ]

    async def _find(self, event: Event, ctx: Context, user: User, query: str) -> list[Action]:
        lang = ctx.config.language
        if not query:
            return [Send(event.chat, render(texts.USAGE, lang), "/find without words", event.message_id)]
        rows = await ctx.repos.finder.findable(event.chat.key)
        members = {m.user_id: m for m, _ in rows if m.user_id != user.id}
        profiles = [profile_of(m, answers, ctx.config) for m, answers in rows if m.user_id in members]
        found = find(query, profiles, ctx.config.finder.max_results)
        record = Record(
            event.chat, "finder.search", f"/find: {len(found)} suggested", user.id, {"found": len(found)}
        )
        if not found:
            text = render(texts.NONE, lang, query=query)
            return [Send(event.chat, text, "/find: nobody", event.message_id), record]
        mentioned = tuple(member_user(members[f.profile.user_id]) for f in found)
        lines = [
            render(texts.LINE, lang, n=i, mention=who.mention, about=summary(f.profile))
            for i, (f, who) in enumerate(zip(found, mentioned, strict=True), 1)
        ]
        text = render(texts.FOUND, lang, query=query, lines="\n".join(lines))
        return [
            Send(event.chat, text, f"/find: {len(found)} suggested", event.message_id, mentions=mentioned),
            record,
        ]
