"""Per-member memory with a bound: a feature's in-memory state about members (who spoke, the name last
checked, the last post in slow mode) keeps the members most recently written and forgets the least recent
past a capacity, so a bot in thousands of groups keeps flat memory instead of an entry for every member it
ever saw. Forgetting costs at most a repeated check or one database look-up for that member (each user says
what); it never changes a decision that the database does not also back.

A plain ``OrderedDict`` in least-recently-written order: writing a key moves it to the end, and past the
capacity the first one goes, O(1) each.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterator
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# Members (per feature and structure) kept in memory: the recently active ones of a large deployment. An
# entry (a (group, member) key and its value) is ~300 bytes, so a full structure is a few megabytes.
MEMBERS_KEPT = 20_000


class LruDict(OrderedDict[K, V]):
    """At most ``capacity`` keys; writing a key makes it the newest, and the least recently written goes
    first. Reads do not reorder (``get``, ``in``): what a member does writes their entry."""

    def __init__(self, capacity: int = MEMBERS_KEPT) -> None:
        super().__init__()
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.capacity = capacity

    def __setitem__(self, key: K, value: V) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        if len(self) > self.capacity:
            self.popitem(last=False)

    def setdefault(self, key: K, default: V) -> V:
        """The value of ``key`` (``default`` stored when missing); either way the key is the newest."""
        if key in self:
            self.move_to_end(key)
            return self[key]
        self[key] = default
        return default


class LruSet(Generic[K]):
    """A set with the same bound: ``add`` makes a member the newest."""

    __slots__ = ("_items",)

    def __init__(self, capacity: int = MEMBERS_KEPT) -> None:
        self._items: LruDict[K, None] = LruDict(capacity)

    @property
    def capacity(self) -> int:
        return self._items.capacity

    def add(self, item: K) -> None:
        self._items[item] = None

    def discard(self, item: K) -> None:
        self._items.pop(item, None)

    def __contains__(self, item: object) -> bool:
        return item in self._items

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)
