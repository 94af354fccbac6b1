"""Join waves: N joins within M seconds in one group is a raid. Pure: the window and the time are given."""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta


def trim(window: deque[datetime], now: datetime, seconds: int) -> None:
    """Drop joins older than ``seconds`` before ``now`` (the window is kept in time order)."""
    edge = now - timedelta(seconds=seconds)
    while window and window[0] <= edge:
        window.popleft()


def is_wave(window: deque[datetime], now: datetime, joins: int, seconds: int) -> bool:
    """Add a join at ``now`` and tell whether the window now holds ``joins`` or more within ``seconds``."""
    window.append(now)
    trim(window, now, seconds)
    return len(window) >= joins
