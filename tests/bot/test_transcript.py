"""The demo transcript marks an event that happened in another group than the segment's own (a second
group's scheduled topic or quiz), so the same post in two groups does not read as a repeat."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from rich.console import Console

from bot.pipeline import Handled
from bot.tools.demo.transcript import Transcript
from handlers.contract.actions import Record
from handlers.contract.events import Chat, Event, EventKind, User

AT = datetime(2026, 4, 6, 13, 0, tzinfo=UTC)


def tick(chat: Chat) -> Handled:
    event = Event(EventKind.TICK, chat, AT, f"tick:{chat.key}", data="quiz.ask")
    return Handled(event, records=[Record(chat, "quiz.asked", "round 1")])


def test_events_elsewhere_carry_their_group_name() -> None:
    console = Console(record=True, width=100)
    transcript = Transcript(console, ZoneInfo("Asia/Shanghai"))
    home, door = Chat("console", "demo", "group", "演示群"), Chat("console", "door", "group")
    transcript.titles[door.key] = "门口演示群"
    transcript.enter(home.key, home.title)
    transcript(tick(home))
    transcript(tick(door))
    private = Event(
        EventKind.MESSAGE, Chat("console", "u1", "private"), AT, "p1", User("u1", "小王"), text="hi"
    )
    transcript(Handled(private))
    lines = [line for line in console.export_text().splitlines() if "⏰" in line or "🗨" in line]
    assert lines[0].endswith("21:00  ⏰ quiz.ask")
    assert lines[1].endswith("21:00  「门口演示群」⏰ quiz.ask")
    assert "「" not in lines[2] and "(private)" in lines[2]  # a private chat is no group
