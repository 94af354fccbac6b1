"""The interactive console: type what members do, watch what the bot does.

+wang 上海-互联网-小王     wang joins (declared with that name); +!amy 群主 joins as an admin
wang: 大家好              wang says something (commands too: wang: /checkin)
wang ~ 北京-产品-小王      wang renames
wang ! rules:ack          wang presses a button
-wang                     wang leaves
>> 2h                     time moves on (30m, 1d, 1w); scheduled jobs fire on the way
help / quit
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.console import Console

from bot.tools.simulator import Simulator

_JOIN = re.compile(r"^\+(?P<admin>!)?(?P<id>\w+)(?:\s+(?P<name>.+))?$")
_LEAVE = re.compile(r"^-(?P<id>\w+)$")
_SAY = re.compile(r"^(?P<id>\w+)\s*:\s*(?P<text>.+)$")
_RENAME = re.compile(r"^(?P<id>\w+)\s*~\s*(?P<name>.+)$")
_PRESS = re.compile(r"^(?P<id>\w+)\s*!\s*(?P<data>\S+)$")
_ADVANCE = re.compile(r"^>>\s*(?P<delta>.+)$")

HELP = __doc__ or ""


async def run_line(sim: Simulator, line: str, console: Console) -> bool:
    """Carry out one line; False when the user wants to stop."""
    line = line.strip()
    if not line or line.startswith("#"):
        return True
    if line in ("quit", "exit"):
        return False
    if line == "help":
        console.print(HELP)
        return True
    try:
        if match := _JOIN.match(line):
            uid = match["id"]
            if uid not in sim.users or match["name"]:
                sim.add_user(uid, match["name"] or uid, username=uid, admin=bool(match["admin"]))
            await sim.join(uid)
        elif match := _LEAVE.match(line):
            await sim.leave(match["id"])
        elif match := _ADVANCE.match(line):
            await sim.advance(match["delta"].strip())
        elif match := _RENAME.match(line):
            await sim.rename(match["id"], match["name"].strip())
        elif match := _PRESS.match(line):
            await sim.press(match["id"], match["data"])
        elif match := _SAY.match(line):
            await sim.say(match["id"], match["text"])
        else:
            console.print("[yellow]? not understood — type help")
    except (KeyError, ValueError) as exc:
        console.print(f"[yellow]{exc}")
    return True


async def run_lines(sim: Simulator, lines: Iterable[str], console: Console) -> None:
    for line in lines:
        if not await run_line(sim, line, console):
            break
