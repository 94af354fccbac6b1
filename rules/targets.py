"""Which member an admin means by a handle (``/pardon @zhao``, ``/points +5 @zhao``): one rule for every
admin command, so two commands naming the same handle always reach the same member.

The rule, strongest match first:
1. the member whose platform id is the handle (``@123456``; ids are unique in a group);
2. the member whose ``@username`` it is (case-insensitive). A platform gives a username to one account at
   a time, so where old rows still carry it (someone changed theirs) the member still in the group, and
   among those the one seen most recently, holds it now;
3. the member whose display name it is, exactly. Display names are not unique: where several members
   still in the group (or, if none is, several who left) carry it, the rule does not guess: the verdict
   is ``ambiguous`` with the candidates, for the admin to name one by ``@username``, id or a reply.
A reply to a member's message beats any handle; that part is the caller's (it needs no lookup).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

HANDLE_PREFIXES = ("@", "＠")

Match = Literal["id", "username", "name", "ambiguous", "none"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the rule needs to know of one stored member. ``seq`` orders rows by creation (later = newer)."""

    user_id: str
    username: str | None
    display_name: str
    present: bool
    last_seen: datetime | None
    seq: int = 0


@dataclass(frozen=True, slots=True)
class Pick:
    """The verdict: the member chosen (None when ``match`` is ``ambiguous`` or ``none``), how it matched,
    the members an ambiguous handle could mean (most recently seen first), and why."""

    chosen: Candidate | None
    match: Match
    reason: str
    candidates: tuple[Candidate, ...] = ()


def handle_of(token: str) -> str | None:
    """``@zhao`` / ``＠赵`` → ``zhao`` / ``赵``; None for a token that names nobody (no prefix, or bare)."""
    if not token.startswith(HANDLE_PREFIXES):
        return None
    name = token[1:].strip()
    return name or None


def _recent_first(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Members still in the group first, then the most recently seen, then the newest row."""
    return sorted(
        candidates,
        key=lambda c: (
            not c.present,
            -(c.last_seen.timestamp() if c.last_seen is not None else float("-inf")),
            -c.seq,
        ),
    )


def pick(handle: str, candidates: Sequence[Candidate]) -> Pick:
    """Apply the rule above to the stored members that match ``handle`` in any way."""
    by_id = [c for c in candidates if c.user_id == handle]
    if by_id:
        return Pick(by_id[0], "id", f"user id {handle}")
    folded = handle.casefold()
    by_username = [c for c in candidates if c.username is not None and c.username.casefold() == folded]
    if by_username:
        chosen = _recent_first(by_username)[0]
        why = f"username @{chosen.username}"
        if len(by_username) > 1:
            why += f" ({len(by_username)} rows carry it: the most recently seen member still here)"
        return Pick(chosen, "username", why)
    by_name = [c for c in candidates if c.display_name == handle]
    present = [c for c in by_name if c.present]
    pool = _recent_first(present or by_name)
    if len(pool) == 1:
        return Pick(pool[0], "name", f"display name {handle!r}")
    if pool:
        where = "in the group" if present else "who left"
        return Pick(None, "ambiguous", f"{len(pool)} members {where} are called {handle!r}", tuple(pool))
    return Pick(None, "none", f"no member is called {handle!r}")
