"""Topic rotation: pick the next item of a pool so nothing repeats until the whole pool was used.

The caller passes the items already used in the current round (stored per group); a pool edited
mid-round keeps that history because items are identified by a digest of their text.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

Order = Literal["in_order", "shuffled"]


def item_key(text: str) -> str:
    """A stable id for a pool item: whitespace differences do not make a new topic."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Pick:
    item: str
    key: str
    round: int
    left_in_round: int  # items of the pool still unused in this round after this pick


def next_item(
    pool: Sequence[str],
    used: Collection[str],
    round_: int,
    order: Order = "in_order",
    seed: str = "",
    last: str | None = None,
) -> Pick | None:
    """The next item of ``pool`` not in ``used`` (keys of round ``round_``); when none is left, a new round
    starts (``round_ + 1``), avoiding ``last`` (the previous pick) as its first item if the pool allows.
    ``shuffled`` orders each round by a permutation seeded with ``seed`` and the round, so every instance
    and every restart picks the same. None for an empty pool."""
    items: dict[str, str] = {}
    for text in pool:
        if text.strip():
            items.setdefault(item_key(text), text)
    if not items:
        return None
    keys = list(items)
    unused = [k for k in _ordered(keys, order, seed, round_) if k not in used]
    if not unused:
        round_ += 1
        unused = _ordered(keys, order, seed, round_)
        if last is not None and len(unused) > 1 and unused[0] == last:
            unused.append(unused.pop(0))
    key = unused[0]
    return Pick(items[key], key, round_, len(unused) - 1)


def _ordered(keys: list[str], order: Order, seed: str, round_: int) -> list[str]:
    if order == "in_order":
        return list(keys)
    shuffled = sorted(keys)
    random.Random(f"{seed}/{round_}").shuffle(shuffled)
    return shuffled
