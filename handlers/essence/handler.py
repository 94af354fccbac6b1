"""精华: an admin replies ``/精华`` (or ``/essence``) to a post → the post joins the group's knowledge list
and its author gets points; ``/精华`` alone lists the newest, ``/精华 关键词`` searches them.

Telegram commands are Latin only, so ``/精华`` arrives as an ordinary message: both spellings are read here.
The kept text is the one explicit exception to "no member text stored": an admin chose to keep it, and
erasing the author deletes it.
"""

from __future__ import annotations

from handlers.contract.actions import Action, Record, Send
from handlers.contract.events import Event, EventKind
from handlers.contract.texts import render
from handlers.essence import texts
from handlers.feature import CommandSpec, Context, Feature
from rules.normalize import normalize

CHINESE_COMMANDS = ("/精华", "／精华")
SNIPPET_CHARS = 60


def essence_args(event: Event) -> tuple[str, ...] | None:
    """The arguments when the event is ``/essence`` or ``/精华`` (None otherwise)."""
    if event.kind == EventKind.COMMAND and event.command in ("essence", "jinghua"):
        return event.args
    if event.kind == EventKind.MESSAGE and event.text.startswith(CHINESE_COMMANDS):
        head, _, rest = event.text.partition(" ")
        return tuple(rest.split()) if head in CHINESE_COMMANDS else None
    return None


class EssenceFeature(Feature):
    name = "essence"
    kinds = frozenset({EventKind.COMMAND, EventKind.MESSAGE})
    commands = (
        CommandSpec(
            "essence",
            "精华：回复消息 /精华 加精（管理员）；/精华 关键词 搜索",
            "Highlights: reply /essence to keep a post",
        ),
    )

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if not ctx.config.essence.enabled or event.user is None or event.chat.kind != "group":
            return []
        args = essence_args(event)
        if args is None:
            return []
        if event.reply_to is not None:
            return await self._mark(event, ctx)
        return await self._list(event, ctx, " ".join(args).strip())

    async def _mark(self, event: Event, ctx: Context) -> list[Action]:
        assert event.user is not None and event.reply_to is not None
        lang, post = ctx.config.language, event.reply_to
        if not event.user.is_admin:
            return [Send(event.chat, render(texts.ADMINS_ONLY, lang), "/精华 by a member", event.message_id)]
        if post.user is None or post.user.is_bot:
            return [
                Send(
                    event.chat, render(texts.NEED_REPLY, lang), "/精华 on no member's post", event.message_id
                )
            ]
        if not post.text.strip():
            return [
                Send(
                    event.chat, render(texts.NO_TEXT, lang), "/精华 on a post without text", event.message_id
                )
            ]
        new = await ctx.repos.essence.mark(
            event.chat.key, post.id, post.user.id, post.text, event.user.id, ctx.now
        )
        if not new:
            return [Send(event.chat, render(texts.ALREADY, lang), "already 精华", event.message_id)]
        points = ctx.config.essence.points if ctx.config.points.enabled else 0
        if points:
            await ctx.repos.points.change(
                event.chat.key,
                post.user.id,
                points,
                "精华",
                "essence",
                ctx.now,
                actor=event.user.id,
                name=post.user.name,
            )
        bonus = render(texts.POINTS, lang, points=points) if points else ""
        text = render(texts.MARKED, lang, author=post.user.name, points=bonus)
        detail = {"message_id": post.id, "actor": event.user.id, "points": points}
        return [
            Send(event.chat, text, "post marked 精华", reply_to=post.id),
            Record(event.chat, "essence.marked", "an admin kept a post as 精华", post.user.id, detail),
        ]

    async def _list(self, event: Event, ctx: Context, query: str) -> list[Action]:
        lang, size = ctx.config.language, ctx.config.essence.list_size
        wanted = normalize(query) if query else ""
        entries = [
            (essence, name)
            for essence, name in await ctx.repos.essence.latest(event.chat.key)
            if not wanted or wanted in normalize(essence.text)
        ][:size]
        shown_query = render(texts.QUERY, lang, query=query) if query else ""
        if not entries:
            return [
                Send(
                    event.chat,
                    render(texts.EMPTY, lang, query=shown_query),
                    "精华 list empty",
                    event.message_id,
                )
            ]
        lines = "\n".join(
            render(texts.LINE, lang, n=n, author=name or essence.author_id, text=_snippet(essence.text))
            for n, (essence, name) in enumerate(entries, start=1)
        )
        text = render(texts.LIST, lang, count=len(entries), query=shown_query, lines=lines)
        return [Send(event.chat, text, f"精华 list ({len(entries)})", event.message_id)]


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1] + "…"
