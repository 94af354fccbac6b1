"""``/mydata`` and ``/forgetme``, in a private chat with the bot.

``/mydata`` answers with what is stored about the member (per group, and how many rows of each kind).
``/forgetme`` explains and asks for ``/forgetme 确认`` (or ``confirm``); the confirmed request is logged
(``privacy.forget_confirmed``, in the audit trail) and carried out by the next ``privacy.erase`` run, after
this event's own rows are written — erasing inside the event would leave the event's log row behind.
Both requests are audited.
"""

from __future__ import annotations

from sqlalchemy import select

from handlers.config import GroupConfig
from handlers.contract.actions import Action, Record, Send
from handlers.contract.events import Event, EventKind
from handlers.contract.texts import render
from handlers.feature import CommandSpec, Context, Feature, JobSpec, Phase
from handlers.mydata import texts
from storage.models.core import Member
from storage.repos.erasure import erase_member, summary
from storage.repos.events import EventLogRow
from storage.repos.groups import GroupRepo

ERASE_JOB = "privacy.erase"
ERASE_EVERY_MINUTES = 30
# at odd minutes, so the runs do not fall on the other features' sweeps (every 10 minutes from :00)
ERASE_SCHEDULE = "cron: 3,33 * * * *"
CONFIRM = frozenset({"确认", "confirm", "yes"})


class MyData(Feature):
    name = "mydata"
    phase = Phase.FEATURES
    kinds = frozenset({EventKind.COMMAND, EventKind.TICK})
    commands = (
        CommandSpec(
            "mydata", "查看机器人保存的我的数据（私聊）", "See what the bot keeps about you (private)"
        ),
        CommandSpec("forgetme", "删除我的全部数据（私聊，需确认）", "Erase your data (private, confirmed)"),
    )

    def jobs(self, config: GroupConfig) -> list[JobSpec]:
        return [JobSpec(ERASE_JOB, ERASE_SCHEDULE, ERASE_EVERY_MINUTES * 60)]

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind == EventKind.TICK:
            return await self._erase_confirmed(event, ctx) if event.data == ERASE_JOB else []
        if event.command not in ("mydata", "forgetme") or event.user is None:
            return []
        lang = ctx.config.language
        if event.chat.kind != "private":
            text = render(texts.IN_PRIVATE, lang, command=event.command)
            return [Send(event.chat, text, f"/{event.command} asked in a group", reply_to=event.message_id)]
        if event.command == "mydata":
            return await self._mydata(event, ctx)
        if not CONFIRM.intersection(a.lower() for a in event.args):
            return [
                Send(event.chat, render(texts.FORGET_ASK, lang), "/forgetme: asked to confirm"),
                Record(event.chat, "privacy.forget_asked", "erasure asked, not confirmed yet", event.user.id),
            ]
        return [
            Send(
                event.chat,
                render(texts.FORGET_QUEUED, lang, minutes=ERASE_EVERY_MINUTES),
                "/forgetme confirmed",
            ),
            Record(event.chat, "privacy.forget_confirmed", "erasure confirmed by the member", event.user.id),
        ]

    async def _mydata(self, event: Event, ctx: Context) -> list[Action]:
        assert event.user is not None
        lang, user = ctx.config.language, event.user.id
        counts = await summary(ctx.session, user)
        lines = [render(texts.MYDATA_HEAD, lang)]
        for m in await _members(ctx, user):
            lines.append(
                render(
                    texts.MYDATA_GROUP,
                    lang,
                    group=await GroupRepo(ctx.session).title(m.group_key) or m.group_key,
                    name=m.display_name,
                    joined=m.joined_at.date().isoformat() if m.joined_at else "–",
                    points=m.points,
                    tier=m.tier,
                )
            )
        for table, n in counts.items():
            what = render(texts.TABLES[table], lang) if table in texts.TABLES else table
            lines.append(render(texts.MYDATA_ROWS, lang, what=what, n=n))
        if not counts:
            lines = [render(texts.MYDATA_NOTHING, lang)]
        lines.append(render(texts.MYDATA_FOOT, lang))
        return [
            Send(event.chat, "\n".join(lines), "/mydata: the member's data summary"),
            Record(event.chat, "privacy.export", "data summary sent to the member", user, {"tables": counts}),
        ]

    async def _erase_confirmed(self, event: Event, ctx: Context) -> list[Action]:
        """Carry out every confirmed request (whichever group's run comes first; an erased request's row
        carries the pseudonym, so it is never found again)."""
        confirmed = select(EventLogRow.user_id).where(
            EventLogRow.kind == "privacy.forget_confirmed", EventLogRow.user_id.not_like("erased:%")
        )
        pending = set(await ctx.session.scalars(confirmed))
        done = 0
        for user in sorted(u for u in pending if u):
            await erase_member(ctx.session, user, ctx.now, "member data erased at the member's request")
            done += 1
        if not done:
            return []
        return [Record(event.chat, "privacy.erasures", f"{done} erasure(s) requested by members carried out")]


async def _members(ctx: Context, user: str) -> list[Member]:
    return list((await ctx.session.scalars(select(Member).where(Member.user_id == user))).all())
