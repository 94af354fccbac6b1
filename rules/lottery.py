"""Lucky draws that can be audited: the seed and the candidates' tickets are logged, and the same seed
with the same tickets always draws the same winners."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable
from datetime import datetime


def seed_for(delivery: str, at: datetime) -> str:
    """A seed nobody picks by hand: derived from the command's delivery id and time (both logged)."""
    return hashlib.sha256(f"{delivery}|{at.isoformat()}".encode()).hexdigest()[:16]


def draw(candidates: Iterable[str], n: int, seed: str) -> list[str]:
    """``n`` distinct winners (fewer if there are fewer candidates), in draw order. Candidates are
    de-duplicated and sorted first, so the order they were collected in does not matter."""
    pool = sorted(set(candidates))
    rng = random.Random(int(hashlib.sha256(seed.encode("utf-8")).hexdigest(), 16))
    return rng.sample(pool, min(max(n, 0), len(pool)))


def ticket(seed: str, user_id: str) -> str:
    """A member's ticket for one draw: the log keeps tickets, not user ids, so erasing a member (PIPL /
    GDPR) leaves nothing that names them, while anyone who knows their id can still find their ticket."""
    return hashlib.sha256(f"{seed}|{user_id}".encode()).hexdigest()[:12]


def draw_tickets(candidates: Iterable[str], n: int, seed: str) -> list[tuple[str, str]]:
    """Draw ``n`` members by their tickets: (ticket, user id) pairs in draw order. The log keeps the seed
    and the tickets; the same seed and candidates always give the same result."""
    tickets = {ticket(seed, user): user for user in set(candidates)}
    return [(drawn, tickets[drawn]) for drawn in draw(tickets, n, seed)]
