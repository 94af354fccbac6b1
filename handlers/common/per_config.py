"""A value built once per config object (a keyword automaton for a group's section), kept while that exact
object is in force: a reload makes new config objects, so their detectors are rebuilt; the oldest go first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

C = TypeVar("C")
V = TypeVar("V")


class PerConfig(Generic[C, V]):
    def __init__(self, build: Callable[[C], V], limit: int = 64) -> None:
        self._build = build
        self._limit = limit
        self._cache: dict[int, tuple[C, V]] = {}

    def __call__(self, config: C) -> V:
        cached = self._cache.get(id(config))
        if cached is not None and cached[0] is config:
            return cached[1]
        value = self._build(config)
        if len(self._cache) >= self._limit:
            self._cache.pop(next(iter(self._cache)))
        self._cache[id(config)] = (config, value)
        return value
