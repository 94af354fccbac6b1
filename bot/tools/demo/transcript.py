"""A readable transcript of what the bot did and why, from the pipeline's ``Handled`` results."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.console import Console
from rich.markup import escape

from bot.pipeline import Handled
from handlers.contract.actions import action_name
from handlers.contract.events import EventKind

_ICONS = {
    "send": "💬",
    "send_private": "✉️ ",
    "delete": "🗑 ",
    "remove": "🚪",
    "ban": "⛔",
    "unban": "♻️ ",
    "mute": "🔇",
    "unmute": "🔈",
    "notify_admins": "📣",
    "create_invite_link": "🔗",
}


def describe_event(handled: Handled) -> str:
    event = handled.event
    who = event.user.name if event.user else ""
    if event.kind == EventKind.MEMBER_JOINED:
        via = f" (via {event.invite_link})" if event.invite_link else ""
        return f"➕ {who} joined{via}"
    if event.kind == EventKind.MEMBER_LEFT:
        return f"➖ {who} left"
    if event.kind == EventKind.JOIN_REQUEST:
        via = f" (via {event.invite_link})" if event.invite_link else ""
        return f"🚪 {who} asked to join{via}"
    if event.kind == EventKind.MEMBER_VERIFIED:
        return f"✅ {who} passed verification: onboarding starts"
    if event.kind == EventKind.MEMBER_UNBANNED:
        by = event.actor.name if event.actor else "?"
        return f"♻️  {who} unbanned by {by}"
    if event.kind == EventKind.NICKNAME_CHANGED:
        return f"✏️  {event.old_name} → {who}"
    if event.kind == EventKind.BUTTON_PRESSED:
        return f"🔘 {who} pressed [{event.data}]"
    if event.kind == EventKind.TICK:
        return f"⏰ {event.data}"
    where = " (private)" if event.chat.kind == "private" else ""
    return f"🗨  {who}{where}: {event.text}"


class Transcript:
    def __init__(self, console: Console, tz: ZoneInfo) -> None:
        self.console = console
        self.tz = tz
        # the group the current segment plays in, and every group's title: an event in another group (its
        # own scheduled topic or quiz) is marked with that group's name, so it does not read as a repeat
        self.home = ""
        self.titles: dict[str, str] = {}

    def enter(self, key: str, title: str) -> None:
        self.home = key
        self.titles[key] = title

    def heading(self, text: str) -> None:
        self.console.rule(f"[bold]{escape(text)}")

    def note(self, text: str) -> None:
        self.console.print(f"[italic dim]# {escape(text)}")

    def __call__(self, handled: Handled) -> None:
        when = handled.event.at.astimezone(self.tz).strftime("%a %m-%d %H:%M")
        quiet_tick = handled.event.kind == EventKind.TICK and not (handled.actions or handled.records)
        if quiet_tick:
            return
        if handled.duplicate:
            self.console.print(
                f"[dim]{when}[/]  [yellow]duplicate delivery {escape(handled.event.delivery)}: ignored"
            )
            return
        chat = handled.event.chat
        where = (
            f"「{self.titles.get(chat.key) or chat.title or chat.id}」"
            if chat.kind == "group" and chat.key != self.home
            else ""
        )
        self.console.print(f"[dim]{when}[/]  {escape(where + describe_event(handled))}")
        for record in handled.records:
            self.console.print(f"           [cyan]• {escape(record.kind)}[/]: {escape(record.reason)}")
        for outcome in handled.outcomes:
            name = action_name(outcome.action)
            icon = _ICONS.get(name, "•")
            text = getattr(outcome.action, "text", "") or ""
            body = text if text else getattr(outcome.action, "reason", "")
            status = "" if outcome.status == "done" else f" [magenta]({outcome.status})[/]"
            self.console.print(f"           {icon} [green]{name}[/]{status}: {escape(body)}")
            if text and getattr(outcome.action, "reason", ""):
                self.console.print(f"             [dim]why: {escape(outcome.action.reason)}[/]")
        if handled.stopped_by:
            self.console.print(f"           [dim]handling stopped by {escape(handled.stopped_by)}[/]")
        for error in handled.errors:
            self.console.print(f"           [red]error: {escape(error)}")
