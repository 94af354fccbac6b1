"""The pipeline end to end on the console platform: dedupe, phases, errors, observe-only, fallbacks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.settings import Settings
from handlers.contract.actions import Action, Delete, NotifyAdmins, Record, Remove, Send, SendPrivate, Stop
from handlers.contract.capabilities import Capabilities
from handlers.contract.events import Event, EventKind
from handlers.feature import Context, Feature, Phase
from handlers.tracking import Tracking
from storage.models.core import EventLogRow, Member
from storage.repos import events
from tests.support import SimFactory, log_rows


class Counter(Feature):
    """Writes a row per message (state), replies, and records a decision."""

    name = "counter"
    phase = Phase.FEATURES

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.kind != EventKind.MESSAGE or event.user is None:
            return []
        await ctx.session.execute(select(func.count()).select_from(Member))  # opens a transaction
        return [
            Send(event.chat, f"got {event.text}", reason="echo"),
            Record(event.chat, "counted", "one more message", event.user.id, {"n": 1}),
        ]


class Boom(Feature):
    name = "boom"
    phase = Phase.MEMBERSHIP

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.text == "boom":
            raise RuntimeError("kaput")
        return []


class Guard(Feature):
    name = "guard"
    phase = Phase.MODERATION

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.text == "spam" and event.user and event.message_id:
            return [
                Delete(event.chat, event.message_id, "spam"),
                Remove(event.chat, event.user, "spam"),
                Stop("spam"),
            ]
        return []


def features() -> list[Feature]:
    return [Tracking(), Guard(), Boom(), Counter()]


async def log_kinds(sim) -> list[str]:  # type: ignore[no-untyped-def]
    await sim.app.writer.flush()
    async with sim.app.db.session() as session:
        return [row.kind async for row in events.iter_rows(session)]


async def test_duplicate_delivery_does_nothing_twice(make_sim: SimFactory) -> None:
    sim = await make_sim(features=features())
    sim.add_user("u1", "上海-互联网-小王")
    first = await sim.say("u1", "hello")
    again = await sim.redeliver()
    assert not first.duplicate and again.duplicate
    assert sim.adapter.sent_texts() == ["got hello"]
    kinds = await log_kinds(sim)
    assert kinds.count("message") == 1 and kinds.count("counted") == 1 and kinds.count("action.send") == 1


async def test_duplicate_after_restart_is_still_caught(make_sim: SimFactory, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = str(tmp_path / "shared.db")
    sim = await make_sim(features=features(), db_url=url)
    sim.add_user("u1", "小王")
    await sim.say("u1", "hello")
    await sim.app.writer.flush()
    event = sim.last_event
    assert event is not None
    restarted = await make_sim(features=features(), db_url=url)
    handled = await restarted.app.dispatch(event)
    assert handled is not None and handled.duplicate


async def test_failing_handler_is_logged_and_others_still_run(make_sim: SimFactory) -> None:
    sim = await make_sim(features=features())
    sim.add_user("u1", "小王")
    handled = await sim.say("u1", "boom")
    assert handled.errors and "boom raised RuntimeError: kaput" in handled.errors[0]
    assert sim.adapter.sent_texts() == ["got boom"]  # the later phase still ran
    assert "error" in await log_kinds(sim)


async def test_stop_ends_later_phases_and_actions_are_logged_with_reasons(make_sim: SimFactory) -> None:
    sim = await make_sim(features=features())
    sim.add_user("u1", "小王")
    handled = await sim.say("u1", "spam")
    assert handled.stopped_by == "guard"
    assert sim.adapter.sent_texts() == []
    assert [p.op for p in sim.adapter.posted] == ["delete", "remove"]
    await sim.app.writer.flush()
    async with sim.app.db.session() as session:
        rows = [r async for r in events.iter_rows(session, kinds=["action.delete", "action.remove", "stop"])]
    assert {r.kind: r.reason for r in rows} == {
        "stop": "spam",
        "action.delete": "spam",
        "action.remove": "spam",
    }
    assert all(r.detail.get("outcome") == "done" for r in rows if r.kind.startswith("action."))


async def test_observe_mode_reports_instead_of_acting(make_sim: SimFactory) -> None:
    sim = await make_sim('[defaults]\nmode = "observe"\n', features=features())
    sim.add_user("u1", "小王")
    handled = await sim.say("u1", "spam")
    assert {o.status for o in handled.outcomes} == {"observed", "done"}
    assert [p.op for p in sim.adapter.posted] == ["admins"]
    assert "观察模式" in sim.adapter.posted[0].text


async def test_missing_rights_escalate_to_admins(make_sim: SimFactory) -> None:
    caps = Capabilities(can_send=True, can_delete=False, can_remove=False)
    sim = await make_sim(caps=caps, features=features())
    sim.add_user("u1", "小王")
    handled = await sim.say("u1", "spam")
    assert [o.status for o in handled.outcomes] == ["escalated", "escalated"]
    assert [p.op for p in sim.adapter.posted] == ["admins", "admins"]
    assert "无法删除" in sim.adapter.posted[0].text and "无法移出 小王" in sim.adapter.posted[1].text


async def test_refused_call_falls_back_and_bot_keeps_going(make_sim: SimFactory) -> None:
    sim = await make_sim(features=features())
    sim.adapter.refuse.add("delete")
    sim.add_user("u1", "小王")
    handled = await sim.say("u1", "spam")
    assert handled.outcomes[0].status == "escalated" and "refused" in handled.outcomes[0].detail["why"]
    await sim.say("u1", "still here")
    assert sim.adapter.sent_texts()[-1] == "got still here"


async def test_dry_run_carries_out_nothing(make_sim: SimFactory) -> None:
    sim = await make_sim(features=features(), settings=Settings(dry_run=True))
    sim.add_user("u1", "小王")
    handled = await sim.say("u1", "spam")
    assert {o.status for o in handled.outcomes} == {"dry_run"}
    assert sim.adapter.posted == []


async def test_private_content_is_never_posted_where_there_is_no_private_chat(make_sim: SimFactory) -> None:
    class Dm(Feature):
        name = "dm"

        async def handle(self, event: Event, ctx: Context) -> list[Action]:
            if event.kind == EventKind.MEMBER_JOINED and event.user:
                return [SendPrivate(event.chat, event.user, "问卷：你最想解决的问题？", "questionnaire")]
            return []

    sim = await make_sim(caps=Capabilities(private_chat=False), features=[Tracking(), Dm()])
    sim.add_user("u1", "小王", username="xw")
    handled = await sim.join("u1")
    assert handled.outcomes[0].status == "skipped"  # no private chat here: the content is not posted
    assert sim.adapter.sent_texts() == []


async def test_buttons_become_text_where_there_are_none(make_sim: SimFactory) -> None:
    from handlers.contract.actions import Button

    class Hello(Feature):
        name = "hello"

        async def handle(self, event: Event, ctx: Context) -> list[Action]:
            if event.kind == EventKind.MEMBER_JOINED:
                return [Send(event.chat, "欢迎", "welcome", buttons=(Button("查看群规", "/rules"),))]
            return []

    sim = await make_sim(caps=Capabilities(buttons=False), features=[Tracking(), Hello()])
    sim.add_user("u1", "小王")
    await sim.join("u1")
    assert sim.adapter.sent_texts() == ["欢迎\n👉 查看群规：发送 /rules"]


async def test_tracking_counts_messages_through_batched_writes(make_sim: SimFactory) -> None:
    sim = await make_sim(features=[Tracking()])
    sim.add_user("u1", "小王")
    await sim.join("u1")
    for text in ("a", "b", "c"):
        await sim.say("u1", text)
        await sim.advance(timedelta(minutes=1))
    await sim.app.writer.flush()
    async with sim.app.db.session() as session:
        member = (await session.scalars(select(Member).where(Member.user_id == "u1"))).one()
        assert member.message_count == 3 and member.first_message_at is not None
        n_rows = (await session.execute(select(func.count()).select_from(EventLogRow))).scalar_one()
    assert n_rows == 4  # join + 3 messages; no text stored
    assert "text" not in str(await log_kinds(sim))


async def test_notify_admins_goes_to_log_chat_when_configured(make_sim: SimFactory) -> None:
    class Tell(Feature):
        name = "tell"

        async def handle(self, event: Event, ctx: Context) -> list[Action]:
            return [NotifyAdmins(event.chat, "注意", "test")] if event.kind == EventKind.MESSAGE else []

    sim = await make_sim('[defaults]\nlog_chat = "console:group:admins"\n', features=[Tracking(), Tell()])
    sim.add_user("u1", "小王")
    await sim.say("u1", "x")
    assert [(p.op, p.chat) for p in sim.adapter.posted] == [("send", "console:group:admins")]


async def test_pipeline_state_and_dedupe_on_both_databases(make_sim: SimFactory, db_url: str) -> None:
    sim = await make_sim(features=features(), db_url=db_url)
    sim.add_user("u1", "小王")
    await sim.join("u1")
    await sim.say("u1", "hello")
    assert (await sim.redeliver()).duplicate
    await sim.say("u1", "spam")
    kinds = await log_kinds(sim)
    assert kinds.count("counted") == 1 and kinds.count("action.remove") == 1 and kinds.count("stop") == 1
    async with sim.app.db.session() as session:
        member = (await session.scalars(select(Member).where(Member.user_id == "u1"))).one()
    assert member.message_count == 2


async def test_tick_is_claimed_only_with_its_effects(make_sim: SimFactory) -> None:
    from handlers.contract.events import Event as Ev
    from storage.models.core import Delivery

    class Daily(Feature):
        name = "daily"

        async def handle(self, event: Event, ctx: Context) -> list[Action]:
            if event.kind == EventKind.TICK and event.data == "write":
                await ctx.session.execute(select(func.count()).select_from(Member))
                return [Send(event.chat, "早安", reason="daily")]
            if event.kind == EventKind.TICK:
                await ctx.session.execute(select(func.count()).select_from(Member))  # a read only
            return []

    sim = await make_sim(features=[Tracking(), Daily()])
    when = sim.clock.now()

    def tick(job: str) -> Ev:
        return Ev(EventKind.TICK, sim.chat, when, f"tick:{sim.chat.key}/{job}@{when.isoformat()}", data=job)

    assert not (await sim.app.pipeline.process(tick("idle"))).duplicate
    assert not (await sim.app.pipeline.process(tick("idle"))).duplicate  # nothing done: nothing claimed
    assert not (await sim.app.pipeline.process(tick("write"))).duplicate
    assert (await sim.app.pipeline.process(tick("write"))).duplicate  # another instance, a restart: once
    assert sim.adapter.sent_texts() == ["早安"]
    async with sim.app.db.session() as session:
        claimed = (
            await session.scalars(select(Delivery.delivery).where(Delivery.delivery.like("tick:%")))
        ).all()
    assert claimed == [f"tick:{sim.chat.key}/write@{when.isoformat()}"]


async def test_invite_link_falls_back_to_the_group_without_private_chat(make_sim: SimFactory) -> None:
    from handlers.contract.actions import CreateInviteLink

    class Invite(Feature):
        name = "invite"

        async def handle(self, event: Event, ctx: Context) -> list[Action]:
            if event.kind == EventKind.COMMAND and event.user:
                return [CreateInviteLink(event.chat, event.user, "你的邀请链接：{link}", "invite asked")]
            return []

    caps = Capabilities(invite_links=True, private_chat=False)
    sim = await make_sim(caps=caps, features=[Tracking(), Invite()])
    sim.add_user("u1", "小王", username="xw")
    handled = await sim.say("u1", "/invite")
    assert handled.outcomes[0].status == "fallback"
    assert sim.adapter.sent_texts() == ["@xw 你的邀请链接：https://console.invalid/join/g1/ref:u1"]


async def test_simulator_reports_a_removed_member_as_left(make_sim: SimFactory) -> None:
    sim = await make_sim(features=features())
    sim.add_user("u1", "小王")
    await sim.join("u1")
    await sim.say("u1", "spam")
    assert [h.event.kind for h in sim.history][-1] == EventKind.MEMBER_LEFT
    async with sim.app.db.session() as session:
        member = (await session.scalars(select(Member).where(Member.user_id == "u1"))).one()
    assert member.left_at is not None


async def test_a_group_the_bot_left_gets_no_scheduled_jobs(make_sim: SimFactory) -> None:
    from handlers.housekeeping import Housekeeping

    sim = await make_sim(features=[Tracking(), Housekeeping()])
    assert [job.spec.name for job in sim.app.scheduler.jobs] == ["housekeeping"]
    sim.add_user("boss", "群主", admin=True)

    async def membership(kind: EventKind, n: int) -> None:
        await sim.app.dispatch(Event(kind, sim.chat, sim.clock.now(), f"bot:{n}", actor=sim.user("boss")))

    await membership(EventKind.BOT_REMOVED, 1)
    assert sim.app.scheduler.jobs == []
    await membership(EventKind.BOT_ADDED, 2)
    assert [job.spec.name for job in sim.app.scheduler.jobs] == ["housekeeping"]
    kinds = [row.kind for row in await log_rows(sim, ["group_active", "group_inactive"])]
    assert kinds == ["group_inactive", "group_active"]


@pytest.mark.postgres
async def test_two_instances_on_one_postgres_handle_a_delivery_once(
    pg_url: str, make_sim: SimFactory
) -> None:
    # pg_url first: its reset runs after make_sim has closed both apps
    """Strict dedupe: both instances receive the same delivery; only one handles it."""
    one = await make_sim(features=features(), db_url=pg_url, settings=Settings(strict_dedupe=True))
    two = await make_sim(features=features(), db_url=pg_url, settings=Settings(strict_dedupe=True))
    one.add_user("u1", "小王")
    await one.say("u1", "hello")
    event = one.last_event
    assert event is not None
    handled = await two.app.dispatch(event)
    assert handled is not None and handled.duplicate
    assert one.adapter.sent_texts() == ["got hello"] and two.adapter.sent_texts() == []
    kinds = await log_kinds(one)
    assert kinds.count("message") == 1 and kinds.count("counted") == 1


async def test_an_action_that_crashes_is_a_failed_outcome_and_the_rest_still_run(
    make_sim: SimFactory,
) -> None:
    sim = await make_sim(features=features())

    async def broken_delete(chat: object, message_id: str) -> None:
        raise ValueError("bug in an adapter")

    sim.adapter.delete = broken_delete  # type: ignore[method-assign]
    sim.add_user("u1", "小王")
    handled = await sim.say("u1", "spam")
    assert [o.status for o in handled.outcomes] == ["failed", "done"]
    assert "ValueError: bug in an adapter" in handled.outcomes[0].detail["error"]
    assert [p.op for p in sim.adapter.posted] == ["remove"]


class Writes(Feature):
    """Stores a member named after the feature on ``text`` (state), and raises afterwards if told to."""

    def __init__(self, name: str, phase: Phase, on: str, fail: bool = False, read_only: bool = False) -> None:
        self.name, self.phase, self.on, self.fail, self.read_only = name, phase, on, fail, read_only

    async def handle(self, event: Event, ctx: Context) -> list[Action]:
        if event.text != self.on:
            return []
        if self.read_only:
            await ctx.session.execute(select(func.count()).select_from(Member))
            return []
        ctx.session.add(Member(group_key=ctx.chat.key, user_id=self.name, display_name=self.name))
        await ctx.session.flush()
        if self.fail:
            raise RuntimeError(f"{self.name} failed after writing")
        return []


@pytest.mark.parametrize("earlier", ["wrote", "only read"])
async def test_a_failing_handlers_writes_are_undone_and_the_others_kept(
    make_sim: SimFactory, earlier: str
) -> None:
    """After an earlier handler wrote, the failing one runs in a savepoint; after one that only read, a
    plain rollback is enough (and costs no round trips). Either way the later handler's write stays."""
    first = Writes("first", Phase.MODERATION, "go", read_only=earlier == "only read")
    failing = Writes("failing", Phase.MEMBERSHIP, "go", fail=True)
    later = Writes("later", Phase.FEATURES, "go")
    sim = await make_sim(features=[Tracking(), first, failing, later])
    sim.add_user("u1", "小王")
    handled = await sim.say("u1", "go")
    assert handled.errors == ["failing raised RuntimeError: failing failed after writing"]
    async with sim.app.db.session() as session:
        stored = set(await session.scalars(select(Member.user_id).where(Member.group_key == sim.chat.key)))
    expected = {"first", "later"} if earlier == "wrote" else {"later"}
    assert stored - {"u1"} == expected
