"""``qunbot demo``: run the bundled scenario on the console platform and print what happened."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bot.app import App
from bot.clock import FakeClock
from bot.config import ConfigStore, load_rules
from bot.platforms.console import ConsoleAdapter
from bot.platforms.wecom.kinds import KINDS
from bot.settings import Settings
from bot.tools.demo.interactive import HELP, run_lines
from bot.tools.demo.scenario import DEMO_RULES, ScenarioError, Segment, Step, load_scenario
from bot.tools.demo.transcript import Transcript
from bot.tools.simulator import Simulator
from handlers.contract.events import Chat
from storage.db import Database
from storage.repos import events as event_repo
from storage.repos.groups import GroupRepo


async def run_step(sim: Simulator, step: Step, transcript: Transcript) -> None:
    if step.advance:
        await sim.advance(step.advance)
    if step.until:
        if step.until < sim.clock.now():  # an earlier segment ran past it: the dates in this one are wrong
            raise ScenarioError(f"step until {step.until.isoformat()} is already past ({sim.clock.now()})")
        await sim.advance_to(step.until)
    if step.note:
        transcript.note(step.note)
    if step.join:
        await sim.join(step.join, invite_link=step.invite, by=step.by)
    if step.request:
        await sim.request_join(step.request, invite_link=step.invite)
    if step.leave:
        await sim.leave(step.leave)
    if step.rename is not None and step.by:
        await sim.rename(step.by, step.rename)
    if step.say is not None and step.by:
        await sim.say(
            step.by,
            step.say,
            reply_to=step.reply_to,
            label=step.label,
            private=step.private,
            media=step.media,
            qr_texts=tuple(step.qr),
            urls=tuple(step.urls),
            forwarded_from_channel=step.forwarded_from_channel,
        )
    if step.press is not None and step.by:
        await sim.press(step.by, step.press)
    if step.redeliver:
        await sim.redeliver()


async def switch_group(sim: Simulator, segment: Segment, now: datetime, transcript: Transcript) -> None:
    """A segment in a group of its own (e.g. a WeCom customer group, with that platform's capabilities)."""
    assert segment.group is not None
    sim.chat = Chat("console", segment.group, "group", segment.group_title or segment.group)
    transcript.enter(sim.chat.key, sim.chat.title)
    if segment.platform == "wecom_customer":
        sim.adapter.caps[sim.chat.key] = KINDS["customer"].caps
    async with sim.app.db.session() as session:
        await GroupRepo(session).ensure(sim.chat.key, "console", sim.chat.id, sim.chat.title, now)
        await session.commit()
    await sim.app.scheduler.rebuild()


async def run_demo(
    db_url: str,
    console: Console,
    scenario: list[Path] | None = None,
    rules: Path | None = None,
    interactive: Iterable[str] | None = None,
) -> Simulator:
    """Run the scenario segments; with ``interactive`` lines, run those instead (after the first
    segment's set-up: start time, group, users)."""
    segments: list[Segment] = load_scenario(scenario)
    first = segments[0]
    assert first.start is not None
    config = ConfigStore(load_rules(rules or DEMO_RULES), rules or DEMO_RULES)
    clock = FakeClock(first.start)
    adapter = ConsoleAdapter()
    chat = Chat("console", first.group or "demo", "group", first.group_title or "演示群")
    db = Database(db_url)
    app = App(Settings(), config, db, {"console": adapter}, clock)
    await app.open()
    sim = Simulator(app, adapter, clock, chat)
    transcript = Transcript(console, config.for_chat(chat.key).tz)
    app.listeners.append(transcript)
    for key in config.rules.groups:  # groups the rules name play their own jobs from the start
        transcript.titles[key] = config.for_chat(key).name or Chat.from_key(key).id
    transcript.enter(chat.key, chat.title)
    try:
        async with db.session() as session:
            await GroupRepo(session).ensure(chat.key, chat.platform, chat.id, chat.title, clock.now())
            await session.commit()
        await app.scheduler.rebuild()
        if interactive is not None:
            console.print(HELP)
            await run_lines(sim, interactive, console)
        else:
            for segment in segments:
                transcript.heading(segment.title)
                if segment is not first and segment.group and segment.group != sim.chat.id:
                    await switch_group(sim, segment, clock.now(), transcript)
                for user in segment.users:
                    sim.add_user(user.id, user.name, user.username, user.admin, user.bot)
                for step in segment.steps:
                    await run_step(sim, step, transcript)
        await app.writer.flush()
        await print_summary(console, db, sim)
    finally:
        await app.close()
    return sim


async def print_summary(console: Console, db: Database, sim: Simulator) -> None:
    async with db.session() as session:
        by_kind = await event_repo.count_by_kind(session)
    table = Table(title="Summary: event log rows by kind")
    table.add_column("kind")
    table.add_column("rows", justify="right")
    for kind, n in sorted(by_kind.items()):
        table.add_row(kind, str(n))
    console.print(table)
    outcomes = Counter(outcome.status for handled in sim.history for outcome in handled.outcomes)
    console.print(
        f"events: {len(sim.history)} · actions: {sum(outcomes.values())} "
        + " · ".join(f"{status} {n}" for status, n in sorted(outcomes.items()))
        + f" · duplicates ignored: {sum(1 for h in sim.history if h.duplicate)}"
    )
