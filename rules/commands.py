"""Command parsing shared by every adapter: ``/warn@qunbot_bot 发广告`` → ``("warn", ("发广告",))``."""

from __future__ import annotations

import re

_COMMAND = re.compile(
    r"^[/／](?P<name>[A-Za-z][A-Za-z0-9_]{0,31})(?:@(?P<bot>[A-Za-z0-9_]+))?(?:\s+(?P<rest>.*))?$", re.S
)


def parse_command(text: str, bot_username: str | None = None) -> tuple[str, tuple[str, ...]] | None:
    """The command name (lower-case) and its whitespace-separated arguments, or None for plain text.
    A command addressed to another bot (``/warn@other_bot``) is not ours: None."""
    match = _COMMAND.match(text.strip())
    if not match:
        return None
    target = match["bot"]
    if target and bot_username and target.lower() != bot_username.lower():
        return None
    rest = (match["rest"] or "").split()
    return match["name"].lower(), tuple(rest)
